/**
 * A minimal TDS client over a raw socket, for feeding the double hand-made (and malformed) messages in tests.
 */
import * as net from 'net';

export const EOM = 0x01;

export function packet(type: number, payload: Buffer, status = EOM, lengthOverride?: number): Buffer {
  const head = Buffer.alloc(8);
  head[0] = type;
  head[1] = status;
  head.writeUInt16BE(lengthOverride ?? payload.length + 8, 2);
  head[6] = 1;
  return Buffer.concat([head, payload]);
}

/** PRELOGIN asking for VERSION and ENCRYPTION (off). */
export function preloginPayload(): Buffer {
  const table = Buffer.from([0x00, 0, 11, 0, 6, 0x01, 0, 17, 0, 1, 0xff]);
  return Buffer.concat([table, Buffer.from([1, 0, 0, 0, 0, 0]), Buffer.from([0x00])]);
}

function obfuscate(password: string): Buffer {
  const b = Buffer.from(password, 'utf16le');
  for (let i = 0; i < b.length; i++) {
    const swapped = ((b[i] & 0x0f) << 4) | (b[i] >> 4);
    b[i] = swapped ^ 0xa5;
  }
  return b;
}

/** LOGIN7 with SQL authentication, TDS 7.4, packet size 4096. */
export function login7Payload(user: string, password: string, database = ''): Buffer {
  const fixed = Buffer.alloc(94);
  const fields: [number, Buffer][] = [
    [36, Buffer.from('rawhost', 'utf16le')],
    [40, Buffer.from(user, 'utf16le')],
    [44, obfuscate(password)],
    [48, Buffer.from('raw-client', 'utf16le')],
    [52, Buffer.from('127.0.0.1', 'utf16le')],
    [60, Buffer.from('raw', 'utf16le')],
    [68, Buffer.from(database, 'utf16le')],
  ];
  let offset = 94;
  const data: Buffer[] = [];
  for (const [at, value] of fields) {
    fixed.writeUInt16LE(offset, at);
    fixed.writeUInt16LE(value.length / 2, at + 2);
    data.push(value);
    offset += value.length;
  }
  for (const at of [56, 64, 78, 82, 86]) fixed.writeUInt16LE(offset, at);
  fixed.writeUInt32LE(offset, 0);
  fixed.writeUInt32LE(0x74000004, 4);
  fixed.writeUInt32LE(4096, 8);
  fixed[24] = 0xe0;
  fixed[25] = 0x03;
  return Buffer.concat([fixed, ...data]);
}

/** ALL_HEADERS with a transaction descriptor (no transaction), as 7.2+ clients send it. */
export function allHeaders(): Buffer {
  const b = Buffer.alloc(22);
  b.writeUInt32LE(22, 0);
  b.writeUInt32LE(18, 4);
  b.writeUInt16LE(2, 8);
  b.writeUInt32LE(1, 18);
  return b;
}

export function sqlBatchPayload(text: string): Buffer {
  return Buffer.concat([allHeaders(), Buffer.from(text, 'utf16le')]);
}

/** A connected raw socket that collects what the server sends. */
export class RawClient {
  readonly socket: net.Socket;
  private received: Buffer = Buffer.alloc(0);
  private waiters: (() => void)[] = [];
  closed = false;

  private constructor(socket: net.Socket) {
    this.socket = socket;
    socket.on('data', (d) => { this.received = Buffer.concat([this.received, d]); this.notify(); });
    socket.on('close', () => { this.closed = true; this.notify(); });
    socket.on('error', () => undefined);
  }

  static connect(port: number): Promise<RawClient> {
    return new Promise((resolve, reject) => {
      const s = net.connect(port, '127.0.0.1', () => resolve(new RawClient(s)));
      s.once('error', reject);
    });
  }

  private notify(): void {
    const w = this.waiters;
    this.waiters = [];
    w.forEach((f) => f());
  }

  send(data: Buffer): void {
    if (!this.socket.destroyed) this.socket.write(data);
  }

  /** Waits for one complete message (up to EOM) and returns its payload, or null if the socket closes or time runs out. */
  async readMessage(timeoutMs = 2000): Promise<{ type: number; payload: Buffer } | null> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const parts: Buffer[] = [];
      let pos = 0;
      let type = -1;
      let complete = false;
      while (this.received.length - pos >= 8) {
        const len = this.received.readUInt16BE(pos + 2);
        if (this.received.length - pos < len) break;
        type = this.received[pos];
        parts.push(this.received.subarray(pos + 8, pos + len));
        const eom = (this.received[pos + 1] & EOM) !== 0;
        pos += len;
        if (eom) { complete = true; break; }
      }
      if (complete) {
        this.received = this.received.subarray(pos);
        return { type, payload: Buffer.concat(parts) };
      }
      if (this.closed) return null;
      const left = deadline - Date.now();
      if (left <= 0) return null;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => { clearTimeout(timer); resolve(); });
      });
    }
  }

  /** Resolves true when the server closes the connection within the time given. */
  async waitClosed(timeoutMs = 2000): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (!this.closed && Date.now() < deadline) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, deadline - Date.now());
        this.waiters.push(() => { clearTimeout(timer); resolve(); });
      });
    }
    return this.closed;
  }

  /** PRELOGIN then LOGIN7; resolves with the login answer's payload. */
  async login(user: string, password: string): Promise<Buffer> {
    this.send(packet(0x12, preloginPayload()));
    const pre = await this.readMessage();
    if (!pre) throw new Error('no PRELOGIN answer');
    this.send(packet(0x10, login7Payload(user, password)));
    const ack = await this.readMessage();
    if (!ack) throw new Error('no LOGIN7 answer');
    return ack.payload;
  }

  close(): void {
    this.socket.destroy();
  }
}

/** The token bytes of an answer contain an ERROR token with this number. */
export function hasError(payload: Buffer, number: number): boolean {
  for (let i = 0; i + 7 <= payload.length; i++) {
    if (payload[i] === 0xaa && payload.readInt32LE(i + 3) === number) return true;
  }
  return false;
}
