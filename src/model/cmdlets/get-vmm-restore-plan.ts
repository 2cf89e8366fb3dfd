import type { Cmdlet } from '../types';
import { planItemSchema } from './get-vmm-backup-plan';

export const getVmmRestorePlan: Cmdlet = {
  name: 'Get-VmmRestorePlan',
  synopsis: 'Lists the restore procedure for a situation, in the order the specification requires.',
  description: [
    'Returns the ordered restore and post-restore steps for restoring on the same computer, on a different computer, or the database only. The database is always restored first.',
  ],
  parameters: [
    {
      name: 'Scenario',
      type: 'string',
      mandatory: true,
      position: 0,
      help: 'SameComputer, DifferentComputer or DatabaseOnly.',
      validate: { set: ['SameComputer', 'DifferentComputer', 'DatabaseOnly'] },
    },
  ],
  examples: [{ code: 'Get-VmmRestorePlan -Scenario DifferentComputer | Format-Table Order, Title, Cmdlet', remarks: 'Shows the steps to restore VMM onto a new server.' }],
  output: { typeName: 'VmmBackup.PlanItem', description: 'One object per step.', schema: planItemSchema },
  status: 'implemented',
  errors: [],
  vmmCmdlets: [],
};
