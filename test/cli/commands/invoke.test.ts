/** `vmm-backup invoke` run as a user runs it (node bin/vmm-backup.js): the bridge, exit codes, Ctrl-C. */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { repoRoot } from '../../support/paths';
import { useModuleSession } from '../../support/module-session';
import { runCliProcess as cli } from '../../support/child-process';
import { getVmmRestorePlan } from '../../../generated/typescript';

// Each run starts Node, PowerShell and the module: minutes on a busy machine.
jest.setTimeout(240_000);

const session = useModuleSession();

describe('invoke', () => {
  test('runs the cmdlet through the bridge and prints validated JSON', async () => {
    const run = await cli(['invoke', 'get-vmmrestoreplan', '--Scenario', 'DatabaseOnly', '--json']);
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout);
    expect(result.ok).toBe(true);
    expect(result.command).toBe('Get-VmmRestorePlan');
    expect(result.output).toEqual((await getVmmRestorePlan(session(), { Scenario: 'DatabaseOnly' })).output);
  });

  test('a value PowerShell rejects is bad input (exit 2, one JSON error object), and values are never run as script', async () => {
    const marker = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'cli-canary-')), 'ran');
    const value = `x$(Set-Content -LiteralPath '${marker}' -Value ran)'"\`n`;
    const run = await cli(['invoke', 'Get-VmmChecklist', '--Kind', value, '--json']);
    expect(run.code).toBe(2);
    const result = JSON.parse(run.stdout);
    expect(result.error.kind).toBe('BadInput');
    expect(result.error.exitCode).toBe(2);
    expect(result.error.details.fullyQualifiedErrorId).toBe('ParameterArgumentValidationError,Get-VmmChecklist');
    expect(result.error.message).toContain(value);
    expect(fs.existsSync(marker)).toBe(false);
  });

  test('a state that is not good exits 1 with kind NotGood (Test-VmmBackup on an empty folder: Missing)', async () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-empty-'));
    const run = await cli(['invoke', 'Test-VmmBackup', '--Path', empty, '--json']);
    expect(run.code).toBe(1);
    const result = JSON.parse(run.stdout);
    expect(result.error.kind).toBe('NotGood');
    expect(result.error.exitCode).toBe(1);
    expect(result.error.message).toContain('Missing');
    expect(result.error.details.output.length).toBeGreaterThan(0);
  });

  test('a cmdlet that asks for confirmation says how to confirm, and runs nothing', async () => {
    const run = await cli(['invoke', 'Restore-VmmLibraryShare', '--BackupSet', os.tmpdir(), '--Destination', path.join(os.tmpdir(), 'never-written'), '--json']);
    expect(run.code).toBe(2);
    const result = JSON.parse(run.stdout);
    expect(result.error.kind).toBe('BadInput');
    expect(result.error.message).toContain('--Confirm false');
    expect(fs.existsSync(path.join(os.tmpdir(), 'never-written'))).toBe(false);
  });

  test('a non-terminating error does not stop a library backup: the other files are stored, the set is committed, and the run exits 1 listing the error', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-nonterminating-'));
    const share = path.join(root, 'share');
    const destination = path.join(root, 'backup');
    fs.mkdirSync(share);
    fs.writeFileSync(path.join(share, 'a.vhdx'), 'disk a');
    fs.writeFileSync(path.join(share, 'c.vhdx'), 'disk c');
    fs.symlinkSync(path.join(root, 'gone'), path.join(share, 'b.vhdx'));
    const run = await cli(['invoke', 'Backup-VmmLibraryShare', '--Path', share, '--Destination', destination, '--json']);
    expect(run.code).toBe(1);
    const result = JSON.parse(run.stdout);
    expect(['CmdletError', 'NotGood']).toContain(result.error.kind);
    expect(result.error.details.output).toHaveLength(1);
    expect(result.error.details.output[0].Copied).toBe(2);
    expect(fs.existsSync(result.error.details.output[0].ManifestPath)).toBe(true);
    expect(run.stderr).not.toMatch(/At .*\.ps1:\d+ char:\d+/);
  });

  test('Ctrl-C (SIGINT to the process group) during a library backup stops it in PowerShell: no manifest, no PowerShell left', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-sigint-'));
    const share = path.join(root, 'share');
    const destination = path.join(root, 'backup');
    fs.mkdirSync(share);
    const block = randomBytes(1 << 20);
    for (let i = 0; i < 120; i++) fs.writeFileSync(path.join(share, `disk${i}.vhdx`), Buffer.concat([block, Buffer.from(String(i))]));
    const canary = `cli-sigint-${randomBytes(8).toString('hex')}`;
    const child = spawn(process.execPath, [path.join(repoRoot, 'bin/vmm-backup.js'), 'invoke', 'Backup-VmmLibraryShare', '--Path', share, '--Destination', destination, '--json'], {
      cwd: repoRoot,
      env: { ...process.env, BRIDGE_TEST_CANARY: canary },
      detached: true,
    });
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
    child.stderr.resume();
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    // Wait until the backup is writing, then Ctrl-C as a terminal sends it: to the whole process group.
    const until = Date.now() + 240_000;
    while (!fs.existsSync(path.join(destination, 'objects')) && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
    expect(fs.existsSync(path.join(destination, 'objects'))).toBe(true);
    process.kill(-(child.pid as number), 'SIGINT');
    const code = await exited;
    expect(code).toBe(1);
    expect(JSON.parse(stdout).error.kind).toBe('Interrupted');
    const manifests: string[] = [];
    const walk = (dir: string) => {
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        if (entry.isDirectory()) walk(path.join(dir, entry.name));
        else if (entry.name === 'manifest.json') manifests.push(path.join(dir, entry.name));
      }
    };
    await new Promise((r) => setTimeout(r, 2000));
    walk(destination);
    expect(manifests).toEqual([]);
    const left = fs.readdirSync('/proc').filter((entry) => {
      if (!/^\d+$/.test(entry)) return false;
      try {
        return fs.readFileSync(`/proc/${entry}/environ`).includes(`BRIDGE_TEST_CANARY=${canary}`);
      } catch {
        return false;
      }
    });
    expect(left).toEqual([]);
  }, 300_000);

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
    expect(text).toContain('Exit codes: 0 success and every state good; 1 the cmdlet wrote an error');
    expect(text).toContain('2 bad input; 3 environment');
    expect(text).toContain('--Confirm false');
  });
});

