/**
 * A SQL Server test double that speaks TDS 7.4 on 127.0.0.1, answering from a table of scripted rules.
 * See README.md beside this file for what it implements and what it does not.
 */
import * as net from 'net';
import { Duplex } from 'stream';
import * as tls from 'tls';
import {
  builtinRule, findRule, LoggedParameter, LoggedStatement, prepareRules, PreparedRule, Rule,
  UNMATCHED_ERROR_NUMBER,
} from './rules';
import {
  bVarchar, doneToken, DONE_STATUS, envChangeBytes, envChangeString, featureExtAckEmpty, HEADER_LENGTH, loginAck,
  messageToken, MessageFields, PACKET, packetize, returnStatus, STATUS_EOM, STATUS_IGNORE, TOKEN,
} from './tokens';
import { DEFAULT_COLLATION, encodeTypeInfo, encodeValue, parseColumnType, ProtocolError, Reader, readTypeInfo, readValue, typeInfoDeclaration } from './types';

export type { Rule, LoggedStatement, LoggedParameter } from './rules';

export const DEFAULT_USER = 'sa';

export interface TdsServerOptions {
  rules: Rule[];
  /** Accepted SQL logins, user → password. Default: { sa: password }. */
  users?: Record<string, string>;
  /** Password of the default 'sa' login when `users` is not given (default DEFAULT_PASSWORD). */
  password?: string;
  /** Port on 127.0.0.1; 0 (default) picks a free one. */
  port?: number;
  /** Called for every logged statement, before the client gets its answer. */
  onStatement?: (statement: LoggedStatement) => void;
  /**
   * A PEM key and certificate: the double then answers pre-login with ENCRYPT_ON and runs TLS inside
   * PRELOGIN packets, as SQL Server does, and everything after the handshake (login, queries) is encrypted.
   * Without it the double answers ENCRYPT_NOT_SUP.
   */
  tls?: { key: string | Buffer; cert: string | Buffer };
  /** Called when a connection fails (malformed input, socket error); for diagnostics only. */
  onConnectionError?: (connection: number, error: Error) => void;
}

export interface LoggedLogin {
  connection: number;
  user: string;
  database: string;
  appName: string;
  ok: boolean;
  /** The login arrived inside TLS. */
  encrypted: boolean;
}

export interface TdsServer {
  port: number;
  /** Every statement answered by a rule or matched by none (client housekeeping is in builtinLog). */
  log: LoggedStatement[];
  /** Statements the double answered on its own (tedious' SET batch, the pool's SELECT 1). */
  builtinLog: LoggedStatement[];
  /** Login attempts (never the password). */
  logins: LoggedLogin[];
  /** Statements that no rule matched. */
  readonly unmatched: LoggedStatement[];
  setRules(rules: Rule[]): void;
  stop(): Promise<void>;
}

/** The password of the default 'sa' login when `users` is not given; a test-only value. */
export const DEFAULT_PASSWORD = 'TdsDouble-Test-Only-1';

const MAX_PACKET = 32768;
const MAX_MESSAGE = 16 * 1024 * 1024;
const LOGIN_TIMEOUT_MS = 30_000;
const KNOWN_PACKET_TYPES = new Set<number>(Object.values(PACKET));
const SERVER_VERSION: [number, number, number] = [16, 0, 1000];

const PROC_NAMES: Record<number, string> = {
  1: 'sp_cursor', 2: 'sp_cursoropen', 3: 'sp_cursorprepare', 4: 'sp_cursorexecute', 5: 'sp_cursorprepexec',
  6: 'sp_cursorunprepare', 7: 'sp_cursorfetch', 8: 'sp_cursoroption', 9: 'sp_cursorclose', 10: 'sp_executesql',
  11: 'sp_prepare', 12: 'sp_execute', 13: 'sp_prepexec', 14: 'sp_prepexecrpc', 15: 'sp_unprepare',
};

interface Shared {
  rules: PreparedRule[];
  users: Record<string, string>;
  server: TdsServer;
  options: TdsServerOptions;
}

