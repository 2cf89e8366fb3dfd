/**
 * Connecting to SQL Server with mssql (tedious): server names as SQL Server tools write them, SQL or
 * Windows (NTLM) authentication, and TLS options. Passwords are only held in memory.
 */
import * as fs from 'node:fs';
import sql from 'mssql';
import { createEncryptionGuard } from './encryption-guard';
import { mapSqlError, VmmSqlError } from './errors';

export type SqlAuth =
  | { kind: 'sql'; user: string; password: string }
  /** Windows authentication by NTLM (tedious' `ntlm` type): works from any OS, needs the account's password. */
  | { kind: 'ntlm'; domain: string; user: string; password: string };

export interface SqlTlsOptions {
  /** Encrypt the connection (default true). */
  encrypt?: boolean;
  /** Accept any server certificate (default false). Only for test servers. */
  trustServerCertificate?: boolean;
  /** PEM text or a PEM file path of the CA that issued the server certificate (a private CA). */
  ca?: string | Buffer;
  /** Host name to check the certificate against when it differs from the server name. */
  serverName?: string;
}

export interface SqlConnectionOptions {
  /** `host`, `host,port`, `host\instance`, `tcp:host,port`. */
  server: string;
  /** TCP port (overrides one in `server`). */
  port?: number;
  database?: string;
  auth: SqlAuth;
  tls?: SqlTlsOptions;
  /** Login time-out, ms (default 15000). */
  connectTimeoutMs?: number;
  /** Time-out of ordinary queries, ms (default 30000). BACKUP and RESTORE always run without one. */
  requestTimeoutMs?: number;
  appName?: string;
}

export interface ParsedServer {
  host: string;
  port?: number;
  instance?: string;
}

const localHost = (host: string) => (host === '' || host === '.' || host.toLowerCase() === '(local)' ? 'localhost' : host);

/** Split a SQL Server name into host, port and instance. */
export function parseServer(server: string): ParsedServer {
  let s = server.trim();
  if (/^tcp:/i.test(s)) s = s.slice(4);
  if (!s) throw new Error('the server name is empty');
  const comma = s.lastIndexOf(',');
  if (comma >= 0) {
    const portText = s.slice(comma + 1).trim();
    if (!/^\d{1,5}$/.test(portText) || Number(portText) < 1 || Number(portText) > 65535) {
      throw new Error(`bad port in server name '${server}'`);
    }
    s = s.slice(0, comma);
    const slash = s.indexOf('\\');
    return { host: localHost(slash >= 0 ? s.slice(0, slash) : s), port: Number(portText) };
  }
  const slash = s.indexOf('\\');
  if (slash >= 0) {
    const instance = s.slice(slash + 1);
    if (!instance) throw new Error(`empty instance name in server name '${server}'`);
    return { host: localHost(s.slice(0, slash)), instance };
  }
  return { host: localHost(s) };
}

function readCa(ca: string | Buffer): Buffer {
  if (Buffer.isBuffer(ca)) return ca;
  if (ca.includes('-----BEGIN')) return Buffer.from(ca);
  try {
    return fs.readFileSync(ca);
  } catch (e) {
    throw new Error(`cannot read the CA file ${ca}: ${(e as Error).message}`);
  }
}

/** The mssql configuration for these options (pure apart from reading a CA file). */
export function buildPoolConfig(options: SqlConnectionOptions): sql.config {
  const parsed = parseServer(options.server);
  const tls = options.tls ?? {};
  const port = options.port ?? parsed.port;
  const tediousOptions: Record<string, unknown> = {
    encrypt: tls.encrypt ?? true,
    trustServerCertificate: tls.trustServerCertificate ?? false,
    appName: options.appName ?? 'vmm-backup',
  };
  if (parsed.instance && port === undefined) tediousOptions.instanceName = parsed.instance;
  if (tls.ca !== undefined) tediousOptions.cryptoCredentialsDetails = { ca: readCa(tls.ca) };
  if (tls.serverName) tediousOptions.serverName = tls.serverName;
  const config: sql.config = {
    server: parsed.host,
    database: options.database,
    connectionTimeout: options.connectTimeoutMs ?? 15000,
    requestTimeout: options.requestTimeoutMs ?? 30000,
    pool: { max: 1, min: 0, idleTimeoutMillis: 1000 },
    options: tediousOptions as sql.config['options'],
  };
  if (port !== undefined) config.port = port;
  if (options.auth.kind === 'sql') {
    config.user = options.auth.user;
    config.password = options.auth.password;
  } else {
    config.authentication = {
      type: 'ntlm',
      options: { domain: options.auth.domain, userName: options.auth.user, password: options.auth.password },
    };
  }
  return config;
}

/** The name to show for a login, DOMAIN\user for NTLM. */
export function loginName(auth: SqlAuth): string {
  return auth.kind === 'ntlm' ? `${auth.domain}\\${auth.user}` : auth.user;
}

/**
 * Open a pool of one connection; errors become VmmSqlError with a clear message. With encryption on (the
 * default) the connection is encrypted or refused: when the server will not encrypt, nothing but the
 * pre-login leaves this machine and the error's code is EENCRYPT. Plain text needs `tls.encrypt: false`.
 */
export async function connectSql(options: SqlConnectionOptions): Promise<sql.ConnectionPool> {
  const config = buildPoolConfig(options);
  const guard = options.tls?.encrypt === false ? undefined : createEncryptionGuard();
  if (guard) (config.options as Record<string, unknown>).connector = guard.connector;
  const pool = new sql.ConnectionPool(config);
  pool.on('error', () => undefined);
  try {
    await pool.connect();
  } catch (error) {
    await pool.close().catch(() => undefined);
    const refused = guard?.refusal();
    if (refused) throw new VmmSqlError(`cannot connect to ${options.server}: ${refused.message}`, 0, 'EENCRYPT', refused.serverAnswer ? [refused.serverAnswer] : []);
    throw mapSqlError(error, { action: `connect to ${options.server}`, server: options.server, user: loginName(options.auth), windowsAuth: options.auth.kind === 'ntlm' });
  }
  return pool;
}
