import type { Cmdlet } from '../types';
import { s } from '../schema';
import { databaseParameter, sqlCredentialParameter, sqlServerParameter, states, vmmServerParameter } from './common';

export const testVmmPostRestore: Cmdlet = {
  name: 'Test-VmmPostRestore',
  synopsis: 'Runs every post-restore check of the specification and says, for each, what to fix.',
  description: [
    'Covers AlwaysOn availability group membership of the VMM database, Windows Azure Pack, VMM consoles, VM templates whose operating-system disk is missing or wrong, the Hyper-V Recovery Manager / Azure Site Recovery provider, UI add-ins, driver packages and host certificates. Returns one result per check with its state and the exact fix.',
  ],
  parameters: [vmmServerParameter, sqlServerParameter, databaseParameter, sqlCredentialParameter],
  examples: [
    { code: 'Test-VmmPostRestore | Where-Object State -ne Pass | Format-List Check, Detail, Fix', remarks: 'Shows what still needs doing after a restore.' },
    { code: 'Test-VmmPostRestore -SqlServer sql01\\VMM -Database VirtualManagerDB', remarks: 'Also checks the availability group of the VMM database on that instance.' },
  ],
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
  errors: [],
  vmmCmdlets: ['Get-SCVMMServer', 'Get-SCVMTemplate', 'Get-SCVirtualHardDisk', 'Get-SCVirtualMachine', 'Get-SCDriverPackage', 'Get-SCVMHost'],
  notes: [
    'Checked from VMM: VM templates (Get-SCVMTemplate, Get-SCVirtualHardDisk -VMTemplate), replicated VMs that need the Azure Site Recovery provider (Get-SCVirtualMachine), driver packages (Get-SCDriverPackage -All). Windows Azure Pack, consoles, add-ins and host certificates cannot be read from VMM: they are returned as ActionRequired with the instructions.',
    'AlwaysOn is checked on SQL Server (sys.availability_groups, sys.availability_databases_cluster; the database name sent as a parameter): Pass when the VMM database is in an availability group, NotApplicable when the instance has none, ActionRequired when it has some but the database is in none. Without -SqlServer/-Database and without readable VMM registry settings, it is ActionRequired with the instructions.',
    'The Fix text is the checklist of the matching procedure (Get-VmmChecklist -Kind post-restore).',
  ],
  progressId: 4180,
};
