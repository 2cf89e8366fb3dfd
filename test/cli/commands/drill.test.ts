/**
 * `vmm-backup drill` run as a user runs it (node bin/vmm-backup.js), on real library backup sets written by the
 * module: --json, exit codes (0 passed, 1 an item failed, 2 bad input), and the HTML report rendered in
 * headless Chromium with every item on the page.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PWSH } from '../../support/pwsh';
import { runCliProcess as cli } from '../../support/child-process';
import { backupVmmLibraryShare, createVmmBackupSession, invokeVmmRestoreDrill } from '../../../generated/typescript';
import type { PowerShellSession } from '../../../src/bridge';
import type { DrillJson } from '../../../src/cli/commands/drill';
import type { CliErrorJson } from '../../../src/cli/exit-codes';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROMIUM_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

let session: PowerShellSession;
let dir: string;

/** A library share of three files backed up by Backup-VmmLibraryShare; returns the destination. */
async function libraryBackup(name: string): Promise<string> {
  const share = path.join(dir, `share-${name}`);
  fs.mkdirSync(path.join(share, 'VHDs'), { recursive: true });
  fs.writeFileSync(path.join(share, 'VHDs', 'base.vhdx'), Buffer.alloc(200000, 7));
  fs.writeFileSync(path.join(share, "setup'];<b>.iso"), 'iso image');
  fs.writeFileSync(path.join(share, 'deploy.ps1'), 'Write-Output 1');
  const destination = path.join(dir, `library-${name}`);
  await backupVmmLibraryShare(session, { Path: [share], Destination: destination, Confirm: false });
  return destination;
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vmm-drill-'));
  session = createVmmBackupSession({ pwshPath: PWSH });
  await session.start();
}, 120000);

afterAll(async () => {
  await session.dispose();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('vmm-backup drill', () => {
  test('--json: every item with its state, exit 0 when nothing failed, and a report Chromium renders with every item', async () => {
    const destination = await libraryBackup('good');
    const report = path.join(dir, 'drill report.html');
    const run = await cli(['drill', '--path', destination, '--report', report, '--scratch-path', dir, '--json']);
    expect(run.code).toBe(0);
    const body = JSON.parse(run.stdout) as DrillJson;
    expect(body.ok).toBe(true);
    expect(body.results.map((r) => [r.Item, r.State])).toEqual([
      ['Database', 'Skipped'],
      ['Library', 'Passed'],
      ['Registry', 'Skipped'],
      ['Inventory', 'Skipped'],
    ]);
    expect(body.summary).toMatchObject({ passed: 1, failed: 0, skipped: 3 });
    expect(body.summary.text).toMatch(/^Restore drill of set \d{8}_\d{6}: 1 item\(s\) Passed, 0 Failed, 3 Skipped\./);
    const library = body.results[1];
    expect(library.Bytes).toBe(200000 + 9 + 14);
    expect(library.RtoSeconds).toBeGreaterThan(0);
    expect(library.Evidence.join('\n')).toMatch(/Verified 3 file\(s\), 200,023 bytes, byte for byte/);

    const profile = path.join(dir, 'profile');
    const dom = execFileSync(CHROMIUM, [...CHROMIUM_FLAGS, `--user-data-dir=${profile}`, '--dump-dom', `file://${report}`], { encoding: 'utf8', timeout: 60000, stdio: ['ignore', 'pipe', 'ignore'] });
    for (const r of body.results) expect(dom).toContain(`data-item="${r.Item}" data-state="${r.State}"`);
    for (const line of library.Evidence) expect(dom).toContain(line.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;'));
    expect(dom).toContain('section.step');
    expect(dom).not.toMatch(/<script/i);
    const png = path.join(dir, 'report.png');
    execFileSync(CHROMIUM, [...CHROMIUM_FLAGS, `--user-data-dir=${profile}`, `--screenshot=${png}`, '--window-size=1000,1400', `file://${report}`], { timeout: 60000, stdio: 'ignore' });
    const bytes = fs.readFileSync(png);
    expect(bytes.subarray(1, 4).toString('ascii')).toBe('PNG');
    expect(bytes.length).toBeGreaterThan(10000);
  }, 180000);

  test('a flipped byte in the backup store fails the library item: exit 1, and the table says Failed', async () => {
    const destination = await libraryBackup('flipped');
    const objects = path.join(destination, 'objects');
    const big = fs
      .readdirSync(objects, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => path.join(e.parentPath, e.name))
      .find((f) => fs.statSync(f).size === 200000) as string;
    const bytes = fs.readFileSync(big);
    bytes[100000] ^= 1;
    fs.writeFileSync(big, bytes);
    const json = await cli(['drill', '--path', destination, '--item', 'Library', '--scratch-path', dir, '--json']);
    expect(json.code).toBe(1);
    const body = JSON.parse(json.stdout) as DrillJson;
    expect(body.ok).toBe(false);
    expect(body.results.map((r) => r.State)).toEqual(['Failed']);
    const text = await cli(['drill', '--path', destination, '--item', 'library', '--scratch-path', dir]);
    expect(text.code).toBe(1);
    expect(text.stdout).toMatch(/^Library\s+Failed/m);
    expect(text.stdout).toContain("VHDs/base.vhdx' was not restored");
    expect(fs.readdirSync(dir).filter((n) => n.startsWith('vmm-drill-'))).toEqual([]);
  }, 180000);

  test('nothing proven is not good: every item Skipped exits 1', async () => {
    fs.mkdirSync(path.join(dir, 'empty-backup'));
    const run = await cli(['drill', '--path', path.join(dir, 'empty-backup'), '--json']);
    expect(run.code).toBe(1);
    const body = JSON.parse(run.stdout) as DrillJson;
    expect(body.ok).toBe(false);
    expect(body.summary).toMatchObject({ passed: 0, failed: 0, skipped: 4 });
  }, 120000);

  test('bad input exits 2 with one JSON error object', async () => {
    const item = await cli(['drill', '--path', dir, '--item', 'Database,Bogus', '--json']);
    expect(item.code).toBe(2);
    const itemError = JSON.parse(item.stdout) as CliErrorJson;
    expect(itemError.error).toMatchObject({ kind: 'BadInput', exitCode: 2 });
    expect(itemError.error.message).toContain('not Bogus');
    const missing = await cli(['drill', '--path', path.join(dir, 'no such folder'), '--json']);
    expect(missing.code).toBe(2);
    expect((JSON.parse(missing.stdout) as CliErrorJson).error.message).toContain('does not exist');
    const sample = await cli(['drill', '--path', dir, '--sample-bytes', '1e9', '--json']);
    expect(sample.code).toBe(2);
    expect((JSON.parse(sample.stdout) as CliErrorJson).error.message).toContain('--sample-bytes takes a positive whole number');
  }, 120000);

  test('the bindings run the drill and validate its results against the output schema', async () => {
    const destination = await libraryBackup('bindings');
    const result = await invokeVmmRestoreDrill(session, { Path: destination, Item: ['Library'], SampleBytes: 1, ScratchPath: dir, Confirm: false });
    expect(result.output).toHaveLength(1);
    expect(result.output[0]).toMatchObject({ Item: 'Library', State: 'Passed', Sampled: true });
    expect(result.output[0].Evidence[0]).toMatch(/^Restored a random sample of 1 of 3 files/);
  }, 120000);
});
