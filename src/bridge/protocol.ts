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

/** The most bytes a frame's body may have: its length is a signed 32-bit number on the PowerShell side. */
export const MAX_FRAME_BYTES = 0x7fff_ffff;

/** Text written into a frame: UTF-8 (always well-formed here), or UTF-16LE code units. */
interface TextPart {
  readonly text: string;
  readonly encoding: SegmentEncoding;
  /** Its bytes, when the caller has counted them already. */
  readonly bytes?: number;
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

/**
 * A frame written in pieces: its length header, then its text parts encoded straight into whatever buffer
 * `fill` is given, so no buffer of the frame's size is ever made. A UTF-8 part is cut only between whole
 * characters (never inside a surrogate pair); a UTF-16LE part anywhere on a code unit.
 */
export class FrameSource {
  /** Bytes of the body (the 4-byte length header not included). */
  readonly length: number;
  private header = false;
  private part = 0;
  private at = 0;
  /** UTF-8 bytes of the characters utf8Fits last chose. */
  private fitBytes = 0;

  constructor(private readonly parts: readonly TextPart[]) {
    let length = 0;
    for (const { text, encoding, bytes } of parts) length += bytes ?? (encoding === 'utf8' ? Buffer.byteLength(text, 'utf8') : text.length * 2);
    if (length > MAX_FRAME_BYTES) throw new Error(`a frame of ${length} bytes is larger than the channel carries (${MAX_FRAME_BYTES})`);
    this.length = length;
  }

  /** True once every byte has been given out. */
  get done(): boolean {
    return this.header && this.part >= this.parts.length;
  }

  /** Writes the next bytes of the frame into `into` (at least 4 bytes long); returns how many (0 when done). */
  fill(into: Buffer): number {
    if (into.length < 4) throw new Error('a frame piece must have room for 4 bytes');
    let at = 0;
    if (!this.header) {
      into.writeUInt32LE(this.length, 0);
      this.header = true;
      at = 4;
    }
    while (this.part < this.parts.length) {
      const { text, encoding } = this.parts[this.part];
      if (this.at < text.length) {
        const room = into.length - at;
        const take = encoding === 'utf8' ? this.utf8Fits(text, room) : Math.min(text.length - this.at, room >> 1);
        if (take === 0) break;
        const piece = take === text.length ? text : text.slice(this.at, this.at + take);
        const written = into.write(piece, at, encoding);
        if (written !== (encoding === 'utf8' ? this.fitBytes : take * 2)) throw new Error('a frame piece was cut short');
        at += written;
        this.at += take;
        // Not all of it fitted: try the room left (a shorter run may), else the next piece goes on.
        if (this.at < text.length) continue;
      }
      this.part++;
      this.at = 0;
    }
    return at;
  }

  /**
   * How many UTF-16 units of `text`, from the current place, fit in `room` bytes as UTF-8, ending on a whole
   * character (never between the two halves of a surrogate pair). First guess one byte each, then shrink by
   * the bytes the guess takes.
   */
  private utf8Fits(text: string, room: number): number {
    const left = text.length - this.at;
    let take = Math.min(left, room);
    while (take > 0) {
      if (take < left && isHighSurrogate(text.charCodeAt(this.at + take - 1))) {
        // Keep the pair together: one unit fewer, or both halves when the pair is all there is room to try.
        take = take > 1 ? take - 1 : 2;
      }
      const bytes = Buffer.byteLength(take === text.length ? text : text.slice(this.at, this.at + take), 'utf8');
      if (bytes <= room) {
        this.fitBytes = bytes;
        return take;
      }
      if (take <= 2 && bytes <= 4) return 0;
      take = Math.max(1, Math.min(take - 1, Math.floor((take * room) / bytes)));
    }
    return 0;
  }

