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
  /** The code the command gave to `exit` (null when it did not call `exit`). */
  readonly exitCode?: number | null;
}

/** The init line on standard input: base64 of the UTF-8 JSON text. */
export function encodeInitLine(message: InitMessage): string {
  return Buffer.from(JSON.stringify(message), 'utf8').toString('base64') + '\n';
}

/** Kinds of frame Node sends: a call, a stop of a call, a ping (a call with segments is a `D` frame). */
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

/**
 * Strings of at least this many characters travel as raw segments after a frame's JSON (both ways): no
 * escaping, no JSON parsing of their text, one copy from the frame into the string.
 */
export const SEGMENT_CHARS = 32_768;

/** Where a long string goes: keys and indexes from the root of the message, in order. */
export type SegmentPath = readonly (string | number)[];

/**
 * How a segment's bytes are text: UTF-8 for well-formed text, UTF-16LE code units for text with a lone
 * surrogate (which UTF-8 cannot carry), so every JavaScript or .NET string arrives as itself.
 */
export type SegmentEncoding = 'utf8' | 'utf16le';

interface SegmentEntry {
  readonly path: SegmentPath;
  readonly bytes: number;
  readonly encoding: SegmentEncoding;
}

/** The line after the id of a frame with segments: the JSON's length in bytes, then each segment in order. */
interface SegmentTable {
  readonly json: number;
  readonly segments: SegmentEntry[];
}

function wellFormed(text: string): boolean {
  const s = text as string & { isWellFormed?: () => boolean };
  return typeof s.isWellFormed === 'function' ? s.isWellFormed() : !/\p{Cs}/u.test(text);
}

function isPlain(value: object): boolean {
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/**
 * Takes the long strings (and those with a lone surrogate) out of a message: returns the message with null in their place (copies only the
 * objects and arrays on the way to one; the caller's value is never changed) and where each one was.
 * Only plain objects and arrays are walked; other objects go to JSON.stringify as they are.
 */
export function extractSegments(value: unknown, found: { path: SegmentPath; text: string }[], at: SegmentPath = []): unknown {
  if (typeof value === 'string') {
    // A lone surrogate would not survive PowerShell's JSON reader (it becomes U+FFFD): such a string
    // travels as a segment too, whatever its length.
    if (value.length < SEGMENT_CHARS && wellFormed(value)) return value;
    found.push({ path: at, text: value });
    return null;
  }
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      const next = extractSegments(item, found, [...at, i]);
      if (next !== item) {
        copy ??= value.slice();
        copy[i] = next;
      }
    }
    return copy ?? value;
  }
  if (!isPlain(value)) return value;
  let copy: Record<string, unknown> | undefined;
  for (const key of Object.keys(value)) {
    const item = (value as Record<string, unknown>)[key];
    const next = extractSegments(item, found, [...at, key]);
    if (next !== item) {
      copy ??= { ...(value as Record<string, unknown>) };
      Object.defineProperty(copy, key, { value: next, enumerable: true, writable: true, configurable: true });
    }
  }
  return copy ?? value;
}

/**
 * A call whose long strings travel as segments: `D<id>\n<table>\n<json><segment>...`, written straight
 * into one buffer of the frame's size (no intermediate copies).
 */
export function encodeSegmentedCall(id: string, json: string, segments: readonly { path: SegmentPath; text: string }[]): Buffer {
  const entries: SegmentEntry[] = segments.map(({ path, text }) => {
    const encoding: SegmentEncoding = wellFormed(text) ? 'utf8' : 'utf16le';
    return { path, encoding, bytes: encoding === 'utf8' ? Buffer.byteLength(text, 'utf8') : text.length * 2 };
  });
  const jsonBytes = Buffer.byteLength(json, 'utf8');
  const head = `D${id}\n${JSON.stringify({ json: jsonBytes, segments: entries } satisfies SegmentTable)}\n`;
  const headBytes = Buffer.byteLength(head, 'utf8');
  const length = entries.reduce((sum, e) => sum + e.bytes, headBytes + jsonBytes);
  const frame = Buffer.allocUnsafe(4 + length);
  frame.writeUInt32LE(length, 0);
  let at = 4 + frame.write(head, 4, 'utf8');
  at += frame.write(json, at, 'utf8');
  segments.forEach(({ text }, i) => {
    at += frame.write(text, at, entries[i].encoding);
  });
  return frame;
}

/**
 * The message of a frame with segments (`B`, a result): its JSON parsed, each segment decoded once from the
 * frame and put where its path says. Throws when the table does not match the frame.
 */
export function decodeSegmented(data: Buffer): unknown {
  const tableEnd = data.indexOf(10);
  if (tableEnd < 0) throw new Error('the segment table is missing');
  const table = JSON.parse(data.toString('utf8', 0, tableEnd)) as SegmentTable;
  let at = tableEnd + 1;
  if (!Number.isSafeInteger(table.json) || table.json < 0 || at + table.json > data.length || !Array.isArray(table.segments)) {
    throw new Error('the segment table does not match the frame');
  }
  const message = JSON.parse(data.toString('utf8', at, at + table.json)) as unknown;
  at += table.json;
  for (const { path, bytes, encoding } of table.segments) {
    if (!Number.isSafeInteger(bytes) || bytes < 0 || at + bytes > data.length || !Array.isArray(path) || path.length === 0) {
      throw new Error('a segment does not match the frame');
    }
    if (encoding !== 'utf8' && encoding !== 'utf16le') throw new Error(`a segment encoding '${String(encoding)}'`);
    const text = data.toString(encoding, at, at + bytes);
    at += bytes;
    let holder: unknown = message;
    for (let i = 0; i < path.length; i++) {
      const step = path[i];
      const ok =
        holder !== null &&
        typeof holder === 'object' &&
        (typeof step === 'number' ? Array.isArray(holder) && Number.isInteger(step) && step >= 0 && step < holder.length : !Array.isArray(holder) && Object.prototype.hasOwnProperty.call(holder, step));
      if (!ok) throw new Error('a segment path does not match the answer');
      const container = holder as Record<string | number, unknown>;
      if (i === path.length - 1) {
        if (container[step] !== null) throw new Error('a segment path points at a value that is not null');
        Object.defineProperty(container, step, { value: text, enumerable: true, writable: true, configurable: true });
      } else holder = container[step];
    }
  }
  if (at !== data.length) throw new Error('the frame is longer than its segments');
  return message;
}

/** A frame as read: its kind, the id (for R and G frames), and the body after the id line. */
export interface Frame {
  readonly kind: string;
  readonly id: string;
  readonly body: string;
  /** For a frame with segments (`B`): the bytes after the id line, left undecoded. */
  readonly data?: Buffer;
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
    let parsed: Frame;
    if (newline < 0) parsed = { kind, id: frame.toString('utf8', 1), body: '' };
    else if (kind === 'B') parsed = { kind, id: frame.toString('utf8', 1, newline), body: '', data: frame.subarray(newline + 1) };
    else parsed = { kind, id: frame.toString('utf8', 1, newline), body: frame.toString('utf8', newline + 1) };
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
