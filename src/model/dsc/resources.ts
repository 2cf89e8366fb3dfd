/** The DSC resources that keep VMM backups present, verified and fresh. */
import type { DscModel, DscPropertyModel } from './types';

/**
 * Root of the example paths: a folder on a backup file server (not a share root, which is refused). Each
 * resource's example has a destination of its own under it: the plan checks only what Invoke-VmmBackup writes
 * under its own Destination, so the single resources' backups never stand in for the plan's.
 */
const EXAMPLE_ROOT = '\\\\backup01\\vmm\\VMM01';

const maxAgeHours = (what: string): DscPropertyModel => ({
  name: 'MaxAgeHours',
  type: 'int',
  role: 'optional',
  range: [1, 8760],
  description: `${what} must be no older than this many hours. The desired value: Get() returns it as given (the age of the newest backup is AgeHours). Left unmanaged (any age) when not given.`,
});

const ageHours = (what: string): DscPropertyModel => ({
  name: 'AgeHours',
  type: 'int',
  role: 'read',
  description: `Age of ${what} in whole hours, rounded up (the smallest MaxAgeHours it satisfies); null when there is none that passed its checks.`,
});

const latest = {
  backup: (what: string): DscPropertyModel => ({ name: 'LatestBackup', type: 'string', role: 'read', description: `Full path of the newest ${what}; empty when there is none.` }),
  time: { name: 'LatestBackupTime', type: 'datetime', role: 'read', description: 'When the newest backup was written (its last write time, UTC).' } as DscPropertyModel,
  verified: (rule: string): DscPropertyModel => ({ name: 'Verified', type: 'bool', role: 'read', description: `True only when the newest backup passed these checks, made by Get()/Test() themselves: ${rule} False otherwise; null when there is no backup.` }),
};

/** Every resource: a restore drill (Invoke-VmmRestoreDrill) of what it keeps must have passed recently. */
const restoreTestedWithinDays: DscPropertyModel = {
  name: 'RestoreTestedWithinDays',
  type: 'int',
  role: 'optional',
  range: [1, 3650],
  description: 'A restore drill (Invoke-VmmRestoreDrill, recorded in drills\\ beside the backups) of what this resource keeps must have passed within this many days; Test() is false otherwise, and Set() does not run a drill (it needs a drill SQL Server and time): it says to run one. Get() returns the days since the oldest item last passed a drill, rounded up, or null when one never passed. Left unmanaged when not given.',
};

const vmmServer: DscPropertyModel = {
  name: 'VMMServer',
  type: 'string',
  role: 'optional',
  parameter: 'VMMServer',
  description: 'VMM management server Set() connects to. This computer when not given.',
};

