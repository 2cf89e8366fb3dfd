/**
 * "Encrypt" that means encrypted: tedious logs in over plain text when the server's pre-login answer says
 * it does not support encryption, even with `encrypt: true`. The guard sits on the socket (tedious'
 * `connector` option) and lets nothing but pre-login packets leave until TLS is up: when the server refuses
 * encryption, the login (and so the password and every query) is never sent.
 */
import * as net from 'node:net';

/** TDS packet type of PRELOGIN (also the envelope of the TLS handshake) and of a server's tabular answer. */
const PRELOGIN = 0x12;
const TABULAR_RESULT = 0x04;
const HEADER_LENGTH = 8;
/** The ENCRYPTION option of the pre-login answer. */
const ENCRYPTION_TOKEN = 0x01;
const ENCRYPTION_WORDS: Record<number, string> = { 0x00: 'ENCRYPT_OFF', 0x01: 'ENCRYPT_ON', 0x02: 'ENCRYPT_NOT_SUP', 0x03: 'ENCRYPT_REQ' };
/** TLS record content types (change_cipher_spec, alert, handshake, application_data). */
const isTlsRecord = (byte: number) => byte >= 0x14 && byte <= 0x17;

export class EncryptionRefusedError extends Error {
  constructor(
    message: string,
    /** The server's ENCRYPTION answer (ENCRYPT_NOT_SUP, ENCRYPT_OFF, …), or undefined when none was read. */
    readonly serverAnswer: string | undefined,
  ) {
    super(message);
    this.name = 'EncryptionRefusedError';
  }
}

/** The ENCRYPTION byte of a pre-login answer's payload (after the 8-byte header), or undefined. */
export function preloginEncryption(payload: Buffer): number | undefined {
  for (let pos = 0; pos + 5 <= payload.length && payload[pos] !== 0xff; pos += 5) {
    if (payload[pos] !== ENCRYPTION_TOKEN) continue;
    const offset = payload.readUInt16BE(pos + 1);
    const length = payload.readUInt16BE(pos + 3);
    return length >= 1 && offset < payload.length ? payload[offset] : undefined;
  }
  return undefined;
}

export interface EncryptionGuard {
  /** tedious' `options.connector`: opens the socket and guards it. */
  connector: (options: { host: string; port: number; localAddress?: string }, lookup: unknown, signal: AbortSignal) => Promise<net.Socket>;
  /** Why the guard stopped the connection, when it did. */
  refusal(): EncryptionRefusedError | undefined;
  /** Whether TLS carried the traffic after the handshake (true once an encrypted record left the socket). */
  encrypted(): boolean;
}

export function createEncryptionGuard(): EncryptionGuard {
  let refused: EncryptionRefusedError | undefined;
  let tls = false;

  const guard = (socket: net.Socket) => {
    let answer: number | undefined;
    let answered = false;
    let inbound = Buffer.alloc(0);
    const onData = (chunk: Buffer) => {
      inbound = Buffer.concat([inbound, chunk]);
      if (inbound.length < HEADER_LENGTH) return;
      const length = inbound.readUInt16BE(2);
      if (inbound.length < length) return;
      socket.removeListener('data', onData);
      answered = true;
      if (inbound[0] === TABULAR_RESULT) answer = preloginEncryption(inbound.subarray(HEADER_LENGTH, length));
    };
    socket.prependListener('data', onData);
    const refuse = (callback: unknown) => {
      const word = answer === undefined ? undefined : (ENCRYPTION_WORDS[answer] ?? `0x${answer.toString(16)}`);
      const why = !answered
        ? 'it sent no pre-login answer'
        : answer === 0x02
          ? 'it answered that it does not support encryption (ENCRYPT_NOT_SUP)'
          : answer === 0x00
            ? 'it offered to encrypt the login only (ENCRYPT_OFF)'
            : `its pre-login answer was ${word ?? 'without an encryption option'}`;
      refused = new EncryptionRefusedError(
        `the server would not encrypt the connection: ${why}. Nothing was sent (no login, no query). Turn on encryption on the server (a certificate for SQL Server), or, only on a trusted network, pass --no-encrypt to connect in plain text`,
        word,
      );
      socket.destroy(refused);
      if (typeof callback === 'function') (callback as (e: Error) => void)(refused);
      return false;
    };
    const write = socket.write.bind(socket) as (...args: unknown[]) => boolean;
    socket.write = ((chunk: unknown, ...rest: unknown[]) => {
      const first = Buffer.isBuffer(chunk) ? chunk[0] : typeof chunk === 'string' ? -1 : (chunk as Uint8Array)[0];
      const callback = rest.find((r) => typeof r === 'function');
      if (refused) return refuse(callback);
      if (!tls) {
        const agreed = answered && (answer === 0x01 || answer === 0x03);
        if (first === PRELOGIN && (!answered || agreed)) return write(chunk, ...rest);
        if (agreed && isTlsRecord(first)) tls = true;
        else return refuse(callback);
      }
      return write(chunk, ...rest);
    }) as typeof socket.write;
  };

  return {
    connector: (options, _lookup, signal) =>
      new Promise<net.Socket>((resolve, reject) => {
        signal.throwIfAborted();
        const socket = net.connect({ host: options.host, port: options.port, localAddress: options.localAddress });
        const onAbort = () => {
          socket.destroy();
          reject(signal.reason);
        };
        signal.addEventListener('abort', onAbort, { once: true });
        socket.once('connect', () => {
          signal.removeEventListener('abort', onAbort);
          socket.removeAllListeners('error');
          guard(socket);
          resolve(socket);
        });
        socket.once('error', (error) => {
          signal.removeEventListener('abort', onAbort);
          reject(error);
        });
      }),
    refusal: () => refused,
    encrypted: () => tls,
  };
}
