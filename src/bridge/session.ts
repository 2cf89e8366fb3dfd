/**
 * One long-lived PowerShell process running dispatcher.ps1, with the configured modules imported once.
 * Calls are queued and sent one at a time; each has a timeout. A timed-out call kills the process (a fresh
 * one starts for the calls behind it); a process that dies rejects every pending call and the next call
 * starts a new one. Every promise settles: by a result, a PowerShell error, a timeout, a process error or
 * dispose().
 */
import { randomBytes } from 'node:crypto';
import * as path from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import {
  BridgeDisposedError,
  BridgeError,
  BridgeProcessError,
  BridgeTimeoutError,
  BridgeValidationError,
  PowerShellError,
  type PowerShellErrorRecord,
} from './errors';
import { PowerShellProcess, processStartTime } from './launcher';
import { locatePowerShell, type PowerShellEdition } from './locate';
import { encodeMessage, FrameReader, type CallStreams, type ErrorAction, type ProgressRecord, type ResultMessage } from './protocol';
import { OutputValidator } from './validate';

/** Path of the dispatcher script that the PowerShell process runs. */
export const DISPATCHER_PATH = path.join(__dirname, 'dispatcher.ps1');

/** Returns the JSON Schema of one output object of `command`, or undefined when there is none. */
export type SchemaResolver = (command: string) => object | undefined;

export interface SessionOptions {
  /**
   * PowerShell executable. Default: `.tools/pwsh/pwsh` of the project, else `pwsh` on PATH. The
   * `NODE_POWERSHELL` environment variable wins over both (node-powershell's rule).
   */
  readonly pwshPath?: string;
  /** `desktop` starts Windows PowerShell (powershell.exe) on Windows. Default `core`. */
  readonly edition?: PowerShellEdition;
  /** Modules (paths or names) imported once when the process starts. */
  readonly modules?: readonly string[];
  /** Default timeout of one call, in milliseconds (default 60 000). */
  readonly timeoutMs?: number;
  /** How long starting PowerShell and importing the modules may take (default 60 000 ms). */
  readonly startTimeoutMs?: number;
  /** JSON Schemas of command outputs; every result of a command with a schema is validated. */
  readonly schemaResolver?: SchemaResolver;
  /** Reject calls of commands the resolver has no schema for (default false). */
  readonly requireSchema?: boolean;
  /** How deep output objects are serialised (default 8); deeper values become strings. */
  readonly depth?: number;
  /** Extra environment variables for the PowerShell process. */
  readonly env?: Readonly<Record<string, string>>;
  readonly cwd?: string;
}

export interface CallOptions {
  /** Overrides the session's timeout for this call. */
  readonly timeoutMs?: number;
  /** -ErrorAction for the command (default Stop: any error rejects the call). */
  readonly errorAction?: ErrorAction;
  /** Passes -Verbose; verbose messages come back in `verbose`. */
  readonly verbose?: boolean;
  /** The output item schema for this call (wins over the resolver); `false` skips validation. */
  readonly schema?: object | false;
  /**
   * Called with each progress record while the call runs (Write-Progress), e.g. to draw a progress bar.
   * Without it, progress records come only with the result.
   */
  readonly onProgress?: (record: ProgressRecord) => void;
}

/** A successful call: the command's output objects (always an array) and its other streams. */
export interface InvokeResult<T = unknown> extends CallStreams {
  readonly command: string;
  readonly output: T[];
}

/** Anything that runs commands: a session or a pool. */
export interface Invoker {
  invoke<T = unknown>(command: string, parameters?: Record<string, unknown>, options?: CallOptions): Promise<InvokeResult<T>>;
}

export interface ProcessInfo {
  readonly processId: number;
  readonly version: string;
  readonly edition: string;
  /**
   * Arguments after the dispatcher on PowerShell's command line, which the dispatcher ignores
   * (node-powershell's `-NoExit -Command -`).
   */
  readonly ignoredArguments?: string[];
}

interface PendingCall {
  readonly id: string;
  readonly command: string;
  readonly parameters: Record<string, unknown>;
  readonly options: CallOptions;
  readonly resolve: (result: InvokeResult<unknown>) => void;
  readonly reject: (error: Error) => void;
}

/** One running PowerShell process (started through node-powershell, see launcher.ts) and its raw I/O. */
class Worker {
  readonly process: PowerShellProcess;
  readonly reader: FrameReader;
  private stderrText = '';
  private readonly stderrDecoder = new StringDecoder('utf8');
  alive = true;
  info?: ProcessInfo;
  /** Start time of PowerShell's own process, to never kill a later process that got its id. */
  private ownStart?: string;