interface Statement {
  kind: 'batch' | 'rpc';
  sql: string;
  procedure?: string;
  declaration?: string;
  parameters: LoggedParameter[];
  /** Output parameters of an RPC, with their position in the request (RETURNVALUE needs it). */
  outputs?: { ordinal: number; name: string; declaredAs: string }[];
}

interface Request {
  cancelled: boolean;
  wake?: () => void;
}

function skipAllHeaders(r: Reader): void {
  const total = r.u32();
  if (total < 4 || total > r.buf.length) throw new ProtocolError(`bad ALL_HEADERS length ${total}`);
  r.pos = total;
}

export function parseSqlBatch(payload: Buffer): Statement {
  const r = new Reader(payload);
  skipAllHeaders(r);
  if (r.remaining % 2 !== 0) throw new ProtocolError('SQL batch text has an odd byte count');
  return { kind: 'batch', sql: r.bytes(r.remaining).toString('utf16le'), parameters: [] };
}

export function parseRpc(payload: Buffer): Statement {
  const r = new Reader(payload);
  skipAllHeaders(r);
  const nameLength = r.u16();
  let procedure: string;
  if (nameLength === 0xffff) {
    const id = r.u16();
    procedure = PROC_NAMES[id] ?? `procid:${id}`;
  } else {
    procedure = r.ucs2(nameLength);
  }
  r.u16(); // option flags
  const raw: LoggedParameter[] = [];
  const outputs: { ordinal: number; name: string; declaredAs: string }[] = [];
  while (r.remaining > 0) {
    const next = r.buf[r.pos];
    if (next === 0x80 || next === 0xff || next === 0xfe) throw new ProtocolError('batched RPC requests are not supported');
    const name = r.ucs2(r.u8());
    const status = r.u8();
    if (status & 0x08) throw new ProtocolError('encrypted (Always Encrypted) parameters are not supported');
    const info = readTypeInfo(r);
    const value = readValue(r, info);
    const p: LoggedParameter = { name, type: info.name, declaredAs: typeInfoDeclaration(info), value };
    if (status & 0x01) {
      p.output = true;
      outputs.push({ ordinal: raw.length, name, declaredAs: p.declaredAs });
    }
    raw.push(p);
  }
  const bare = procedure.toLowerCase().replace(/^(\[?sys\]?\.|\[?dbo\]?\.)/, '').replace(/^\[|\]$/g, '');
  if (bare === 'sp_executesql') {
    const [stmt, decl, ...rest] = raw;
    if (!stmt || typeof stmt.value !== 'string') throw new ProtocolError('sp_executesql without a statement text');
    const st: Statement = { kind: 'rpc', sql: stmt.value, procedure: 'sp_executesql', parameters: rest, outputs };
    if (decl && typeof decl.value === 'string') st.declaration = decl.value;
    return st;
  }
  return { kind: 'rpc', sql: procedure, procedure, parameters: raw, outputs };
}

/** RETURNVALUE tokens for the output parameters of a request, with the values a rule gives (null otherwise). */
function returnValues(statement: Statement, values: Record<string, unknown> | undefined): Buffer[] {
  return (statement.outputs ?? []).map((o) => {
    const bare = o.name.replace(/^@/, '');
    const value = values && Object.prototype.hasOwnProperty.call(values, o.name) ? values[o.name]
      : values && Object.prototype.hasOwnProperty.call(values, bare) ? values[bare] : null;
    let type;
    try {
      type = parseColumnType(o.declaredAs);
    } catch {
      throw new ProtocolError(`the double cannot return an output parameter of type ${o.declaredAs} (${o.name})`);
    }
    const head = Buffer.alloc(3);
    head[0] = TOKEN.RETURNVALUE;
    head.writeUInt16LE(o.ordinal, 1);
    return Buffer.concat([head, bVarchar(o.name), Buffer.from([0x01, 0, 0, 0, 0, 0x01, 0x00]), encodeTypeInfo(type),
      encodeValue(type, value, `output parameter ${o.name}`)]);
  });
}

