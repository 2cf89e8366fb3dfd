/**
 * `vmm-backup db backup|verify|status|history`: the VMM database on SQL Server through mssql (src/sql).
 * Passwords come from an environment variable or a no-echo prompt, never from the command line.
 */
import type { Argv, CommandModule } from 'yargs';
import type sql from 'mssql';
import { badInput, CliError, environmentError } from '../errors';
import { EXIT_CODE_HELP, ExitCode } from '../exit-codes';
import { promptPassword } from '../terminal';
import { nonEmpty, numberIn } from '../options';
import {
  backupDatabase,
  connectSql,
  getBackupFreshness,
  getBackupHistory,
  parseServer,
  verifyBackup,
  VmmSqlError,
  type BackupHistoryEntry,
  type SqlAuth,
  type SqlConnectionOptions,
  type SqlProgress,
} from '../../sql';

/** Exit codes of `db status` (the one table: a backup that is not fresh is a state that is not good). */
export const STATUS_EXIT = { fresh: ExitCode.Ok, stale: ExitCode.Failure, missing: ExitCode.Failure } as const;
export const DEFAULT_PASSWORD_ENV = 'VMMBACKUP_SQL_PASSWORD';

interface ConnArgs {
  server: string;
  port?: number;
  user?: string;
  'password-env'?: string;
  'windows-auth'?: boolean;
  domain?: string;
  encrypt?: boolean;
  'trust-server-certificate'?: boolean;
  ca?: string;
  'connect-timeout'?: number;
  json?: boolean;
  setExitCode?: (code: number) => void;
}

function connectionOptions(y: Argv): Argv<ConnArgs> {
  return y
    .option('server', { type: 'string', demandOption: true, describe: 'SQL Server: host, host,port or host\\instance', coerce: serverName })
    .option('port', { type: 'number', describe: 'TCP port (instead of host,port)', coerce: numberIn('port', { min: 1, max: 65535, integer: true }) })
    .option('user', { type: 'string', describe: 'SQL login, or the Windows account with --windows-auth' })
    .option('password-env', { type: 'string', describe: `Environment variable holding the password (default ${DEFAULT_PASSWORD_ENV}; else prompt)` })
    .option('windows-auth', { type: 'boolean', default: false, describe: 'Windows authentication (NTLM) with --domain, --user and the password' })
    .option('domain', { type: 'string', describe: 'Windows domain for --windows-auth' })
    .option('encrypt', {
      type: 'boolean',
      default: true,
      describe: 'Encrypt the connection, or fail (exit 3) when the server will not: nothing is sent in plain text. --no-encrypt connects in plain text (trusted networks only)',
    })
    .option('trust-server-certificate', { type: 'boolean', default: false, describe: 'Accept any server certificate (test servers only); without it the certificate must chain to a trusted CA or --ca' })
    .option('ca', { type: 'string', describe: 'PEM file of the CA that issued the server certificate' })
    .option('connect-timeout', { type: 'number', default: 15, describe: 'Login time-out, seconds', coerce: numberIn('connect-timeout', { min: 0, aboveMin: true, max: 3600 }) })
    .epilogue(EXIT_CODE_HELP) as unknown as Argv<ConnArgs>;
}

/** `--server` checked as SQL Server tools read it (host, host,port, host\instance), so a bad port is bad input. */
function serverName(value: unknown): string {
  const text = nonEmpty('server')(value) as string;
  try {
    parseServer(text);
  } catch (e) {
    throw badInput(`--server: ${(e as Error).message} (a port is a whole number from 1 to 65535)`);
  }
  return text;
}

async function readPassword(args: ConnArgs, who: string): Promise<string> {
  const name = args['password-env'] ?? DEFAULT_PASSWORD_ENV;
  const value = process.env[name];
  if (value !== undefined) return value;
  if (args['password-env']) throw badInput(`environment variable ${name} is not set`, 'MissingPassword');
  if (!process.stdin.isTTY) {
    throw badInput(`no password for ${who}: set --password-env VAR (or ${DEFAULT_PASSWORD_ENV}), or run on a terminal to be prompted`, 'MissingPassword');
  }
  return promptPassword(`Password for ${who}: `);
}

