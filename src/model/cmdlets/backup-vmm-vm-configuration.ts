import type { Cmdlet } from '../types';
import { s } from '../schema';
import { vmmServerParameter, when } from './common';

export const backupVmmVMConfiguration: Cmdlet = {
  name: 'Backup-VmmVMConfiguration',
  synopsis: 'Copies the configuration files of the managed virtual machines to a backup folder (the specification recommends daily).',
  description: [
    'For each virtual machine VMM lists, copies its configuration files (.vmc, .xml, .vmcx, .vmrs) from the host to <Destination>\\<yyyyMMdd>\\<host>\\<vm>. Disk contents are not copied: back those up with a VSS-aware backup application, as the specification says.',
  ],
  parameters: [
    { name: 'Destination', type: 'string', mandatory: true, position: 0, help: 'Folder that receives the dated copies.', validate: { notNullOrEmpty: true } },
    { name: 'VMName', type: 'string[]', help: 'Only these virtual machines. All by default.' },
    vmmServerParameter,
  ],
  examples: [{ code: 'Backup-VmmVMConfiguration -Destination \\\\backup01\\vm-config', remarks: 'Copies today\'s configuration files of every managed VM.' }],
  shouldProcess: { impact: 'Low' },
  output: {
    typeName: 'VmmBackup.VMConfigurationBackup',
    description: 'One object per virtual machine.',
    schema: s.object({
      VMName: s.string('Virtual machine.'),
      VMHost: s.nullable(s.string('Host it runs on.')),
      Destination: s.string('Folder the files were copied to.'),
      Files: s.integer('Files copied.', 0),
      State: s.enum(['Succeeded', 'Failed', 'Skipped'], 'Result.'),
      Message: s.nullable(s.string('Why it failed or was skipped.')),
      Time: when.finished,
    }),
  },
  status: 'implemented',
  errors: [],
  vmmCmdlets: ['Get-SCVMMServer', 'Get-SCVirtualMachine'],
  notes: ['The configuration file is the VM\'s VMCPath (with its same-named .vmc/.xml/.vmcx/.vmrs siblings); when VMCPath is empty, the configuration files under its Location folder. Host-local paths (D:\\...) are read through the host\'s administrative share (\\\\host\\D$\\...).', 'A VM whose files cannot be read is reported Failed (and written as an error); the others are still copied.'],
  progressId: 4160,
};
