/** Parameters and output pieces several cmdlets share, written once. */
import type { Parameter } from '../types';
import { s } from '../schema';

export const vmmServerParameter: Parameter = {
  name: 'VMMServer',
  type: 'string',
  help: 'Name of the VMM management server to connect to (Get-SCVMMServer). Defaults to this computer.',
  default: 'localhost',
  validate: { notNullOrEmpty: true },
};

export const sqlServerParameter: Parameter = {
  name: 'SqlServer',
  type: 'string',
  help: 'SQL Server instance that holds the VMM database (server or server\\instance, optionally ,port). Read from the VMM registry settings (Sql subkey) when omitted.',
  validate: { notNullOrEmpty: true },
};

export const databaseParameter: Parameter = {
  name: 'Database',
  type: 'string',
  help: 'Name of the VMM database. Read from the VMM registry settings (Sql subkey) when omitted.',
  validate: { notNullOrEmpty: true },
};

export const sqlCredentialParameter: Parameter = {
  name: 'SqlCredential',
  type: 'pscredential',
  help: 'SQL Server login to use instead of Windows integrated security. The password is sent only to SQL Server, never logged.',
};

export const commandTimeoutParameter: Parameter = {
  name: 'CommandTimeout',
  type: 'int',
  help: 'Seconds a single SQL statement may run; 0 (the default) means no limit, as a large BACKUP or RESTORE needs.',
  default: 0,
  validate: { range: [0, 86400] },
};

export const maxAgeHoursParameter: Parameter = {
  name: 'MaxAgeHours',
  type: 'int',
  help: 'A backup older than this many hours is reported Stale.',
  default: 24,
  validate: { range: [1, 8760] },
};

export const states = {
  backupItem: ['Good', 'Unverified', 'Stale', 'Missing', 'Corrupt'] as const,
  run: ['Succeeded', 'Failed', 'Skipped', 'ActionRequired'] as const,
  check: ['Pass', 'Fail', 'ActionRequired', 'NotApplicable'] as const,
};

export const when = {
  started: s.dateTime('When the work started (ISO 8601).'),
  finished: s.dateTime('When the work finished (ISO 8601).'),
};
