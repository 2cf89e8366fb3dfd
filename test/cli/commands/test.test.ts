/** `vmm-backup test` and `doctor` under bad input: checked before any PowerShell starts. */
import { corpus } from '../corpus';

corpus('vmm-cli-test-', [
  { name: 'test with a path that does not exist', argv: ['test', '--path', '{work}/nope.Tests.ps1'], code: 2, kind: 'NotFound', message: /^no such test path: \/.+\/nope\.Tests\.ps1$/ },
  { name: 'test with an unknown --output', argv: ['test', '--output', 'Loud'], code: 2, kind: 'BadInput', message: /^Invalid values:\s+Argument: output, Given: "Loud", Choices: "None", "Normal", "Detailed", "Diagnostic"$/ },
  { name: 'test with a pwsh that does not exist: exit 3 (environment)', argv: ['test', '--pwsh', '{work}/no-pwsh'], code: 3, kind: 'NoPowerShell', message: /no-pwsh/ },
  { name: 'doctor with --sql-timeout-ms 0', argv: ['doctor', '--sql-timeout-ms', '0'], code: 2, kind: 'BadInput', message: '--sql-timeout-ms takes a whole number from 1 to 600000, not 0' },
  { name: 'doctor with --sql-server host,99999 names the option and the range', argv: ['doctor', '--sql-server', 'sql01,99999'], code: 2, kind: 'BadInput', message: '--sql-server: the port takes a whole number from 1 to 65535, not 99999' },
  { name: 'doctor with an unknown option', argv: ['doctor', '--fix'], code: 2, kind: 'BadInput', message: 'Unknown argument: fix' },
]);
