import type { Cmdlet } from '../types';
import { s } from '../schema';
import { states, vmmServerParameter } from './common';

export const resetVmmPerimeterHostPassword: Cmdlet = {
  name: 'Reset-VmmPerimeterHostPassword',
  synopsis: 'Reassociates perimeter-network hosts that show Not Responding after a restore: a new password for their local scvmm account, set in VMM too.',
  description: [
    'For each perimeter-network host that shows Not Responding, generates a strong password, tells the operator exactly which local scvmm????? account to change on which host, and sets the same password in the host\'s properties in VMM.',
    'The password is never written to logs or output unless -PassThruPassword is given, and then only as a SecureString. -PassThruPassword is required (except with -WhatIf): without it the password set in VMM could never be set on the host.',
    'Each result is ActionRequired: VMM holds the new password (Set-SCVMHost -VMHostManagementCredential, alias PerimeterNetworkHostCredential) and the operator sets the same password on the host\'s local scvmm account, as the Instruction says.',
  ],
  parameters: [
    { name: 'ComputerName', type: 'string[]', help: 'Only these hosts. All Not Responding perimeter hosts by default.' },
    { name: 'PassThruPassword', type: 'switch', help: 'Add the generated password to the output, as a SecureString, so that it can be set on the host. Required except with -WhatIf.' },
    vmmServerParameter,
  ],
  examples: [{ code: 'Reset-VmmPerimeterHostPassword -ComputerName dmz-hv01 -PassThruPassword', remarks: 'Resets one perimeter host and returns its new password as a SecureString.' }],
  shouldProcess: { impact: 'High' },
  output: {
    typeName: 'VmmBackup.PerimeterHostReset',
    description: 'One object per host.',
    schema: s.object({
      ComputerName: s.string('The host.'),
      AccountPattern: s.string('The local account to change (scvmm plus 5 characters).'),
      Instruction: s.string('What the operator must do on the host.'),
      State: s.enum(states.run, 'Result.'),
      Password: s.nullable(s.object({ Length: s.integer('Number of characters.', 0) }, 'Only with -PassThruPassword: the new password as a SecureString (serialised by PowerShell as its Length only, never as plain text).')),
    }),
  },
  status: 'implemented',
  errors: [],
  vmmCmdlets: ['Get-SCVMMServer', 'Get-SCVMHost', 'Set-SCVMHost'],
  notes: [
    'Perimeter-network hosts are those whose PerimeterNetworkHost property is true and whose CommunicationState is NotResponding (names in src/model/vmm-states.ts).',
    'Set-SCVMHost carries the password in -VMHostManagementCredential (alias PerimeterNetworkHostCredential; its parameter page calls it obsolete while the cmdlet description says it sets the password of the account that manages perimeter-network hosts). If VMM refuses it, the result is Failed and says to set the password on the Options tab of the host\'s properties.',
    'The password comes from the cryptographic random number generator (24 characters, letters, digits and symbols).',
  ],
};
