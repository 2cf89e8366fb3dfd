/**
 * N sessions behind one queue: a call goes to the first idle session, or waits for one. A call's timeout
 * counts from the call, time waiting for a session included; its AbortSignal drops it while it waits.
 * dispose() ends every process (stopping running commands first) and rejects whatever is still waiting.
 */
import { BridgeAbortedError, BridgeDisposedError, BridgeTimeoutError } from './errors';
import { PowerShellSession, type CallOptions, type InvokeResult, type Invoker, type ProcessInfo, type SessionOptions } from './session';

export interface PoolOptions extends SessionOptions {
  /** Number of PowerShell processes (default 2). */
  readonly size?: number;
}

interface Waiting {
  readonly run: (session: PowerShellSession) => void;
  readonly reject: (error: Error) => void;
  readonly command: string;
}

export class SessionPool implements Invoker {
  readonly sessions: readonly PowerShellSession[];
  private readonly idle: PowerShellSession[];
  private readonly waiting: Waiting[] = [];
  private disposed = false;

  constructor(private readonly options: PoolOptions = {}) {
    const size = options.size ?? 2;
    if (!Number.isInteger(size) || size < 1) throw new RangeError(`pool size must be a positive integer, not ${size}`);
    this.sessions = Array.from({ length: size }, () => new PowerShellSession(options));
    this.idle = [...this.sessions];
  }

  /** Calls waiting for a session. */
  get queued(): number {
    return this.waiting.length;
  }

  /** Starts every process now, in parallel. */
  start(): Promise<ProcessInfo[]> {
    return Promise.all(this.sessions.map((s) => s.start()));
  }

  invoke<T = unknown>(command: string, parameters: Record<string, unknown> = {}, options: CallOptions = {}): Promise<InvokeResult<T>> {
    if (this.disposed) return Promise.reject(new BridgeDisposedError(command));
    const refused = this.sessions[0].refusal(command, options);
    if (refused) return this.sessions[0].invoke<T>(command, parameters, options);
    if (options.signal?.aborted) return Promise.reject(new BridgeAbortedError(command, false, options.signal.reason));
    const timeoutMs = options.timeoutMs ?? this.options.timeoutMs ?? 60_000;
    const deadline = options.deadline ?? Date.now() + timeoutMs;
    const callOptions: CallOptions = { ...options, timeoutMs, deadline };
    return new Promise<InvokeResult<T>>((resolve, reject) => {
      const wait: { timer?: NodeJS.Timeout; onAbort?: () => void } = {};
      const leave = () => {
        clearTimeout(wait.timer);
        if (wait.onAbort) options.signal?.removeEventListener('abort', wait.onAbort);
        const at = this.waiting.indexOf(entry);
        if (at >= 0) this.waiting.splice(at, 1);
      };
      const run = (session: PowerShellSession) => {
        leave();
        session.invoke<T>(command, parameters, callOptions).then(
          (result) => {
            this.release(session);
            resolve(result);
          },
          (error: Error) => {
            this.release(session);
            reject(error);
          },
        );
      };
      const entry: Waiting = { run, reject, command };
      const session = this.idle.shift();
      if (session) {
        run(session);
        return;
      }
      this.waiting.push(entry);
      wait.timer = setTimeout(() => {
        leave();
        reject(new BridgeTimeoutError(command, timeoutMs, true));
      }, Math.max(0, deadline - Date.now()));
      if (options.signal) {
        wait.onAbort = () => {
          leave();
          reject(new BridgeAbortedError(command, false, options.signal?.reason));
        };
        options.signal.addEventListener('abort', wait.onAbort, { once: true });
      }
    });
  }

  private release(session: PowerShellSession): void {
    if (this.disposed) return;
    const next = this.waiting.shift();
    if (next) next.run(session);
    else this.idle.push(session);
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    for (const w of this.waiting.splice(0)) w.reject(new BridgeDisposedError(w.command));
    await Promise.all(this.sessions.map((s) => s.dispose()));
  }
}