  constructor(
    executable: string,
    options: SessionOptions,
    sentinel: string,
    onFrame: (worker: Worker, message: ResultMessage) => void,
    onProgress: (worker: Worker, id: string, json: string) => void,
    onExit: (worker: Worker, code: number | null, signal: string | null, error?: Error) => void,
  ) {
    this.reader = new FrameReader(
      sentinel,
      (json) => {
        let message: ResultMessage;
        try {
          message = JSON.parse(json) as ResultMessage;
        } catch {
          this.reader.stray.push(`unreadable result: ${json.slice(0, 200)}`);
          return;
        }
        onFrame(this, message);
      },
      (id, json) => onProgress(this, id, json),
    );
    this.process = new PowerShellProcess({
      executable,
      script: DISPATCHER_PATH,
      cwd: options.cwd,
      env: {
        ...process.env,
        NO_COLOR: '1',
        TERM: 'dumb',
        POWERSHELL_TELEMETRY_OPTOUT: '1',
        POWERSHELL_UPDATECHECK: 'Off',
        DOTNET_CLI_TELEMETRY_OPTOUT: '1',
        ...options.env,
      },
      onStdout: (chunk) => this.reader.push(chunk),
      onStderr: (chunk) => {
        this.stderrText = (this.stderrText + this.stderrDecoder.write(chunk)).slice(-4000);
      },
      onExit: (code, signal, error) => {
        this.alive = false;
        // After a crash or a kill, PowerShell behind a launcher can outlive it, and children of PowerShell
        // can outlive both. (A clean exit is the dispatcher ending at the end of its input: nothing to do.)
        if (error || signal || code !== 0) this.killOwn();
        onExit(this, code, signal, error);
      },
    });
  }

  get pid(): number | undefined {
    return this.process.pid;
  }

  /** Records what PowerShell reported about itself. */
  setInfo(info: ProcessInfo): void {
    this.info = info;
    this.ownStart = processStartTime(info.processId);
  }

  get stderr(): string {
    return this.stderrText.trim();
  }

  send(line: string): void {
    if (this.alive) this.process.write(line);
  }

  private ownPids(): number[] {
    const own = this.info?.processId;
    if (!own || own === this.process.pid) return [];
    if (this.ownStart !== undefined && processStartTime(own) !== this.ownStart) return [];
    return [own];
  }

  /** After the executable has exited: kills what is left of its tree (PowerShell, its children). */
  private killOwn(): void {
    this.process.kill(this.ownPids());
  }

  /** Kills the process tree at once: the executable, everything below it, and PowerShell itself. */
  kill(): void {
    if (!this.alive) return;
    this.process.kill(this.ownPids());
  }

  /** Closes standard input (the dispatcher then exits) and kills the process if it lingers. */
  close(graceMs: number): Promise<void> {
    if (!this.alive) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.kill();
      }, graceMs);
      this.process.child.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
      this.process.endInput();
    });
  }
}

let sessionCounter = 0;

export class PowerShellSession implements Invoker {
  private readonly executable: string;
  private readonly validator = new OutputValidator();
  private readonly queue: PendingCall[] = [];
  private worker?: Worker;
  private starting?: { worker: Worker; timer: NodeJS.Timeout };
  private current?: { call: PendingCall; timer: NodeJS.Timeout };
  private disposed = false;
  private sequence = 0;
  private readonly name = `s${++sessionCounter}`;
  /** Processes started so far (a restart after a crash or timeout counts). */
  starts = 0;

  constructor(private readonly options: SessionOptions = {}) {
    // node-powershell starts NODE_POWERSHELL, when set, whatever executable it is given.
    this.executable = process.env.NODE_POWERSHELL || locatePowerShell(options);
  }

  /** The executable this session starts. */
  get executablePath(): string {
    return this.executable;
  }

  /** Process id of the started executable (a launcher such as a dotnet tool shim, or PowerShell itself). */
  get pid(): number | undefined {
    return this.worker?.alive ? this.worker.pid : undefined;
  }

  /** The running process as node-powershell started it (its adapter), if any. */
  get launched(): PowerShellProcess | undefined {
    return this.worker?.alive ? this.worker.process : undefined;
  }

  /** Process id of PowerShell itself ($PID), once it has started. */
  get processId(): number | undefined {
    return this.worker?.alive ? this.worker.info?.processId : undefined;
  }

