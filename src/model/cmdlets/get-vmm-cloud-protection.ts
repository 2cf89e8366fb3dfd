import type { Cmdlet } from '../types';
import { s } from '../schema';
import { vmmServerParameter } from './common';

export const getVmmCloudProtection: Cmdlet = {
  name: 'Get-VmmCloudProtection',
  synopsis: 'Reports, per private cloud, how many of its virtual machines are protected by replication (Azure Site Recovery / Hyper-V Replica).',
  description: [
    'The specification protects VMM private clouds by replication orchestrated with Azure Site Recovery, not by file backup. This report lists each cloud with its virtual machines and their replication state, and says what to do for unprotected ones.',
  ],
  parameters: [vmmServerParameter],
  examples: [{ code: 'Get-VmmCloudProtection | Where-Object Unprotected -gt 0', remarks: 'Lists clouds that have virtual machines without replication.' }],
  output: {
    typeName: 'VmmBackup.CloudProtection',
    description: 'One object per private cloud.',
    schema: s.object({
      Cloud: s.string('Private cloud name.'),
      VirtualMachines: s.integer('VMs in the cloud.', 0),
      Protected: s.integer('VMs with replication enabled.', 0),
      Unprotected: s.integer('VMs without replication.', 0),
      UnprotectedNames: s.array(s.string('VM name.'), 'Names of the unprotected VMs.'),
      Recommendation: s.string('What to do.'),
    }),
  },
  status: 'implemented',
  errors: [],
  vmmCmdlets: ['Get-SCVMMServer', 'Get-SCCloud', 'Get-SCVirtualMachine'],
};