  /** The whole frame in one buffer of its size (for small frames, and tests). */
  toBuffer(): Buffer {
    const frame = Buffer.allocUnsafe(4 + this.length);
    let at = 0;
    while (!this.done) at += this.fill(frame.subarray(at));
    if (at !== frame.length) throw new Error(`a frame of ${this.length} bytes came out as ${at - 4}`);
    return frame;
  }
}

/**
 * A call whose long strings travel as segments, `D<id>\n<table>\n<json><segment>...`, as a source of pieces.
 */
export function segmentedCallSource(id: string, json: string, segments: readonly { path: SegmentPath; text: string }[]): FrameSource {
  const entries: SegmentEntry[] = segments.map(({ path, text }) => {
    const encoding: SegmentEncoding = wellFormed(text) ? 'utf8' : 'utf16le';
    return { path, encoding, bytes: encoding === 'utf8' ? Buffer.byteLength(text, 'utf8') : text.length * 2 };
  });
  const jsonBytes = Buffer.byteLength(json, 'utf8');
  const head = `D${id}\n${JSON.stringify({ json: jsonBytes, segments: entries } satisfies SegmentTable)}\n`;
  return new FrameSource([
    { text: head, encoding: 'utf8' },
    { text: json, encoding: 'utf8', bytes: jsonBytes },
    ...segments.map(({ text }, i) => ({ text, encoding: entries[i].encoding, bytes: entries[i].bytes })),
  ]);
}

/** A call without segments, `C<id>\n<json>`, as a source of pieces. */
export function callSource(id: string, json: string): FrameSource {
  return new FrameSource([
    { text: `C${id}\n`, encoding: 'utf8' },
    { text: json, encoding: 'utf8' },
  ]);
}

/** A call with segments in one buffer of the frame's size (the session writes it in pieces instead). */
export function encodeSegmentedCall(id: string, json: string, segments: readonly { path: SegmentPath; text: string }[]): Buffer {
  return segmentedCallSource(id, json, segments).toBuffer();
}

/**
 * A ChannelWriter's pieces: 4 of 256 KiB. Measured against 3 x 1 MiB, 2 x 512 KiB and 2 x 128 KiB for a
 * 20 MB request: the same time within noise, and the least memory but one.
 */
export const PIECE_BYTES = 256 * 1024;
export const PIECES = 4;

/** Where a ChannelWriter writes: a socket, or anything with its `write(chunk, callback)`. */
export interface FrameSink {
  write(chunk: Buffer, callback: (error?: Error | null) => void): boolean;
  readonly destroyed: boolean;
}

/**
 * Writes the frames of one channel whole and in order. A large frame goes out in pieces through a few
 * buffers of `pieceBytes`, each refilled once the sink says the previous content has been written, so
 * memory stays flat in the frame's size; a frame sent meanwhile (a stop) waits for it. The buffers are let
 * go after `idleMs` without a large frame.
 */
export class ChannelWriter {
  private readonly jobs: (Buffer | FrameSource)[] = [];
  private readonly free: Buffer[] = [];
  private made = 0;
  private closed = false;
  private idle?: NodeJS.Timeout;

  constructor(
    private readonly sink: FrameSink,
    private readonly onError: (error: Error) => void,
    private readonly pieceBytes = PIECE_BYTES,
    private readonly pieces = PIECES,
    private readonly idleMs = 30_000,
  ) {
    if (pieceBytes < 4 || pieces < 1) throw new Error('a channel writer needs at least one piece of 4 bytes');
  }

  /** Queues a frame (a whole buffer, or a source written in pieces); false once the writer is closed. */
  send(frame: Buffer | FrameSource): boolean {
    if (this.closed || this.sink.destroyed) return false;
    if (!Buffer.isBuffer(frame) && frame.length + 4 <= this.pieceBytes >> 4) frame = frame.toBuffer();
    this.jobs.push(frame);
    this.pump();
    return true;
  }

  /** Frames queued or still being cut into pieces. */
  get queued(): number {
    return this.jobs.length;
  }

  /** Drops what has not been handed to the sink yet; nothing is written after this. */
  close(): void {
    this.closed = true;
    this.jobs.length = 0;
    this.free.length = 0;
    clearTimeout(this.idle);
  }