export const dscModel: DscModel = {
  reasonClass: 'VmmReason',
  baseClass: 'VmmResourceBase',
  resources: [
    {
      className: 'VmmDatabaseBackup',
      description: 'A verified backup of the VMM database, no older than MaxAgeHours, exists in Path; Set() takes one with Backup-VmmDatabase.',
      procedure: 'backup.database',
      cmdlet: 'Backup-VmmDatabase',
      properties: [
        { name: 'Path', type: 'string', role: 'key', parameter: 'Path', description: 'Folder that holds the database backups: an absolute path (C:\\..., \\\\server\\share\\...), not a root directory, reachable by SQL Server.' },
        maxAgeHours('A verified database backup'),
        restoreTestedWithinDays,
        { name: 'Database', type: 'string', role: 'optional', parameter: 'Database', description: 'Name of the VMM database: only <Database>_*.bak files count, and Set() backs up this database. Read from the VMM registry settings by Set() when not given. Get() returns the database name of the newest backup file.' },
        { name: 'Method', type: 'string', role: 'optional', set: ['Auto', 'Vmm', 'Sql'], parameter: 'Method', description: 'How Set() backs up: Auto, Vmm (Backup-SCVMMServer) or Sql (BACKUP DATABASE).' },
        vmmServer,
        { name: 'SqlServer', type: 'string', role: 'optional', parameter: 'SqlServer', description: 'SQL Server instance of the VMM database, for Set() (server or server\\instance).' },
        { name: 'CopyOnly', type: 'bool', role: 'optional', parameter: 'CopyOnly', description: 'Set() takes a copy-only backup (SQL method).' },
        { name: 'Compression', type: 'bool', role: 'optional', parameter: 'Compression', description: 'Set() compresses the backup (SQL method).' },
        { name: 'RetainDays', type: 'int', role: 'optional', range: [1, 3650], parameter: 'RetainDays', description: 'Set() removes backups of the database older than this many days, keeping the newest verified one.' },
        { name: 'SqlCredential', type: 'pscredential', role: 'optional', parameter: 'SqlCredential', description: 'SQL Server login Set() uses (BACKUP DATABASE and RESTORE VERIFYONLY); Windows authentication as the account DSC runs under when not given. Never returned by Get().' },
        ageHours('the newest verified database backup'),
        latest.backup('database backup file (.bak)'),
        latest.time,
        latest.verified("the file starts with the Microsoft Tape Format header SQL Server writes ('TAPE'), and the verification record Backup-VmmDatabase writes beside it after RESTORE VERIFYONLY (<file>.verify.json) says Verified and names this file with its exact size and SHA-256."),
      ],
      example: { name: 'VMM database backup', properties: { Path: `${EXAMPLE_ROOT}\\Database`, MaxAgeHours: 24, Method: 'Auto', RetainDays: 14 } },
    },
    {
      className: 'VmmRegistryBackup',
      description: 'An export of the VMM server settings registry key, no older than MaxAgeHours, exists at Path; Set() writes one with Backup-VmmRegistrySetting.',
      procedure: 'backup.registry',
      cmdlet: 'Backup-VmmRegistrySetting',
      properties: [
        { name: 'Path', type: 'string', role: 'key', parameter: 'Path', description: 'The .reg file, or a folder of .reg files (Set() then writes VmmSettings_<yyyyMMdd_HHmmss>.reg into it); an absolute path.' },
        maxAgeHours('The registry export'),
        restoreTestedWithinDays,
        ageHours('the newest sound registry export'),
        { name: 'IncludeSql', type: 'bool', role: 'optional', parameter: 'IncludeSql', description: 'Whether the export includes the Sql subkey. Get() returns whether the newest export does.' },
        latest.backup('registry export (.reg file)'),
        latest.time,
        latest.verified('a UTF-16 file that begins with "Windows Registry Editor Version 5.00", holds the VMM Settings key, and whose every line is a key, a value, a continuation or a comment.'),
      ],
      example: { name: 'VMM registry settings', properties: { Path: `${EXAMPLE_ROOT}\\Registry`, MaxAgeHours: 168, IncludeSql: false } },
    },
    {
      className: 'VmmLibraryBackup',
      description: 'A complete backup set of the VMM library shares, every file matching its SHA-256, no older than MaxAgeHours, exists under Destination; Set() runs Backup-VmmLibraryShare.',
      procedure: 'backup.library',
      cmdlet: 'Backup-VmmLibraryShare',
      export: 'libraryShares',
      properties: [
        { name: 'Destination', type: 'string', role: 'key', parameter: 'Destination', description: 'Folder on the backup file server that holds the backup sets; an absolute path.' },
        { name: 'Path', type: 'string[]', role: 'optional', parameter: 'Path', description: 'Library shares the newest set must cover. Every share VMM lists when not given. Get() returns the shares the newest set covers.' },
        maxAgeHours('The newest complete backup set'),
        restoreTestedWithinDays,
        ageHours('the newest intact backup set'),
        { name: 'Extension', type: 'string[]', role: 'optional', parameter: 'Extension', description: 'Set() copies only files with these extensions. All files when not given.' },
        vmmServer,
        latest.backup('complete backup set (folder)'),
        latest.time,
        latest.verified('its manifest is complete and every file it lists exists with the recorded size and SHA-256.'),
      ],
      example: { name: 'VMM library shares', properties: { Destination: `${EXAMPLE_ROOT}\\Library`, Path: ['\\\\lib01\\MSSCVMMLibrary'], MaxAgeHours: 24 } },
    },
    {
      className: 'VmmBackupPlan',
      description:
        'Every backup of the plan is in force under Destination: database, registry, library, inventory and VM configuration backups (and the system state when SystemStateTarget is given) exist, pass their checks and are within their age; Set() runs Invoke-VmmBackup for the items that are not, and fails when any of them fails.',
      procedure: 'backup.plan',
      cmdlet: 'Invoke-VmmBackup',
      covers: ['VmmDatabaseBackup', 'VmmRegistryBackup', 'VmmLibraryBackup'],
      checks: ['backup.inventory', 'backup.vm-configuration', 'backup.system-state'],
      export: 'given',
      properties: [
        { name: 'Destination', type: 'string', role: 'key', parameter: 'Destination', description: 'Root folder of the backup sets Invoke-VmmBackup writes (<Destination>\\<yyyyMMdd_HHmmss>\\..., <Destination>\\library); an absolute path. Only this layout counts.' },
        { name: 'MaxAgeHours', type: 'int', role: 'optional', range: [1, 8760], description: "Every checked item must be no older than this many hours; each item's own cadence from the backup plan (Get-VmmBackupPlan) when not given. The desired value: Get() returns it as given (the age is AgeHours)." },
        restoreTestedWithinDays,
        { name: 'SystemStateTarget', type: 'string', role: 'optional', parameter: 'SystemStateTarget', description: 'Volume or share for the system state backup Set() takes. When given, a run that recorded a successful system state backup to this target is required; when not given, the system state is neither checked nor taken.' },
        { name: 'Skip', type: 'string[]', role: 'optional', parameter: 'Skip', description: 'Procedure ids (see Get-VmmBackupPlan) neither checked nor run, the same in Get(), Test() and Set().' },
        vmmServer,
        { name: 'AgeHours', type: 'int', role: 'read', description: 'Age of the oldest checked item in whole hours, rounded up; null when an item is missing or failed its checks.' },
        { name: 'OutOfDate', type: 'string[]', role: 'read', description: 'Procedure ids of the checked items that are missing, unverified, corrupt or too old.' },
      ],
      example: { name: 'VMM backup plan', properties: { Destination: `${EXAMPLE_ROOT}\\Plan`, SystemStateTarget: 'E:' } },
    },
  ],
};
