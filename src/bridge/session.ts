/**
 * One long-lived PowerShell process running dispatcher.ps1, with the configured modules imported once.
 * Calls are queued and sent one at a time on a private channel (see protocol.ts); each has a timeout,
 * counted from the call, and may carry an AbortSignal. Every call is answered exactly once: by a result, a
 * PowerShell error, a refusal, a limit, a timeout, a stop, a process error or dispose().
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import {
  BridgeAbortedError,
  BridgeDisposedError,
  BridgeError,
  BridgeLimitError,
  BridgeProcessError,
  BridgeProtocolError,
  BridgeRefusedError,
  BridgeRequestError,
  BridgeStartError,
  BridgeTimeoutError,
  BridgeValidationError,
  PowerShellError,
  type PowerShellErrorRecord,
} from './errors';
import { PowerShellProcess, processStartTime } from './launcher';
import { locatePowerShell, type PowerShellEdition } from './locate';
import {
  callSource,
  ChannelWriter,
  decodeSegmented,
  encodeFrame,
  encodeInitLine,
  extractSegments,
  FrameDecoder,
  FrameSource,
  segmentedCallSource,
  type CallStreams,
  type ErrorAction,
  type Frame,
  type ProgressRecord,
  type ResultMessage,
  type SegmentPath,
} from './protocol';
import { OutputValidator } from './validate';

/** Path of the dispatcher script that the PowerShell process runs. */
export const DISPATCHER_PATH = path.join(__dirname, 'dispatcher.ps1');

/** Returns the JSON Schema of one output object of `command`, or undefined when there is none. */
export type SchemaResolver = (command: string) => object | undefined;

/** Defaults of the limits (see SessionOptions). */
export const DEFAULT_LIMITS = { maxValues: 1_000_000, maxResultBytes: 256 * 1024 * 1024, maxHostBytes: 1024 * 1024, stopGraceMs: 5000 } as const;

/**
 * Commands that run text as code or change what a command name means. A session without `allowedCommands`
 * refuses them (and programs and script files) unless `allowScript` is set.
 */
export const SCRIPT_COMMANDS: readonly string[] = [
  'Invoke-Expression',
  'iex',
  'Add-Type',
  'New-Module',
  'nmo',
  'Import-Module',
  'ipmo',
  'Remove-Module',
  'rmo',
  'Invoke-Command',
  'icm',
  'Start-Job',
  'sajb',
  'Start-ThreadJob',
  'Set-Alias',
  'sal',
  'New-Alias',
  'nal',
  'Set-PSBreakpoint',
  'sbp',
  'Register-EngineEvent',
  'Register-ObjectEvent',
  'Enter-PSHostProcess',
];

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
  /** Default timeout of one call in milliseconds, counted from the call (queue included; default 60 000). */
  readonly timeoutMs?: number;
  /** How long starting PowerShell and importing the modules may take (default 60 000 ms). */
  readonly startTimeoutMs?: number;
  /** JSON Schemas of command outputs; every result of a command with a schema is validated. */
  readonly schemaResolver?: SchemaResolver;
  /** Refuse, before anything runs, calls of commands the resolver has no schema for (default false). */
  readonly requireSchema?: boolean;
  /**
   * Only these commands may run (case-insensitive; checked in Node before sending and again by the
   * dispatcher on the command the name resolves to). Default: any command except script-running ones.
   */
  readonly allowedCommands?: readonly string[];
  /**
   * Allow, in a session without `allowedCommands`, commands that run text as code or change what a name
   * means (SCRIPT_COMMANDS), programs and script files, and *-Item on function:, alias: and variable:.
   */
  readonly allowScript?: boolean;
  /** How deep output objects are serialised (default 8); deeper values become their text. */
  readonly depth?: number;
  /** Most values (objects, properties, items) one answer may carry; past it the call fails (default 1 000 000). */
  readonly maxValues?: number;
  /** Most bytes one answer may have as JSON; past it the call fails (default 256 MiB). */
  readonly maxResultBytes?: number;
  /** Console output kept per call in `host` (default 1 MiB); the rest is counted, not kept. */
  readonly maxHostBytes?: number;
  /** How long a stopped command (abort, dispose, Node's end) may take before its process is killed (default 5000 ms). */
  readonly stopGraceMs?: number;
  /** Extra environment variables for the PowerShell process. */
  readonly env?: Readonly<Record<string, string>>;
  readonly cwd?: string;
}

