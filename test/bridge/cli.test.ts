/** The bridge-facing commands of the `vmm-backup` CLI, run as a user would (node bin/vmm-backup.js). */
import { spawn } from 'node:child_process';
import * as net from 'node:net';
import * as path from 'node:path';
import { repoRoot } from '../support/paths';
import { createVmmBackupSession, getVmmBackupPlan, getVmmRestorePlan } from '../../generated/typescript';
import type { PowerShellSession } from '../../src/bridge';
import { PWSH } from './support';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function cli(args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(repoRoot, 'bin/vmm-backup.js'), ...args], { cwd: repoRoot, env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

let session: PowerShellSession;
beforeAll(async () => {
  session = createVmmBackupSession({ pwshPath: PWSH });
  await session.start();
});
afterAll(() => session.dispose());

describe('plan', () => {
  test('plan backup --json gives exactly what Get-VmmBackupPlan writes through the bridge', async () => {
    const [run, viaBridge] = await Promise.all([cli(['plan', 'backup', '--json']), getVmmBackupPlan(session)]);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).items).toEqual(viaBridge.output);
  });

  test('plan restore --scenario (either spelling) matches Get-VmmRestorePlan', async () => {
    const [run, viaBridge] = await Promise.all([cli(['plan', 'restore', '--scenario', 'different-computer', '--json']), getVmmRestorePlan(session, { Scenario: 'DifferentComputer' })]);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).items).toEqual(viaBridge.output);
    const table = await cli(['plan', 'restore', '--scenario', 'DifferentComputer', '--details']);
    expect(table.code).toBe(0);
    expect(table.stdout).toContain(`Restore plan (different-computer): ${viaBridge.output.length} item(s)`);
    expect(table.stdout).toContain(viaBridge.output[1].Title);
  });

  test('plan restore without or with an unknown scenario is a usage error (exit 2)', async () => {
    const none = await cli(['plan', 'restore']);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('needs --scenario');
    const bad = await cli(['plan', 'restore', '--scenario', 'moon']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("unknown scenario 'moon'");
  });
});

describe('invoke', () => {
  test('runs the cmdlet through the bridge and prints validated JSON', async () => {
    const run = await cli(['invoke', 'get-vmmrestoreplan', '--Scenario', 'DatabaseOnly', '--json']);
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout);
    expect(result.ok).toBe(true);
    expect(result.command).toBe('Get-VmmRestorePlan');
    expect(result.output).toEqual((await getVmmRestorePlan(session, { Scenario: 'DatabaseOnly' })).output);
  });

  test('a PowerShell error exits 1 with the error mapped, and values are never run as script', async () => {
    const value = `x$(Stop-Process -Id $PID)'"\`n`;
    const run = await cli(['invoke', 'Get-VmmChecklist', '--Kind', value, '--json']);
    expect(run.code).toBe(1);
    const result = JSON.parse(run.stdout);
    expect(result.ok).toBe(false);
    expect(result.error.kind).toBe('PowerShellError');
    expect(result.error.fullyQualifiedErrorId).toBe('ParameterArgumentValidationError,Get-VmmChecklist');
    expect(result.error.message).toContain(value);
  });

  test('unknown cmdlets and parameters, and bad numbers, are usage errors (exit 2)', async () => {
    const cmdlet = await cli(['invoke', 'Get-VmmNothing']);
    expect(cmdlet.code).toBe(2);
    expect(cmdlet.stderr).toContain("unknown cmdlet 'Get-VmmNothing'");
    const parameter = await cli(['invoke', 'Get-VmmBackupPlan', '--Nope', 'x']);
    expect(parameter.code).toBe(2);
    expect(parameter.stderr).toContain('Get-VmmBackupPlan has no parameter -Nope');
    const number = await cli(['invoke', 'Test-VmmBackup', '--MaxAgeHours', '1e3']);
    expect(number.code).toBe(2);
    expect(number.stderr).toContain('--MaxAgeHours takes a whole number');
  });

  test('--help lists examples and exit codes', async () => {
    const run = await cli(['invoke', '--help']);
    expect(run.code).toBe(0);
    const text = run.stdout.replace(/\s+/g, ' ');
    expect(text).toContain('vmm-backup invoke Get-VmmBackupPlan --Automated --json');
    expect(text).toContain('Exit codes: 0 success, 1 PowerShell error, 2 bad usage, 3 output does not match its schema, 4 timeout');
  });
});

describe('doctor', () => {
  test('reports each check, SQL reachable on a listening port, and exits 0 when nothing fails', async () => {
    const server = net.createServer((s) => s.end());
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as net.AddressInfo).port;
    try {
      const run = await cli(['doctor', '--json', '--sql-server', `127.0.0.1,${port}`], { VMMBACKUP_SIGN_PFX: '', VMMBACKUP_SIGN_CERT: '' });
      const report = JSON.parse(run.stdout) as { ok: boolean; checks: { name: string; status: string; detail: string; fix?: string }[] };
      expect(report.checks.map((c) => c.name)).toEqual(['pwsh', 'Pester', 'osslsigncode', 'certificate', 'module + bridge', 'SQL Server']);
      const byName = Object.fromEntries(report.checks.map((c) => [c.name, c]));
      expect(byName.pwsh.status).toBe('ok');
      expect(byName.pwsh.detail).toMatch(/PowerShell 7\.\d+\.\d+/);
      expect(byName.Pester.status).toBe('ok');
      expect(byName['module + bridge'].status).toBe('ok');
      expect(byName['SQL Server']).toMatchObject({ status: 'ok' });
      expect(byName.certificate.status).toBe('warn');
      expect(byName.certificate.fix).toContain('VMMBACKUP_SIGN_PFX');
      expect(report.ok).toBe(report.checks.every((c) => c.status !== 'fail'));
      expect(run.code).toBe(report.ok ? 0 : 1);
    } finally {
      server.close();
    }
  });

  test('an unreachable SQL Server fails with what to fix, and exit 1', async () => {
    const server = net.createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as net.AddressInfo).port;
    await new Promise((r) => server.close(r));
    const run = await cli(['doctor', '--no-module', '--sql-server', `127.0.0.1,${port}`]);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/SQL Server\s+FAIL\s+127\.0\.0\.1:\d+: ECONNREFUSED/);
    expect(run.stdout).toContain('To fix:');
    expect(run.stdout).toContain('Not ready');
  });
});

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
