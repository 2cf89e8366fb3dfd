/**
 * Bridge benchmark: median warm round-trip of one call, calls per second with 1 and 2 sessions, the ratio to
 * starting `pwsh -c` for every call, and large values, each size and mode in a fresh Node process: a result
 * of 10, 20 and 50 MB produced by PowerShell (`Get-Content -Raw` of a file of that size, the request small),
 * the same sizes returned by a cheap command (a function of a module the bench writes, returning text the
 * module read when it was imported: end to end is nearly all the bridge), and echoed (the value travels in
 * the request and in the result): end-to-end time, the command's own time as PowerShell reports it and the
 * bridge's part (the rest), the same call made a second time in the same session, the longest event-loop
 * stall, the growth of Node's peak memory and its ratio to the result's size. Prints a table, then (last
 * line) one JSON object of the figures, all measured in this run.
 *
 *   npx tsx bench/bridge.ts [--calls 400] [--cold 5] [--large 10,20,50] [--large-only]
 */
import { spawnSync } from 'node:child_process';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { encodeFrame, FrameDecoder, locatePowerShell, PowerShellSession, SessionPool, type Invoker } from '../src/bridge';
import { MODULE_MANIFEST, outputSchema } from '../generated/typescript';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}

const CALLS = arg('calls', 400);
const LARGE_MB = (() => {
  const i = process.argv.indexOf('--large');
  return (i > 0 ? process.argv[i + 1] : '10,20,50').split(',').filter(Boolean).map(Number);
})();
const COLD = arg('cold', 5);
const ECHO = 'Microsoft.PowerShell.Utility\\Write-Output';

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

const now = () => Number(process.hrtime.bigint()) / 1e6;

/** CPU time (ms) a process has used, from /proc (Linux); undefined elsewhere. */
function cpuMs(pid: number | undefined): number | undefined {
  if (!pid) return undefined;
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return undefined;
  }
}

async function sequential(invoker: Invoker, command: string, parameters: Record<string, unknown>, n: number): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = now();
    await invoker.invoke(command, parameters);
    times.push(now() - t);
  }
  return times;
}

/** Calls per second of `n` concurrent calls on a pool of `size` warm sessions. */
async function throughput(size: number, command: string, parameters: (i: number) => Record<string, unknown>, n: number): Promise<number> {
  const pool = new SessionPool({ size, modules: [MODULE_MANIFEST], schemaResolver: outputSchema });
  try {
    await pool.start();
    await Promise.all(Array.from({ length: size * 10 }, (_, i) => pool.invoke(command, parameters(i))));
    const t = now();
    await Promise.all(Array.from({ length: n }, (_, i) => pool.invoke(command, parameters(i))));
    return n / ((now() - t) / 1000);
  } finally {
    await pool.dispose();
  }
}

function coldCall(pwsh: string, script: string): number {
  const t = now();
  const run = spawnSync(pwsh, ['-NoLogo', '-NoProfile', '-NonInteractive', '-Command', script], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`pwsh -c failed: ${run.stderr}`);
  return now() - t;
}

/** produced: Get-Content -Raw of a file; held: a module function returning text it holds; echo: Write-Output of the request's value. */
type LargeMode = 'produced' | 'held' | 'echo';

const LARGE_MODES: readonly LargeMode[] = ['produced', 'held', 'echo'];

interface LargeFigures {
  mode: LargeMode;
  mb: number;
  loadAverage1m: number;
  ms: number;
  /** CPU time of the call: Node's process and PowerShell's (from /proc; null elsewhere). */
  nodeCpuMs: number;
  pwshCpuMs: number | null;
  /** Time PowerShell reports for the call (the command and turning its output into the answer). */
  pwshCallMs: number;
  /** End to end minus the time PowerShell reports: what the bridge adds (sending, reading, decoding). */
  bridgeMs: number;
  /** The same call again in the same session (buffers kept from the first call may be reused). */
  secondCallMs: number;
  secondBridgeMs: number;
  maxStallMs: number;
  peakGrowthMb: number;
  growthOverSize: number;
  intact: boolean;
}

