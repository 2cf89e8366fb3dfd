/** `vmm-backup test` under bad input: checked before any PowerShell starts. */
import { corpus } from '../../../support/cli-corpus';

corpus('vmm-cli-test-', [
  { name: 'test with a path that does not exist', argv: ['test', '--path', '{work}/nope.Tests.ps1'], code: 2, kind: 'NotFound', message: /^no such test path: \/.+\/nope\.Tests\.ps1$/ },
  { name: 'test with an unknown --output', argv: ['test', '--output', 'Loud'], code: 2, kind: 'BadInput', message: /^Invalid values:\s+Argument: output, Given: "Loud", Choices: "None", "Normal", "Detailed", "Diagnostic"$/ },
  { name: 'test with a pwsh that does not exist: exit 3 (environment)', argv: ['test', '--pwsh', '{work}/no-pwsh'], code: 3, kind: 'NoPowerShell', message: /no-pwsh/ },
]);