class Connection {
  private state: 'prelogin' | 'handshake' | 'login' | 'ready' | 'closed' = 'prelogin';
  /** The TLS side once the double agreed to encrypt: the handshake runs inside PRELOGIN packets, then raw. */
  private secure: { carrier: Duplex; socket: tls.TLSSocket; raw: boolean; pending: Buffer[] } | null = null;
  private inbound: Buffer = Buffer.alloc(0);
  private message: { type: number; parts: Buffer[]; size: number } | null = null;
  private queue: Promise<void> = Promise.resolve();
  private packetSize = 4096;
  private packetId = 0;
  private request: Request | null = null;
  private transaction: Buffer | null = null;
  private transactionCount = 0;
  private readonly loginTimer: NodeJS.Timeout;

  constructor(private readonly socket: net.Socket, readonly id: number, private readonly shared: Shared) {
    socket.setNoDelay(true);
    socket.on('data', (chunk) => (this.secure?.raw ? this.secure.carrier.push(chunk) : this.onData(chunk)));
    socket.on('error', (err) => this.fail(err));
    socket.on('close', () => this.close());
    this.loginTimer = setTimeout(() => { if (this.state !== 'ready') this.close(); }, LOGIN_TIMEOUT_MS);
    this.loginTimer.unref();
  }

  get spid(): number {
    return 50 + this.id;
  }

  close(): void {
    if (this.state === 'closed') return;
    this.state = 'closed';
    clearTimeout(this.loginTimer);
    if (this.request) this.cancel();
    this.socket.destroy();
  }

  private fail(err: Error): void {
    try { this.shared.options.onConnectionError?.(this.id, err); } catch { /* diagnostics only */ }
    this.close();
  }

  private onData(chunk: Buffer): void {
    if (this.state === 'closed') return;
    try {
      this.inbound = this.inbound.length ? Buffer.concat([this.inbound, chunk]) : chunk;
      while (this.inbound.length >= HEADER_LENGTH) {
        const type = this.inbound[0];
        const status = this.inbound[1];
        const length = this.inbound.readUInt16BE(2);
        if (!KNOWN_PACKET_TYPES.has(type)) throw new ProtocolError(`unknown packet type 0x${type.toString(16)}`);
        if (length < HEADER_LENGTH || length > MAX_PACKET) throw new ProtocolError(`bad packet length ${length}`);
        if (this.inbound.length < length) break;
        const body = this.inbound.subarray(HEADER_LENGTH, length);
        this.inbound = this.inbound.subarray(length);
        if (type === PACKET.ATTENTION && !this.message) {
          this.onAttention();
          continue;
        }
        if (!this.message) this.message = { type, parts: [], size: 0 };
        else if (this.message.type !== type) throw new ProtocolError('packet type changed inside a message');
        this.message.parts.push(Buffer.from(body));
        this.message.size += body.length;
        if (this.message.size > MAX_MESSAGE) throw new ProtocolError('message too large');
        if (status & STATUS_EOM) {
          const msg = { type: this.message.type, payload: Buffer.concat(this.message.parts) };
          this.message = null;
          if (status & STATUS_IGNORE) {
            // The client gave up on this message while sending it (a cancel before the last packet); it still
            // reads one answer for it.
            this.queue = this.queue.then(() => {
              if (this.state === 'ready') this.send(PACKET.TABULAR_RESULT, doneToken(TOKEN.DONE, DONE_STATUS.FINAL, 0, 0), true);
            });
            continue;
          }
          this.queue = this.queue.then(() => this.handle(msg.type, msg.payload)).catch((err: Error) => this.fail(err));
        }
      }
    } catch (err) {
      this.fail(err as Error);
    }
  }

  private send(type: number, payload: Buffer, final: boolean): void {
    if (this.state === 'closed' || this.socket.destroyed) return;
    const packets = packetize(type, payload, this.packetSize, final, () => (this.packetId = (this.packetId + 1) & 0xff), this.spid);
    const bytes = packets.length === 1 ? packets[0] : Buffer.concat(packets);
    if (this.secure?.socket.encrypted && this.secure.raw) this.secure.socket.write(bytes);
    else this.socket.write(bytes);
  }

