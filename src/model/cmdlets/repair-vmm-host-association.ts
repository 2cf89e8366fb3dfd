import type { Cmdlet } from '../types';
import { s } from '../schema';
import { states, vmmServerParameter } from './common';

export const repairVmmHostAssociation: Cmdlet = {
  name: 'Repair-VmmHostAssociation',
  synopsis: 'Reassociates managed computers that show Access Denied with the new VMM management server.',
  description: [
    'After VMM is restored on a different computer, its SID differs and managed computers stay mapped to the old machine account: they show Access Denied. This finds them (Get-SCVMMManagedComputer) and reassociates each with Register-SCVMMManagedComputer -Credential.',
  ],
  parameters: [
    { name: 'Credential', type: 'pscredential', mandatory: true, help: 'Administrative credentials on the managed computers.' },
    { name: 'ComputerName', type: 'string[]', help: 'Only these computers. All Access Denied computers by default.' },
    vmmServerParameter,
  ],
  examples: [{ code: 'Repair-VmmHostAssociation -Credential (Get-Credential CONTOSO\\vmmadmin)', remarks: 'Reassociates every Access Denied computer.' }],
  shouldProcess: { impact: 'Medium' },
  output: {
    typeName: 'VmmBackup.ReassociationResult',
    description: 'One object per computer.',
    schema: s.object({
      ComputerName: s.string('Managed computer.'),
      PreviousState: s.string('State before.'),
      State: s.enum(states.run, 'Result.'),
      Message: s.nullable(s.string('Error text.')),
    }),
  },
  status: 'implemented',
  errors: [],
  vmmCmdlets: ['Get-SCVMMServer', 'Get-SCVMMManagedComputer', 'Register-SCVMMManagedComputer'],
  notes: ['Register-SCVMMManagedComputer does not support -WhatIf itself: this cmdlet asks ShouldProcess before each call. Computers named with -ComputerName that are not Access Denied are returned as Skipped.'],
};
