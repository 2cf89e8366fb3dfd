import type { Cmdlet } from '../types';
import { s } from '../schema';
import { when } from './common';

export const restoreVmmLibraryShare: Cmdlet = {
  name: 'Restore-VmmLibraryShare',
  synopsis: 'Restores library share data from a backup set, verifying every file against the manifest hash.',
  description: [
    'Copies the files of a Backup-VmmLibraryShare set back onto a share (restore the share itself first, as the specification says), each under a temporary name renamed when its SHA-256 matches the manifest, then refreshes the share in VMM when it is listed there.',
  ],
  parameters: [
    { name: 'BackupSet', type: 'string', mandatory: true, position: 0, help: 'The backup set folder (holds manifest.json).', validate: { notNullOrEmpty: true } },
    { name: 'Destination', type: 'string', mandatory: true, position: 1, help: 'The share path to restore onto.', validate: { notNullOrEmpty: true } },
    { name: 'Force', type: 'switch', help: 'Overwrite files on the share that differ from the backup.' },
  ],
  examples: [{ code: 'Restore-VmmLibraryShare -BackupSet \\\\backup01\\vmm-library\\20261126_020000 -Destination \\\\lib01\\MSSCVMMLibrary', remarks: 'Restores the share data.' }],
  shouldProcess: { impact: 'High' },
  output: {
    typeName: 'VmmBackup.LibraryRestore',
    description: 'What was restored.',
    schema: s.object({
      BackupSet: s.string('The set restored.'),
      Destination: s.string('The share.'),
      Files: s.integer('Files restored.', 0),
      Bytes: s.integer('Bytes restored.', 0),
      Verified: s.boolean('Every file matched its manifest hash.'),
      StartTime: when.started,
      EndTime: when.finished,
    }),
  },
  status: 'planned',
  vmmCmdlets: ['Get-SCVMMServer', 'Get-SCLibraryShare', 'Read-SCLibraryShare'],
  progress: true,
};