  private pump(): void {
    while (!this.closed && this.jobs.length > 0) {
      if (this.sink.destroyed) {
        this.close();
        return;
      }
      const job = this.jobs[0];
      if (Buffer.isBuffer(job)) {
        this.jobs.shift();
        this.sink.write(job, () => undefined);
        continue;
      }
      clearTimeout(this.idle);
      const piece = this.free.pop() ?? (this.made < this.pieces ? (this.made++, Buffer.allocUnsafeSlow(this.pieceBytes)) : undefined);
      if (!piece) return;
      let filled: number;
      try {
        filled = job.fill(piece);
      } catch (e) {
        this.close();
        this.onError(e as Error);
        return;
      }
      if (job.done) this.jobs.shift();
      if (filled === 0) {
        this.free.push(piece);
        continue;
      }
      this.sink.write(piece.subarray(0, filled), () => {
        if (this.closed) return;
        this.free.push(piece);
        this.pump();
        this.release();
      });
    }
  }

  /** Once idle with every piece back, lets them go after a while. */
  private release(): void {
    if (this.jobs.length > 0 || this.free.length !== this.made || this.made === 0) return;
    clearTimeout(this.idle);
    this.idle = setTimeout(() => {
      if (this.jobs.length > 0 || this.free.length !== this.made) return;
      this.free.length = 0;
      this.made = 0;
    }, this.idleMs);
    this.idle.unref();
  }
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

/** Frames of at least this many bytes are read into a buffer kept for the next one. */
const KEEP_BYTES = 1 << 20;

/**
 * Splits the channel's bytes into frames. Linear in the size of the data: chunks are kept as they come and
 * joined once, when a whole frame is there. A frame longer than `maxFrameBytes` is a protocol error.
 * A large frame is copied into one buffer as it arrives; that buffer is kept for the next large frame
 * (`Frame.data` is valid only during `onFrame`), and let go after `idleMs` without one.
 */
export class FrameDecoder {
  private chunks: Buffer[] = [];
  private buffered = 0;
  private need: number | undefined;
  /** The frame being filled, once its length is known and it spans several chunks (one copy, no joins). */
  private target: Buffer | undefined;
  private filled = 0;
  /** The buffer of the last large frame, for the next one. */
  private spare: Buffer | undefined;
  private idle?: NodeJS.Timeout;

  constructor(
    private readonly maxFrameBytes: number,
    private readonly onFrame: (frame: Frame) => void,
    private readonly onError: (message: string) => void,
    private readonly idleMs = 30_000,
  ) {}

  /** A buffer for a frame of `bytes` that spans chunks: for a large one, the last large one's when it fits. */
  private large(bytes: number): Buffer {
    if (bytes < KEEP_BYTES) return Buffer.allocUnsafe(bytes);
    clearTimeout(this.idle);
    const spare = this.spare;
    this.spare = undefined;
    if (spare && spare.length >= bytes) return spare.subarray(0, bytes);
    return Buffer.allocUnsafeSlow(bytes);
  }

  /** Keeps a large frame's buffer for the next one, for a while. */
  private keep(frame: Buffer): void {
    this.spare = Buffer.from(frame.buffer, frame.byteOffset, frame.buffer.byteLength - frame.byteOffset);
    clearTimeout(this.idle);
    this.idle = setTimeout(() => (this.spare = undefined), this.idleMs);
    this.idle.unref();
  }

  push(chunk: Buffer): void {
    if (this.target) {
      const take = Math.min(chunk.length, this.target.length - this.filled);
      chunk.copy(this.target, this.filled, 0, take);
      this.filled += take;
      if (this.filled < this.target.length) return;
      const frame = this.target;
      this.target = undefined;
      try {
        this.emit(frame);
      } finally {
        if (frame.length >= KEEP_BYTES) this.keep(frame);
      }
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
        if (this.chunks.length > 1 || this.need > KEEP_BYTES) {
          const target = this.large(this.need - 4);
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
