/** `vmm-backup test` run as a user runs it (node bin/vmm-backup.js): Pester on a given path, summarised. */
import * as path from 'node:path';
import { runCliProcess as cli } from '../../../support/child-process';

// Each run starts Node and PowerShell: minutes on a busy machine.
jest.setTimeout(240_000);

describe('test', () => {
  test('runs Pester on the given path and summarises; a failure exits 1', async () => {
    const pass = await cli(['test', '--json', '--path', path.join(__dirname, 'fixtures/pester-pass')]);
    expect(pass.code).toBe(0);
    expect(JSON.parse(pass.stdout)).toMatchObject({ passed: 2, failed: 0, skipped: 0, files: 1 });
    const fail = await cli(['test', '--path', path.join(__dirname, 'fixtures/pester-fail')]);
    expect(fail.code).toBe(1);
    expect(fail.stdout).toContain('pester: 1 passed, 1 failed, 0 skipped in 1 file(s)');
  });
});