/** The text of a file of `mb` megabytes: lines of ASCII with quotes, backslashes and tabs, as logs have. */
function largeText(mb: number): string {
  const line = 'line 0000000 "C:\\Library\\Share\\disk.vhdx"\tcopied 4096 bytes\r\n';
  return line.repeat(Math.ceil((mb * 1_000_000) / line.length)).slice(0, mb * 1_000_000);
}

/**
 * In a fresh Node process (so its peak memory is its own): one call whose result is `mb` megabytes, either
 * produced by PowerShell from a file (the request small) or echoed (the value in the request too).
 */
async function largeChild(mb: number, mode: LargeMode): Promise<void> {
  const value = largeText(mb);
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'bridge-bench-'));
  const file = path.join(folder, 'large.txt');
  const modules: string[] = [];
  if (mode !== 'echo') fs.writeFileSync(file, value, 'utf8');
  if (mode === 'held') {
    // The module reads the text when it is imported (at the session's start); its function returns it.
    const module = path.join(folder, 'BridgeBench.psm1');
    fs.writeFileSync(module, `$script:text = [System.IO.File]::ReadAllText('${file.replace(/'/g, "''")}')\nfunction Get-BenchText { $script:text }\n`, 'utf8');
    modules.push(module);
  }
  const session = new PowerShellSession({ timeoutMs: 600_000, modules });
  await session.start();
  await session.invoke(ECHO, { InputObject: 'warm' });
  if (mode === 'produced') {
    // Warm the command with a small file: a large warm-up would raise the peak before the measure.
    const small = path.join(folder, 'small.txt');
    fs.writeFileSync(small, largeText(0.01), 'utf8');
    await session.invoke('Get-Content', { LiteralPath: small, Raw: true });
  }
  const call = () =>
    mode === 'produced'
      ? session.invoke<string>('Get-Content', { LiteralPath: file, Raw: true })
      : mode === 'held'
        ? session.invoke<string>('Get-BenchText')
        : session.invoke<string>(ECHO, { InputObject: value });
  const rssBefore = process.memoryUsage().rss;
  const peakBefore = process.resourceUsage().maxRSS * 1024;
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  const pwshCpuBefore = cpuMs(session.processId);
  const nodeCpuBefore = process.cpuUsage();
  const t = now();
  const result = await call();
  const ms = now() - t;
  const nodeCpu = process.cpuUsage(nodeCpuBefore);
  const pwshCpuAfter = cpuMs(session.processId);
  loop.disable();
  const peakAfter = process.resourceUsage().maxRSS * 1024;
  const growth = Math.max(0, peakAfter - Math.max(peakBefore, rssBefore));
  const intact = result.output.length === 1 && result.output[0] === value;
  const pwshCallMs = Math.round(result.durationMs);
  result.output.length = 0;
  const t2 = now();
  const second = await call();
  const secondMs = now() - t2;
  const secondIntact = second.output.length === 1 && second.output[0] === value;
  const figures: LargeFigures = {
    mode,
    mb,
    loadAverage1m: Math.round(os.loadavg()[0] * 100) / 100,
    ms: Math.round(ms),
    nodeCpuMs: Math.round((nodeCpu.user + nodeCpu.system) / 1000),
    pwshCpuMs: pwshCpuBefore === undefined || pwshCpuAfter === undefined ? null : Math.round(pwshCpuAfter - pwshCpuBefore),
    pwshCallMs,
    bridgeMs: Math.round(ms - result.durationMs),
    secondCallMs: Math.round(secondMs),
    secondBridgeMs: Math.round(secondMs - second.durationMs),
    maxStallMs: Math.round(loop.max / 1e6),
    peakGrowthMb: Math.round(growth / 1e6),
    growthOverSize: Math.round((growth / (mb * 1e6)) * 100) / 100,
    intact: intact && secondIntact,
  };
  await session.dispose();
  fs.rmSync(folder, { recursive: true, force: true });
  process.stdout.write(JSON.stringify(figures) + '\n');
}

