/**
 * N sessions behind one queue: a call goes to the first idle session, or waits for one. dispose() ends every
 * process and rejects whatever is still waiting.
 */
import { BridgeDisposedError } from './errors';
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

  constructor(options: PoolOptions = {}) {
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
    return new Promise<InvokeResult<T>>((resolve, reject) => {
      const run = (session: PowerShellSession) => {
        session.invoke<T>(command, parameters, options).then(
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
      const session = this.idle.shift();
      if (session) run(session);
      else this.waiting.push({ run, reject, command });
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
