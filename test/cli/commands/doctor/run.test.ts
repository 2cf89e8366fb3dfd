/** `vmm-backup doctor` run as a user runs it (node bin/vmm-backup.js): every check, and the exit code. */
import * as net from 'node:net';
import { runCliProcess as cli } from '../../../support/child-process';

// Each run starts Node, PowerShell and the module: minutes on a busy machine.
jest.setTimeout(240_000);

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