export async function resolveAuth(args: ConnArgs): Promise<SqlAuth> {
  if (args['windows-auth']) {
    if (!args.domain || !args.user) {
      throw badInput('--windows-auth needs --domain and --user (NTLM sends the account and its password; the current Windows logon cannot be used)');
    }
    return { kind: 'ntlm', domain: args.domain, user: args.user, password: await readPassword(args, `${args.domain}\\${args.user}`) };
  }
  if (args.domain) throw badInput('--domain is only used with --windows-auth');
  if (!args.user) throw badInput('name a login: --user <login> (SQL authentication) or --windows-auth --domain <d> --user <u>');
  return { kind: 'sql', user: args.user, password: await readPassword(args, args.user) };
}

async function withPool<T>(args: ConnArgs, work: (pool: sql.ConnectionPool) => Promise<T>): Promise<T> {
  const options: SqlConnectionOptions = {
    server: args.server,
    port: args.port,
    auth: await resolveAuth(args),
    tls: { encrypt: args.encrypt ?? true, trustServerCertificate: args['trust-server-certificate'] ?? false, ca: args.ca },
    connectTimeoutMs: (args['connect-timeout'] ?? 15) * 1000,
  };
  let pool: sql.ConnectionPool | undefined;
  try {
    pool = await connectSql(options);
    return await work(pool);
  } catch (error) {
    if (error instanceof VmmSqlError) throw sqlFailure(error);
    if (error instanceof CliError) throw error;
    throw new CliError((error as Error).message);
  } finally {
    await pool?.close().catch(() => undefined);
  }
}

/** A SQL error in the one table: a server that cannot be reached or will not encrypt is the environment (3). */
export function sqlFailure(error: VmmSqlError): CliError {
  const details = { number: error.number, code: error.code ?? null };
  if (error.code === 'EENCRYPT') return environmentError(error.message, 'EncryptionUnavailable', details);
  if (error.code === 'ECERT') return environmentError(error.message, 'CertificateRejected', details);
  if (error.code === 'ESOCKET' || error.code === 'ETIMEOUT' || error.code === 'EINSTLOOKUP' || error.code === 'ECONNCLOSED') return environmentError(error.message, 'Unreachable', details);
  if (error.number === 18456 || error.code === 'ELOGIN') return new CliError(error.message, ExitCode.Failure, { kind: 'LoginFailed', details });
  return new CliError(error.message, ExitCode.Failure, { kind: 'SqlError', details });
}

/** Progress to stderr: a redrawn bar on a terminal, one plain line per step otherwise. */
export function progressWriter(label: string, stream: NodeJS.WriteStream = process.stderr): { update: (p: SqlProgress) => void; end: () => void } {
  const tty = !!stream.isTTY;
  let drawn = false;
  return {
    update: (p) => {
      if (tty) {
        const width = 30;
        const filled = Math.round((p.percent / 100) * width);
        stream.write(`\r[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${String(p.percent).padStart(3)}% ${label}`);
        drawn = true;
      } else {
        stream.write(`${label}: ${p.percent}%\n`);
      }
    },
    end: () => {
      if (drawn) stream.write('\n');
    },
  };
}

const out = (text: string) => process.stdout.write(text + '\n');
const json = (value: unknown) => out(JSON.stringify(value, null, 2));

interface BackupArgs extends ConnArgs {
  database: string;
  path: string;
  'copy-only'?: boolean;
  compression?: boolean;
}

interface VerifyArgs extends ConnArgs {
  path: string;
  checksum?: boolean;
  file?: number;
}

interface StatusArgs extends ConnArgs {
  database: string;
  'max-age-hours'?: number;
}

interface HistoryArgs extends ConnArgs {
  database: string;
  top?: number;
}

const backup: CommandModule<object, BackupArgs> = {
  command: 'backup',
  describe: 'BACKUP DATABASE to a file (WITH CHECKSUM, INIT, STATS) with progress',
  builder: (y) =>
    connectionOptions(y)
      .option('database', { type: 'string', demandOption: true, describe: 'Database (VMM: VirtualManagerDB)', coerce: nonEmpty('database') })
      .option('path', { type: 'string', demandOption: true, describe: 'Backup file as the SQL Server machine sees it (local path or UNC)', coerce: nonEmpty('path') })
      .option('copy-only', { type: 'boolean', default: false, describe: 'COPY_ONLY: do not disturb the differential base' })
      .option('compression', { type: 'boolean', default: false, describe: 'COMPRESSION' })
      .example('$0 db backup --server sql01 --database VirtualManagerDB --path "D:\\Backup\\VirtualManagerDB.bak" --user sa --password-env SQLPW', '') as never,
  handler: async (args) => {
    const bar = progressWriter(`BACKUP ${args.database}`);
    const result = await withPool(args, (pool) =>
      backupDatabase(pool, { database: args.database, path: args.path, copyOnly: args['copy-only'], compression: args.compression, server: args.server, onProgress: bar.update }).finally(bar.end),
    );
    if (args.json) json(result);
    else out(`backed up ${result.database} to ${result.path}${result.pages !== null ? ` (${result.pages} pages in ${result.seconds} s, ${result.mbPerSecond} MB/s)` : ''}`);
  },
};