  /** Calls queued or running. */
  get pending(): number {
    return this.queue.length + (this.current ? 1 : 0);
  }

  /** Starts the process now (otherwise the first call does) and reports its version. */
  async start(): Promise<ProcessInfo> {
    await this.invoke('Microsoft.PowerShell.Utility\\Get-Variable', { Name: 'PID', ValueOnly: true }, { schema: false });
    const info = this.worker?.info;
    if (!info) throw new BridgeError('PowerShell started but did not report itself');
    return info;
  }

  invoke<T = unknown>(command: string, parameters: Record<string, unknown> = {}, options: CallOptions = {}): Promise<InvokeResult<T>> {
    if (this.disposed) return Promise.reject(new BridgeDisposedError(command));
    if (typeof command !== 'string' || command.length === 0) return Promise.reject(new BridgeError('name a command to invoke'));
    return new Promise<InvokeResult<T>>((resolve, reject) => {
      this.queue.push({
        id: `${this.name}-${++this.sequence}`,
        command,
        parameters,
        options,
        resolve: resolve as (result: InvokeResult<unknown>) => void,
        reject,
      });
      this.pump();
    });
  }

  /** Ends the process; pending calls reject with BridgeDisposedError. */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    const busy = this.current !== undefined;
    if (this.current) {
      clearTimeout(this.current.timer);
      this.current.call.reject(new BridgeDisposedError(this.current.call.command));
      this.current = undefined;
    }
    for (const call of this.queue.splice(0)) call.reject(new BridgeDisposedError(call.command));
    const closing: Promise<void>[] = [];
    if (this.starting) {
      clearTimeout(this.starting.timer);
      this.starting.worker.kill();
      closing.push(this.starting.worker.close(2000));
      this.starting = undefined;
    }
    if (this.worker) {
      // An idle process ends by itself when its input closes; a busy one is killed.
      if (busy) this.worker.kill();
      closing.push(this.worker.close(2000));
      this.worker = undefined;
    }
    await Promise.all(closing);
  }

  private pump(): void {
    if (this.disposed || this.current || this.queue.length === 0) return;
    if (!this.worker || !this.worker.alive) {
      this.worker = undefined;
      this.startWorker();
      return;
    }
    const call = this.queue.shift() as PendingCall;
    const timeoutMs = call.options.timeoutMs ?? this.options.timeoutMs ?? 60_000;
    const worker = this.worker;
    const timer = setTimeout(() => this.onTimeout(worker, call, timeoutMs), timeoutMs);
    this.current = { call, timer };
    let line: string;
    try {
      line = encodeMessage({
        id: call.id,
        command: call.command,
        parameters: call.parameters,
        errorAction: call.options.errorAction ?? 'Stop',
        verbose: call.options.verbose ?? false,
        liveProgress: typeof call.options.onProgress === 'function',
      });
    } catch (e) {
      clearTimeout(timer);
      this.current = undefined;
      call.reject(new BridgeError(`${call.command}: parameters cannot be sent as JSON: ${(e as Error).message}`, call.command));
      this.pump();
      return;
    }
    worker.send(line);
  }

  private startWorker(): void {
    if (this.starting || this.disposed) return;
    const sentinel = `BRIDGE-${randomBytes(16).toString('hex')}`;
    this.starts++;
    let worker: Worker;
    try {
      worker = new Worker(this.executable, this.options, sentinel, (w, m) => this.onFrame(w, m), (w, id, json) => this.onProgress(w, id, json), (w, c, s, e) => this.onExit(w, c, s, e));
    } catch (e) {
      this.failQueue((command) => new BridgeProcessError(`cannot start PowerShell (${this.executable}): ${(e as Error).message}`, command));
      return;
    }
    const startTimeout = this.options.startTimeoutMs ?? 60_000;
    const timer = setTimeout(() => {
      if (this.starting?.worker !== worker) return;
      this.starting = undefined;
      worker.kill();
      this.failQueue((command) => new BridgeProcessError(`PowerShell did not start within ${startTimeout} ms`, command, null, null, worker.stderr));
    }, startTimeout);
    this.starting = { worker, timer };
    worker.send(encodeMessage({ sentinel, modules: this.options.modules ?? [], depth: this.options.depth ?? 8 }));
  }

  private failQueue(make: (command: string) => BridgeError): void {
    for (const call of this.queue.splice(0)) call.reject(make(call.command));
  }

  private onFrame(worker: Worker, message: ResultMessage): void {
    if (this.starting?.worker === worker && message.id === 'init') {
      clearTimeout(this.starting.timer);
      this.starting = undefined;
      if (!message.ok) {
        const record = message.errors[message.errors.length - 1];
        worker.kill();
        const why = record ? record.message : 'unknown error';
        this.failQueue((command) => new BridgeProcessError(`PowerShell started but a module failed to import: ${why}`, command, null, null, worker.stderr));
        return;
      }
      worker.setInfo(message.output[0] as ProcessInfo);
      this.worker = worker;
      this.pump();
      return;
    }
    if (worker !== this.worker || !this.current || this.current.call.id !== message.id) return;
    const { call, timer } = this.current;
    clearTimeout(timer);
    this.current = undefined;
    this.settle(call, message);
    this.pump();
  }

  private onProgress(worker: Worker, id: string, json: string): void {
    const call = this.current?.call;
    if (worker !== this.worker || !call || call.id !== id || !call.options.onProgress) return;
    try {
      call.options.onProgress(JSON.parse(json) as ProgressRecord);
    } catch {
      // a failing listener or an unreadable line must not break the call
    }
  }

  private settle(call: PendingCall, message: ResultMessage): void {
    if (!message.ok) {
      const records = message.errors;
      const record: PowerShellErrorRecord = records[records.length - 1] ?? {
        type: 'Unknown',
        innerType: 'Unknown',
        message: 'the command failed without an error record',
        details: null,
        fullyQualifiedErrorId: 'Unknown',
        category: 'NotSpecified',
        targetName: '',
        scriptPosition: null,
        scriptName: null,
        line: null,
        column: null,
        scriptStackTrace: null,
      };
      call.reject(new PowerShellError(call.command, record, records));
      return;
    }
    const output = Array.isArray(message.output) ? message.output : [message.output];
    let schema: object | undefined;
    if (call.options.schema === false) schema = undefined;
    else schema = call.options.schema ?? this.options.schemaResolver?.(call.command);
    if (!schema && call.options.schema !== false && this.options.requireSchema) {
      call.reject(new BridgeValidationError(call.command, 'output', `cannot be checked: no output schema is known for ${call.command}`, output));
      return;
    }
    if (schema) {
      let problem;
      try {
        problem = this.validator.check(output, schema);
      } catch (e) {
        call.reject(new BridgeValidationError(call.command, 'output', `cannot be checked: the schema does not compile (${(e as Error).message})`, output));
        return;
      }
      if (problem) {
        call.reject(new BridgeValidationError(call.command, problem.field, problem.problem, output));
        return;
      }
    }
    call.resolve({
      command: call.command,
      output,
      errors: message.errors,
      warnings: message.warnings,
      information: message.information,
      progress: message.progress,
      verbose: message.verbose,
      debug: message.debug,
      durationMs: message.durationMs,
    });
  }

  private onTimeout(worker: Worker, call: PendingCall, timeoutMs: number): void {
    if (this.current?.call !== call) return;
    this.current = undefined;
    if (this.worker === worker) this.worker = undefined;
    worker.kill();
    call.reject(new BridgeTimeoutError(call.command, timeoutMs));
    // Restart at once, so the calls behind (and the next one) find a warm process.
    if (!this.disposed) {
      if (this.queue.length > 0) this.pump();
      else this.startWorker();
    }
  }

  private onExit(worker: Worker, code: number | null, signal: string | null, error?: Error): void {
    const how = error ? error.message : signal ? `was killed (${signal})` : `exited with code ${code}`;
    if (this.starting?.worker === worker) {
      clearTimeout(this.starting.timer);
      this.starting = undefined;
      const stderr = worker.stderr;
      const text = `PowerShell (${this.executable}) ${how} while starting${stderr ? `: ${stderr.split('\n').slice(-3).join(' ')}` : ''}`;
      this.failQueue((command) => new BridgeProcessError(text, command, code, signal, stderr));
      return;
    }
    if (worker !== this.worker) return;
    this.worker = undefined;
    const stderr = worker.stderr;
    const make = (command: string) =>
      new BridgeProcessError(`PowerShell ${how} while ${command} was pending${stderr ? `: ${stderr.split('\n').slice(-3).join(' ')}` : ''}`, command, code, signal, stderr);
    if (this.current) {
      clearTimeout(this.current.timer);
      this.current.call.reject(make(this.current.call.command));
      this.current = undefined;
    }
    for (const call of this.queue.splice(0)) call.reject(make(call.command));
  }
}
