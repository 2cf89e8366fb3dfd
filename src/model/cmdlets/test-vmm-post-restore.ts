import type { Cmdlet } from '../types';
import { s } from '../schema';
import { states, vmmServerParameter } from './common';

export const testVmmPostRestore: Cmdlet = {
  name: 'Test-VmmPostRestore',
  synopsis: 'Runs every post-restore check of the specification and says, for each, what to fix.',
  description: [
    'Covers AlwaysOn availability group membership of the VMM database, Windows Azure Pack, VMM consoles, VM templates whose operating-system disk is missing or wrong, the Hyper-V Recovery Manager / Azure Site Recovery provider, UI add-ins, driver packages and host certificates. Returns one result per check with its state and the exact fix.',
  ],
  parameters: [vmmServerParameter],
  examples: [{ code: 'Test-VmmPostRestore | Where-Object State -ne Pass | Format-List Check, Detail, Fix', remarks: 'Shows what still needs doing after a restore.' }],
  output: {
    typeName: 'VmmBackup.PostRestoreCheck',
    description: 'One object per check.',
    schema: s.object({
      Id: s.string('Procedure id of the check.'),
      Check: s.string('What was checked.'),
      State: s.enum(states.check, 'Pass, Fail, ActionRequired or NotApplicable.'),
      Detail: s.string('What was found.'),
      Fix: s.nullable(s.string('The exact fix.')),
    }),
  },
  status: 'implemented',
  vmmCmdlets: ['Get-SCVMMServer', 'Get-SCVMTemplate', 'Get-SCVirtualHardDisk', 'Get-SCVirtualMachine', 'Get-SCDriverPackage', 'Get-SCVMHost'],
  notes: [
    'Checked from VMM: VM templates (Get-SCVMTemplate, Get-SCVirtualHardDisk -VMTemplate), replicated VMs that need the Azure Site Recovery provider (Get-SCVirtualMachine), driver packages (Get-SCDriverPackage -All). AlwaysOn, Windows Azure Pack, consoles, add-ins and host certificates cannot be read from VMM: they are returned as ActionRequired with the instructions.',
    'The Fix text is the checklist of the matching procedure (Get-VmmChecklist -Kind post-restore).',
  ],
  progress: true,
};
