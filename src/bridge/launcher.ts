/**
 * Starting and owning one PowerShell process through node-powershell, wrapped so that only its safe parts
 * are used.
 *
 * Used: the `PowerShell` constructor (it picks the executable — `executable`, `NODE_POWERSHELL` — and
 * spawns it), its `streams` and its child process (pid, exit). Never used: `invoke()`, `PowerShell.$`,
 * `$$`, `command` and the converters behind them, which put values into script text. The dispatcher is run
 * with `-File`; node-powershell's fixed `-NoExit -Command -` then follow it as arguments of the script
 * (the dispatcher collects and ignores them), so standard input is data for the dispatcher, never script.
 *
 * node-powershell starts the process with `detached: false` (no process group of its own), so killing is
 * done here: the whole process tree (the executable may be a launcher such as a dotnet tool shim that runs
 * PowerShell as a child) is frozen, collected and killed, plus any extra process ids the caller knows.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import type { Readable, Writable } from 'node:stream';
import { PowerShell } from 'node-powershell';

/**
 * Encoding node-powershell is told to set on standard output and error. It always calls `setEncoding`, so
 * chunks arrive as strings; latin1 maps each byte to one character, so `Buffer.from(chunk, 'latin1')`
 * gives back the exact bytes, and UTF-8 is decoded once, by the reader, across chunk boundaries.
 */
export const STDIO_ENCODING: BufferEncoding = 'latin1';

/**
 * Environment variable set, to a value of its own, for each process the bridge starts; every process below
 * it inherits it. On Linux a kill also finds processes by it, so a child that PowerShell started and that
 * was re-parented (PowerShell itself was killed) is still found.
 */
export const TAG_VARIABLE = 'PSBRIDGE_PROCESS_TAG';

export interface LaunchOptions {
  /** The executable, handed to node-powershell as `executable` (`NODE_POWERSHELL` wins, as it documents). */
  readonly executable: string;
  /** The script run with `-File`. */
  readonly script: string;
  readonly cwd?: string;
  readonly env: NodeJS.ProcessEnv;
  /** Value of TAG_VARIABLE for this process (default: random). */
  readonly tag?: string;
  /** Bytes of standard output, in order. */
  readonly onStdout: (chunk: Buffer) => void;
  /** Bytes of standard error, in order. */
  readonly onStderr: (chunk: Buffer) => void;
  /** Called once, when the process has exited or could not be started. */
  readonly onExit: (code: number | null, signal: string | null, error?: Error) => void;
}

/** Command-line switches before `-File`; node-powershell adds `-NoLogo` first and `-NoExit -Command -` last. */
export function executableOptions(script: string, platform: NodeJS.Platform = process.platform): Record<string, string | boolean> {
  const options: Record<string, string | boolean> = { '-NoProfile': true, '-NonInteractive': true };
  if (platform === 'win32') options['-ExecutionPolicy'] = 'Bypass';
  // Must be last of ours: every argument after -File belongs to the script.
  options['-File'] = script;
  return options;
}

/** A chunk from a stream node-powershell has set an encoding on, as the bytes the process wrote. */
export function chunkBytes(chunk: string | Buffer, encoding: BufferEncoding = STDIO_ENCODING): Buffer {
  return typeof chunk === 'string' ? Buffer.from(chunk, encoding) : chunk;
}

/** The parts of node-powershell's Shell that are private in its typings but needed to own the process. */
interface ShellInternals {
  readonly process: ChildProcess;
  readonly executable: string;
  readonly executableOptions: readonly string[];
  readonly exitPromise: Promise<void>;
}

/** One PowerShell process started by node-powershell. */
export class PowerShellProcess {
  /** The node-powershell instance that started the process (its invoke() is never called). */
  readonly shell: PowerShell;
  readonly child: ChildProcess;
  /** The executable node-powershell started. */
  readonly executable: string;
  /** Its arguments, in order. */
  readonly args: readonly string[];
  /** Value of TAG_VARIABLE in the environment of the process and everything it starts. */
  readonly tag: string;
  private readonly stdin: Writable;
  private exited = false;

