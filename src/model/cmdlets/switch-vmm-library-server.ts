import type { Cmdlet } from '../types';
import { s } from '../schema';
import { states, vmmServerParameter } from './common';

export const switchVmmLibraryServer: Cmdlet = {
  name: 'Switch-VmmLibraryServer',
  synopsis: 'Replaces a library server listing with another: the original VMM server with the new one, or a restored library server under a new name.',
  description: [
    'When the restored VMM management server was also a library server, the new computer lists the original one as the default library server. This removes the original (Remove-SCLibraryServer) and adds the new computer (Add-SCLibraryServer). When a restored library server keeps its name, use -SameName: it reassociates the computer instead (after the VMM agent has been installed on it locally).',
  ],
  defaultParameterSet: 'Replace',
  parameters: [
    { name: 'OldComputerName', type: 'string', mandatory: true, sets: ['Replace'], help: 'The library server to remove.' },
    { name: 'NewComputerName', type: 'string', mandatory: true, sets: ['Replace'], help: 'The computer to add as a library server.' },
    { name: 'ComputerName', type: 'string', mandatory: true, sets: ['SameName'], help: 'The restored library server that kept its name.' },
    { name: 'SameName', type: 'switch', mandatory: true, sets: ['SameName'], help: 'Reassociate a library server that kept its name.' },
    { name: 'Credential', type: 'pscredential', mandatory: true, help: 'Administrative credentials on the library servers.' },
    vmmServerParameter,
  ],
  examples: [
    { code: 'Switch-VmmLibraryServer -OldComputerName vmm01.contoso.com -NewComputerName vmm02.contoso.com -Credential $cred', remarks: 'Replaces the original VMM server as library server.' },
    { code: 'Switch-VmmLibraryServer -ComputerName lib01.contoso.com -SameName -Credential $cred', remarks: 'Reassociates a restored library server that kept its name.' },
  ],
  shouldProcess: { impact: 'High' },
  output: {
    typeName: 'VmmBackup.LibraryServerSwitch',
    description: 'What was done.',
    schema: s.object({
      Removed: s.nullable(s.string('Library server removed.')),
      Added: s.nullable(s.string('Library server added or reassociated.')),
      State: s.enum(states.run, 'Result.'),
      Message: s.nullable(s.string('Error, or what the operator must do.')),
    }),
  },
  status: 'implemented',
  errors: [],
  vmmCmdlets: ['Get-SCVMMServer', 'Get-SCLibraryServer', 'Remove-SCLibraryServer', 'Add-SCLibraryServer', 'Get-SCVMMManagedComputer', 'Register-SCVMMManagedComputer'],
  notes: ['In the order the specification gives: the original library server is removed first, then the new computer is added. If adding fails, the result is Failed and gives the exact Add-SCLibraryServer command to run.', 'With -SameName, the VMM agent must first be installed locally on the restored computer; a failed reassociation says so.'],
};
