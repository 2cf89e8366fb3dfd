import type { Cmdlet } from '../types';
import { s } from '../schema';
import { databaseParameter, sqlServerParameter } from './common';

export const restoreVmmRegistrySetting: Cmdlet = {
  name: 'Restore-VmmRegistrySetting',
  synopsis: 'Imports a VMM settings .reg backup, leaving out the Sql subkey unless it matches the database in use.',
  description: [
    'Imports the keys of a Backup-VmmRegistrySetting file. The Sql subkey is imported only when its server and database match the database VMM should use now (from -SqlServer/-Database or the current registry); otherwise it is skipped and the differing values are reported, as the specification warns.',
    'Values are added or overwritten as regedit\'s Import does; values absent from the file are left as they are. A file holding any key outside the VMM settings key, or deleting keys or values, is refused before anything is written. Each key is confirmed separately (ConfirmImpact High); -WhatIf lists the keys that would be written, warns about the Sql subkey, writes nothing and returns nothing.',
  ],
  parameters: [
    { name: 'Path', type: 'string', mandatory: true, position: 0, help: 'The .reg file to import.', validate: { notNullOrEmpty: true } },
    sqlServerParameter,
    databaseParameter,
  ],
  examples: [{ code: 'Restore-VmmRegistrySetting -Path D:\\VmmBackup\\VmmSettings_20261126_020000.reg -WhatIf', remarks: 'Shows what would be imported and whether the Sql subkey matches.' }],
  shouldProcess: { impact: 'High' },
  output: {
    typeName: 'VmmBackup.RegistryRestore',
    description: 'What was imported.',
    schema: s.object({
      Path: s.string('The .reg file.'),
      KeysImported: s.integer('Keys imported.', 0),
      SqlSubkey: s.enum(['Imported', 'Skipped', 'Absent'], 'What happened to the Sql subkey.'),
      Differences: s.array(s.string('Value name: backup value vs wanted value.'), 'Sql values that differ.'),
    }),
  },
  status: 'implemented',
  errors: [
    { id: 'BadPath', category: 'ObjectNotFound' },
    { id: 'BadRegFile', category: 'InvalidData' },
    { id: 'ForeignKey', category: 'InvalidData' },
    { id: 'RegistryWriteFailed', category: 'WriteError' },
  ],
  vmmCmdlets: [],
};
