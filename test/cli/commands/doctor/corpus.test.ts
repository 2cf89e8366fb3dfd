/** `vmm-backup doctor` under bad input: checked before any PowerShell starts. */
import { corpus } from '../../../support/cli-corpus';

corpus('vmm-cli-doctor-', [
  { name: 'doctor with --sql-timeout-ms 0', argv: ['doctor', '--sql-timeout-ms', '0'], code: 2, kind: 'BadInput', message: '--sql-timeout-ms takes a whole number from 1 to 600000, not 0' },
  { name: 'doctor with --sql-server host,99999 names the option and the range', argv: ['doctor', '--sql-server', 'sql01,99999'], code: 2, kind: 'BadInput', message: '--sql-server: the port takes a whole number from 1 to 65535, not 99999' },
  { name: 'doctor with an unknown option', argv: ['doctor', '--fix'], code: 2, kind: 'BadInput', message: 'Unknown argument: fix' },
]);
