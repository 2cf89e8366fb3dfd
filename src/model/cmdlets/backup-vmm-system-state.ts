import type { Cmdlet } from '../types';
import { s } from '../schema';
import { when } from './common';

export const backupVmmSystemState: Cmdlet = {
  name: 'Backup-VmmSystemState',
  synopsis: 'Takes a system state backup of the VMM management server with wbadmin, and checks that it ran.',
  description: [
    'Runs wbadmin start systemstatebackup -backupTarget:<target> -quiet and then wbadmin get versions to confirm a new system state version exists. The specification recommends it so the server can be re-created with the same security identifier (SID), which VMM uses to be authorized on hosts.',
  ],
  parameters: [
    { name: 'BackupTarget', type: 'string', mandatory: true, position: 0, help: 'Volume (E:) or UNC share that receives the system state backup. It must not be a volume being backed up.', validate: { notNullOrEmpty: true } },
  ],
  examples: [{ code: 'Backup-VmmSystemState -BackupTarget E:', remarks: 'Backs up the system state of this server to volume E:.' }],
  shouldProcess: { impact: 'Medium' },
  output: {
    typeName: 'VmmBackup.SystemStateBackup',
    description: 'The wbadmin run and the version it created.',
    schema: s.object({
      BackupTarget: s.string('Where the backup went.'),
      StartTime: when.started,
      EndTime: when.finished,
      ExitCode: s.integer('wbadmin exit code.'),
      VersionIdentifier: s.nullable(s.string('The new backup version, from wbadmin get versions.')),
      State: s.enum(['Succeeded', 'Failed'], 'Result.'),
    }),
  },
  status: 'implemented',
  errors: [],
  vmmCmdlets: [],
  notes: ['wbadmin runs with its arguments as an array, never through a command string. The backup target must be a volume (E:) or a UNC share; anything else is refused before wbadmin runs.', 'The run counts as Succeeded only when wbadmin exits 0 AND wbadmin get versions lists a version that was not there before.'],
  progressId: 4150,
};