  private async handle(type: number, payload: Buffer): Promise<void> {
    if (this.state === 'closed') return;
    if (this.state === 'prelogin') {
      if (type !== PACKET.PRELOGIN) throw new ProtocolError(`expected PRELOGIN, got packet type 0x${type.toString(16)}`);
      this.onPrelogin(payload);
      return;
    }
    if (this.state === 'handshake') {
      if (type !== PACKET.PRELOGIN) throw new ProtocolError(`expected the TLS handshake in PRELOGIN packets, got packet type 0x${type.toString(16)}`);
      this.secure?.carrier.push(payload);
      return;
    }
    if (this.state === 'login') {
      if (type !== PACKET.LOGIN7) throw new ProtocolError(`expected LOGIN7, got packet type 0x${type.toString(16)}`);
      this.onLogin7(payload);
      return;
    }
    let statement: Statement;
    if (type === PACKET.TRANSACTION_MANAGER) {
      try {
        this.onTransactionManager(payload);
      } catch (err) {
        if (!(err instanceof ProtocolError)) throw err;
        this.sendError({ number: 8009, state: 1, class: 16, message: `The TDS double cannot serve this transaction manager request: ${err.message}` });
      }
      return;
    }
    if (type !== PACKET.SQL_BATCH && type !== PACKET.RPC) throw new ProtocolError(`unexpected packet type 0x${type.toString(16)}`);
    try {
      statement = type === PACKET.SQL_BATCH ? parseSqlBatch(payload) : parseRpc(payload);
    } catch (err) {
      if (!(err instanceof ProtocolError)) throw err;
      this.sendError({
        number: 8009, state: 1, class: 16,
        message: `The incoming tabular data stream (TDS) protocol stream is incorrect: ${err.message}`,
      });
      return;
    }
    await this.execute(statement);
  }

  private sendError(m: MessageFields): void {
    this.send(PACKET.TABULAR_RESULT, Buffer.concat([
      messageToken(m), doneToken(TOKEN.DONE, DONE_STATUS.ERROR, 0, 0),
    ]), true);
  }

  // --- PRELOGIN ---------------------------------------------------------------------------------------

  private onPrelogin(payload: Buffer): void {
    // Walk the option table to check it is well formed (the values themselves do not change the answer).
    const r = new Reader(payload);
    for (let i = 0; ; i++) {
      if (i > 64) throw new ProtocolError('PRELOGIN option table too long');
      const token = r.u8();
      if (token === 0xff) break;
      const offset = r.buf.readUInt16BE((r.need(4), r.pos));
      const length = r.buf.readUInt16BE(r.pos + 2);
      r.pos += 4;
      if (offset + length > payload.length) throw new ProtocolError('PRELOGIN option outside the message');
    }
    const options: [number, Buffer][] = [
      [0x00, Buffer.from([SERVER_VERSION[0], SERVER_VERSION[1], SERVER_VERSION[2] >> 8, SERVER_VERSION[2] & 0xff, 0, 0])],
      [0x01, Buffer.from([this.shared.options.tls ? 0x01 : 0x02])], // ENCRYPTION: ENCRYPT_ON with a certificate, else ENCRYPT_NOT_SUP
      [0x02, Buffer.from([0x00])], // INSTOPT
      [0x03, Buffer.alloc(0)], // THREADID
      [0x04, Buffer.from([0x00])], // MARS off
    ];
    const table = Buffer.alloc(options.length * 5 + 1);
    let dataOffset = table.length;
    options.forEach(([token, data], i) => {
      table[i * 5] = token;
      table.writeUInt16BE(dataOffset, i * 5 + 1);
      table.writeUInt16BE(data.length, i * 5 + 3);
      dataOffset += data.length;
    });
    table[table.length - 1] = 0xff;
    this.state = this.shared.options.tls ? 'handshake' : 'login';
    this.send(PACKET.TABULAR_RESULT, Buffer.concat([table, ...options.map(([, d]) => d)]), true);
    if (this.shared.options.tls) this.startTls(this.shared.options.tls);
  }

