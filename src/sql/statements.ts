/**
 * The T-SQL this package sends, in one place. User values never enter these texts: they travel as
 * parameters of the sp_executesql call that mssql makes for every query, and the one identifier (the
 * database name) is quoted on the server by QUOTENAME inside dynamic SQL run by a nested sp_executesql.
 * The only text assembled here is the WITH clause, from fixed option keywords.
 */

/**
 * `WITH STATS` without a value: SQL Server sends "N percent processed." about every 10 percent. The same
 * text as the module's Backup-VmmDatabase, so both send the same BACKUP statement.
 */

export interface BackupStatementOptions {
  copyOnly?: boolean;
  compression?: boolean;
}

/** The WITH clause of BACKUP DATABASE, from fixed keywords only. */
export function backupWithClause(options: BackupStatementOptions = {}): string {
  const parts = ['CHECKSUM', 'INIT', 'STATS'];
  if (options.copyOnly) parts.push('COPY_ONLY');
  if (options.compression) parts.push('COMPRESSION');
  return parts.join(', ');
}

/**
 * Full backup of @db to the file @path (parameters: @db nvarchar(128), @path nvarchar(4000)). QUOTENAME runs
 * on the server; the inner statement gets the path as its own parameter. Byte for byte what the module's
 * Backup-VmmDatabase sends (templates/cmdlets/Backup-VmmDatabase.ps1).
 */
export function backupDatabaseSql(options: BackupStatementOptions = {}): string {
  return [
    `DECLARE @sql nvarchar(max) = N'BACKUP DATABASE ' + QUOTENAME(@db) + N' TO DISK = @path WITH ${backupWithClause(options)}';`,
    "EXEC sp_executesql @sql, N'@path nvarchar(4000)', @path = @path;",
  ].join('\n');
}

/** Contents of a backup file (parameter @path). One row per backup set in the file. */
export const RESTORE_HEADERONLY_SQL = 'RESTORE HEADERONLY FROM DISK = @path;';

/**
 * Verifies one backup set of a file (parameters @path, @file) and its page checksums. The module sends
 * `RESTORE VERIFYONLY FROM DISK = @path WITH CHECKSUM;` right after its own BACKUP … WITH INIT (one set per
 * file); this one names the set, so it also verifies files holding several, and reports progress.
 */
export function restoreVerifyOnlySql(checksum = true): string {
  return `RESTORE VERIFYONLY FROM DISK = @path WITH FILE = @file, ${checksum ? 'CHECKSUM' : 'NO_CHECKSUM'}, STATS;`;
}

/** Backup set columns read from msdb, with the age computed by the server's own clock. */
const BACKUPSET_COLUMNS = [
  'bs.backup_set_id',
  'bs.database_name',
  'bs.server_name',
  'bs.type',
  'bs.backup_start_date',
  'bs.backup_finish_date',
  'DATEDIFF(SECOND, bs.backup_finish_date, GETDATE()) AS age_seconds',
  'bs.is_copy_only',
  'bs.has_backup_checksums',
  'bs.is_damaged',
  'bs.backup_size',
  'bs.compressed_backup_size',
  'bs.media_set_id',
].join(', ');

/**
 * The newest full backup (type 'D') of @database recorded in msdb, one row per media family of its media
 * set (a striped backup has several files), first mirror only.
 */
export const NEWEST_FULL_BACKUP_SQL = [
  'WITH newest AS (',
  `    SELECT TOP (1) ${BACKUPSET_COLUMNS}`,
  '    FROM msdb.dbo.backupset AS bs',
  "    WHERE bs.database_name = @database AND bs.type = 'D'",
  '    ORDER BY bs.backup_finish_date DESC, bs.backup_set_id DESC',
  ')',
  'SELECT n.*, bmf.family_sequence_number, bmf.physical_device_name',
  'FROM newest AS n',
  'JOIN msdb.dbo.backupmediafamily AS bmf ON bmf.media_set_id = n.media_set_id AND bmf.mirror = 0',
  'ORDER BY bmf.family_sequence_number;',
].join('\n');

/** The last @top backups of any type of @database from msdb, newest first, one row per media family. */
export const BACKUP_HISTORY_SQL = [
  'WITH recent AS (',
  `    SELECT TOP (@top) ${BACKUPSET_COLUMNS}`,
  '    FROM msdb.dbo.backupset AS bs',
  '    WHERE bs.database_name = @database',
  '    ORDER BY bs.backup_finish_date DESC, bs.backup_set_id DESC',
  ')',
  'SELECT r.*, bmf.family_sequence_number, bmf.physical_device_name',
  'FROM recent AS r',
  'JOIN msdb.dbo.backupmediafamily AS bmf ON bmf.media_set_id = r.media_set_id AND bmf.mirror = 0',
  'ORDER BY r.backup_finish_date DESC, r.backup_set_id DESC, bmf.family_sequence_number;',
].join('\n');
