import type { Cmdlet } from '../types';
import { s } from '../schema';
import { states, vmmServerParameter } from './common';

export const resetVmmPerimeterHostPassword: Cmdlet = {
  name: 'Reset-VmmPerimeterHostPassword',
  synopsis: 'Reassociates perimeter-network hosts that show Not Responding after a restore: a new password for their local scvmm account, set in VMM too.',
  description: [
    'For each perimeter-network host that shows Not Responding, generates a strong password, tells the operator exactly which local scvmm????? account to change on which host, and sets the same password in the host\'s properties in VMM.',
    'The password is never written to logs or output unless -PassThruPassword is given, and then only as a SecureString.',
  ],
  parameters: [
    { name: 'ComputerName', type: 'string[]', help: 'Only these hosts. All Not Responding perimeter hosts by default.' },
    { name: 'PassThruPassword', type: 'switch', help: 'Add the generated password to the output, as a SecureString.' },
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
      Password: s.nullable(s.string('Only with -PassThruPassword: a SecureString (serialised as such, never plain text).')),
    }),
  },
  status: 'planned',
  vmmCmdlets: ['Get-SCVMMServer', 'Get-SCVMHost', 'Set-SCVMHost'],
};
