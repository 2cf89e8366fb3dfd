/**
 * SQL Server and driver errors turned into sentences that say what is wrong and what to do. The original
 * server text is kept (it never holds a password) so nothing is lost.
 */

export interface SqlErrorContext {
  /** What was being done, e.g. "back up VirtualManagerDB". */
  action: string;
  server?: string;
  user?: string;
  database?: string;
  path?: string;
  /** The login was Windows authentication (NTLM). */
  windowsAuth?: boolean;
}

export class VmmSqlError extends Error {
  constructor(
    message: string,
    /** The SQL Server error number that explains it (0 for a driver/network error). */
    readonly number: number,
    /** The driver code (ELOGIN, ETIMEOUT, ESOCKET, EREQUEST, …) when there is one. */
    readonly code: string | undefined,
    /** Every server error of the statement, in order, as SQL Server worded them. */
    readonly serverMessages: string[],
  ) {
    super(message);
    this.name = 'VmmSqlError';
  }
}

interface DriverError {
  message?: string;
  code?: string;
  number?: number;
  precedingErrors?: DriverError[];
  originalError?: DriverError & { errors?: DriverError[] };
}

/** Every (number, message) pair carried by an mssql/tedious error, preceding errors first. */
export function serverErrors(error: unknown): { number: number; message: string }[] {
  const e = error as DriverError;
  const out: { number: number; message: string }[] = [];
  for (const p of e?.precedingErrors ?? []) {
    if (typeof p.number === 'number') out.push({ number: p.number, message: p.message ?? '' });
  }
  if (typeof e?.number === 'number') out.push({ number: e.number, message: e.message ?? '' });
  return out;
}

const q = (value: string | undefined) => (value === undefined ? '' : ` '${value}'`);

/** Hints keyed by SQL Server error number, most specific first when several errors came together. */
function explain(number: number, ctx: SqlErrorContext): string | undefined {
  switch (number) {
    case 18456:
      return ctx.windowsAuth
        ? `login failed for user${q(ctx.user)} on ${ctx.server ?? 'the server'}: check the domain, user name and password, and that the account has a login on the server (NTLM needs the server to accept accounts of that domain)`
        : `login failed for user${q(ctx.user)} on ${ctx.server ?? 'the server'}: check the user name and password (and that the server allows SQL Server authentication), or use Windows authentication (--windows-auth --domain)`;
    case 3201:
      return `SQL Server cannot open the backup file${q(ctx.path)}: the path is opened by the SQL Server service on ${ctx.server ?? 'the server'}, not by this machine; check that the folder exists there and that the SQL Server service account may ${ctx.action.startsWith('back up') ? 'write' : 'read'} it`;
    case 911:
    case 4060:
      return `database${q(ctx.database)} does not exist on ${ctx.server ?? 'the server'} (or is not accessible): check --database`;
    case 262:
    case 229:
    case 916:
      return `permission denied: the login needs the db_backupoperator role (or sysadmin) to back up, and read access to msdb for the history`;
    case 3187:
      return `the backup set has no checksums, so it cannot be verified WITH CHECKSUM: verify without checksums (--no-checksum), and take new backups WITH CHECKSUM`;
    case 3241:
    case 3242:
    case 3183:
    case 3189:
    case 3203:
      return `the file${q(ctx.path)} is not a readable SQL Server backup (damaged, truncated or not a backup): take a new backup`;
    case 3271:
    case 3202:
      return `an I/O error occurred on the backup file${q(ctx.path)}: check free space and the storage under it`;
    case 3206:
      return `no backup device named${q(ctx.path)}: give a file path`;
    default:
      return undefined;
  }
}

/** Map any error thrown by mssql/tedious during `ctx.action` to a VmmSqlError with a clear message. */
export function mapSqlError(error: unknown, ctx: SqlErrorContext): VmmSqlError {
  if (error instanceof VmmSqlError) return error;
  const e = error as DriverError;
  const errors = serverErrors(error);
  const serverMessages = errors.map((x) => x.message);
  const said = serverMessages.length ? ` (SQL Server: ${serverMessages.map((m, i) => `${errors[i].number}: ${m}`).join(' / ')})` : '';
  for (const { number } of errors) {
    const hint = explain(number, ctx);
    if (hint) return new VmmSqlError(`cannot ${ctx.action}: ${hint}${said}`, number, e?.code, serverMessages);
  }
  const code = e?.code;
  const text = e?.message ?? String(error);
  if (code === 'ELOGIN') {
    return new VmmSqlError(`cannot ${ctx.action}: ${explain(18456, ctx)} (${text})`, 18456, code, [text]);
  }
  if (code === 'ETIMEOUT') {
    return new VmmSqlError(`cannot ${ctx.action}: ${ctx.server ?? 'the server'} did not answer in time (${text}); check the server name, port, firewall and that SQL Server is running`, 0, code, serverMessages);
  }
  if (code === 'ESOCKET' && /certificate|altnames|Hostname\/IP|SSL|TLS/i.test(text)) {
    return new VmmSqlError(
      `cannot ${ctx.action}: the TLS handshake with ${ctx.server ?? 'the server'} failed (${text}); if the server's certificate comes from a private CA, pass that CA (--ca ca.pem), check the name you connect to is in the certificate, and only for a test server accept any certificate (--trust-server-certificate)`,
      0,
      'ECERT',
      serverMessages,
    );
  }
  if (code === 'ESOCKET' || code === 'EINSTLOOKUP' || code === 'ECONNCLOSED') {
    return new VmmSqlError(`cannot ${ctx.action}: cannot reach ${ctx.server ?? 'the server'} (${text}); check the server name, port, firewall and that SQL Server is running`, 0, code, serverMessages);
  }
  if (errors.length) {
    return new VmmSqlError(`cannot ${ctx.action}: SQL Server error ${errors[errors.length - 1].number}: ${text}${errors.length > 1 ? said : ''}`, errors[errors.length - 1].number, code, serverMessages);
  }
  return new VmmSqlError(`cannot ${ctx.action}: ${text}`, 0, code, serverMessages);
}
