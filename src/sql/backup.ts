/**
 * Back up a database, verify a backup file and read backup history and freshness from msdb, over an open
 * mssql pool. BACKUP and RESTORE run without a request time-out (they take as long as the data takes);
 * their "N percent processed." messages (WITH STATS) reach the caller as progress, in order, as they arrive.
 */
import sql from 'mssql';
import { mapSqlError, SqlErrorContext } from './errors';
import {
  backupDatabaseSql,
  BACKUP_HISTORY_SQL,
  NEWEST_FULL_BACKUP_SQL,
  RESTORE_HEADERONLY_SQL,
  restoreVerifyOnlySql,
} from './statements';

export interface SqlMessage {
  number: number;
  message: string;
}

export interface SqlProgress {
  percent: number;
  message: string;
}

export interface ProgressOptions {
  /** Called for each "N percent processed." message, in the order SQL Server sent them. */
  onProgress?: (progress: SqlProgress) => void;
  /** Called for every informational message. */
  onMessage?: (message: SqlMessage) => void;
}

/** The percentage of a STATS message ("10 percent processed."), or undefined. */
export function parsePercent(message: string): number | undefined {
  const m = /^\s*(\d{1,3}) percent processed\.?/i.exec(message);
  if (!m) return undefined;
  return Math.min(100, Number(m[1]));
}

/** A sysname: 1..128 characters, no NUL (QUOTENAME gives NULL beyond 128). */
export function checkDatabaseName(name: string): void {
  if (typeof name !== 'string' || name.length === 0) throw new Error('the database name is empty');
  if (name.length > 128) throw new Error(`the database name is longer than 128 characters (${name.length})`);
  if (name.includes('\u0000')) throw new Error('the database name contains a NUL character');
}

function checkPath(path: string): void {
  if (typeof path !== 'string' || path.trim().length === 0) throw new Error('the backup path is empty');
  if (path.length > 4000) throw new Error('the backup path is longer than 4000 characters');
}

/** A request with no time-out (for BACKUP/RESTORE), wired to the progress callbacks. */
function longRequest(pool: sql.ConnectionPool, progress: ProgressOptions, messages: SqlMessage[]): sql.Request {
  const RequestWithOverrides = sql.Request as unknown as new (
    parent: sql.ConnectionPool,
    overrides: { requestTimeout: number },
  ) => sql.Request;
  const request = new RequestWithOverrides(pool, { requestTimeout: 0 });
  request.on('info', (info: { number: number; message: string }) => {
    const message = { number: info.number, message: info.message };
    messages.push(message);
    progress.onMessage?.(message);
    const percent = parsePercent(info.message);
    if (percent !== undefined) progress.onProgress?.({ percent, message: info.message });
  });
  return request;
}

async function run<T>(ctx: SqlErrorContext, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw mapSqlError(error, ctx);
  }
}

export interface BackupOptions extends ProgressOptions {
  database: string;
  /** The backup file as SQL Server sees it (a path on the SQL Server machine or a UNC path). */
  path: string;
  copyOnly?: boolean;
  compression?: boolean;
  /** For error messages. */
  server?: string;
}

export interface BackupResult {
  database: string;
  path: string;
  copyOnly: boolean;
  compression: boolean;
  /** From message 3014 "BACKUP DATABASE successfully processed N pages in S seconds (R MB/sec).". */
  pages: number | null;
  seconds: number | null;
  mbPerSecond: number | null;
  messages: SqlMessage[];
}

/** BACKUP DATABASE … TO DISK … WITH CHECKSUM, INIT, STATS [, COPY_ONLY] [, COMPRESSION]. */
export async function backupDatabase(pool: sql.ConnectionPool, options: BackupOptions): Promise<BackupResult> {
  checkDatabaseName(options.database);
  checkPath(options.path);
  const messages: SqlMessage[] = [];
  const ctx: SqlErrorContext = { action: `back up ${options.database}`, server: options.server, database: options.database, path: options.path };
  await run(ctx, async () => {
    const request = longRequest(pool, options, messages);
    request.input('db', sql.NVarChar(128), options.database);
    request.input('path', sql.NVarChar(4000), options.path);
    await request.query(backupDatabaseSql({ copyOnly: options.copyOnly, compression: options.compression }));
  });
  const done = messages.find((m) => m.number === 3014)?.message ?? '';
  const stats = /processed (\d+) pages in ([\d.]+) seconds \(([\d.]+) MB\/sec\)/i.exec(done);
  return {
    database: options.database,
    path: options.path,
    copyOnly: !!options.copyOnly,
    compression: !!options.compression,
    pages: stats ? Number(stats[1]) : null,
    seconds: stats ? Number(stats[2]) : null,
    mbPerSecond: stats ? Number(stats[3]) : null,
    messages,
  };
}

