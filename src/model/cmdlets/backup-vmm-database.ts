import type { Cmdlet, Parameter } from '../types';
import { s } from '../schema';
import { commandTimeoutParameter, databaseParameter, sqlCredentialParameter, sqlServerParameter, vmmServerParameter, when } from './common';

/** Shared with Restore-VmmDatabase. */
export const connectTimeoutParameter: Parameter = {
  name: 'ConnectTimeout',
  type: 'int',
  help: 'Seconds to wait for SQL Server to accept the connection.',
  default: 15,
  validate: { range: [1, 600] },
};

/** Shared with Restore-VmmDatabase. */
export const encryptParameter: Parameter = {
  name: 'Encrypt',
  type: 'switch',
  help: 'Encrypt the connection to SQL Server (TLS); the server certificate must be trusted unless -TrustServerCertificate is given.',
};

/** Shared with Restore-VmmDatabase. */
export const trustServerCertificateParameter: Parameter = {
  name: 'TrustServerCertificate',
  type: 'switch',
  help: 'With -Encrypt, accept the SQL Server certificate without validating it (for self-signed certificates; less safe).',
};

export const backupVmmDatabase: Cmdlet = {
  name: 'Backup-VmmDatabase',
  synopsis: 'Backs up the VMM database to a timestamped file, then verifies it.',
  description: [
    'Creates a full backup of the VMM database in the folder given by -Path. With -Method Vmm (or Auto while the VMM server answers) it runs Get-SCVMMServer | Backup-SCVMMServer -Path, as the specification describes. With -Method Sql (or Auto when the VMM server does not answer) it connects to SQL Server and runs BACKUP DATABASE ... TO DISK WITH CHECKSUM, INIT, STATS, then RESTORE VERIFYONLY ... WITH CHECKSUM unless -SkipVerify is given.',
    'The folder must not be a root directory and must be reachable by the SQL Server service account (the specification requires both). Database and server names come from the VMM registry settings (Sql subkey) unless given. Identifiers are quoted with QUOTENAME and the path is sent as a parameter.',
    'Before the backup the cmdlet checks that the database exists (DB_ID) and that SQL Server reaches the folder (xp_fileexist), and stops with a clear error otherwise. BACKUP messages "N percent processed." drive the progress bar. With the VMM method, the file VMM wrote is found in the folder and verified with RESTORE VERIFYONLY through SQL Server when this computer can see it and the instance is known; otherwise Verified is false and a warning says why. After a successful RESTORE VERIFYONLY the cmdlet writes <file>.verify.json beside the backup: the file name, its size in bytes and SHA-256, and when and how it verified. That record is the evidence VmmDatabaseBackup and later checks rely on: a backup without it, or whose size or hash no longer matches it, does not count as verified.',
    'With -RetainDays, older backups of the same database in the folder are removed, but never the newest verified one: removal happens only after this backup verified, and only files named <Database>_<yyyyMMdd_HHmmss>.bak (the names this cmdlet gives) whose time stamp is older than -RetainDays days are removed. Backups named by VMM itself are never removed.',
  ],
  defaultParameterSet: 'Default',
  parameters: [
    {
      name: 'Path',
      type: 'string',
      mandatory: true,
      position: 0,
      help: 'Folder that receives the backup file (not a root directory; SQL Server must be able to write to it). The file name is <Database>_<yyyyMMdd_HHmmss>.bak.',
      validate: { notNullOrEmpty: true },
    },
    {
      name: 'Method',
      type: 'string',
      help: 'Auto (VMM when the VMM server answers, else SQL Server), Vmm (Backup-SCVMMServer) or Sql (BACKUP DATABASE).',
      default: 'Auto',
      validate: { set: ['Auto', 'Vmm', 'Sql'] },
    },
    vmmServerParameter,
    sqlServerParameter,
    databaseParameter,
    sqlCredentialParameter,
    { name: 'CopyOnly', type: 'switch', help: 'Take a copy-only backup that does not disturb the differential base (SQL method; ignored with a warning by the VMM method).' },
    { name: 'Compression', type: 'switch', help: 'Compress the backup (SQL method; needs an edition of SQL Server that supports it; ignored with a warning by the VMM method).' },
    { name: 'SkipVerify', type: 'switch', help: 'Do not run RESTORE VERIFYONLY after the backup.' },
    {
      name: 'RetainDays',
      type: 'int',
      help: 'Remove backups of this database in the folder older than this many days, keeping at least the newest verified one.',
      validate: { range: [1, 3650] },
    },
    commandTimeoutParameter,
    connectTimeoutParameter,
    encryptParameter,
    trustServerCertificateParameter,
  ],
  examples: [
    { code: 'Backup-VmmDatabase -Path D:\\VmmBackup', remarks: 'Backs up the VMM database of this server into D:\\VmmBackup and verifies the file.' },
    {
      code: "Backup-VmmDatabase -Path \\\\backup01\\vmm -Method Sql -SqlServer 'sql01\\VMM' -Database VirtualManagerDB -CopyOnly -Compression -RetainDays 14",
      remarks: 'Backs up straight through SQL Server (the VMM service need not run), compressed and copy-only, and removes backups older than 14 days.',
    },
  ],
  shouldProcess: { impact: 'Medium' },
  output: {
    typeName: 'VmmBackup.DatabaseBackup',
    description: 'The backup file written and whether it verified.',
    schema: s.object({
      Path: s.string('Full path of the backup file.'),
      Method: s.enum(['Vmm', 'Sql'], 'How the backup was taken.'),
      SqlServer: s.nullable(s.string('SQL Server instance.')),
      Database: s.nullable(s.string('Database name.')),
      StartTime: when.started,
      EndTime: when.finished,
      SizeBytes: s.nullable(s.integer('Size of the backup file, when the module can see it.', 0)),
      Verified: s.boolean('RESTORE VERIFYONLY succeeded.'),
      Removed: s.array(s.string('A removed file.'), 'Old backups removed by -RetainDays.'),
    }),
  },
  status: 'implemented',
  errors: [
    { id: 'RootPath', category: 'InvalidArgument' },
    { id: 'BadDatabaseName', category: 'InvalidArgument' },
    { id: 'VmmUnavailable', category: 'ConnectionError' },
    { id: 'SqlTargetUnknown', category: 'InvalidArgument' },
    { id: 'VmmBackupFailed', category: 'WriteError' },
    { id: 'SqlUnreachable', category: 'ConnectionError' },
    { id: 'DatabaseNotFound', category: 'ObjectNotFound' },
    { id: 'FolderUnreachable', category: 'ObjectNotFound' },
    { id: 'BackupFailed', category: 'WriteError' },
    { id: 'VerifyFailed', category: 'InvalidResult' },
    { id: 'RemoveFailed', category: 'WriteError', nonTerminating: true },
  ],
  vmmCmdlets: ['Get-SCVMMServer', 'Backup-SCVMMServer'],
  progressId: 4110,
};
