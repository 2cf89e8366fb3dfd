import type { Cmdlet } from '../types';
import { s } from '../schema';
import { vmmServerParameter, when } from './common';

export const exportVmmInventory: Cmdlet = {
  name: 'Export-VmmInventory',
  synopsis: 'Saves the VMM inventory (hosts, clusters, VMs with status, library servers, clouds, templates, Run As accounts) as a versioned JSON snapshot.',
  description: [
    'Inventories what VMM manages, as the specification asks before backing up hosts and virtual machines, and writes it to a JSON file. After a restore, Compare-VmmInventory compares this snapshot with the restored VMM to find what was added or removed since the backup.',
  ],
  parameters: [
    { name: 'Path', type: 'string', mandatory: true, position: 0, help: 'The .json file to write, or a folder (the file is then VmmInventory_<yyyyMMdd_HHmmss>.json).', validate: { notNullOrEmpty: true } },
    vmmServerParameter,
  ],
  examples: [{ code: 'Export-VmmInventory -Path D:\\VmmBackup\\inventory', remarks: 'Writes a timestamped inventory snapshot.' }],
  shouldProcess: { impact: 'Low' },
  output: {
    typeName: 'VmmBackup.InventorySnapshot',
    description: 'The snapshot written, with counts.',
    schema: s.object({
      Path: s.string('The snapshot file.'),
      SchemaVersion: s.integer('Version of the snapshot format.', 1),
      TakenAt: when.finished,
      VMMServer: s.string('The VMM server inventoried.'),
      Hosts: s.integer('Hosts.', 0),
      Clusters: s.integer('Host clusters.', 0),
      VirtualMachines: s.integer('Virtual machines.', 0),
      LibraryServers: s.integer('Library servers.', 0),
      Clouds: s.integer('Private clouds.', 0),
      Templates: s.integer('VM templates.', 0),
      RunAsAccounts: s.integer('Run As accounts.', 0),
    }),
  },
  status: 'implemented',
  errors: [],
  vmmCmdlets: ['Get-SCVMMServer', 'Get-SCVMHost', 'Get-SCVMHostCluster', 'Get-SCVirtualMachine', 'Get-SCLibraryServer', 'Get-SCCloud', 'Get-SCVMTemplate', 'Get-SCRunAsAccount'],
};
