import type { Cmdlet } from '../types';
import { s } from '../schema';
import { states, vmmServerParameter } from './common';

export const syncVmmInventory: Cmdlet = {
  name: 'Sync-VmmInventory',
  synopsis: 'Applies the differences Compare-VmmInventory found: removes stale hosts and VMs, and says how to add new ones.',
  description: [
    'Removes hosts that no longer exist (Remove-SCVMHost -Force) and VMs that are Missing (Remove-SCVirtualMachine -Force), each behind ShouldProcess. Adding a host needs its credentials and placement, so Add items are returned as ActionRequired with the exact command to run.',
  ],
  parameters: [
    { name: 'InputObject', type: 'object[]', mandatory: true, pipeline: 'value', help: 'Differences from Compare-VmmInventory.' },
    vmmServerParameter,
  ],
  examples: [{ code: 'Compare-VmmInventory -Snapshot D:\\VmmBackup\\inventory.json | Sync-VmmInventory -WhatIf', remarks: 'Shows what would be removed.' }],
  shouldProcess: { impact: 'High' },
  output: {
    typeName: 'VmmBackup.InventorySyncResult',
    description: 'One object per difference handled.',
    schema: s.object({
      Action: s.enum(['Remove', 'Add'], 'The action.'),
      ObjectType: s.enum(['Host', 'VirtualMachine'], 'What kind of object.'),
      Name: s.string('Object name.'),
      State: s.enum(states.run, 'Result.'),
      Message: s.nullable(s.string('Error, or what the operator must do.')),
    }),
  },
  status: 'implemented',
  errors: [],
  vmmCmdlets: ['Get-SCVMMServer', 'Get-SCVMHost', 'Get-SCVirtualMachine', 'Remove-SCVMHost', 'Remove-SCVirtualMachine'],
  notes: [
    'Before removing, the object is read again: a host that no longer shows NotResponding, or a VM that no longer shows Missing, is Skipped.',
    'Add items are ActionRequired: Add-SCVMHost -ComputerName <host> -Credential (Get-Credential) for a host, Read-SCVMHost -VMHost (Get-SCVMHost -ComputerName <host>) for a VM (VMM discovers it on refresh). Names in these commands are single-quoted.',
  ],
};