export interface CallOptions {
  /** Overrides the session's timeout for this call; counted from the call, time in a queue included. */
  readonly timeoutMs?: number;
  /** Absolute time (ms since the epoch) by which the call must be done; wins over `timeoutMs` for when. */
  readonly deadline?: number;
  /**
   * -ErrorAction for the command. Default: none, so the command's own rules apply: non-terminating errors
   * come back in `errors` and the command carries on; a terminating error rejects the call.
   */
  readonly errorAction?: ErrorAction;
  /** Passes -Verbose; verbose messages come back in `verbose`. */
  readonly verbose?: boolean;
  /** The output item schema for this call (wins over the resolver); `false` skips validation. */
  readonly schema?: object | false;
  /** Overrides the session's `maxValues` for this call. */
  readonly maxValues?: number;
  /**
   * Stops the call: a waiting call is dropped; a running one is stopped in PowerShell (StopProcessing, as
   * Ctrl-C does) and its process killed if it does not stop within `stopGraceMs`. Rejects with
   * BridgeAbortedError — unless the command had already finished, in which case its result is returned.
   */
  readonly signal?: AbortSignal;
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
  /**
   * What reached the process's console while the call ran (Console writes, child processes, native tools):
   * never parsed, kept up to `maxHostBytes` per call.
   */
  readonly host: string;
  /**
   * The code the command gave to `exit` (null when it did not call it). In a hosted runspace `exit` ends the
   * command silently; the bridge's host records it: `exit 0` resolves with 0 here, any other code rejects
   * with a PowerShellError (`fullyQualifiedErrorId` 'BridgeCommandExit', `exitCode`).
   */
  readonly exitCode: number | null;
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

type CallState = 'queued' | 'running' | 'stopping' | 'done';

interface PendingCall {
  readonly id: string;
  readonly command: string;
  /** The request's JSON (null for a ping; dropped once sent). */
  json: string | null;
  /** Its long strings, sent as raw segments after the JSON (dropped once sent). */
  segments: { path: SegmentPath; text: string }[] | null;
  readonly ping: boolean;
  readonly options: CallOptions;
  readonly schema: object | undefined;
  readonly timeoutMs: number;
  readonly resolve: (result: InvokeResult<unknown>) => void;
  readonly reject: (error: Error) => void;
  state: CallState;
  /** When the call's time is up (ms since the epoch); moved on by the time PowerShell spends starting. */
  dueAt?: number;
  timer?: NodeJS.Timeout;
  stopTimer?: NodeJS.Timeout;
  onAbort?: () => void;
  /** Why it is being stopped: its signal, or dispose(). */
  stopBy?: 'signal' | 'dispose';
  host: string;
  hostDropped: number;
  /** Called once the call has settled (dispose() waits on it). */
  onSettled?: () => void;
}

/** Workers alive in this Node process: on its exit, none is left behind. */
const live = new Set<Worker>();
let exitHook = false;
function track(worker: Worker): void {
  live.add(worker);
  if (!exitHook) {
    exitHook = true;
    process.on('exit', () => {
      for (const w of live) w.kill();
    });
  }
}

/** One running PowerShell process (started through node-powershell, see launcher.ts) and its channel. */
class Worker {
  readonly process: PowerShellProcess;
  private readonly server: net.Server;
  private readonly socketDir?: string;
  readonly pipe: string;
  private readonly token = randomBytes(24).toString('hex');
  private channel?: net.Socket;
  /** Writes the channel's frames whole and in order, a large one in pieces. */
  private writer?: ChannelWriter;
  private readonly maxFrame: number;
  private stderrText = '';
  private readonly stderrDecoder = new StringDecoder('utf8');
  private readonly stdoutDecoder = new StringDecoder('utf8');
  alive = true;
  info?: ProcessInfo;
  /** Start time of PowerShell's own process, to never kill a later process that got its id. */
  private ownStart?: string;

