/**
 * The wire format between Node and the dispatcher (dispatcher.ps1).
 *
 * Standard input carries one line only: base64 of the UTF-8 JSON init message (where the channel is, the
 * token that proves the dispatcher, the modules and limits). Everything else travels on the private channel
 * (a named pipe on Windows, a Unix domain socket elsewhere) as frames: a 4-byte little-endian length, then
 * the UTF-8 body, whose first character is its kind. No value is ever parsed as PowerShell, and nothing
 * another process writes to the console can look like a frame.
 */
import type { PowerShellErrorRecord } from './errors';

export interface InitMessage {
  /** Pipe name (Windows) or socket path (elsewhere) for NamedPipeClientStream. */
  readonly pipe: string;
  /** Random text the dispatcher sends back first, so only the process that read standard input is heard. */
  readonly token: string;
  readonly modules: readonly string[];
  readonly depth: number;
  /** Only these commands may run (null: any command but script-running ones, unless allowScript). */
  readonly allowedCommands: readonly string[] | null;
  readonly allowScript: boolean;
  readonly maxValues: number;
  readonly maxResultBytes: number;
  readonly stopGraceMs: number;
}

export type ErrorAction = 'Stop' | 'Continue' | 'SilentlyContinue';

export interface CallMessage {
  readonly command: string;
  readonly parameters: Record<string, unknown>;
  /** -ErrorAction for the command; null leaves the command's own behaviour (non-terminating errors continue). */
  readonly errorAction: ErrorAction | null;
  readonly verbose: boolean;
  /** Send progress records while the call runs (G frames). */
  readonly liveProgress: boolean;
  readonly maxValues?: number;
}

export interface InformationRecord {
  readonly message: string;
  readonly tags: readonly string[];
  readonly source: string | null;
  readonly timeGenerated: string;
}

export interface ProgressRecord {
  readonly activityId: number;
  readonly parentActivityId: number;
  readonly activity: string;
  readonly statusDescription: string;
  readonly currentOperation: string | null;
  readonly percentComplete: number;
  readonly secondsRemaining: number;
  readonly recordType: 'Processing' | 'Completed';
}

/** What a call wrote to PowerShell's other streams, and how long it ran. */
export interface CallStreams {
  /** Non-terminating errors: the command carried on after them (a terminating error rejects instead). */
  readonly errors: PowerShellErrorRecord[];
  readonly warnings: string[];
  readonly information: InformationRecord[];
  readonly progress: ProgressRecord[];
  readonly verbose: string[];
  readonly debug: string[];
  /** Time PowerShell spent on the call. */
  readonly durationMs: number;
}

/** What the dispatcher answers for every request (an R frame). */
export interface ResultMessage extends CallStreams {
  readonly id: string | null;
  readonly ok: boolean;
  readonly output: unknown[];
  /** The command was stopped (a stop request, or the channel closed). */
  readonly stopped?: boolean;
}

/** The init line on standard input: base64 of the UTF-8 JSON text. */
export function encodeInitLine(message: InitMessage): string {
  return Buffer.from(JSON.stringify(message), 'utf8').toString('base64') + '\n';
}

/** Kinds of frame Node sends: a call, a stop of a call, a ping. */
export type RequestKind = 'C' | 'S' | 'P';

/** One frame: length, kind, id, and for a call `\n` and its JSON. */
export function encodeFrame(kind: RequestKind, id: string, json?: string): Buffer {
  const text = json === undefined ? `${kind}${id}` : `${kind}${id}\n${json}`;
  const length = Buffer.byteLength(text, 'utf8');
  const frame = Buffer.allocUnsafe(4 + length);
  frame.writeUInt32LE(length, 0);
  frame.write(text, 4, 'utf8');
  return frame;
}

/** A frame as read: its kind, the id (for R and G frames), and the body after the id line. */
export interface Frame {
  readonly kind: string;
  readonly id: string;
  readonly body: string;
}

/**
 * Splits the channel's bytes into frames. Linear in the size of the data: chunks are kept as they come and
 * joined once, when a whole frame is there. A frame longer than `maxFrameBytes` is a protocol error.
 */
export class FrameDecoder {
  private chunks: Buffer[] = [];
  private buffered = 0;
  private need: number | undefined;
  /** The frame being filled, once its length is known and it spans several chunks (one copy, no joins). */
  private target: Buffer | undefined;
  private filled = 0;

  constructor(
    private readonly maxFrameBytes: number,
    private readonly onFrame: (frame: Frame) => void,
    private readonly onError: (message: string) => void,
  ) {}

  push(chunk: Buffer): void {
    if (this.target) {
      const take = Math.min(chunk.length, this.target.length - this.filled);
      chunk.copy(this.target, this.filled, 0, take);
      this.filled += take;
      if (this.filled < this.target.length) return;
      const frame = this.target;
      this.target = undefined;
      this.emit(frame);
      if (take === chunk.length) return;
      chunk = chunk.subarray(take);
    }
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    for (;;) {
      if (this.need === undefined) {
        if (this.buffered < 4) return;
        if (this.chunks[0].length < 4) this.chunks = [Buffer.concat(this.chunks, this.buffered)];
        const length = this.chunks[0].readUInt32LE(0);
        if (length < 1 || length > this.maxFrameBytes) {
          this.chunks = [];
          this.buffered = 0;
          this.onError(`a frame of ${length} bytes (the limit is ${this.maxFrameBytes})`);
          return;
        }
        this.need = 4 + length;
      }
      if (this.buffered < this.need) {
        // A large frame still arriving: copy what is here into a buffer of its size, and the rest as it comes.
        if (this.chunks.length > 1 || this.need > 1 << 20) {
          const target = Buffer.allocUnsafe(this.need - 4);
          let at = 0;
          let skip = 4;
          for (const c of this.chunks) {
            const from = Math.min(skip, c.length);
            skip -= from;
            at += c.copy(target, at, from);
          }
          this.target = target;
          this.filled = at;
          this.chunks = [];
          this.buffered = 0;
          this.need = undefined;
        }
        return;
      }
      let all: Buffer | undefined = this.chunks.length === 1 ? this.chunks[0] : Buffer.concat(this.chunks, this.buffered);
      const frame = all.subarray(4, this.need);
      const rest = all.subarray(this.need);
      all = undefined;
      this.chunks = rest.length > 0 ? [rest] : [];
      this.buffered = rest.length;
      this.need = undefined;
      this.emit(frame);
    }
  }

  private emit(frame: Buffer): void {
    const kind = String.fromCharCode(frame[0]);
    const newline = frame.indexOf(10);
    const parsed: Frame =
      newline < 0 ? { kind, id: frame.toString('utf8', 1), body: '' } : { kind, id: frame.toString('utf8', 1, newline), body: frame.toString('utf8', newline + 1) };
    this.onFrame(parsed);
  }
}

/**
 * The value of a PSCredential parameter: the dispatcher builds the PSCredential from it (SecureString
 * parameters take a plain string the same way). The password travels only as data on the private channel.
 */
export interface CredentialInput {
  readonly UserName: string;
  readonly Password: string;
}
