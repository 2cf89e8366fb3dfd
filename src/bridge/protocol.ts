/**
 * The wire format between Node and the dispatcher (dispatcher.ps1). Requests are single lines of base64
 * over UTF-8 JSON, so no value is ever parsed as PowerShell; results are one JSON line between sentinel lines.
 */
import { StringDecoder } from 'node:string_decoder';
import type { PowerShellErrorRecord } from './errors';

export interface InitMessage {
  readonly sentinel: string;
  readonly modules: readonly string[];
  readonly depth: number;
}

export type ErrorAction = 'Stop' | 'Continue' | 'SilentlyContinue';

export interface CallMessage {
  readonly id: string;
  readonly command: string;
  readonly parameters: Record<string, unknown>;
  readonly errorAction: ErrorAction;
  readonly verbose: boolean;
  /** Forward progress records while the call runs (`<sentinel>:PROGRESS <id> <json>` lines). */
  readonly liveProgress: boolean;
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

/** What the dispatcher prints for every request. */
/** What a call wrote to PowerShell's other streams, and how long it ran. */
export interface CallStreams {
  /** Non-terminating errors (only when errorAction is not Stop). */
  readonly errors: PowerShellErrorRecord[];
  readonly warnings: string[];
  readonly information: InformationRecord[];
  readonly progress: ProgressRecord[];
  readonly verbose: string[];
  readonly debug: string[];
  /** Time PowerShell spent on the call. */
  readonly durationMs: number;
}

export interface ResultMessage extends CallStreams {
  readonly id: string | null;
  readonly ok: boolean;
  readonly output: unknown[];
}

/** One request line: base64 of the UTF-8 JSON text (ASCII only, so no escaping question arises). */
export function encodeMessage(message: InitMessage | CallMessage): string {
  return Buffer.from(JSON.stringify(message), 'utf8').toString('base64') + '\n';
}

/**
 * Splits the dispatcher's standard output into results. Lines outside a BEGIN/END pair are stray output
 * (a command writing to the console directly); the last few are kept for diagnosis.
 */
export class FrameReader {
  private readonly decoder = new StringDecoder('utf8');
  private partial = '';
  private inFrame = false;
  private frame: string[] = [];
  private readonly begin: string;
  private readonly end: string;
  private readonly progress: string;
  readonly stray: string[] = [];

  constructor(
    sentinel: string,
    private readonly onFrame: (json: string) => void,
    private readonly onProgress: (id: string, json: string) => void = () => undefined,
  ) {
    this.begin = `${sentinel}:BEGIN`;
    this.end = `${sentinel}:END`;
    this.progress = `${sentinel}:PROGRESS `;
  }

  push(chunk: Buffer): void {
    const text = this.partial + this.decoder.write(chunk);
    const lines = text.split('\n');
    this.partial = lines.pop() ?? '';
    for (const raw of lines) this.line(raw.endsWith('\r') ? raw.slice(0, -1) : raw);
  }

  private line(line: string): void {
    if (this.inFrame) {
      if (line === this.end) {
        this.inFrame = false;
        const json = this.frame.join('\n');
        this.frame = [];
        this.onFrame(json);
      } else {
        this.frame.push(line);
      }
      return;
    }
    const at = line.indexOf(this.progress);
    if (at >= 0) {
      if (at > 0) this.keepStray(line.slice(0, at));
      const rest = line.slice(at + this.progress.length);
      const space = rest.indexOf(' ');
      if (space > 0) this.onProgress(rest.slice(0, space), rest.slice(space + 1));
      return;
    }
    if (line.endsWith(this.begin)) {
      const before = line.slice(0, -this.begin.length);
      if (before) this.keepStray(before);
      this.inFrame = true;
      return;
    }
    if (line) this.keepStray(line);
  }

  private keepStray(line: string): void {
    this.stray.push(line);
    if (this.stray.length > 50) this.stray.shift();
  }
}

/**
 * The value of a PSCredential parameter: the dispatcher builds the PSCredential from it (SecureString
 * parameters take a plain string the same way). The password travels only as data on standard input.
 */
export interface CredentialInput {
  readonly UserName: string;
  readonly Password: string;
}