  constructor(
    executable: string,
    options: SessionOptions,
    private readonly onFrame: (worker: Worker, frame: Frame) => void,
    onHost: (worker: Worker, text: string) => void,
    private readonly onFault: (worker: Worker, message: string) => void,
    onExit: (worker: Worker, code: number | null, signal: string | null, error?: Error) => void,
  ) {
    // Room for the streams beside the output, which maxResultBytes bounds in the dispatcher.
    this.maxFrame = (options.maxResultBytes ?? DEFAULT_LIMITS.maxResultBytes) + 64 * 1024 * 1024;
    const name = `psbridge-${randomBytes(12).toString('hex')}`;
    if (process.platform === 'win32') {
      this.pipe = name;
    } else {
      // A folder only this user can enter: no one else can connect to the socket in it.
      this.socketDir = fs.mkdtempSync(path.join(os.tmpdir(), 'psb-'));
      this.pipe = path.join(this.socketDir, 's');
    }
    this.server = net.createServer((socket) => this.accept(socket));
    this.server.on('error', (e) => this.fault(`the channel could not be opened: ${e.message}`));
    this.server.listen(process.platform === 'win32' ? `\\\\.\\pipe\\${name}` : this.pipe);
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
      onStdout: (chunk) => onHost(this, this.stdoutDecoder.write(chunk)),
      onStderr: (chunk) => {
        this.stderrText = (this.stderrText + this.stderrDecoder.write(chunk)).slice(-4000);
      },
      onExit: (code, signal, error) => {
        this.alive = false;
        live.delete(this);
        this.closeChannel();
        // After a crash or a kill, PowerShell behind a launcher can outlive it, and children of PowerShell
        // can outlive both. (A clean exit is the dispatcher ending when its channel closed: nothing to do.)
        if (error || signal || code !== 0) this.killOwn();
        onExit(this, code, signal, error);
      },
    });
    track(this);
  }

  /** The init line for standard input. */
  initLine(options: SessionOptions): string {
    return encodeInitLine({
      pipe: this.pipe,
      token: this.token,
      modules: options.modules ?? [],
      depth: options.depth ?? 8,
      allowedCommands: options.allowedCommands ? [...options.allowedCommands] : null,
      allowScript: options.allowScript ?? false,
      maxValues: options.maxValues ?? DEFAULT_LIMITS.maxValues,
      maxResultBytes: options.maxResultBytes ?? DEFAULT_LIMITS.maxResultBytes,
      stopGraceMs: options.stopGraceMs ?? DEFAULT_LIMITS.stopGraceMs,
    });
  }

  private accept(socket: net.Socket): void {
    if (this.channel || !this.alive) {
      socket.destroy();
      return;
    }
    // The first frame must be "A<token>": only the process that read our standard input knows it. Frames
    // after it (even in the same chunk) are the protocol.
    let proven = false;
    const decoder = new FrameDecoder(
      this.maxFrame,
      (frame) => {
        if (proven) {
          this.onFrame(this, frame);
          return;
        }
        if (frame.kind !== 'A' || frame.id !== this.token || this.channel) {
          socket.destroy();
          return;
        }
        proven = true;
        this.channel = socket;
        this.writer = new ChannelWriter(socket, (e) => this.fault(`a request could not be written: ${e.message}`));
        this.server.close();
        this.removeSocketFile();
      },
      (message) => {
        if (proven) this.fault(`the channel carried ${message}`);
        else socket.destroy();
      },
    );
    socket.on('data', (chunk: Buffer) => decoder.push(chunk));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      // The dispatcher closes its end only when it exits: let the exit report it (with standard error);
      // a process that keeps running without its channel is killed.
      if (this.channel === socket && this.alive) {
        setTimeout(() => this.fault('the channel closed while the process runs'), 2000).unref();
      }
    });
  }

  private fault(message: string): void {
    if (!this.alive) return;
    this.onFault(this, message);
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

  /** Writes the init line on standard input (the only thing ever written there). */
  sendInit(line: string): void {
    if (this.alive) this.process.write(line);
  }

  /**
   * Sends one frame on the channel, after the frames sent before it (a large one goes out in pieces); false
   * when there is no channel.
   */
  send(frame: Buffer | FrameSource): boolean {
    if (!this.alive || !this.writer) return false;
    return this.writer.send(frame);
  }

  /** Lets Node exit while this process is idle (ref: keep Node running while calls are pending). */
  setRef(on: boolean): void {
    this.process.setRef(on);
    if (this.channel) {
      if (on) this.channel.ref();
      else this.channel.unref();
    }
    if (on) this.server.ref();
    else this.server.unref();
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
    live.delete(this);
    this.closeChannel();
    if (!this.alive) return;
    this.process.kill(this.ownPids());
  }

  private removeSocketFile(): void {
    if (!this.socketDir) return;
    fs.rmSync(this.socketDir, { recursive: true, force: true });
  }

  private closeChannel(): void {
    this.server.close();
    this.removeSocketFile();
    this.writer?.close();
    this.channel?.destroy();
  }

  /** Closes the channel (the dispatcher stops what runs and exits) and kills the process if it lingers. */
  close(graceMs: number): Promise<void> {
    if (!this.alive) {
      this.closeChannel();
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const timer = setTimeout(() => this.kill(), graceMs);
      this.process.child.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
      if (this.channel) {
        // A frame still being cut into pieces ends here: the dispatcher sees the channel close mid-frame.
        this.writer?.close();
        this.channel.end();
      } else this.kill();
      this.process.endInput();
    });
  }
}