/** One backup set of a file, from RESTORE HEADERONLY (the columns this tool uses). */
export interface BackupHeader {
  position: number;
  databaseName: string;
  serverName: string | null;
  backupName: string | null;
  /** 1 database, 2 log, 5 differential, … as RESTORE HEADERONLY numbers them. */
  backupType: number;
  backupTypeDescription: string | null;
  startDate: Date | null;
  finishDate: Date | null;
  isCopyOnly: boolean;
  hasChecksums: boolean;
  compressed: boolean;
  backupSize: number | null;
  backupSetGuid: string | null;
}

type Row = Record<string, unknown>;

const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
const str = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));
const date = (v: unknown): Date | null => (v instanceof Date ? v : v === null || v === undefined ? null : new Date(String(v)));
const bool = (v: unknown): boolean => v === true || v === 1 || v === '1';

export function headerFromRow(row: Row): BackupHeader {
  return {
    position: Number(row.Position ?? 1),
    databaseName: String(row.DatabaseName ?? ''),
    serverName: str(row.ServerName),
    backupName: str(row.BackupName),
    backupType: Number(row.BackupType ?? 0),
    backupTypeDescription: str(row.BackupTypeDescription),
    startDate: date(row.BackupStartDate),
    finishDate: date(row.BackupFinishDate),
    isCopyOnly: bool(row.IsCopyOnly),
    hasChecksums: bool(row.HasBackupChecksums),
    compressed: bool(row.Compressed),
    backupSize: num(row.BackupSize),
    backupSetGuid: str(row.BackupSetGUID),
  };
}

export interface FileOptions extends ProgressOptions {
  path: string;
  server?: string;
}

/** RESTORE HEADERONLY: the backup sets in a file. */
export async function readBackupHeader(pool: sql.ConnectionPool, options: FileOptions): Promise<BackupHeader[]> {
  checkPath(options.path);
  const ctx: SqlErrorContext = { action: `read the backup header of '${options.path}'`, server: options.server, path: options.path };
  return run(ctx, async () => {
    const request = longRequest(pool, options, []);
    request.input('path', sql.NVarChar(4000), options.path);
    const result = await request.query(RESTORE_HEADERONLY_SQL);
    return (result.recordset ?? []).map((r) => headerFromRow(r as Row));
  });
}

export interface VerifyOptions extends FileOptions {
  /** Check page checksums (WITH CHECKSUM, default true). */
  checksum?: boolean;
  /** Backup set to verify (default: the last one in the file, from RESTORE HEADERONLY). */
  file?: number;
}

export interface VerifyResult {
  path: string;
  valid: boolean;
  file: number;
  checksum: boolean;
  headers: BackupHeader[];
  messages: SqlMessage[];
}

/**
 * RESTORE HEADERONLY, then RESTORE VERIFYONLY … WITH FILE = n, CHECKSUM, STATS on the last backup set.
 * Resolves only when the backup verified; a failed verification throws VmmSqlError.
 */
export async function verifyBackup(pool: sql.ConnectionPool, options: VerifyOptions): Promise<VerifyResult> {
  const headers = await readBackupHeader(pool, { path: options.path, server: options.server });
  if (headers.length === 0) throw mapSqlError(new Error(`RESTORE HEADERONLY found no backup set in '${options.path}'`), { action: 'verify the backup', path: options.path });
  const file = options.file ?? Math.max(...headers.map((h) => h.position));
  const checksum = options.checksum ?? true;
  const messages: SqlMessage[] = [];
  const ctx: SqlErrorContext = { action: `verify the backup '${options.path}'`, server: options.server, path: options.path };
  await run(ctx, async () => {
    const request = longRequest(pool, options, messages);
    request.input('path', sql.NVarChar(4000), options.path);
    request.input('file', sql.Int, file);
    await request.query(restoreVerifyOnlySql(checksum));
  });
  return { path: options.path, valid: true, file, checksum, headers, messages };
}

/** One backup from msdb.dbo.backupset with the files of its media set. */
export interface BackupHistoryEntry {
  backupSetId: number;
  database: string;
  server: string | null;
  /** msdb type: D full, I differential, L log, F file, G differential file, P partial, Q differential partial. */
  type: string;
  startDate: Date | null;
  finishDate: Date | null;
  /** Seconds since the backup finished, by the server's clock. */
  ageSeconds: number | null;
  isCopyOnly: boolean;
  hasChecksums: boolean;
  isDamaged: boolean;
  backupSize: number | null;
  compressedBackupSize: number | null;
  files: string[];
}