  /**
   * Server side of TDS 7.x TLS: each handshake flight of the TLS socket goes out as one PRELOGIN message
   * (the client reads exactly one answer per flight), and once the handshake is done both directions are raw
   * TLS records carrying ordinary TDS packets.
   */
  private startTls(credentials: { key: string | Buffer; cert: string | Buffer }): void {
    const flush = () => {
      const secure = this.secure;
      if (!secure || secure.pending.length === 0) return;
      const bytes = Buffer.concat(secure.pending.splice(0));
      if (secure.raw) this.socket.write(bytes);
      else this.send(PACKET.PRELOGIN, bytes, true);
    };
    const carrier = new Duplex({
      read() { /* data is pushed as it arrives */ },
      write: (chunk: Buffer, _encoding, callback) => {
        if (this.secure?.raw) this.socket.write(chunk);
        else {
          this.secure?.pending.push(Buffer.from(chunk));
          setImmediate(flush);
        }
        callback();
      },
    });
    const socket = new tls.TLSSocket(carrier, { isServer: true, secureContext: tls.createSecureContext({ key: credentials.key, cert: credentials.cert }) });
    this.secure = { carrier, socket, raw: false, pending: [] };
    socket.on('secure', () => {
      setImmediate(() => {
        flush();
        if (this.secure) this.secure.raw = true;
        this.state = 'login';
      });
    });
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', (err) => this.fail(err));
  }

  // --- LOGIN7 -----------------------------------------------------------------------------------------

  private onLogin7(payload: Buffer): void {
    if (payload.length < 94) throw new ProtocolError('LOGIN7 shorter than its fixed part');
    const declared = payload.readUInt32LE(0);
    if (declared > payload.length || declared < 94) throw new ProtocolError('LOGIN7 length field disagrees with the message');
    const text = (at: number, secret = false): string => {
      const ib = payload.readUInt16LE(at);
      const cch = payload.readUInt16LE(at + 2);
      if (cch === 0) return '';
      if (cch > 256 || ib < 94 || ib + cch * 2 > declared) throw new ProtocolError('LOGIN7 field outside the message');
      const bytes = Buffer.from(payload.subarray(ib, ib + cch * 2));
      if (secret) {
        for (let i = 0; i < bytes.length; i++) {
          const x = bytes[i] ^ 0xa5;
          bytes[i] = ((x & 0x0f) << 4) | (x >> 4);
        }
      }
      return bytes.toString('utf16le');
    };
    const requestedPacketSize = payload.readUInt32LE(8);
    const optionFlags2 = payload[25];
    const optionFlags3 = payload[27];
    const user = text(40);
    const password = text(44, true);
    const appName = text(48);
    const database = text(68) || 'master';
    const sspiLength = payload.readUInt16LE(80);
    const integrated = (optionFlags2 & 0x80) !== 0 || sspiLength > 0;

    const expected = Object.prototype.hasOwnProperty.call(this.shared.users, user) ? this.shared.users[user] : undefined;
    const ok = !integrated && user !== '' && expected !== undefined && expected === password;
    this.shared.server.logins.push({ connection: this.id, user, database, appName, ok, encrypted: !!this.secure?.raw });
    if (!ok) {
      const message = integrated
        ? 'Login failed. The login is from an untrusted domain and cannot be used with Integrated authentication.'
        : `Login failed for user '${user}'.`;
      this.send(PACKET.TABULAR_RESULT, Buffer.concat([
        messageToken({ number: 18456, state: 1, class: 14, message }),
        doneToken(TOKEN.DONE, DONE_STATUS.ERROR, 0, 0),
      ]), true);
      this.state = 'closed';
      clearTimeout(this.loginTimer);
      this.socket.end();
      return;
    }
    const packetSize = requestedPacketSize === 0 ? 4096 : Math.min(Math.max(requestedPacketSize, 512), MAX_PACKET - 1);
    const tokens = [
      envChangeString(1, database, 'master'),
      envChangeBytes(7, DEFAULT_COLLATION, Buffer.alloc(0)),
      envChangeString(2, 'us_english', ''),
      loginAck('Microsoft SQL Server', SERVER_VERSION),
    ];
    if (optionFlags3 & 0x10) tokens.push(featureExtAckEmpty());
    tokens.push(envChangeString(4, String(packetSize), String(this.packetSize)));
    tokens.push(doneToken(TOKEN.DONE, DONE_STATUS.FINAL, 0, 0));
    this.send(PACKET.TABULAR_RESULT, Buffer.concat(tokens), true);
    this.packetSize = packetSize;
    this.state = 'ready';
    clearTimeout(this.loginTimer);
  }