let sessionCounter = 0;

function hasCaseDuplicates(parameters: Record<string, unknown>): string | undefined {
  const seen = new Map<string, string>();
  for (const key of Object.keys(parameters)) {
    const lower = key.toLowerCase();
    const other = seen.get(lower);
    if (other !== undefined) return `${other} and ${key}`;
    seen.set(lower, key);
  }
  return undefined;
}

export class PowerShellSession implements Invoker {
  private readonly executable: string;
  private readonly validator = new OutputValidator();
  private readonly queue: PendingCall[] = [];
  private readonly allowed?: Set<string>;
  private worker?: Worker;
  private starting?: { worker: Worker; timer: NodeJS.Timeout; at: number };
  private current?: PendingCall;
  private disposed = false;
  private sequence = 0;
  private readonly name = `s${++sessionCounter}`;
  /** Processes started so far (a restart after a crash or timeout counts). */
  starts = 0;

  constructor(private readonly options: SessionOptions = {}) {
    // node-powershell starts NODE_POWERSHELL, when set, whatever executable it is given.
    this.executable = process.env.NODE_POWERSHELL || locatePowerShell(options);
    if (options.allowedCommands) this.allowed = new Set(options.allowedCommands.map((c) => c.toLowerCase()));
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
    await this.enqueue('(start)', null, {}, undefined);
    const info = this.worker?.info;
    if (!info) throw new BridgeError('PowerShell started but did not report itself');
    return info;
  }

