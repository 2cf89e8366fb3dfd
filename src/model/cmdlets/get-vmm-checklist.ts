import type { Cmdlet } from '../types';
import { planItemSchema } from './get-vmm-backup-plan';

export const getVmmChecklist: Cmdlet = {
  name: 'Get-VmmChecklist',
  synopsis: 'Lists the procedures no cmdlet can perform, with the exact instructions for the operator.',
  description: ['Returns every checklist item of the model (console steps, Credential Manager, Active Directory, third-party add-ins, reinstallations), optionally of one kind.'],
  parameters: [
    { name: 'Kind', type: 'string', help: 'backup, restore, post-restore or check.', validate: { set: ['backup', 'restore', 'post-restore', 'check'] } },
  ],
  examples: [{ code: 'Get-VmmChecklist -Kind post-restore', remarks: 'Lists what to do by hand after a restore.' }],
  output: { typeName: 'VmmBackup.PlanItem', description: 'One object per checklist item.', schema: planItemSchema },
  status: 'implemented',
  errors: [],
  vmmCmdlets: [],
};
