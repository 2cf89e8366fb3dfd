import type { Cmdlet } from '../types';
import { s } from '../schema';
import { vmmServerParameter } from './common';

export const inventoryDifferenceSchema = s.object({
  Action: s.enum(['Remove', 'Add'], 'Remove from VMM (removed after the backup) or add to VMM (added after the backup).'),
  ObjectType: s.enum(['Host', 'VirtualMachine'], 'What kind of object.'),
  Name: s.string('Host computer name or VM name.'),
  VMHost: s.nullable(s.string('Host of the VM.')),
  State: s.nullable(s.string('State VMM shows now (NotResponding, Missing, ...).')),
  Reason: s.string('Why the action is needed.'),
});

export const compareVmmInventory: Cmdlet = {
  name: 'Compare-VmmInventory',
  synopsis: 'Compares an inventory snapshot with the restored VMM and returns what to remove and what to add.',
  description: [
    'After a restore, hosts removed after the backup show Not Responding (their VMs Host Not Responding), and VMs removed after the backup show Missing: these are returned with Action Remove. Hosts and VMs that exist now but are not in the restored VMM (added after the backup) are returned with Action Add. Pipe the result to Sync-VmmInventory.',
  ],
  parameters: [
    { name: 'Snapshot', type: 'string', mandatory: true, position: 0, help: 'Inventory snapshot (Export-VmmInventory) taken at backup time.', validate: { notNullOrEmpty: true } },
    { name: 'Current', type: 'string', help: 'Inventory of what exists now (a snapshot taken from the live environment). When omitted, Add actions cannot be found and only Remove actions are returned.' },
    vmmServerParameter,
  ],
  examples: [
    { code: 'Compare-VmmInventory -Snapshot D:\\VmmBackup\\inventory.json', remarks: 'Lists what the restored VMM shows that no longer exists.' },
    { code: 'Compare-VmmInventory -Snapshot D:\\VmmBackup\\inventory.json -Current D:\\VmmBackup\\now.json | Sync-VmmInventory -WhatIf', remarks: 'Also lists what was added after the backup, and shows what Sync-VmmInventory would do.' },
  ],
  output: { typeName: 'VmmBackup.InventoryDifference', description: 'One object per difference.', schema: inventoryDifferenceSchema },
  status: 'implemented',
  errors: [],
  vmmCmdlets: ['Get-SCVMMServer', 'Get-SCVMHost', 'Get-SCVirtualMachine'],
  notes: [
    'A Not Responding host that is in the -Current snapshot still exists and is not removed. Without -Current, Not Responding perimeter-network hosts are not removed either (they are expected to show Not Responding after a restore): see Reset-VmmPerimeterHostPassword.',
    'Virtual machines of a host that is removed (or added) are not listed separately: they go (or come) with their host.',
    'A warning says so when the restored VMM lists hosts the backup-time snapshot does not (the snapshot does not match the restored backup).',
  ],
};