/** Rows of backupset × backupmediafamily grouped back into backups, keeping the query's order. */
export function groupHistory(rows: Row[]): BackupHistoryEntry[] {
  const byId = new Map<number, BackupHistoryEntry>();
  for (const r of rows) {
    const id = Number(r.backup_set_id);
    let entry = byId.get(id);
    if (!entry) {
      entry = {
        backupSetId: id,
        database: String(r.database_name ?? ''),
        server: str(r.server_name),
        type: String(r.type ?? '').trim(),
        startDate: date(r.backup_start_date),
        finishDate: date(r.backup_finish_date),
        ageSeconds: num(r.age_seconds),
        isCopyOnly: bool(r.is_copy_only),
        hasChecksums: bool(r.has_backup_checksums),
        isDamaged: bool(r.is_damaged),
        backupSize: num(r.backup_size),
        compressedBackupSize: num(r.compressed_backup_size),
        files: [],
      };
      byId.set(id, entry);
    }
    if (r.physical_device_name !== null && r.physical_device_name !== undefined) entry.files.push(String(r.physical_device_name));
  }
  return [...byId.values()];
}

export interface HistoryOptions {
  database: string;
  /** How many backups (default 20, at most 1000). */
  top?: number;
  server?: string;
}

/** The last backups of a database recorded in msdb, newest first. */
export async function getBackupHistory(pool: sql.ConnectionPool, options: HistoryOptions): Promise<BackupHistoryEntry[]> {
  checkDatabaseName(options.database);
  const top = options.top ?? 20;
  if (!Number.isInteger(top) || top < 1 || top > 1000) throw new Error('top must be an integer from 1 to 1000');
  const ctx: SqlErrorContext = { action: `read the backup history of ${options.database} from msdb`, server: options.server, database: options.database };
  return run(ctx, async () => {
    const request = pool.request();
    request.input('database', sql.NVarChar(128), options.database);
    request.input('top', sql.Int, top);
    const result = await request.query(BACKUP_HISTORY_SQL);
    return groupHistory((result.recordset ?? []) as Row[]);
  });
}

export type FreshnessStatus = 'fresh' | 'stale' | 'missing';

export interface FreshnessResult {
  database: string;
  status: FreshnessStatus;
  maxAgeHours: number;
  /** The newest full backup, copy-only ones included (they restore the same way). */
  newest: BackupHistoryEntry | null;
  ageHours: number | null;
  /** One sentence for people. */
  summary: string;
}

export interface FreshnessOptions {
  database: string;
  maxAgeHours?: number;
  server?: string;
}

/** Decide freshness from the newest full backup (pure). */
export function judgeFreshness(database: string, newest: BackupHistoryEntry | null, maxAgeHours: number): FreshnessResult {
  if (!newest) {
    return { database, status: 'missing', maxAgeHours, newest: null, ageHours: null, summary: `no full backup of ${database} is recorded in msdb` };
  }
  const ageHours = newest.ageSeconds === null ? null : Math.round((newest.ageSeconds / 3600) * 100) / 100;
  const finished = newest.finishDate ? newest.finishDate.toISOString().replace('T', ' ').replace(/\.\d+Z$/, '') : 'an unknown time';
  const where = newest.files.join(', ') || 'an unknown file';
  const notes = [newest.isCopyOnly ? 'copy-only' : '', newest.hasChecksums ? 'with checksums' : 'without checksums', newest.isDamaged ? 'marked damaged' : '']
    .filter(Boolean)
    .join(', ');
  if (newest.isDamaged || ageHours === null || ageHours > maxAgeHours) {
    const why = newest.isDamaged ? 'is marked damaged' : `is ${ageHours ?? '?'} h old, more than ${maxAgeHours} h`;
    return { database, status: 'stale', maxAgeHours, newest, ageHours, summary: `the newest full backup of ${database} ${why} (finished ${finished}, ${where}; ${notes})` };
  }
  return { database, status: 'fresh', maxAgeHours, newest, ageHours, summary: `the newest full backup of ${database} is ${ageHours} h old (finished ${finished}, ${where}; ${notes})` };
}

/** The newest full backup of the database from msdb, compared with a maximum age (default 24 h). */
export async function getBackupFreshness(pool: sql.ConnectionPool, options: FreshnessOptions): Promise<FreshnessResult> {
  checkDatabaseName(options.database);
  const maxAgeHours = options.maxAgeHours ?? 24;
  if (!(maxAgeHours > 0)) throw new Error('the maximum age must be a positive number of hours');
  const ctx: SqlErrorContext = { action: `read the newest backup of ${options.database} from msdb`, server: options.server, database: options.database };
  const entries = await run(ctx, async () => {
    const request = pool.request();
    request.input('database', sql.NVarChar(128), options.database);
    const result = await request.query(NEWEST_FULL_BACKUP_SQL);
    return groupHistory((result.recordset ?? []) as Row[]);
  });
  return judgeFreshness(options.database, entries[0] ?? null, maxAgeHours);
}
