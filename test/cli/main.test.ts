/**
 * The command line as a whole: yargs' own validation errors are bad input (2) with one JSON error object,
 * and every command's --help prints the one table of exit codes.
 */
import { corpus, runCli } from '../support/cli-corpus';
import { EXIT_CODE_HELP, ExitCode } from '../../src/cli/exit-codes';
import { errorJson, stripInternalPositions, CliError } from '../../src/cli/errors';

corpus('vmm-cli-main-', [
  { name: 'no command: exit 2, BadInput', argv: [], code: 2, kind: 'BadInput', message: 'Name a command (see --help).' },
  { name: 'an unknown command: exit 2, BadInput', argv: ['bogus'], code: 2, kind: 'BadInput', message: 'Unknown argument: bogus' },
  { name: 'an unknown option of a command: exit 2', argv: ['plan', 'backup', '--bogus'], code: 2, kind: 'BadInput', message: 'Unknown argument: bogus' },
]);

test.each(['generate', 'sign', 'verify', 'pack', 'db', 'db status', 'db backup', 'db verify', 'db history', 'test', 'plan', 'doctor'])('%s --help prints the exit-code table and exits 0', async (command) => {
  const run = await runCli([...command.split(' '), '--help']);
  expect(run.code).toBe(0);
  expect(run.stdout).toContain(EXIT_CODE_HELP.split('\n')[0]);
  for (const line of EXIT_CODE_HELP.split('\n').slice(1, 5)) expect(run.stdout.replace(/\s+/g, ' ')).toContain(line.replace(/\s+/g, ' ').trim());
});

test('the table has exactly the four codes of the README', () => {
  expect(ExitCode).toEqual({ Ok: 0, Failure: 1, BadInput: 2, Environment: 3 });
});

test('internal script positions and stack frames are left out of messages unless --debug', () => {
  const text = 'Access to the path is denied.\nAt /opt/VmmBackup/Public/Backup-VmmLibraryShare.ps1:382 char:49\n+ ... Copy-Item ...\n    at copy (/src/x.js:1:2)';
  expect(stripInternalPositions(text)).toBe('Access to the path is denied.');
  const error = new CliError(text, 1, { kind: 'PowerShellError' });
  expect(errorJson(error, false)).toEqual({ error: { kind: 'PowerShellError', message: 'Access to the path is denied.', exitCode: 1 } });
  expect(errorJson(error, true).error.message).toBe(text);
  expect((errorJson(error, true).error.details as { stack: string }).stack).toContain('CliError');
});