const verify: CommandModule<object, VerifyArgs> = {
  command: 'verify',
  describe: 'RESTORE HEADERONLY and RESTORE VERIFYONLY of a backup file',
  builder: (y) =>
    connectionOptions(y)
      .option('path', { type: 'string', demandOption: true, describe: 'Backup file as the SQL Server machine sees it', coerce: nonEmpty('path') })
      .option('checksum', { type: 'boolean', default: true, describe: 'Check page checksums (--no-checksum for backups taken without)' })
      .option('file', { type: 'number', describe: 'Backup set number in the file (default: the last)', coerce: numberIn('file', { min: 1, max: 2147483647, integer: true }) }) as never,
  handler: async (args) => {
    const bar = progressWriter('VERIFY');
    const result = await withPool(args, (pool) =>
      verifyBackup(pool, { path: args.path, checksum: args.checksum, file: args.file, server: args.server, onProgress: bar.update }).finally(bar.end),
    );
    if (args.json) json(result);
    else {
      const h = result.headers.find((x) => x.position === result.file);
      out(`valid  ${result.path}  set ${result.file} of ${result.headers.length}${h ? `: ${h.databaseName} from ${h.serverName ?? '?'}, finished ${h.finishDate?.toISOString() ?? '?'}${h.isCopyOnly ? ', copy-only' : ''}` : ''}`);
    }
  },
};

const status: CommandModule<object, StatusArgs> = {
  command: 'status',
  describe: 'Freshness of the newest full backup from msdb (exit 1 when it is stale or there is none)',
  builder: (y) =>
    connectionOptions(y)
      .option('database', { type: 'string', demandOption: true, describe: 'Database (VMM: VirtualManagerDB)', coerce: nonEmpty('database') })
      .option('max-age-hours', { type: 'number', default: 24, describe: 'Older than this is stale', coerce: numberIn('max-age-hours', { min: 0, aboveMin: true, max: 87600 }) }) as never,
  handler: async (args) => {
    const maxAge = args['max-age-hours'] ?? 24;
    const result = await withPool(args, (pool) => getBackupFreshness(pool, { database: args.database, maxAgeHours: maxAge, server: args.server }));
    if (args.json) json(result);
    else out(`${result.status.padEnd(7)} ${result.summary}`);
    args.setExitCode?.(STATUS_EXIT[result.status]);
  },
};

function historyLine(h: BackupHistoryEntry): string {
  const finished = h.finishDate ? h.finishDate.toISOString().replace('T', ' ').replace(/\.\d+Z$/, '') : '?';
  return `${finished}  ${h.type}${h.isCopyOnly ? ' copy-only' : ''}${h.hasChecksums ? ' checksum' : ''}  ${h.files.join(', ')}`;
}

const history: CommandModule<object, HistoryArgs> = {
  command: 'history',
  describe: 'The last backups of a database recorded in msdb',
  builder: (y) =>
    connectionOptions(y)
      .option('database', { type: 'string', demandOption: true, coerce: nonEmpty('database') })
      .option('top', { type: 'number', default: 20, describe: 'How many backups', coerce: numberIn('top', { min: 1, max: 10000, integer: true }) }) as never,
  handler: async (args) => {
    const entries = await withPool(args, (pool) => getBackupHistory(pool, { database: args.database, top: args.top, server: args.server }));
    if (args.json) json(entries);
    else for (const e of entries) out(historyLine(e));
  },
};

export const dbCommand: CommandModule<object, object> = {
  command: 'db <command>',
  describe: 'Back up, verify and check the VMM database on SQL Server',
  builder: (y) =>
    y
      .command(backup)
      .command(verify)
      .command(status)
      .command(history)
      .demandCommand(1, 'Name a db command: backup, verify, status or history.')
      .epilogue(EXIT_CODE_HELP) as never,
  handler: () => undefined,
};