  // --- transaction manager requests (BeginTransaction, Commit, Rollback, Save) ---------------------------------

  private onTransactionManager(payload: Buffer): void {
    const r = new Reader(payload);
    skipAllHeaders(r);
    const requestType = r.u16();
    const name = (): string => r.ucs2(r.u8());
    const tokens: Buffer[] = [];
    let sql: string;
    const begin = (): void => {
      this.transaction = Buffer.alloc(8);
      this.transaction.writeBigUInt64LE(BigInt(this.spid) * 1_000_000n + BigInt(++this.transactionCount));
      tokens.push(envChangeBytes(8, this.transaction, Buffer.alloc(0)));
    };
    switch (requestType) {
      case 5: { // TM_BEGIN_XACT
        r.u8(); // isolation level
        const n = name();
        sql = `BEGIN TRANSACTION${n ? ` ${n}` : ''}`;
        begin();
        break;
      }
      case 7: // TM_COMMIT_XACT
      case 8: { // TM_ROLLBACK_XACT
        const n = name();
        const again = r.remaining > 0 && (r.u8() & 0x01) !== 0;
        if (!this.transaction) throw new ProtocolError('no transaction is open');
        sql = `${requestType === 7 ? 'COMMIT' : 'ROLLBACK'} TRANSACTION${n ? ` ${n}` : ''}`;
        tokens.push(envChangeBytes(requestType === 7 ? 9 : 10, Buffer.alloc(0), this.transaction));
        this.transaction = null;
        if (again) {
          if (r.remaining > 0) { r.u8(); if (r.remaining > 0) name(); }
          begin();
        }
        break;
      }
      case 9: // TM_SAVE_XACT
        sql = `SAVE TRANSACTION ${name()}`;
        break;
      default:
        throw new ProtocolError(`transaction manager request type ${requestType} is not supported`);
    }
    const entry: LoggedStatement = { kind: 'transaction', sql, parameters: [], connection: this.id };
    this.shared.server.log.push(entry);
    try { this.shared.options.onStatement?.(entry); } catch { /* a logging failure must not break the answer */ }
    tokens.push(doneToken(TOKEN.DONE, this.transaction ? DONE_STATUS.INXACT : DONE_STATUS.FINAL, 0, 0));
    this.send(PACKET.TABULAR_RESULT, Buffer.concat(tokens), true);
  }

  // --- statements ---------------------------------------------------------------------------------------

  private onAttention(): void {
    if (this.state !== 'ready') return;
    if (this.request) {
      this.cancel();
    } else {
      this.send(PACKET.TABULAR_RESULT, doneToken(TOKEN.DONE, DONE_STATUS.ATTN, 0, 0), true);
    }
  }

  private cancel(): void {
    const req = this.request;
    if (!req) return;
    req.cancelled = true;
    req.wake?.();
  }

  private sleep(req: Request, ms: number): Promise<void> {
    return new Promise((resolve) => {
      if (req.cancelled) { resolve(); return; }
      const timer = setTimeout(() => { req.wake = undefined; resolve(); }, ms);
      req.wake = () => { clearTimeout(timer); req.wake = undefined; resolve(); };
    });
  }

