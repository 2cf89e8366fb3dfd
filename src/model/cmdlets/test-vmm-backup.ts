import type { Cmdlet } from '../types';
import { s } from '../schema';
import { maxAgeHoursParameter, states } from './common';

export const testVmmBackup: Cmdlet = {
  name: 'Test-VmmBackup',
  synopsis: 'Verifies a backup set: manifest hashes, .reg files, database backup headers, and freshness.',
  description: [
    'Checks each item of a backup set (or of the newest set under a destination) and reports it Good, Stale (older than -MaxAgeHours), Missing or Corrupt (a hash that does not match, a .reg file that does not parse, a database backup whose header cannot be read).',
  ],
  parameters: [
    { name: 'Path', type: 'string', mandatory: true, position: 0, help: 'A backup set folder, or a destination that holds sets.', validate: { notNullOrEmpty: true } },
    maxAgeHoursParameter,
  ],
  examples: [{ code: 'Test-VmmBackup -Path \\\\backup01\\vmm -MaxAgeHours 24 | Where-Object State -ne Good', remarks: 'Shows what is not good in the newest backup set.' }],
  output: {
    typeName: 'VmmBackup.BackupItemState',
    description: 'One object per item checked.',
    schema: s.object({
      Item: s.string('What was checked (Database, Registry, Library, Inventory, VMConfiguration).'),
      Path: s.nullable(s.string('The file or folder checked.')),
      State: s.enum(states.backupItem, 'Good, Stale, Missing or Corrupt.'),
      LastWriteTime: s.nullable(s.dateTime('When the item was written.')),
      Detail: s.string('What was found.'),
    }),
  },
  status: 'planned',
  vmmCmdlets: [],
};
