import type { Cmdlet } from '../types';
import { s } from '../schema';
import { connectTimeoutParameter, encryptParameter, trustServerCertificateParameter } from './backup-vmm-database';
import { commandTimeoutParameter, sqlCredentialParameter, vmmServerParameter, when } from './common';

/** The items a drill proves, in the order it proves them. */
export const drillItems = ['Database', 'Library', 'Registry', 'Inventory'] as const;
export const drillStates = ['Passed', 'Failed', 'Skipped'] as const;

export const drillResultSchema = s.object({
  Item: s.enum(drillItems, 'What was restored: Database, Library, Registry or Inventory.'),
  State: s.enum(drillStates, 'Passed (restored and checked), Failed (the restore or a check failed), Skipped (nothing to restore, or no place to restore it; Evidence says why).'),
  Path: s.nullable(s.string('The backup file or set that was restored.')),
  Evidence: s.array(s.string('One finding.'), 'What was done and found, one finding per entry: statements run, counts, differences, files verified.'),
  BackupTime: s.nullable(s.dateTime('When the backup restored was taken.')),
  RpoHours: s.nullable(s.number('Age of that backup in hours when the drill ran: the recovery point achieved.')),
  RtoSeconds: s.nullable(s.number('Seconds the restore itself took (checks not included): the recovery time measured.')),
  Bytes: s.integer('Bytes restored (for a sample, the bytes of the sample).', 0),
  BytesPerSecond: s.nullable(s.number('Bytes restored per second of RtoSeconds.')),
  Sampled: s.boolean('Only a random sample of the files was restored (-SampleBytes).'),
  StartTime: when.started,
  EndTime: when.finished,
});

export const invokeVmmRestoreDrill: Cmdlet = {
  name: 'Invoke-VmmRestoreDrill',
  synopsis: 'Proves a backup set by restoring it away from production: database, library, registry and inventory, with the RPO and RTO measured.',
  description: [
    'A copy is not a backup until it has been restored. The drill restores the newest backup set under a destination (or the set given) without touching production, checks what it restored, removes every scratch copy, and returns one VmmBackup.DrillResult per item with the evidence, the backup\'s age (RpoHours, the recovery point achieved) and the time the restore took (RtoSeconds, the recovery time measured).',
    'Database: the newest .bak of the set is restored on -SqlServer (a drill instance; the VMM registry\'s instance when omitted) under a scratch name <database>_drill_<yyyyMMddHHmmss>, its files moved to new names in the instance\'s default data and log folders (RESTORE DATABASE ... WITH MOVE ..., CHECKSUM); then DBCC CHECKDB ... WITH NO_INFOMSGS, ALL_ERRORMSGS runs on it, and the VMM tables the module relies on are counted (src/model/vmm-database.ts: VMM servers, hosts, virtual objects, library objects), which proves it is a VMM database. The scratch database is then dropped, also when a step fails or the drill is stopped; a drill that was killed leaves it behind, and the next drill finds every database named like a drill\'s (sys.databases) and drops it first. Names are quoted with QUOTENAME, every value is a parameter.',
    'Library: the library set is restored into a scratch folder under -ScratchPath with Restore-VmmLibraryShare, every restored file is read again and compared byte for byte (SHA-256 and length) with the manifest, and the scratch folder is removed. With -SampleBytes only a random sample of files up to that many bytes is restored (the result says Sampled and names the share of files checked), for libraries too large to restore whole.',
    'Registry: each .reg export is parsed as Restore-VmmRegistrySetting reads it and, on a VMM server, compared with the live Settings key: differences are listed, the Sql subkey separately. Inventory: the newest inventory snapshot is read and, when a VMM server answers, compared with it by Compare-VmmInventory.',
    'The drill writes a record (drills\\drill-<yyyyMMdd_HHmmss>.json) beside the set: Test-VmmBackup shows the last drill of each item, and the DSC resources\' RestoreTestedWithinDays reads it. -Report writes a self-contained HTML report. The summary (how many items passed) goes to the information stream.',
  ],
  parameters: [
    { name: 'Path', type: 'string', mandatory: true, position: 0, help: 'A backup destination (its newest complete set is drilled), a backup set folder of Invoke-VmmBackup, a Backup-VmmLibraryShare destination or set, or a folder of .bak / .reg backups.', validate: { notNullOrEmpty: true } },
    { name: 'Item', type: 'string[]', help: 'Which items to drill: Database, Library, Registry, Inventory (all by default).', default: ['Database', 'Library', 'Registry', 'Inventory'], validate: { set: [...drillItems] } },
    { name: 'SqlServer', type: 'string', help: 'SQL Server instance to restore the scratch database on (a drill instance; it must see the .bak file). The VMM registry settings\' instance when omitted; without either the Database item is Skipped.', validate: { notNullOrEmpty: true } },
    sqlCredentialParameter,
    { name: 'ScratchPath', type: 'string', help: 'Folder under which the library is restored for the drill (a new folder is made and removed). The system temporary folder by default.', validate: { notNullOrEmpty: true } },
    { name: 'SampleBytes', type: 'long', help: 'Restore only a random sample of library files adding up to about this many bytes (at least one file), for libraries too large to restore whole. The result says Sampled.', validate: { range: [1, 9007199254740991] } },
    { name: 'Report', type: 'string', help: 'Write a self-contained HTML report of the drill to this file.', validate: { notNullOrEmpty: true } },
    vmmServerParameter,
    commandTimeoutParameter,
    connectTimeoutParameter,
    encryptParameter,
    trustServerCertificateParameter,
  ],
  examples: [
    { code: 'Invoke-VmmRestoreDrill -Path \\\\backup01\\vmm -SqlServer sqldrill01 -Report C:\\Reports\\vmm-drill.html', remarks: 'Restores the newest set on a drill SQL Server and a scratch folder, checks everything, and writes a report for people.' },
    { code: 'Invoke-VmmRestoreDrill -Path \\\\backup01\\vmm -Item Library -SampleBytes 10GB | Format-List Item, State, RpoHours, RtoSeconds, Evidence', remarks: 'Restores a 10 GB random sample of the library and verifies it against the manifest.' },
    { code: "Invoke-VmmRestoreDrill -Path D:\\VmmBackup -Item Database -SqlServer 'sqldrill01\\DRILL' -SqlCredential (Get-Credential) | Where-Object State -eq Failed", remarks: 'Proves the newest database backup of a Backup-VmmDatabase folder with a SQL login.' },
  ],
  shouldProcess: { impact: 'Medium' },
  output: { typeName: 'VmmBackup.DrillResult', description: 'One object per item drilled.', schema: drillResultSchema },
  status: 'implemented',
  errors: [
    { id: 'BadReportPath', category: 'InvalidArgument' },
    { id: 'BadReportPath', category: 'ObjectNotFound' },
    { id: 'BackupPathNotFound', category: 'ObjectNotFound' },
  ],
  vmmCmdlets: ['Get-SCVMMServer', 'Get-SCVMHost', 'Get-SCVirtualMachine'],
  progressId: 4170,
  notes: [
    'The drill never writes to production: the scratch database has its own name and files, the library goes to a scratch folder, the registry and the inventory are only read.',
    'RtoSeconds measures the restore alone (RESTORE DATABASE, copying the library files, parsing the exports); the checks that follow are not part of it.',
  ],
};
