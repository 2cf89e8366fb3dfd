import type { Cmdlet } from '../types';
import { s } from '../schema';
import { maxAgeHoursParameter, states } from './common';
import { fanOutDescription, fanOutExamples, fanOutParameters, withComputerName } from './fan-out';

export const testVmmBackup: Cmdlet = {
  name: 'Test-VmmBackup',
  synopsis: 'Verifies a backup set: manifest hashes, .reg files, database backup headers, and freshness.',
  description: [
    'Checks each item of a backup set (or of the newest set under a destination) and reports it Good, Unverified (a database backup whose RESTORE VERIFYONLY record is missing or names another file, size or hash), Stale (older than -MaxAgeHours), Missing or Corrupt (a hash that does not match, a .reg file that does not parse, a database backup whose header cannot be read).',
    'A set written by Invoke-VmmBackup is a folder <Destination>\\<yyyyMMdd_HHmmss> holding database\\ (.bak files), registry\\ (.reg files), inventory\\ (.json snapshots), vmconfig\\ (VM configuration files) and backup-set.json, written last, which records the result of every item, the SHA-256 of every file in the set, and the library set used (under <Destination>\\library, which all runs share so each copies only what changed). Given a destination, the newest set with a backup-set.json is checked; a run that did not finish has none and is never taken for a good set.',
    'Rows: Set (backup-set.json present and intact), Database (each .bak starts with the Microsoft Tape Format TAPE block that SQL Server writes, and counts as Good only with the verification record Backup-VmmDatabase writes beside it after RESTORE VERIFYONLY succeeded, <file>.verify.json, naming this file, its size and its SHA-256; without it the row is Unverified: a copied header and a matching set hash show the bytes are unchanged, not that SQL Server can restore them), Registry (each .reg is UTF-16LE, starts with the regedit header and parses), Inventory (each .json parses), VMConfiguration (files present), Library (the manifest digest and the SHA-256 of every file of the library set). Every file listed in backup-set.json must match its hash.',
    'LastDrill shows the last restore drill of each item (Invoke-VmmRestoreDrill records it in drills\\ beside the sets): a backup that was never restored is only a copy.',
    'Path may also be a Backup-VmmLibraryShare destination (its newest complete set is checked) or one library set folder: then only the Library row is written. An interrupted library set, which has no manifest, is reported Missing; so is a library set that holds no file from one of its shares (an empty or unmounted share, or an -Extension filter that matched nothing): it has nothing to restore for that share.',
    'Evidence cannot be edited unseen: the digests of backup-set.json and of the library manifest cover every field that decides a state (times, counts, item results, failures), and anything written more than five minutes in the future (a manifest end time, a file time) is Corrupt, since its age cannot be known. Sets written in the format of earlier releases (version 1, whose digests do not cover the times) are still checked, and their Detail says so.',
    ...fanOutDescription('-Path is split per server: each server checks <Path>\\<server>, where the fan-out of Backup-VmmLibraryShare or Invoke-VmmBackup with the same servers wrote.'),
  ],
  parameters: [
    { name: 'Path', type: 'string', mandatory: true, position: 0, help: 'A backup set folder, or a destination that holds sets.', validate: { notNullOrEmpty: true } },
    maxAgeHoursParameter,
    ...fanOutParameters,
  ],
  defaultParameterSet: 'Local',
  examples: [
    { code: 'Test-VmmBackup -Path \\\\backup01\\vmm -MaxAgeHours 24 | Where-Object State -ne Good', remarks: 'Shows what is not good in the newest backup set.' },
    { code: 'Test-VmmBackup -Path \\\\backup01\\vmm-library', remarks: 'Verifies every file of the newest library backup set against its SHA-256.' },
    ...fanOutExamples('Test-VmmBackup', '-Path \\\\backup01\\vmm-library'),
  ],
  output: {
    typeName: 'VmmBackup.BackupItemState',
    description: 'One object per item checked.',
    schema: withComputerName(s.object({
      Item: s.string('What was checked (Set, Database, Registry, Inventory, VMConfiguration, Library).'),
      Path: s.nullable(s.string('The file or folder checked.')),
      State: s.enum(states.backupItem, 'Good, Unverified, Stale, Missing or Corrupt.'),
      LastWriteTime: s.nullable(s.dateTime('When the item was written.')),
      Detail: s.string('What was found.'),
      LastDrill: s.nullable(s.string('The last restore drill of this item recorded beside the backup (Invoke-VmmRestoreDrill): its state, when it ended (UTC) and its first finding; null when the item was never drilled.')),
    })),
  },
  status: 'implemented',
  errors: [
    { id: 'RootBackupPath', category: 'InvalidArgument' },
    { id: 'BackupPathNotFound', category: 'ObjectNotFound' },
  ],
  vmmCmdlets: [],
};