  /** Why this session refuses `command` before running anything, or undefined when it may run. */
  refusal(command: string, options: CallOptions = {}): string | undefined {
    const lower = command.toLowerCase();
    const bare = lower.slice(lower.lastIndexOf('\\') + 1);
    if (this.allowed) {
      if (!this.allowed.has(lower) && !this.allowed.has(bare)) return `'${command}' is not one of the commands this session allows`;
    } else if (!this.options.allowScript && SCRIPT_COMMANDS.some((c) => c.toLowerCase() === bare)) {
      return `'${command}' runs text as code or changes what a command name means; a session allows it only with allowScript`;
    }
    if (this.options.requireSchema && options.schema !== false && !options.schema && !this.options.schemaResolver?.(command)) {
      return `no output schema is known for ${command}, and this session requires one`;
    }
    return undefined;
  }

  invoke<T = unknown>(command: string, parameters: Record<string, unknown> = {}, options: CallOptions = {}): Promise<InvokeResult<T>> {
    if (this.disposed) return Promise.reject(new BridgeDisposedError(command));
    if (typeof command !== 'string' || command.length === 0) return Promise.reject(new BridgeError('name a command to invoke'));
    const refused = this.refusal(command, options);
    if (refused) return Promise.reject(new BridgeRefusedError(command, refused));
    const twice = hasCaseDuplicates(parameters);
    if (twice) return Promise.reject(new BridgeRequestError(`${command}: parameters ${twice} name the same PowerShell parameter (names are case-insensitive)`, command));
    let json: string;
    const segments: { path: SegmentPath; text: string }[] = [];
    try {
      json = JSON.stringify({
        command,
        parameters: extractSegments(parameters, segments, ['parameters']),
        errorAction: options.errorAction ?? null,
        verbose: options.verbose ?? false,
        liveProgress: typeof options.onProgress === 'function',
        maxValues: options.maxValues,
      });
    } catch (e) {
      return Promise.reject(new BridgeRequestError(`${command}: parameters cannot be sent as JSON: ${(e as Error).message}`, command));
    }
    const schema = options.schema === false ? undefined : (options.schema ?? this.options.schemaResolver?.(command));
    return this.enqueue(command, json, options, schema, segments.length > 0 ? segments : null) as Promise<InvokeResult<T>>;
  }

  private enqueue(
    command: string,
    json: string | null,
    options: CallOptions,
    schema: object | undefined,
    segments: { path: SegmentPath; text: string }[] | null = null,
  ): Promise<InvokeResult<unknown>> {
    if (this.disposed) return Promise.reject(new BridgeDisposedError(command));
    if (options.signal?.aborted) return Promise.reject(new BridgeAbortedError(command, false, options.signal.reason));
    return new Promise<InvokeResult<unknown>>((resolve, reject) => {
      const timeoutMs = options.timeoutMs ?? this.options.timeoutMs ?? 60_000;
      const call: PendingCall = {
        id: `${this.name}-${++this.sequence}`,
        command,
        json,
        segments,
        ping: json === null,
        options,
        schema,
        timeoutMs,
        resolve,
        reject,
        state: 'queued',
        host: '',
        hostDropped: 0,
      };
      // A start (json null) is bounded by startTimeoutMs instead.
      if (json !== null) {
        call.dueAt = options.deadline ?? Date.now() + timeoutMs;
        call.timer = setTimeout(() => this.onTimeout(call), Math.max(0, call.dueAt - Date.now()));
      }
      if (options.signal) {
        const signal = options.signal;
        call.onAbort = () => this.onAbort(call, 'signal');
        signal.addEventListener('abort', call.onAbort, { once: true });
      }
      this.queue.push(call);
      this.refresh();
      this.pump();
    });
  }

