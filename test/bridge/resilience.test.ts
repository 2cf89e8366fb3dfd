import { BridgeDisposedError, BridgeProcessError, BridgeTimeoutError, PowerShellSession, SessionPool } from '../../src/bridge';
import { endsWithin, PWSH, TEST_MODULE } from './support';

const options = { pwshPath: PWSH, modules: [TEST_MODULE] };

function settledWithin<T>(promise: Promise<T>, ms: number): Promise<{ ok: true; value: T } | { ok: false; error: unknown }> {
  let timer: NodeJS.Timeout | undefined;
  const outcome = promise.then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  );
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`promise still pending after ${ms} ms`)), ms);
  });
  return Promise.race([outcome, deadline]).finally(() => clearTimeout(timer));
}

describe('a session survives timeouts and crashes', () => {
  let session: PowerShellSession;
  beforeAll(async () => {
    session = new PowerShellSession({ ...options, timeoutMs: 20_000 });
    await session.start();
  });
  afterAll(() => session.dispose());

  test('a call past its timeout rejects, its process is killed, and the next call works', async () => {
    const pid = session.processId as number;
    const started = Date.now();
    const outcome = await settledWithin(session.invoke('Start-Wait', { Seconds: 30 }, { timeoutMs: 1500 }), 10_000);
    const elapsed = Date.now() - started;
    expect(outcome.ok).toBe(false);
    expect((outcome as { error: unknown }).error).toBeInstanceOf(BridgeTimeoutError);
    expect(((outcome as { error: BridgeTimeoutError }).error).timeoutMs).toBe(1500);
    expect(elapsed).toBeGreaterThanOrEqual(1400);
    expect(elapsed).toBeLessThan(5000);
    expect(await endsWithin(pid, 2000)).toBe(true);
    const next = await session.invoke('Get-EchoString', { Text: 'after timeout' });
    expect(next.output).toEqual(['after timeout']);
    expect(session.processId).not.toBe(pid);
  });

  test('kill -9 of pwsh mid-call rejects at once (well within the timeout) and the next call works', async () => {
    await session.invoke('Get-EchoString', { Text: 'warm' });
    // PowerShell itself, not the launcher that started it.
    const pid = session.processId as number;
    const call = session.invoke('Start-Wait', { Seconds: 30 }, { timeoutMs: 15_000 });
    const queued = session.invoke('Get-EchoString', { Text: 'queued behind' });
    await new Promise((r) => setTimeout(r, 300));
    const killedAt = Date.now();
    process.kill(pid, 'SIGKILL');
    const outcome = await settledWithin(call, 5000);
    expect(Date.now() - killedAt).toBeLessThan(3000);
    expect(outcome.ok).toBe(false);
    const error = (outcome as { error: BridgeProcessError }).error;
    expect(error).toBeInstanceOf(BridgeProcessError);
    expect(error.command).toBe('Start-Wait');
    expect(error.exitCode === 137 || error.signal === 'SIGKILL').toBe(true);
    const queuedOutcome = await settledWithin(queued, 5000);
    expect(queuedOutcome.ok).toBe(false);
    expect((queuedOutcome as { error: unknown }).error).toBeInstanceOf(BridgeProcessError);
    const next = await session.invoke('Get-EchoString', { Text: 'after kill' });
    expect(next.output).toEqual(['after kill']);
    expect(session.processId).not.toBe(pid);
  });

  test('a process that exits by itself mid-call rejects with its exit code', async () => {
    const outcome = await settledWithin(session.invoke('Stop-Self', { Code: 7 }), 10_000);
    expect(outcome.ok).toBe(false);
    const error = (outcome as { error: BridgeProcessError }).error;
    expect(error).toBeInstanceOf(BridgeProcessError);
    expect(error.exitCode).toBe(7);
    expect((await session.invoke('Get-EchoString', { Text: 'again' })).output).toEqual(['again']);
  });

  test('dispose rejects the running and the queued calls and ends the process', async () => {
    const own = new PowerShellSession(options);
    const info = await own.start();
    const pids = [own.pid as number, info.processId];
    const running = settledWithin(own.invoke('Start-Wait', { Seconds: 30 }), 10_000);
    const queued = settledWithin(own.invoke('Get-EchoString', { Text: 'never' }), 10_000);
    await new Promise((r) => setTimeout(r, 200));
    await own.dispose();
    expect(await running).toEqual({ ok: false, error: expect.any(BridgeDisposedError) });
    expect(await queued).toEqual({ ok: false, error: expect.any(BridgeDisposedError) });
    await expect(own.invoke('Get-EchoString', { Text: 'late' })).rejects.toBeInstanceOf(BridgeDisposedError);
    for (const pid of pids) expect(await endsWithin(pid, 2000)).toBe(true);
  });

  test('a module that fails to import rejects the call with a process error, not a hang', async () => {
    const broken = new PowerShellSession({ pwshPath: PWSH, modules: ['/nonexistent/NoSuchModule.psd1'], startTimeoutMs: 30_000 });
    try {
      const outcome = await settledWithin(broken.invoke('Get-Date'), 40_000);
      expect(outcome.ok).toBe(false);
      expect((outcome as { error: BridgeProcessError }).error).toBeInstanceOf(BridgeProcessError);
      expect(((outcome as { error: BridgeProcessError }).error).message).toContain('NoSuchModule');
    } finally {
      await broken.dispose();
    }
  });

  test('a missing executable is reported when the session is created', () => {
    expect(() => new PowerShellSession({ pwshPath: '/nonexistent/pwsh' })).toThrow(/not found at \/nonexistent\/pwsh/);
  });
});

