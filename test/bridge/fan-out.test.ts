/**
 * One fan-out through the bridge and the generated bindings: Backup-VmmLibraryShare on two simulated library
 * servers (sshd on 127.0.0.2 and 127.0.0.3, Pester/Support/SshServers.psm1) opened from -ComputerName over SSH,
 * and a third name nobody answers. Results are validated against the output schema (ComputerName included).
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PowerShellSession } from '../../src/bridge';
import { backupVmmLibraryShare, createVmmBackupSession } from '../../generated/typescript';
import { repoRoot } from '../support/paths';
import { PWSH } from './support';
import { EXIT, parseParameters } from '../../src/cli/commands/invoke';
import { loadModel } from '../../src/model';

interface TestServer {
  Name: string;
  Port: number;
  ProcessId: number;
  Library: string;
  Root: string;
  KeyFilePath: string;
  UserName: string;
  SshOption: Record<string, string>;
}

const supportModule = path.join(repoRoot, 'Pester/Support/SshServers.psm1');
let servers: TestServer[] = [];
let session: PowerShellSession;

beforeAll(async () => {
  // Constant script text: the only value, the module path, arrives as an argument.
  const script = [
    'param($Module)',
    'Import-Module $Module',
    '$servers = @(Start-SshTestServer -Count 2)',
    'foreach ($server in $servers) { foreach ($i in 1..5) { [IO.File]::WriteAllText((Join-Path $server.Library "disk$i-$($server.Name).vhdx"), "disk $i of $($server.Name)") } }',
    'ConvertTo-Json -InputObject $servers -Depth 4 -Compress',
  ].join('\n');
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'fanout-')), 'start.ps1');
  fs.writeFileSync(file, script);
  const json = execFileSync(PWSH, ['-NoLogo', '-NoProfile', '-NonInteractive', '-File', file, supportModule], { encoding: 'utf8', timeout: 120_000 });
  servers = JSON.parse(json.trim().split('\n').pop() as string) as TestServer[];
  session = createVmmBackupSession({ pwshPath: PWSH, timeoutMs: 240_000 });
  await session.start();
}, 180_000);

afterAll(async () => {
  await session?.dispose();
  for (const server of servers) {
    try {
      process.kill(server.ProcessId, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  if (servers.length > 0) fs.rmSync(servers[0].Root, { recursive: true, force: true });
});

test('Backup-VmmLibraryShare -ComputerName over SSH: one validated result per server, the unreachable one an error', async () => {
  const names = servers.map((s) => `${s.UserName}@${s.Name}:${s.Port}`);
  const unreachable = `${servers[0].UserName}@127.0.0.5:${servers[0].Port}`;
  const destination = path.join(servers[0].Root, 'store');
  const result = await backupVmmLibraryShare(
    session,
    { ComputerName: [...names, unreachable], KeyFilePath: servers[0].KeyFilePath, SshOption: servers[0].SshOption, Path: ['Library'], Destination: destination },
    { errorAction: 'Continue' },
  );
  expect(result.output.map((o) => o.ComputerName).sort()).toEqual(servers.map((s) => s.Name).sort());
  for (const item of result.output) {
    expect(item.Files).toBe(5);
    expect(item.SetPath.startsWith(path.join(destination, item.ComputerName as string))).toBe(true);
  }
  const failure = result.errors.filter((e) => e.fullyQualifiedErrorId.startsWith('VmmBackup.RemoteServerFailed'));
  expect(failure).toHaveLength(1);
  expect(failure[0].message).toContain('[127.0.0.5]');
  expect(failure[0].message).toContain('Cannot open a session');
  const summary = result.information.find((i) => i.tags.includes('VmmBackup.FanOutSummary'));
  expect(summary).toBeDefined();
  expect(summary?.message).toContain('Backup-VmmLibraryShare on 3 server(s): 2 succeeded, 1 failed.');
}, 240_000);

test('vmm-backup invoke: --computer-name names -ComputerName, and --Session is refused (sessions cannot cross)', async () => {
  const cmdlet = loadModel().cmdlets.find((c) => c.name === 'Backup-VmmLibraryShare');
  if (!cmdlet) throw new Error('Backup-VmmLibraryShare is not in the model');
  const parameters = await parseParameters(cmdlet, { 'computer-name': ['lib01', 'lib02'], 'throttle-limit': '2', Destination: 'D:/store', Path: 'Library' });
  expect(parameters).toEqual({ ComputerName: ['lib01', 'lib02'], ThrottleLimit: 2, Destination: 'D:/store', Path: ['Library'] });
  await expect(parseParameters(cmdlet, { Session: 'x', Destination: 'D:/store' })).rejects.toMatchObject({ exitCode: EXIT.usage });
});