  /** Settles a call once: clears its timers and listener, then resolves or rejects. */
  private finish(call: PendingCall, outcome: { error: Error } | { result: InvokeResult<unknown> }): void {
    if (call.state === 'done') return;
    call.state = 'done';
    clearTimeout(call.timer);
    clearTimeout(call.stopTimer);
    if (call.onAbort) call.options.signal?.removeEventListener('abort', call.onAbort);
    const at = this.queue.indexOf(call);
    if (at >= 0) this.queue.splice(at, 1);
    if (this.current === call) this.current = undefined;
    if ('error' in outcome) call.reject(outcome.error);
    else call.resolve(outcome.result);
    call.onSettled?.();
    this.refresh();
  }

  /** Keeps Node alive while calls are pending, and not while the session is idle. */
  private refresh(): void {
    const busy = this.pending > 0 || this.starting !== undefined;
    this.worker?.setRef(busy);
  }

  /**
   * Ends the session. Waiting calls reject with BridgeDisposedError; a running command is stopped in
   * PowerShell (StopProcessing) and, if it has not stopped within `stopGraceMs`, its process is killed.
   * Resolves when the process has ended.
   */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    for (const call of [...this.queue]) this.finish(call, { error: new BridgeDisposedError(call.command) });
    const closing: Promise<void>[] = [];
    if (this.starting) {
      clearTimeout(this.starting.timer);
      this.starting.worker.kill();
      closing.push(this.starting.worker.close(2000));
      this.starting = undefined;
    }
    const running = this.current;
    if (running && this.worker) {
      await new Promise<void>((resolve) => {
        running.onSettled = resolve;
        if (running.state === 'running') this.stop(running, 'dispose');
        else if (running.state === 'stopping') running.stopBy = 'dispose';
      });
    }
    if (this.worker) {
      closing.push(this.worker.close(this.options.stopGraceMs ?? DEFAULT_LIMITS.stopGraceMs));
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
    let frame: Buffer | FrameSource;
    try {
      if (call.ping || call.json === null) frame = encodeFrame('P', call.id);
      else if (call.segments) frame = segmentedCallSource(call.id, call.json, call.segments);
      else frame = callSource(call.id, call.json);
    } catch (e) {
      this.finish(call, { error: new BridgeRequestError(`${call.command}: the request cannot be sent: ${(e as Error).message}`, call.command) });
      this.pump();
      return;
    }
    call.json = null;
    call.segments = null;
    this.current = call;
    call.state = 'running';
    if (!this.worker.send(frame)) {
      this.finish(call, { error: new BridgeProcessError(`PowerShell's channel is closed; ${call.command} was not sent`, call.command) });
    }
  }

  private startWorker(): void {
    if (this.starting || this.disposed) return;
    this.starts++;
    let worker: Worker;
    try {
      worker = new Worker(
        this.executable,
        this.options,
        (w, f) => this.onFrame(w, f),
        (w, text) => this.onHost(w, text),
        (w, message) => this.onFault(w, message),
        (w, c, s, e) => this.onExit(w, c, s, e),
      );
    } catch (e) {
      this.failQueue((command) => new BridgeStartError(`cannot start PowerShell (${this.executable}): ${(e as Error).message}`, command));
      return;
    }
    const startTimeout = this.options.startTimeoutMs ?? 60_000;
    const timer = setTimeout(() => {
      if (this.starting?.worker !== worker) return;
      this.starting = undefined;
      worker.kill();
      this.failQueue((command) => new BridgeStartError(`PowerShell did not start within ${startTimeout} ms`, command, null, null, worker.stderr));
    }, startTimeout);
    this.starting = { worker, timer, at: Date.now() };
    this.refresh();
    worker.setRef(true);
    worker.sendInit(worker.initLine(this.options));
  }

  private failQueue(make: (command: string) => BridgeError): void {
    for (const call of [...this.queue]) this.finish(call, { error: make(call.command) });
  }

  private onHost(worker: Worker, text: string): void {
    const call = this.current;
    if (worker !== this.worker || !call || !text) return;
    const max = this.options.maxHostBytes ?? DEFAULT_LIMITS.maxHostBytes;
    const room = max - call.host.length;
    if (room >= text.length) call.host += text;
    else {
      if (room > 0) call.host += text.slice(0, room);
      call.hostDropped += text.length - Math.max(0, room);
    }
  }