describe('a pool', () => {
  test('runs calls on its sessions in parallel and dispose ends every process', async () => {
    const pool = new SessionPool({ ...options, size: 2 });
    try {
      const infos = await pool.start();
      expect(new Set(infos.map((i) => i.processId)).size).toBe(2);
      const started = Date.now();
      const results = await Promise.all([pool.invoke('Start-Wait', { Seconds: 1.5 }), pool.invoke('Start-Wait', { Seconds: 1.5 })]);
      expect(results.map((r) => r.output[0])).toEqual(['waited', 'waited']);
      expect(Date.now() - started).toBeLessThan(2900);
      const waiting = [pool.invoke('Start-Wait', { Seconds: 20 }), pool.invoke('Start-Wait', { Seconds: 20 }), pool.invoke('Get-EchoString', { Text: 'queued' })].map((p) =>
        settledWithin(p, 10_000),
      );
      expect(pool.queued).toBe(1);
      await pool.dispose();
      for (const p of waiting) expect(await p).toEqual({ ok: false, error: expect.any(BridgeDisposedError) });
      for (const info of infos) expect(await endsWithin(info.processId, 2000)).toBe(true);
    } finally {
      await pool.dispose();
    }
  });

  test('1,000 calls with 10 injected crashes: every promise settles, the rest succeed', async () => {
    // A timeout counts from the call, time in the queue included: it must cover the whole batch here.
    const pool = new SessionPool({ ...options, size: 2, timeoutMs: 100_000 });
    try {
      await pool.start();
      const crashAt = new Set(Array.from({ length: 10 }, (_, i) => 50 + i * 97));
      const calls = Array.from({ length: 1000 }, (_, i) =>
        crashAt.has(i) ? pool.invoke('Stop-Self', { Code: 9 }) : pool.invoke<string>('Get-EchoString', { Text: `call ${i} $(x) \`n é` }),
      );
      const all = await settledWithin(Promise.allSettled(calls), 100_000);
      expect(all.ok).toBe(true);
      const outcomes = (all as { value: PromiseSettledResult<{ output: unknown[] }>[] }).value;
      const failed = outcomes.map((o, i) => [o, i] as const).filter(([o]) => o.status === 'rejected');
      expect(failed.map(([, i]) => i).sort((a, b) => a - b)).toEqual([...crashAt].sort((a, b) => a - b));
      for (const [o] of failed) expect((o as PromiseRejectedResult).reason).toBeInstanceOf(BridgeProcessError);
      outcomes.forEach((o, i) => {
        if (!crashAt.has(i)) expect((o as PromiseFulfilledResult<{ output: unknown[] }>).value.output).toEqual([`call ${i} $(x) \`n é`]);
      });
      expect(pool.sessions.reduce((n, s) => n + s.starts, 0)).toBe(12);
    } finally {
      await pool.dispose();
    }
  }, 120_000);

  test('kill -9 of PowerShell at random moments during 300 calls: every promise settles, successes are right', async () => {
    // A timeout counts from the call, time in the queue included: it must cover the whole batch here.
    const pool = new SessionPool({ ...options, size: 2, timeoutMs: 85_000 });
    try {
      await pool.start();
      const calls = Array.from({ length: 300 }, (_, i) => pool.invoke<string>('Get-EchoString', { Text: `k${i}` }));
      let kills = 0;
      // Every process seen (launchers and PowerShell itself): none may outlive the pool.
      const seen = new Set<number>();
      const watch = () => {
        for (const s of pool.sessions) for (const pid of [s.pid, s.processId]) if (pid) seen.add(pid);
      };
      const watcher = setInterval(watch, 20);
      const killer = setInterval(() => {
        const victim = pool.sessions[kills % 2].processId;
        if (victim && kills < 6) {
          kills++;
          try {
            process.kill(victim, 'SIGKILL');
          } catch {
            // already gone
          }
        }
      }, 150);
      const all = await settledWithin(Promise.allSettled(calls), 60_000);
      clearInterval(killer);
      clearInterval(watcher);
      watch();
      expect(all.ok).toBe(true);
      const outcomes = (all as { value: PromiseSettledResult<{ output: unknown[] }>[] }).value;
      const rejected = outcomes.filter((o) => o.status === 'rejected') as PromiseRejectedResult[];
      for (const r of rejected) expect(r.reason).toBeInstanceOf(BridgeProcessError);
      expect(kills).toBeGreaterThan(0);
      expect(rejected.length).toBeLessThanOrEqual(kills);
      outcomes.forEach((o, i) => {
        if (o.status === 'fulfilled') expect(o.value.output).toEqual([`k${i}`]);
      });
      expect((await pool.invoke('Get-EchoString', { Text: 'still fine' })).output).toEqual(['still fine']);
      await pool.dispose();
      expect(seen.size).toBeGreaterThanOrEqual(4);
      for (const pid of seen) expect(await endsWithin(pid, 2000)).toBe(true);
    } finally {
      await pool.dispose();
    }
  }, 90_000);
});