/** Node's side of a result alone: a frame of `mb` MB arriving in 64 KiB chunks, read and parsed (ms). */
function nodeFraming(mb: number): number {
  const json = JSON.stringify({ id: 'b-1', ok: true, output: ['x'.repeat(mb * 1_000_000)] });
  const frame = encodeFrame('C', 'b-1', json);
  let parsed: unknown;
  const decoder = new FrameDecoder(frame.length, (f) => (parsed = JSON.parse(f.body)), (m) => {
    throw new Error(m);
  });
  const t = now();
  for (let at = 0; at < frame.length; at += 65536) decoder.push(frame.subarray(at, at + 65536));
  const ms = now() - t;
  if (!parsed) throw new Error('no frame');
  return Math.round(ms);
}

/** One line of figures for a large value. */
function largeLine(l: LargeFigures): string {
  return (
    `${l.mb} MB ${l.mode}: ${l.ms} ms end to end = command ${l.pwshCallMs} ms + bridge ${l.bridgeMs} ms; second call ${l.secondCallMs} ms (bridge ${l.secondBridgeMs} ms); ` +
    `CPU node ${l.nodeCpuMs} ms, pwsh ${l.pwshCpuMs ?? 'n/a'} ms; stall ${l.maxStallMs} ms; peak +${l.peakGrowthMb} MB (${l.growthOverSize}x); load ${l.loadAverage1m}${l.intact ? '' : '; VALUE ALTERED'}`
  );
}

function large(mb: number, mode: LargeMode): LargeFigures {
  const run = spawnSync(process.execPath, [...process.execArgv, __filename, '--large-child', String(mb), mode], { encoding: 'utf8', maxBuffer: 1 << 20 });
  const last = run.stdout.trim().split('\n').pop() ?? '';
  try {
    return JSON.parse(last) as LargeFigures;
  } catch {
    throw new Error(`large-result run of ${mb} MB failed: ${run.stderr}`);
  }
}

