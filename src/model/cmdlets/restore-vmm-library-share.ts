import type { Cmdlet } from '../types';
import { s } from '../schema';
import { vmmServerParameter, when } from './common';
import { fanOutDescription, fanOutExamples, fanOutParameters, withComputerName } from './fan-out';

export const restoreVmmLibraryShare: Cmdlet = {
  name: 'Restore-VmmLibraryShare',
  synopsis: 'Restores library share data from a backup set, verifying every file against the manifest hash.',
  description: [
    'Copies the files of a Backup-VmmLibraryShare set back onto a share (restore the share itself first, as the specification says), each under a temporary name renamed when its SHA-256 matches the manifest, then refreshes the share in VMM (Read-SCLibraryShare) when VMM lists it.',
    'Before anything is written the set is checked: a set whose manifest is damaged, incomplete (interrupted backup), or whose stored files are missing or of the wrong size is refused and nothing is restored. A stored file whose content does not match its SHA-256 is never written to the share. Files already on the share with the right content are left alone; files that differ are overwritten only with -Force. Each restored file gets its original modification time.',
    ...fanOutDescription('-BackupSet is split per server: each server restores from <BackupSet>\\<server>, where Backup-VmmLibraryShare with the same servers wrote its sets (give the destination, so each server takes its newest complete set). -Destination and -Share are paths as each server sees them.'),
  ],
  parameters: [
    { name: 'BackupSet', type: 'string', mandatory: true, position: 0, help: 'The backup set folder (sets\\<yyyyMMdd_HHmmss>, holds manifest.json), or a Backup-VmmLibraryShare destination to restore its newest complete set.', validate: { notNullOrEmpty: true } },
    { name: 'Destination', type: 'string', mandatory: true, position: 1, help: 'The share path to restore onto. It must exist: restore the file server share first.', validate: { notNullOrEmpty: true } },
    { name: 'Share', type: 'string', help: 'The original share path whose files to restore, when the set holds several shares.', validate: { notNullOrEmpty: true } },
    { name: 'Force', type: 'switch', help: 'Overwrite files on the share that differ from the backup.' },
    vmmServerParameter,
    ...fanOutParameters,
  ],
  defaultParameterSet: 'Local',
  examples: [
    { code: 'Restore-VmmLibraryShare -BackupSet \\\\backup01\\vmm-library\\sets\\20261126_020000 -Destination \\\\lib01\\MSSCVMMLibrary', remarks: 'Restores the share data from one set and refreshes the share in VMM.' },
    { code: "Restore-VmmLibraryShare -BackupSet \\\\backup01\\vmm-library -Share '\\\\lib02\\ISO' -Destination \\\\lib02\\ISO -Force -WhatIf", remarks: 'Shows what restoring one share of the newest set, overwriting changed files, would do.' },
    ...fanOutExamples('Restore-VmmLibraryShare', "-BackupSet \\\\backup01\\vmm-library -Destination 'D:\\MSSCVMMLibrary'"),
  ],
  shouldProcess: { impact: 'High' },
  output: {
    typeName: 'VmmBackup.LibraryRestore',
    description: 'What was restored.',
    schema: withComputerName(s.object({
      BackupSet: s.string('The set restored.'),
      Destination: s.string('The share.'),
      Share: s.string('The original share whose files were restored.'),
      Files: s.integer('Files now on the share with the content of the backup (restored or already identical).', 0),
      Bytes: s.integer('Bytes of those files.', 0),
      Restored: s.integer('Files written.', 0),
      Identical: s.integer('Files already on the share with the right content, left alone.', 0),
      Failed: s.integer('Files not restored (differing without -Force, or a damaged backup copy).', 0),
      Verified: s.boolean('Every file of the share in the set is on the share and matched its manifest hash.'),
      StartTime: when.started,
      EndTime: when.finished,
    })),
  },
  status: 'implemented',
  errors: [
    { id: 'BackupSetNotFound', category: 'ObjectNotFound' },
    { id: 'IncompleteBackupSet', category: 'InvalidData' },
    { id: 'CorruptBackupSet', category: 'InvalidData' },
    { id: 'ShareNotInBackupSet', category: 'ObjectNotFound' },
    { id: 'ShareNotChosen', category: 'InvalidArgument' },
    { id: 'RootDestination', category: 'InvalidArgument' },
    { id: 'DestinationUnreachable', category: 'ObjectNotFound' },
    { id: 'LinkInDestination', category: 'InvalidArgument' },
    { id: 'DestinationWriteFailed', category: 'WriteError' },
    { id: 'FileDiffers', category: 'ResourceExists', nonTerminating: true },
    { id: 'BackupFileUnreadable', category: 'ReadError', nonTerminating: true },
    { id: 'HashMismatch', category: 'InvalidData', nonTerminating: true },
  ],
  vmmCmdlets: ['Get-SCVMMServer', 'Get-SCLibraryShare', 'Read-SCLibraryShare'],
  progressId: 4140,
};
