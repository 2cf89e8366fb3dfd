import type { Cmdlet } from '../types';
import { s } from '../schema';
import { when } from './common';

export const backupVmmRegistrySetting: Cmdlet = {
  name: 'Backup-VmmRegistrySetting',
  synopsis: 'Exports the VMM server settings registry key to a .reg file that regedit can import.',
  description: [
    'Exports HKLM\\Software\\Microsoft\\Microsoft System Center Virtual Machine Manager Server\\Settings and all its subkeys to a .reg file (Windows Registry Editor Version 5.00, UTF-16LE), as the specification asks.',
    'The Sql subkey is left out unless -IncludeSql is given: it records the database name and location at backup time, which may not match the database you want at recovery time.',
    'The file is written as regedit exports: REG_SZ as "..." with backslash and double quote escaped, REG_DWORD as dword:, REG_QWORD as hex(b):, REG_EXPAND_SZ as hex(2):, REG_MULTI_SZ as hex(7):, REG_BINARY as hex:, hex data wrapped at 80 columns. A REG_SZ value holding a line break is written as hex(1): so that regedit imports it whole. The folder must not be a root directory; it is created when missing. -WhatIf writes nothing.',
  ],
  parameters: [
    { name: 'Path', type: 'string', mandatory: true, position: 0, help: 'The .reg file to write, or a folder (the file is then VmmSettings_<yyyyMMdd_HHmmss>.reg). Not a root directory.', validate: { notNullOrEmpty: true } },
    { name: 'IncludeSql', type: 'switch', help: 'Also export the Sql subkey.' },
  ],
  examples: [
    { code: 'Backup-VmmRegistrySetting -Path D:\\VmmBackup\\registry', remarks: 'Writes a timestamped .reg file of the VMM settings, without the Sql subkey.' },
    { code: 'Backup-VmmRegistrySetting -Path D:\\VmmBackup\\settings.reg -IncludeSql', remarks: 'Exports the settings including the Sql subkey.' },
  ],
  shouldProcess: { impact: 'Low' },
  output: {
    typeName: 'VmmBackup.RegistryBackup',
    description: 'The .reg file written.',
    schema: s.object({
      Path: s.string('Full path of the .reg file.'),
      KeyCount: s.integer('Keys exported.', 0),
      ValueCount: s.integer('Values exported.', 0),
      IncludesSql: s.boolean('The Sql subkey was exported.'),
      Sha256: s.string('SHA-256 of the file, hex.'),
      CreatedAt: when.finished,
    }),
  },
  status: 'implemented',
  errors: [
    { id: 'RootPath', category: 'InvalidArgument' },
    { id: 'BadPath', category: 'InvalidArgument' },
    { id: 'RegistryUnreadable', category: 'ReadError' },
    { id: 'SettingsKeyMissing', category: 'ObjectNotFound' },
    { id: 'BadPath', category: 'WriteError' },
    { id: 'WriteFailed', category: 'WriteError' },
  ],
  vmmCmdlets: [],
};