async function main(): Promise<void> {
  const child = process.argv.indexOf('--large-child');
  if (child > 0) return largeChild(Number(process.argv[child + 1]), process.argv[child + 2] as LargeMode);
  const largeRuns = LARGE_MODES.flatMap((mode) => LARGE_MB.map((mb) => large(mb, mode)));
  const framing = LARGE_MB.map((mb) => ({ mb, ms: nodeFraming(mb) }));
  if (process.argv.includes('--large-only')) {
    for (const l of largeRuns) process.stdout.write(`${largeLine(l)}\n`);
    process.stdout.write(JSON.stringify({ large: largeRuns, nodeFramingMs: framing }) + '\n');
    return;
  }
  const pwsh = locatePowerShell();
  const session = new PowerShellSession({ modules: [MODULE_MANIFEST], schemaResolver: outputSchema });
  const startT = now();
  const info = await session.start();
  const startMs = now() - startT;
  await sequential(session, ECHO, { InputObject: 'warm-up' }, 30);
  await sequential(session, 'Get-VmmRestorePlan', { Scenario: 'SameComputer' }, 5);
  const cpuBefore = cpuMs(session.processId);
  const wallBefore = now();
  const echo = await sequential(session, ECHO, { InputObject: 'x $(y) `z é' }, CALLS);
  const wall = now() - wallBefore;
  const cpuAfter = cpuMs(session.processId);
  const pwshCpuPerWall = cpuBefore === undefined || cpuAfter === undefined ? null : Math.round(((cpuAfter - cpuBefore) / wall) * 100) / 100;
  const plan = await sequential(session, 'Get-VmmRestorePlan', { Scenario: 'DifferentComputer' }, Math.max(20, Math.floor(CALLS / 10)));
  await session.dispose();

  const echoParameters = (i: number) => ({ InputObject: `call ${i} $(x) é` });
  const planParameters = () => ({ Scenario: 'DifferentComputer' });
  const perSecond1 = await throughput(1, ECHO, echoParameters, CALLS);
  const perSecond2 = await throughput(2, ECHO, echoParameters, CALLS);
  const planPerSecond1 = await throughput(1, 'Get-VmmRestorePlan', planParameters, Math.floor(CALLS / 4));
  const planPerSecond2 = await throughput(2, 'Get-VmmRestorePlan', planParameters, Math.floor(CALLS / 4));

  const cold = Array.from({ length: COLD }, () => coldCall(pwsh, "Write-Output 'x'"));
  const quoted = MODULE_MANIFEST.replace(/'/g, "''");
  const coldModule = Array.from({ length: COLD }, () => coldCall(pwsh, `Import-Module '${quoted}'; $null = Get-VmmRestorePlan -Scenario DifferentComputer`));

  const figures = {
    pwshVersion: info.version,
    cpus: os.cpus().length,
    loadAverage1m: Math.round(os.loadavg()[0] * 100) / 100,
    calls: CALLS,
    sessionStartMs: Math.round(startMs),
    warmEchoMedianMs: Math.round(median(echo) * 100) / 100,
    warmEchoP95Ms: Math.round(percentile(echo, 95) * 100) / 100,
    warmPlanMedianMs: Math.round(median(plan) * 100) / 100,
    callsPerSecond1Session: Math.round(perSecond1),
    callsPerSecond2Sessions: Math.round(perSecond2),
    scaling2Over1: Math.round((perSecond2 / perSecond1) * 100) / 100,
    pwshCpusBusyOneSession: pwshCpuPerWall,
    planCallsPerSecond1Session: Math.round(planPerSecond1),
    planCallsPerSecond2Sessions: Math.round(planPerSecond2),
    planScaling2Over1: Math.round((planPerSecond2 / planPerSecond1) * 100) / 100,
    coldPwshCMedianMs: Math.round(median(cold)),
    coldPwshCWithModuleMedianMs: Math.round(median(coldModule)),
    coldOverWarmEcho: Math.round(median(cold) / median(echo)),
    coldWithModuleOverWarmPlan: Math.round(median(coldModule) / median(plan)),
    large: largeRuns,
    nodeFramingMs: framing,
  };

  const rows: [string, string][] = [
    ['PowerShell', `${figures.pwshVersion} (${figures.cpus} CPUs, load ${figures.loadAverage1m})`],
    ['session start (pwsh + module import)', `${figures.sessionStartMs} ms`],
    [`warm round-trip, Write-Output (median of ${CALLS})`, `${figures.warmEchoMedianMs} ms (p95 ${figures.warmEchoP95Ms} ms)`],
    ['warm round-trip, Get-VmmRestorePlan, validated (median)', `${figures.warmPlanMedianMs} ms`],
    ['calls per second, Write-Output, 1 session', `${figures.callsPerSecond1Session}`],
    ['calls per second, Write-Output, 2 sessions', `${figures.callsPerSecond2Sessions} (x${figures.scaling2Over1})`],
    ['CPUs one busy pwsh session uses (CPU time / wall time)', `${figures.pwshCpusBusyOneSession ?? 'n/a'}`],
    ['calls per second, Get-VmmRestorePlan, 1 session', `${figures.planCallsPerSecond1Session}`],
    ['calls per second, Get-VmmRestorePlan, 2 sessions', `${figures.planCallsPerSecond2Sessions} (x${figures.planScaling2Over1})`],
    [`pwsh -c per call, Write-Output (median of ${COLD})`, `${figures.coldPwshCMedianMs} ms`],
    [`pwsh -c per call, Import-Module + Get-VmmRestorePlan (median of ${COLD})`, `${figures.coldPwshCWithModuleMedianMs} ms`],
    ['pwsh -c / warm bridge call (Write-Output)', `${figures.coldOverWarmEcho}x`],
    ['pwsh -c / warm bridge call (Get-VmmRestorePlan)', `${figures.coldWithModuleOverWarmPlan}x`],
    ...largeRuns.map((l): [string, string] => [`${l.mb} MB ${l.mode === 'echo' ? 'echoed' : l.mode === 'held' ? 'returned by a cheap command' : 'produced by Get-Content -Raw'}`, largeLine(l).replace(/^[^:]*: /, '')]),
    ...framing.map((f): [string, string] => [`${f.mb} MB result frame, Node side only (64 KiB chunks, read + JSON.parse)`, `${f.ms} ms`]),
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  process.stdout.write(`${'measure'.padEnd(width)}  value\n${'-'.repeat(width)}  ${'-'.repeat(30)}\n`);
  for (const [k, v] of rows) process.stdout.write(`${k.padEnd(width)}  ${v}\n`);
  process.stdout.write(JSON.stringify(figures) + '\n');
}

main().catch((e: unknown) => {
  process.stderr.write(`bench failed: ${(e as Error).stack ?? String(e)}\n`);
  process.exitCode = 1;
});
