import type { Cmdlet } from '../types';
import { s } from '../schema';
import { connectTimeoutParameter, encryptParameter, trustServerCertificateParameter } from './backup-vmm-database';
import { commandTimeoutParameter, databaseParameter, sqlCredentialParameter, sqlServerParameter, when } from './common';

export const restoreVmmDatabase: Cmdlet = {
  name: 'Restore-VmmDatabase',
  synopsis: 'Restores the VMM database from a backup file, after verifying it. Restore the database first.',
  description: [
    'With -Method ScvmmRecover (or Auto while the VMM server functions) runs SCVMMRecover.exe -Path <file> -Confirm, as Backup-SCVMMServer documents; it does not work with a highly available VMM installation. With -Method Sql (or Auto otherwise) runs RESTORE DATABASE ... FROM DISK WITH REPLACE, and MOVE when -DataPath or -LogPath put the files elsewhere.',
    'RESTORE VERIFYONLY always runs first (through SQL Server, for both methods), and a backup that fails it is refused (a backup without checksums is verified without CHECKSUM, with a warning). With -DataPath/-LogPath the logical files are read with RESTORE FILELISTONLY and each is moved to the new folder under its file name. The file must be visible to SQL Server (checked with xp_fileexist). The database name is a parameter quoted with QUOTENAME and every path is a parameter.',
    'Restore the database with the VMM service stopped: a restore that cannot get exclusive access says so. -WhatIf says exactly what would run, sends no RESTORE statement, changes nothing and returns nothing. SCVMMRecover.exe is found through the InstallPath value of the VMM Setup registry key (bin\\SCVMMRecover.exe) unless -ScvmmRecoverPath is given, and is used only while the VMM server on this computer answers Get-SCVMMServer.',
  ],
  parameters: [
    { name: 'Path', type: 'string', mandatory: true, position: 0, help: 'The backup file (.bak) to restore.', validate: { notNullOrEmpty: true } },
    { name: 'Method', type: 'string', help: 'Auto, ScvmmRecover or Sql.', default: 'Auto', validate: { set: ['Auto', 'ScvmmRecover', 'Sql'] } },
    sqlServerParameter,
    databaseParameter,
    sqlCredentialParameter,
    { name: 'DataPath', type: 'string', help: 'Folder for the data files when they go somewhere else than at backup time (RESTORE ... WITH MOVE).' },
    { name: 'LogPath', type: 'string', help: 'Folder for the log files when they go somewhere else than at backup time.' },
    { name: 'ScvmmRecoverPath', type: 'string', help: 'Full path of SCVMMRecover.exe; found under the VMM installation folder when omitted.' },
    commandTimeoutParameter,
    connectTimeoutParameter,
    encryptParameter,
    trustServerCertificateParameter,
  ],
  examples: [
    { code: 'Restore-VmmDatabase -Path D:\\VmmBackup\\VirtualManagerDB_20261126_020000.bak -WhatIf', remarks: 'Shows what would run.' },
    { code: "Restore-VmmDatabase -Path E:\\bak\\VirtualManagerDB.bak -Method Sql -SqlServer 'sql02\\VMM' -Database VirtualManagerDB -DataPath F:\\Data -LogPath G:\\Log", remarks: 'Restores through SQL Server onto a new instance with new file locations.' },
  ],
  shouldProcess: { impact: 'High' },
  output: {
    typeName: 'VmmBackup.DatabaseRestore',
    description: 'What was restored.',
    schema: s.object({
      Path: s.string('The backup file.'),
      Method: s.enum(['ScvmmRecover', 'Sql'], 'How it was restored.'),
      SqlServer: s.nullable(s.string('SQL Server instance.')),
      Database: s.nullable(s.string('Database restored.')),
      Verified: s.boolean('RESTORE VERIFYONLY succeeded before the restore.'),
      StartTime: when.started,
      EndTime: when.finished,
    }),
  },
  status: 'implemented',
  errors: [
    { id: 'BadPath', category: 'InvalidArgument' },
    { id: 'BadDatabaseName', category: 'InvalidArgument' },
    { id: 'SqlTargetUnknown', category: 'InvalidArgument' },
    { id: 'ScvmmRecoverUnavailable', category: 'ResourceUnavailable' },
    { id: 'BadPath', category: 'ObjectNotFound' },
    { id: 'SqlUnreachable', category: 'ConnectionError' },
    { id: 'FileUnreachable', category: 'ObjectNotFound' },
    { id: 'VerifyFailed', category: 'InvalidData' },
    { id: 'ScvmmRecoverFailed', category: 'InvalidResult' },
    { id: 'FileListFailed', category: 'InvalidData' },
    { id: 'RestoreFailed', category: 'WriteError' },
  ],
  vmmCmdlets: ['Get-SCVMMServer'],
  progressId: 4120,
};
