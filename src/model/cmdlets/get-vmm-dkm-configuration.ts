import type { Cmdlet } from '../types';
import { s } from '../schema';

export const getVmmDkmConfiguration: Cmdlet = {
  name: 'Get-VmmDkmConfiguration',
  synopsis: 'Tells whether distributed key management (DKM) is configured and which Active Directory container holds the keys.',
  description: [
    'Reads the VMM server settings. When DKM is configured, VMM encryption keys live in Active Directory Domain Services and are backed up only by backing up Active Directory; the output says so with the exact container.',
  ],
  parameters: [],
  examples: [{ code: 'Get-VmmDkmConfiguration', remarks: 'Shows whether DKM is on and where the keys are.' }],
  output: {
    typeName: 'VmmBackup.DkmConfiguration',
    description: 'The DKM settings and what they mean for backup.',
    schema: s.object({
      Configured: s.boolean('DKM is configured.'),
      Container: s.nullable(s.string('Distinguished name of the AD container that holds the keys.')),
      Instruction: s.string('What the operator must do to back the keys up.'),
    }),
  },
  status: 'implemented',
  errors: [
    { id: 'DkmSettingUnreadable', category: 'ReadError' },
    { id: 'VmmSettingsKeyMissing', category: 'ObjectNotFound' },
  ],
  vmmCmdlets: [],
  notes: ['Reads the value TopContainerName of HKLM\\SOFTWARE\\Microsoft\\Microsoft System Center Virtual Machine Manager Server\\Settings through Read-VmmRegistryTree (names in src/model/vmm-states.ts); run it on the VMM management server.'],
};
