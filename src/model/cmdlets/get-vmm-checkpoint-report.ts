import type { Cmdlet } from '../types';
import { s } from '../schema';
import { vmmServerParameter } from './common';

export const getVmmCheckpointReport: Cmdlet = {
  name: 'Get-VmmCheckpointReport',
  synopsis: 'Lists virtual machine checkpoints and warns that they are not backups.',
  description: [
    'Checkpoints do not create full duplicates of the hard disk contents nor copy data to a separate volume, so they must not be used for disaster recovery. This report lists every checkpoint VMM knows, so that none is mistaken for a backup.',
  ],
  parameters: [vmmServerParameter],
  examples: [{ code: 'Get-VmmCheckpointReport | Format-Table VMName, Name, AddedTime', remarks: 'Lists checkpoints by VM.' }],
  output: {
    typeName: 'VmmBackup.CheckpointReport',
    description: 'One object per checkpoint.',
    schema: s.object({
      VMName: s.string('Virtual machine.'),
      Name: s.string('Checkpoint name.'),
      AddedTime: s.nullable(s.dateTime('When the checkpoint was taken.')),
      Warning: s.string('Why this is not a backup.'),
    }),
  },
  status: 'implemented',
  errors: [],
  vmmCmdlets: ['Get-SCVMMServer', 'Get-SCVMCheckpoint'],
};