  private record(statement: Statement, rule: PreparedRule | undefined): LoggedStatement {
    const entry: LoggedStatement = { kind: statement.kind, sql: statement.sql, parameters: statement.parameters, connection: this.id };
    if (statement.procedure !== undefined) entry.procedure = statement.procedure;
    if (statement.declaration !== undefined) entry.declaration = statement.declaration;
    if (rule) entry.rule = rule.index;
    else entry.unmatched = true;
    return entry;
  }

  private async execute(statement: Statement): Promise<void> {
    const rpc = statement.kind === 'rpc';
    const inner = rpc ? TOKEN.DONEINPROC : TOKEN.DONE;
    const rule = findRule(this.shared.rules, statement.sql, statement.parameters);
    const builtin = rule ? undefined : builtinRule(statement);
    const entry = this.record(statement, rule);
    if (builtin) delete entry.unmatched;
    if (builtin) this.shared.server.builtinLog.push(entry);
    else {
      this.shared.server.log.push(entry);
      try { this.shared.options.onStatement?.(entry); } catch { /* a logging failure must not break the answer */ }
    }
    const answering = rule ?? builtin;
    if (!answering) {
      const shown = statement.sql.length > 400 ? `${statement.sql.slice(0, 400)}…` : statement.sql;
      this.sendError({ number: UNMATCHED_ERROR_NUMBER, state: 1, class: 16, message: `TDS double: no rule matches this statement: ${shown}` });
      return;
    }

    const req: Request = { cancelled: false };
    this.request = req;
    try {
      await this.answer(answering, statement, inner, req);
    } finally {
      this.request = null;
    }
  }