  private onFault(worker: Worker, message: string): void {
    const call = worker === this.worker ? this.current : undefined;
    if (this.worker === worker) this.worker = undefined;
    if (this.starting?.worker === worker) {
      clearTimeout(this.starting.timer);
      this.starting = undefined;
    }
    worker.kill();
    if (call) this.finish(call, { error: new BridgeProtocolError(`${call.command}: ${message}; its PowerShell process was killed`, call.command) });
    else this.failQueue((command) => new BridgeProtocolError(`${command}: ${message}; its PowerShell process was killed`, command));
    if (!this.disposed && this.queue.length > 0) this.pump();
  }

  private onFrame(worker: Worker, frame: Frame): void {
    if (frame.kind === 'G') {
      this.onProgress(worker, frame.id, frame.body);
      return;
    }
    if (frame.kind !== 'R' && frame.kind !== 'B') {
      this.onFault(worker, `an unexpected frame of kind '${frame.kind}'`);
      return;
    }
    let message: ResultMessage;
    try {
      message = (frame.data ? decodeSegmented(frame.data) : JSON.parse(frame.body)) as ResultMessage;
    } catch (e) {
      this.onFault(worker, `an answer that is not JSON (${(e as Error).message})`);
      return;
    }
    if (this.starting?.worker === worker && frame.id === 'init') {
      clearTimeout(this.starting.timer);
      const started = this.starting.at;
      this.starting = undefined;
      if (!message.ok) {
        const record = message.errors[message.errors.length - 1];
        worker.kill();
        const why = record ? record.message : 'unknown error';
        this.failQueue((command) => new BridgeStartError(`PowerShell started but a module failed to import: ${why}`, command, null, null, worker.stderr));
        return;
      }
      worker.setInfo(message.output[0] as ProcessInfo);
      this.worker = worker;
      this.extendDeadlines(Date.now() - started);
      this.refresh();
      this.pump();
      return;
    }
    const call = this.current;
    if (worker !== this.worker || !call || call.id !== frame.id) return;
    // Console output written before the answer may still be in the standard-output pipe: read it first.
    setImmediate(() => {
      this.settle(call, message);
      this.pump();
    });
  }

  private onProgress(worker: Worker, id: string, json: string): void {
    const call = this.current;
    if (worker !== this.worker || !call || call.id !== id || !call.options.onProgress) return;
    try {
      call.options.onProgress(JSON.parse(json) as ProgressRecord);
    } catch {
      // a failing listener must not break the call
    }
  }