  constructor(options: LaunchOptions) {
    this.tag = options.tag ?? randomBytes(12).toString('hex');
    this.shell = new PowerShell({
      executable: options.executable,
      executableOptions: executableOptions(options.script),
      spawnOptions: { cwd: options.cwd, env: { ...options.env, [TAG_VARIABLE]: this.tag }, windowsHide: true },
      inputEncoding: 'utf8',
      outputEncoding: STDIO_ENCODING,
    });
    const internals = this.shell as unknown as ShellInternals;
    if (typeof internals.process?.on !== 'function' || !Array.isArray(internals.executableOptions)) {
      // Written against node-powershell 5 (child-shell 5); fail loudly rather than run unowned.
      this.shell.streams.stdin.end();
      throw new Error('this node-powershell version does not expose its child process as node-powershell 5 does');
    }
    this.child = internals.process;
    this.executable = internals.executable;
    this.args = [...internals.executableOptions];
    // node-powershell's exit promise rejects when the process is killed or fails; its outcome is reported
    // through onExit, so it must not surface as an unhandled rejection.
    internals.exitPromise?.catch(() => undefined);
    const { stdin, stdout, stderr } = this.shell.streams;
    this.stdin = stdin;
    stdin.on('error', () => undefined); // EPIPE after a crash; the exit handler reports it
    stdout.on('data', (chunk: string | Buffer) => options.onStdout(chunkBytes(chunk)));
    stderr.on('data', (chunk: string | Buffer) => options.onStderr(chunkBytes(chunk)));
    keepFlowing(stdout);
    keepFlowing(stderr);
    const exit = (code: number | null, signal: string | null, error?: Error) => {
      if (this.exited) return;
      this.exited = true;
      options.onExit(code, signal, error);
    };
    this.child.on('error', (error) => exit(null, null, error));
    this.child.on('exit', (code, signal) => exit(code, signal));
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get alive(): boolean {
    return !this.exited;
  }

  write(line: string): void {
    if (!this.exited && this.stdin.writable) this.stdin.write(line);
  }

  /** Whether this process keeps Node's event loop alive (it should only while calls are pending). */
  setRef(on: boolean): void {
    const handles = [this.child, this.child.stdin, this.child.stdout, this.child.stderr] as ({ ref?: () => void; unref?: () => void } | null)[];
    for (const handle of handles) {
      if (on) handle?.ref?.();
      else handle?.unref?.();
    }
  }

  /** Closes standard input. */
  endInput(): void {
    this.stdin.end();
  }

  /**
   * Kills the process, every process below it or carrying its tag, and `extra` (with theirs) at once. Safe
   * to call after exit: PowerShell behind a launcher, and children of PowerShell, may outlive the launcher.
   */
  kill(extra: readonly number[] = []): void {
    const roots = [...(this.exited ? [] : [this.child.pid]), ...extra].filter((p): p is number => typeof p === 'number' && p > 0);
    killTrees(roots, this.tag);
    if (!this.exited) this.child.kill('SIGKILL');
  }
}

/**
 * node-powershell pipes standard error into a collector of its own and unpipes it after three chunks; a
 * readable stream whose last pipe goes away is paused, which would stop the bridge's own listener and, with
 * the pipe full, block PowerShell. Resume such a stream: the bridge reads both streams for the whole life
 * of the process.
 */
function keepFlowing(stream: Readable): void {
  stream.on('pause', () => {
    process.nextTick(() => {
      if (!stream.destroyed && stream.isPaused()) stream.resume();
    });
  });
}

/** Parent of each process, from /proc (Linux) or ps (other POSIX systems). */
function parentMap(): Map<number, number> {
  const parents = new Map<number, number>();
  if (process.platform === 'linux') {
    for (const entry of fs.readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        parents.set(Number(entry), Number(fields[1]));
      } catch {
        // ended meanwhile
      }
    }
    return parents;
  }
  try {
    const out = execFileSync('ps', ['-A', '-o', 'pid=', '-o', 'ppid='], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    for (const line of out.split('\n')) {
      const [pid, ppid] = line.trim().split(/\s+/).map(Number);
      if (pid > 0) parents.set(pid, ppid);
    }
  } catch {
    // no ps: only the roots are known
  }
  return parents;
}

/**
 * When the process started (Linux: clock ticks since boot, from /proc), to tell a process from a later one
 * that got the same id; undefined elsewhere or when it has ended.
 */
export function processStartTime(pid: number): string | undefined {
  if (process.platform !== 'linux') return undefined;
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

/** Processes whose environment has TAG_VARIABLE=tag (Linux; processes of other users cannot be read). */
export function taggedProcesses(tag: string): number[] {
  if (process.platform !== 'linux') return [];
  const marker = Buffer.from(`\0${TAG_VARIABLE}=${tag}\0`);
  const found: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const environ = Buffer.concat([Buffer.from([0]), fs.readFileSync(`/proc/${entry}/environ`), Buffer.from([0])]);
      if (environ.includes(marker)) found.push(Number(entry));
    } catch {
      // ended meanwhile, or not ours
    }
  }
  return found;
}

/** `roots`, the processes tagged `tag`, and all their descendants. */
export function processTree(roots: readonly number[], tag?: string): number[] {
  const parents = parentMap();
  const children = new Map<number, number[]>();
  for (const [pid, ppid] of parents) {
    const list = children.get(ppid);
    if (list) list.push(pid);
    else children.set(ppid, [pid]);
  }
  const seen = new Set<number>();
  const stack = [...roots, ...(tag ? taggedProcesses(tag) : [])].filter((pid) => pid !== process.pid);
  while (stack.length > 0) {
    const pid = stack.pop() as number;
    if (seen.has(pid)) continue;
    seen.add(pid);
    stack.push(...(children.get(pid) ?? []).filter((child) => child !== process.pid));
  }
  return [...seen];
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch {
    // gone already
  }
}

/**
 * Kills process trees (and, on Linux, the processes tagged `tag`) without leaving orphans. POSIX: stop every process of the trees (a stopped process
 * cannot start new children), look again until no new one appears, then SIGKILL them all. Windows:
 * taskkill /T /F per root.
 */
export function killTrees(roots: readonly number[], tag?: string): void {
  if (roots.length === 0 && !tag) return;
  if (process.platform === 'win32') {
    for (const pid of roots) spawn('taskkill', ['/PID', String(pid), '/T', '/F'], { stdio: 'ignore', windowsHide: true }).on('error', () => undefined);
    return;
  }
  const stopped = new Set<number>();
  for (let round = 0; round < 5; round++) {
    const found = processTree(roots, tag).filter((pid) => !stopped.has(pid));
    if (found.length === 0) break;
    for (const pid of found) {
      signal(pid, 'SIGSTOP');
      stopped.add(pid);
    }
  }
  for (const pid of stopped) signal(pid, 'SIGKILL');
}