  private async answer(rule: PreparedRule, statement: Statement, inner: number, req: Request): Promise<void> {
    const src = rule.source;
    const rpc = statement.kind === 'rpc';
    let outputTokens: Buffer[] = [];
    if (rpc) {
      try {
        outputTokens = returnValues(statement, src.outputs);
      } catch (err) {
        this.sendError({ number: 8009, state: 1, class: 16, message: `TDS double: ${(err as Error).message}` });
        return;
      }
    }
    let pending: Buffer[] = [];
    let pendingDone: { status: number; curCmd: number; count: number } | null = null;
    const push = (b: Buffer): void => {
      if (pendingDone) {
        pending.push(doneToken(inner, pendingDone.status | DONE_STATUS.MORE, pendingDone.curCmd, pendingDone.count));
        pendingDone = null;
      }
      pending.push(b);
    };
    const flush = (): void => {
      if (pending.length) this.send(PACKET.TABULAR_RESULT, Buffer.concat(pending), false);
      pending = [];
    };
    const ackAttention = (): void => {
      // Whatever was not sent yet is dropped. The answer to the cancelled request is closed with a DONE of
      // its own message, and the acknowledgement follows as a separate message (tedious reads exactly that).
      this.send(PACKET.TABULAR_RESULT, doneToken(TOKEN.DONE, DONE_STATUS.FINAL, 0, 0), true);
      this.send(PACKET.TABULAR_RESULT, doneToken(TOKEN.DONE, DONE_STATUS.ATTN, 0, 0), true);
    };
    const drop = (): void => {
      this.state = 'closed';
      if (this.socket.destroyed) return;
      this.socket.end(() => this.socket.destroy());
    };

    if (src.delayMs) {
      await this.sleep(req, src.delayMs);
      if (req.cancelled) { if (this.state !== 'closed') ackAttention(); return; }
    }
    if (src.dropConnection === 'before') { drop(); return; }

    for (const m of src.messages ?? []) {
      if (m.delayMs) {
        flush();
        await this.sleep(req, m.delayMs);
        if (req.cancelled) { if (this.state !== 'closed') ackAttention(); return; }
      }
      push(messageToken({ number: m.number ?? 0, state: m.state ?? 1, class: m.class ?? 0, message: m.text }));
    }

    for (const [si, rs] of rule.resultSets.entries()) {
      const meta = Buffer.alloc(3);
      meta[0] = TOKEN.COLMETADATA;
      meta.writeUInt16LE(rs.columns.length, 1);
      const cols = rs.columns.map((c) => Buffer.concat([Buffer.alloc(4), Buffer.from([0x09, 0x00]), c.typeInfo, Buffer.from([Math.min(c.name.length, 255)]), Buffer.from(c.name.slice(0, 255), 'utf16le')]));
      push(Buffer.concat([meta, ...cols]));
      const rows = src.dropConnection === 'mid-result' && si === 0 ? rs.rows.slice(0, Math.ceil(rs.rows.length / 2)) : rs.rows;
      for (const row of rows) push(Buffer.concat([Buffer.from([TOKEN.ROW]), row]));
      if (src.dropConnection === 'mid-result') { flush(); drop(); return; }
      pendingDone = { status: DONE_STATUS.COUNT, curCmd: 0xc1, count: rs.rows.length };
    }
    if (src.dropConnection === 'mid-result') { flush(); drop(); return; }

    if (src.rowsAffected !== undefined) {
      push(Buffer.alloc(0));
      pendingDone = { status: DONE_STATUS.COUNT, curCmd: 0, count: src.rowsAffected };
    }

    const errors = [...(src.errors ?? []), ...(src.error ? [src.error] : [])];
    if (errors.length) {
      let severity = 0;
      for (const err of errors) {
        severity = Math.max(severity, err.class ?? 16);
        push(messageToken({ number: err.number, state: err.state ?? 1, class: err.class ?? 16, message: err.message }));
      }
      const status = DONE_STATUS.ERROR | (severity >= 20 ? DONE_STATUS.SRVERROR : 0);
      pending.push(doneToken(rpc ? TOKEN.DONEPROC : TOKEN.DONE, status, 0, 0));
      this.send(PACKET.TABULAR_RESULT, Buffer.concat(pending), true);
      if (severity >= 20) drop();
      return;
    }
    if (rpc) {
      push(returnStatus(src.returnStatus ?? 0));
      pending.push(...outputTokens);
      pending.push(doneToken(TOKEN.DONEPROC, DONE_STATUS.FINAL, 0, 0));
    } else if (pendingDone) {
      const d: { status: number; curCmd: number; count: number } = pendingDone;
      pending.push(doneToken(TOKEN.DONE, d.status, d.curCmd, d.count));
    } else {
      pending.push(doneToken(TOKEN.DONE, DONE_STATUS.FINAL, 0, 0));
    }
    this.send(PACKET.TABULAR_RESULT, Buffer.concat(pending), true);
  }
}

/** Starts the double on 127.0.0.1 and resolves once it listens. */
export function startTdsServer(options: TdsServerOptions): Promise<TdsServer> {
  const shared: Shared = {
    rules: prepareRules(options.rules),
    users: options.users ?? { [DEFAULT_USER]: options.password ?? DEFAULT_PASSWORD },
    options,
    server: undefined as unknown as TdsServer,
  };
  const connections = new Set<Connection>();
  let nextId = 1;
  const netServer = net.createServer((socket) => {
    const conn = new Connection(socket, nextId++, shared);
    connections.add(conn);
    socket.on('close', () => connections.delete(conn));
  });
  netServer.on('error', () => { /* listen errors are reported by the promise below */ });

  return new Promise((resolve, reject) => {
    netServer.once('error', reject);
    netServer.listen(options.port ?? 0, '127.0.0.1', () => {
      netServer.off('error', reject);
      const address = netServer.address() as net.AddressInfo;
      let stopped: Promise<void> | null = null;
      const server: TdsServer = {
        port: address.port,
        log: [],
        builtinLog: [],
        logins: [],
        get unmatched() { return this.log.filter((s) => s.unmatched); },
        setRules(rules: Rule[]) { shared.rules = prepareRules(rules); },
        stop() {
          if (!stopped) {
            stopped = new Promise<void>((done) => {
              netServer.close(() => done());
              for (const c of connections) c.close();
            });
          }
          return stopped;
        },
      };
      shared.server = server;
      resolve(server);
    });
  });
}