  private settle(call: PendingCall, message: ResultMessage): void {
    if (call.state === 'done') return;
    if (call.state === 'stopping' && message.stopped) {
      this.finish(call, { error: call.stopBy === 'dispose' ? new BridgeDisposedError(call.command) : new BridgeAbortedError(call.command, false, call.options.signal?.reason) });
      return;
    }
    if (message.stopped) {
      this.finish(call, { error: new BridgeAbortedError(call.command, false, 'PowerShell stopped the command') });
      return;
    }
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
      const id = record.fullyQualifiedErrorId;
      let error: Error;
      if (id === 'BridgeCommandRefused') error = new BridgeRefusedError(call.command, record.message.replace(/^Refused before running: /, '').replace(/\.$/, ''));
      else if (id.startsWith('BridgeLimitExceeded,')) error = new BridgeLimitError(call.command, id.slice('BridgeLimitExceeded,'.length), record.message);
      else if (id === 'BridgeRequestUnreadable') error = new BridgeRequestError(`${call.command}: ${record.message}`, call.command);
      else error = new PowerShellError(call.command, record, records, message.exitCode ?? null);
      this.finish(call, { error });
      return;
    }
    const output = Array.isArray(message.output) ? message.output : [message.output];
    if (call.schema) {
      let problem;
      try {
        problem = this.validator.check(output, call.schema);
      } catch (e) {
        this.finish(call, { error: new BridgeValidationError(call.command, 'output', `cannot be checked: the schema does not compile (${(e as Error).message})`, output) });
        return;
      }
      if (problem) {
        this.finish(call, { error: new BridgeValidationError(call.command, problem.field, problem.problem, output) });
        return;
      }
    }
    const host = call.hostDropped > 0 ? `${call.host}\n[${call.hostDropped} more characters of console output were not kept (maxHostBytes)]\n` : call.host;
    this.finish(call, {
      result: {
        command: call.command,
        output,
        errors: message.errors,
        warnings: message.warnings,
        information: message.information,
        progress: message.progress,
        verbose: message.verbose,
        debug: message.debug,
        durationMs: message.durationMs,
        exitCode: message.exitCode ?? null,
        host,
      },
    });
  }

  /** Asks PowerShell to stop the running call; kills its process after the grace period. */
  private stop(call: PendingCall, by: 'signal' | 'dispose'): void {
    if (call.state !== 'running') return;
    call.state = 'stopping';
    call.stopBy = by;
    const worker = this.worker;
    if (!worker || !worker.send(encodeFrame('S', call.id))) {
      this.onStopTimeout(call);
      return;
    }
    call.stopTimer = setTimeout(() => this.onStopTimeout(call), this.options.stopGraceMs ?? DEFAULT_LIMITS.stopGraceMs);
  }

  private onStopTimeout(call: PendingCall): void {
    if (call.state === 'done') return;
    const worker = this.worker;
    if (this.current === call && worker) {
      this.worker = undefined;
      worker.kill();
    }
    this.finish(call, { error: call.stopBy === 'dispose' ? new BridgeDisposedError(call.command) : new BridgeAbortedError(call.command, true, call.options.signal?.reason) });
    if (!this.disposed && this.queue.length > 0) this.pump();
  }

  private onAbort(call: PendingCall, by: 'signal' | 'dispose'): void {
    if (call.state === 'queued') {
      this.finish(call, { error: new BridgeAbortedError(call.command, false, call.options.signal?.reason) });
      return;
    }
    this.stop(call, by);
  }

  /**
   * Time PowerShell spent starting (bounded by startTimeoutMs) is not the calls' time: their deadlines move
   * on by it. Time waiting behind other calls still counts.
   */
  private extendDeadlines(ms: number): void {
    for (const call of this.queue) {
      if (call.dueAt === undefined) continue;
      call.dueAt += ms;
      clearTimeout(call.timer);
      call.timer = setTimeout(() => this.onTimeout(call), Math.max(0, call.dueAt - Date.now()));
    }
  }

  private onTimeout(call: PendingCall): void {
    if (call.state === 'done') return;
    // Waiting for PowerShell to start: decided when it has started (extendDeadlines).
    if (call.state === 'queued' && this.starting) return;
    if (call.state === 'queued') {
      this.finish(call, { error: new BridgeTimeoutError(call.command, call.timeoutMs, true) });
      return;
    }
    const worker = this.worker;
    if (this.current === call && worker) {
      this.worker = undefined;
      worker.kill();
    }
    this.finish(call, { error: new BridgeTimeoutError(call.command, call.timeoutMs) });
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
      this.failQueue((command) => new BridgeStartError(text, command, code, signal, stderr));
      return;
    }
    if (worker !== this.worker) return;
    this.worker = undefined;
    const stderr = worker.stderr;
    const make = (command: string) =>
      new BridgeProcessError(`PowerShell ${how} while ${command} was pending${stderr ? `: ${stderr.split('\n').slice(-3).join(' ')}` : ''}`, command, code, signal, stderr);
    if (this.current) this.finish(this.current, { error: make(this.current.command) });
    this.failQueue(make);
  }
}
