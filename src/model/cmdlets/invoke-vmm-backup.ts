import type { Cmdlet } from '../types';
import { s } from '../schema';
import { states, vmmServerParameter, when } from './common';

export const invokeVmmBackup: Cmdlet = {
  name: 'Invoke-VmmBackup',
  synopsis: 'Runs the whole backup plan into one backup set and reports each item.',
  description: [
    'Runs every automated item of Get-VmmBackupPlan (database, registry settings, library shares, inventory, VM configuration files, system state when a target is given) into dated folders under -Destination, and reports the manual items as ActionRequired with their instructions. One failing item does not stop the others.',
  ],
  parameters: [
    { name: 'Destination', type: 'string', mandatory: true, position: 0, help: 'Root folder of the backup sets (not a root directory).', validate: { notNullOrEmpty: true } },
    { name: 'SystemStateTarget', type: 'string', help: 'Volume or share for the system state backup; the item is skipped when omitted.' },
    { name: 'Skip', type: 'string[]', help: 'Procedure ids to skip (see Get-VmmBackupPlan).' },
    vmmServerParameter,
  ],
  examples: [{ code: 'Invoke-VmmBackup -Destination \\\\backup01\\vmm -SystemStateTarget E:', remarks: 'Runs the whole plan.' }],
  shouldProcess: { impact: 'Medium' },
  output: {
    typeName: 'VmmBackup.PlanRunItem',
    description: 'One object per plan item.',
    schema: s.object({
      Id: s.string('Procedure id.'),
      Title: s.string('What was done.'),
      State: s.enum(states.run, 'Result.'),
      Output: s.nullable(s.string('File or folder written.')),
      Message: s.nullable(s.string('Error, or what the operator must do.')),
      StartTime: when.started,
      EndTime: when.finished,
    }),
  },
  status: 'planned',
  vmmCmdlets: [],
  progress: true,
};
