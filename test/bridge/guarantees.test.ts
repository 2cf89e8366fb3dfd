/**
 * The bridge's guarantees under the faults a demanding user meets: foreign console output, large and
 * numerous results, refused commands, cancellation, undecodable requests, queue time, an idle session.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  BridgeAbortedError,
  BridgeLimitError,
  BridgeRefusedError,
  BridgeRequestError,
  BridgeTimeoutError,
  encodeFrame,
  FrameDecoder,
  PowerShellSession,
  SessionPool,
} from '../../src/bridge';
import { createVmmBackupSession, getVmmChecklist } from '../../generated/typescript';
import { repoRoot } from '../support/paths';
import { runTypeScript } from '../support/child-process';
import { endsWithin, PWSH, TEST_MODULE } from './support';

jest.setTimeout(300_000);

const options = { pwshPath: PWSH, modules: [TEST_MODULE], timeoutMs: 120_000 };

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'bridge-guarantee-'));
}

describe('frames travel on a channel of their own', () => {
  test('noise from a thread and a child process during 300 concurrent large calls alters no value', async () => {
    const pool = new SessionPool({ ...options, size: 2, allowScript: false });
    try {
      await pool.start();
      const noisy = await Promise.all(pool.sessions.map((s) => s.invoke<number>('Start-Noise')));
      expect(noisy.every((r) => r.output.length === 1)).toBe(true);
      const calls = Array.from({ length: 300 }, (_, i) => pool.invoke<string>('Get-Large', { Size: 200_000, Seed: i }));
      const results = await Promise.all(calls);
      const altered = results.filter((r, i) => r.output.length !== 1 || r.output[0] !== String.fromCharCode(65 + (i % 26)).repeat(200_000) + String(i));
      expect(altered.length).toBe(0);
      // The noise was there, and was kept as console output of the calls, never as a value.
      expect(results.some((r) => r.host.includes('noise from a thread') || r.host.includes('noise from a child process'))).toBe(true);
      await Promise.all(pool.sessions.map((s) => s.invoke('Stop-Noise')));
    } finally {
      await pool.dispose();
    }
  });

  test('the frame reader is linear and exact across any chunking; an oversized frame is an error', () => {
    const json = JSON.stringify({ ok: true, text: 'é😀'.repeat(1000) });
    const frame = Buffer.concat([encodeFrame('C', 'x-1', json), encodeFrame('S', 'x-2')]);
    for (const size of [1, 3, 7, 64, frame.length]) {
      const seen: string[] = [];
      const decoder = new FrameDecoder(1 << 20, (f) => seen.push(`${f.kind}|${f.id}|${f.body}`), (m) => seen.push(`error ${m}`));
      for (let at = 0; at < frame.length; at += size) decoder.push(frame.subarray(at, at + size));
      expect(seen).toEqual([`C|x-1|${json}`, 'S|x-2|']);
    }
    const errors: string[] = [];
    const small = new FrameDecoder(10, () => errors.push('frame'), (m) => errors.push(m));
    small.push(encodeFrame('C', 'x', 'y'.repeat(20)));
    expect(errors).toEqual([expect.stringContaining('the limit is 10')]);
  });
});

describe('limits are errors, never truncation', () => {
  let session: PowerShellSession;
  beforeAll(async () => {
    session = new PowerShellSession(options);
    await session.start();
  });
  afterAll(() => session.dispose());

  test('100,000 objects come back whole', async () => {
    const result = await session.invoke<{ Index: number; Name: string }>('Get-Count', { Count: 100_000 }, { timeoutMs: 280_000 });
    expect(result.output).toHaveLength(100_000);
    expect(result.output.every((o, i) => o.Index === i + 1 && o.Name === `n${i + 1}`)).toBe(true);
  });

  test('past maxValues the call fails naming the limit, and no placeholder is returned', async () => {
    const error = await session.invoke('Get-Count', { Count: 100_000 }, { maxValues: 50_000, timeoutMs: 280_000 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BridgeLimitError);
    expect((error as BridgeLimitError).limit).toBe('maxValues');
    expect((error as Error).message).toContain('more than 50000 values');
    expect((error as Error).message).toContain('raise maxValues');
  });

  test('past maxResultBytes the call fails naming the limit', async () => {
    const small = new PowerShellSession({ ...options, maxResultBytes: 100_000 });
    try {
      const error = await small.invoke('Get-Large', { Size: 200_000 }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(BridgeLimitError);
      expect((error as BridgeLimitError).limit).toBe('maxResultBytes');
      expect((await small.invoke('Get-Large', { Size: 10 })).output).toEqual(['AAAAAAAAAA0']);
    } finally {
      await small.dispose();
    }
  });
});

describe('refused before running', () => {
  test('requireSchema: a command without a schema is refused and leaves no trace', async () => {
    const dir = tempDir();
    const victim = path.join(dir, 'keep.txt');
    fs.writeFileSync(victim, 'still here');
    const session = new PowerShellSession({ ...options, requireSchema: true, schemaResolver: () => undefined });
    try {
      const error = await session.invoke('Remove-Item', { LiteralPath: victim }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(BridgeRefusedError);
      expect(fs.readFileSync(victim, 'utf8')).toBe('still here');
      // Nothing was started either: the refusal is decided in Node.
      expect(session.starts).toBe(0);
    } finally {
      await session.dispose();
    }
  });

  test('the module session runs only its cmdlets: Invoke-Expression is refused, runs nothing, redefines nothing', async () => {
    const dir = tempDir();
    const marker = path.join(dir, 'marker');
    const session = createVmmBackupSession({ pwshPath: PWSH, timeoutMs: 120_000 });
    try {
      const before = await getVmmChecklist(session, { Kind: 'post-restore' });
      const script = `Set-Content -LiteralPath '${marker}' -Value ran; function global:Get-VmmChecklist { 'hijacked' }`;
      for (const name of ['Invoke-Expression', 'iex', 'Microsoft.PowerShell.Utility\\Invoke-Expression']) {
        const error = await session.invoke(name, { Command: script }, { schema: false }).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(BridgeRefusedError);
      }
      expect(fs.existsSync(marker)).toBe(false);
      const after = await getVmmChecklist(session, { Kind: 'post-restore' });
      expect(after.output).toEqual(before.output);
    } finally {
      await session.dispose();
    }
  });

  test('a general session refuses script-running commands unless allowScript, also when the dispatcher is asked directly', async () => {
    const dir = tempDir();
    const marker = path.join(dir, 'marker');
    const plain = new PowerShellSession(options);
    const open = new PowerShellSession({ ...options, allowScript: true });
    try {
      const refused = await plain.invoke('Invoke-Expression', { Command: `Set-Content -LiteralPath '${marker}' -Value ran` }).catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(BridgeRefusedError);
      const redefine = await plain.invoke('New-Item', { Path: 'function:\\Get-EchoString', Value: "'hijacked'" }).catch((e: unknown) => e);
      expect(redefine).toBeInstanceOf(BridgeRefusedError);
      const native = await plain.invoke('sh', { c: `touch '${marker}'` }).catch((e: unknown) => e);
      expect(native).toBeInstanceOf(BridgeRefusedError);
      expect(fs.existsSync(marker)).toBe(false);
      expect((await plain.invoke('Get-EchoString', { Text: 'same' })).output).toEqual(['same']);
      await open.invoke('Invoke-Expression', { Command: `Set-Content -LiteralPath '${marker}' -Value ran` });
      expect(fs.readFileSync(marker, 'utf8').trim()).toBe('ran');
    } finally {
      await Promise.all([plain.dispose(), open.dispose()]);
    }
  });
});

describe('cancellation reaches PowerShell', () => {
  test('a running command stopped by its signal rejects well before it would end, without killing the process', async () => {
    const session = new PowerShellSession(options);
    try {
      await session.start();
      const pid = session.processId as number;
      const controller = new AbortController();
      const started = Date.now();
      const call = session.invoke('Start-Wait', { Seconds: 120 }, { signal: controller.signal });
      setTimeout(() => controller.abort(), 500);
      const error = await call.catch((e: unknown) => e);
      expect(error).toBeInstanceOf(BridgeAbortedError);
      expect((error as BridgeAbortedError).killed).toBe(false);
      expect(Date.now() - started).toBeLessThan(60_000);
      expect(session.processId).toBe(pid);
      expect((await session.invoke('Get-EchoString', { Text: 'next' })).output).toEqual(['next']);
    } finally {
      await session.dispose();
    }
  });

  test('dispose() of a busy pool stops every command and leaves no PowerShell', async () => {
    const pool = new SessionPool({ ...options, size: 2, stopGraceMs: 3000 });
    await pool.start();
    const pids = pool.sessions.map((s) => s.processId as number);
    const calls = [0, 1, 2].map(() => pool.invoke('Start-ChildWait', { Seconds: 300 }).catch((e: unknown) => e));
    await new Promise((r) => setTimeout(r, 1000));
    await pool.dispose();
    const outcomes = await Promise.all(calls);
    expect(outcomes.every((o) => o instanceof Error)).toBe(true);
    for (const pid of pids) expect(await endsWithin(pid, 5000)).toBe(true);
  });

  test('a pool timeout counts from the call, time in the queue included', async () => {
    const pool = new SessionPool({ ...options, size: 1 });
    try {
      await pool.start();
      const busy = pool.invoke('Start-Wait', { Seconds: 8 });
      const started = Date.now();
      const waiting = await pool.invoke('Get-EchoString', { Text: 'late' }, { timeoutMs: 1500 }).catch((e: unknown) => e);
      const elapsed = Date.now() - started;
      expect(waiting).toBeInstanceOf(BridgeTimeoutError);
      expect((waiting as BridgeTimeoutError).queued).toBe(true);
      expect(elapsed).toBeLessThan(4000);
      expect((await busy).output).toEqual(['waited']);
    } finally {
      await pool.dispose();
    }
  });

  test('an idle session that is never disposed does not keep Node alive, and its PowerShell ends with Node', async () => {
    const script = [
      `const { PowerShellSession } = require(${JSON.stringify(path.join(repoRoot, 'src/bridge'))});`,
      `const s = new PowerShellSession({ pwshPath: ${JSON.stringify(PWSH)} });`,
      "s.start().then((info) => { process.stdout.write(String(info.processId) + '\\n'); });",
    ].join('\n');
    const run = await runTypeScript(script, { timeoutMs: 60_000 });
    expect(run.code).toBe(0);
    const pid = Number(run.stdout.trim());
    expect(pid).toBeGreaterThan(0);
    expect(await endsWithin(pid, 10_000)).toBe(true);
  });
});

describe('every request is answered with its id', () => {
  let session: PowerShellSession;
  beforeAll(async () => {
    session = new PowerShellSession(options);
    await session.start();
  });
  afterAll(() => session.dispose());

  test.each([
    ['keys that differ only in case', { Value: { a: 1, A: 2 } }],
    ['an empty key', { Value: { '': 1 } }],
    ['deep nesting', { Value: JSON.parse('['.repeat(1500) + ']'.repeat(1500)) as unknown }],
  ])('a request PowerShell cannot decode (%s) is rejected within a second', async (_, parameters) => {
    const started = Date.now();
    const error = await session.invoke('Get-Echo', parameters as Record<string, unknown>).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BridgeRequestError);
    expect(Date.now() - started).toBeLessThan(1000 * (os.loadavg()[0] > 4 ? 5 : 1));
    expect((await session.invoke('Get-EchoString', { Text: 'still answering' })).output).toEqual(['still answering']);
  });

  test('parameter names that differ only in case are refused in Node', async () => {
    await expect(session.invoke('Get-EchoString', { Text: 'a', text: 'b' })).rejects.toBeInstanceOf(BridgeRequestError);
  });
});
