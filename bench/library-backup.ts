/**
 * bench/library-backup: Backup-VmmLibraryShare (generated module, run by the project's pwsh) against `cp -r` on
 * the same data, measured in one run:
 *   - throughput: ~200 MB in 400 files, first backup vs `cp -r` (both reading from the page cache), as a ratio;
 *   - a no-change re-run over the same 200 MB (size and time compared, nothing copied);
 *   - 10,000 small files: first backup vs `cp -r`, and a no-change re-run (the figure that matters for a daily job);
 *   - Restore-VmmLibraryShare of the 400-file set onto an empty folder vs `cp -r` of the share;
 *   - one 512 MiB file: first backup against the bound, .NET's SHA-256 of the same bytes held in memory (measured
 *     in its own pwsh process, so its 512 MiB array does not count in the backup's working set), and the peak
 *     working set of a fresh pwsh process that backs up only that file (flat in file size: the copy streams).
 * All times are taken inside one pwsh process (module already loaded), `cp -r` runs alternating with the
 * backups, each after a `sync` so none pays for the write-back of another. Medians of BENCH_RUNS runs (default 3). Last line: one JSON object with the figures.
 * Run: npx tsx bench/library-backup.ts   (BENCH_RUNS=n for the number of runs; BENCH_MODULE=path/VmmBackup.psd1)
 */
import { spawnSync } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '..');
const PWSH = path.join(ROOT, '.tools', 'pwsh', 'pwsh');
// BENCH_MODULE: another copy of the module (e.g. an older build) to compare on the same machine state.
const MODULE = process.env.BENCH_MODULE ?? path.join(ROOT, 'generated', 'VmmBackup', 'VmmBackup.psd1');
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
// BENCH_SCALE: a fraction of the sizes (e.g. 0.05) for a quick check that the bench runs; the goals are
// stated for 1 (the default).
const SCALE = Number(process.env.BENCH_SCALE ?? 1);
if (!(SCALE > 0 && SCALE <= 1)) throw new Error('BENCH_SCALE must be in (0, 1]');

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function makeLargeSet(dir: string, files: number, size: number): number {
  let bytes = 0;
  for (let i = 0; i < files; i++) {
    const sub = path.join(dir, `folder${i % 8}`);
    fs.mkdirSync(sub, { recursive: true });
    const ext = ['.vhdx', '.vhd', '.iso', '.vsv'][i % 4];
    fs.writeFileSync(path.join(sub, `file${i}${ext}`), crypto.randomBytes(size));
    bytes += size;
  }
  return bytes;
}

function makeSmallSet(dir: string, files: number): void {
  for (let i = 0; i < files; i++) {
    const sub = path.join(dir, `d${i % 100}`);
    if (i < 100) fs.mkdirSync(sub, { recursive: true });
    fs.writeFileSync(path.join(sub, `script${i}.ps1`), `# library script ${i}\n${'x'.repeat(200 + (i % 50))}\n`);
  }
}

function cpTime(source: string, target: string): number {
  const start = process.hrtime.bigint();
  const r = spawnSync('cp', ['-r', source, target], { stdio: 'inherit' });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.status !== 0) throw new Error(`cp -r failed (${r.status})`);
  return ms;
}

/** Runs the pwsh side: each job is one Backup-VmmLibraryShare call; returns elapsed ms and the result counts. */
interface Job {
  Name: string;
  Source: string;
  Destination: string;
  /** For restore jobs: the backup destination to restore from. */
  BackupSet?: string;
  /** Remove the destination after the timed run, as every cp -r job does (freed space is written faster). */
  Remove?: boolean;
}
interface JobResult {
  Name: string;
  Ms: number;
  Files: number;
  Copied: number;
  Skipped: number;
  Bytes: number;
  PeakWorkingSetMB: number;
  StartWorkingSetMB: number;
  /** The process's peak working set before this job started. */
  PeakBeforeMB: number;
}

function runBackups(work: string, jobs: Job[], tag = 'jobs'): JobResult[] {
  const jobsFile = path.join(work, `${tag}.json`);
  fs.writeFileSync(jobsFile, JSON.stringify(jobs));
  const script = path.join(work, `${tag}.ps1`);
  fs.writeFileSync(
    script,
    [
      'param([string] $Module, [string] $Jobs)',
      "$ErrorActionPreference = 'Stop'",
      "$ProgressPreference = 'SilentlyContinue'",
      'Import-Module $Module -Force',
      '$startSet = [math]::Round([System.Diagnostics.Process]::GetCurrentProcess().WorkingSet64 / 1MB, 1)',
      '$out = foreach ($job in (Get-Content -Raw -LiteralPath $Jobs | ConvertFrom-Json)) {',
      '    [System.GC]::Collect()',
      '    $peakBefore = [math]::Round([System.Diagnostics.Process]::GetCurrentProcess().PeakWorkingSet64 / 1MB, 1)',
      '    & sync   # start each measurement with no dirty pages left by the previous one',
      '    $watch = [System.Diagnostics.Stopwatch]::StartNew()',
      "    if ($job.Name -like 'cp-*') {",
      "        & cp -r $job.Source $job.Destination",
      "        $watch.Stop()",
      "        if ($LASTEXITCODE -ne 0) { throw 'cp -r failed' }",
      "        Remove-Item -LiteralPath $job.Destination -Recurse -Force",
      "        $r = [pscustomobject]@{ Files = 0; Copied = 0; Skipped = 0; Bytes = 0 }",
      "    } elseif ($job.Name -like 'restore-*') {",
      '        $null = New-Item -ItemType Directory -Path $job.Destination',
      '        $watch.Restart()',
      '        $r = Restore-VmmLibraryShare -BackupSet $job.BackupSet -Destination $job.Destination -Confirm:$false -WarningAction SilentlyContinue',
      '        $watch.Stop()',
      "        if (-not $r.Verified) { throw 'restore not verified' }",
      '        Remove-Item -LiteralPath $job.Destination -Recurse -Force',
      '        $r = [pscustomobject]@{ Files = $r.Files; Copied = $r.Restored; Skipped = $r.Identical; Bytes = $r.Bytes }',
      "    } elseif ($job.Name -like 'sha-memory*') {",
      '        $bytes = [System.IO.File]::ReadAllBytes($job.Source)',
      '        $sha = [System.Security.Cryptography.SHA256]::Create()',
      '        $watch.Restart()',
      '        $null = $sha.ComputeHash($bytes)',
      '        $watch.Stop()',
      '        $r = [pscustomobject]@{ Files = 1; Copied = 0; Skipped = 0; Bytes = $bytes.Length }',
      '    } else {',
      '        $r = Backup-VmmLibraryShare -Path $job.Source -Destination $job.Destination -Confirm:$false',
      '        $watch.Stop()',
      '        if ($job.Remove) { Remove-Item -LiteralPath $job.Destination -Recurse -Force }',
      '    }',
      '    $process = [System.Diagnostics.Process]::GetCurrentProcess()',
      '    [pscustomobject]@{ Name = $job.Name; Ms = $watch.Elapsed.TotalMilliseconds; Files = $r.Files; Copied = $r.Copied; Skipped = $r.Skipped; Bytes = $r.Bytes; PeakWorkingSetMB = [math]::Round($process.PeakWorkingSet64 / 1MB, 1); StartWorkingSetMB = $startSet; PeakBeforeMB = $peakBefore }',
      '}',
      'ConvertTo-Json -InputObject @($out) -Compress',
    ].join('\n'),
  );
  const r = spawnSync(PWSH, ['-NoProfile', '-NonInteractive', '-File', script, '-Module', MODULE, '-Jobs', jobsFile], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`pwsh failed (${r.status}): ${r.stderr}`);
  const lines = r.stdout.trim().split('\n');
  return JSON.parse(lines[lines.length - 1]) as JobResult[];
}

function main(): void {
  if (!fs.existsSync(PWSH)) throw new Error('pwsh is not installed: run npm run setup');
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'vmm-bench-lib-'));
  try {
    const large = path.join(work, 'large');
    const small = path.join(work, 'small');
    const largeFiles = Math.max(2, Math.round(400 * SCALE));
    const largeBytes = makeLargeSet(large, largeFiles, 512 * 1024);
    const smallFiles = Math.max(2, Math.round(10000 * SCALE));
    makeSmallSet(small, smallFiles);
    const big = path.join(work, 'big');
    const bigBytes = makeLargeSet(big, 1, Math.max(1, Math.round(512 * SCALE)) * 1024 * 1024);
    // Warm the page cache so both sides read from memory.
    for (const source of [large, small, big]) {
      cpTime(source, path.join(work, 'warm'));
      fs.rmSync(path.join(work, 'warm'), { recursive: true, force: true });
    }

    // cp -r and the backups alternate in one pwsh process, so a busy machine slows both alike.
    const jobs: Job[] = [];
    for (let i = 0; i < RUNS; i++) {
      jobs.push({ Name: 'cp-large', Source: large, Destination: path.join(work, `cp-large-${i}`) });
      jobs.push({ Name: 'large-first', Source: large, Destination: path.join(work, `bk-large-${i}`), Remove: true });
    }
    // Each timed backup's destination is removed after it, as cp -r's is: a copy kept for the re-runs and restores.
    jobs.push({ Name: 'large-seed', Source: large, Destination: path.join(work, 'bk-large-0') });
    for (let i = 0; i < RUNS; i++) jobs.push({ Name: 'large-rerun', Source: large, Destination: path.join(work, 'bk-large-0') });
    for (let i = 0; i < RUNS; i++) {
      jobs.push({ Name: 'cp-large', Source: large, Destination: path.join(work, `cp-large-r${i}`) });
      jobs.push({ Name: 'restore-large', Source: '', BackupSet: path.join(work, 'bk-large-0'), Destination: path.join(work, `rs-large-${i}`) });
    }
    jobs.push({ Name: 'cp-small', Source: small, Destination: path.join(work, 'cp-small-first') });
    jobs.push({ Name: 'small-first', Source: small, Destination: path.join(work, 'bk-small') });
    for (let i = 0; i < RUNS; i++) {
      jobs.push({ Name: 'cp-small', Source: small, Destination: path.join(work, `cp-small-${i}`) });
      jobs.push({ Name: 'small-rerun', Source: small, Destination: path.join(work, 'bk-small') });
    }
    const results = runBackups(work, jobs);
    // The 512 MiB file: the in-memory bound in its own process, then the backup in a fresh one (its peak working set).
    // The first hash of a process is slow (measured ~3x the next ones): it is a warm-up, and the bound is the
    // median of the RUNS hashes after it.
    const boundJobs = Array.from({ length: RUNS + 1 }, (_, i) => ({ Name: i === 0 ? 'sha-memory-cold' : 'sha-memory', Source: path.join(big, 'folder0', 'file0.vhdx'), Destination: '' }));
    const bound = runBackups(work, boundJobs, 'bound');
    fs.rmSync(path.join(work, 'bk-large-0'), { recursive: true, force: true }); // keep the disk use down
    // A tiny backup first, so that the one-time compile of the copy engine is not counted as file-size memory.
    const tiny = path.join(work, 'tiny');
    makeLargeSet(tiny, 2, 4096);
    // Then the big file RUNS + 1 times into fresh destinations: the first (cold, like the first hash) is printed
    // apart, the time compared with the bound is the median of the others; the process's peak covers them all.
    const bigJobs = Array.from({ length: RUNS + 1 }, (_, i) => ({ Name: i === 0 ? 'big-cold' : 'big-first', Source: big, Destination: path.join(work, `bk-big-${i}`), Remove: true }));
    const bigRun = runBackups(work, [{ Name: 'tiny-first', Source: tiny, Destination: path.join(work, 'bk-tiny') }, ...bigJobs], 'big').filter((r) => r.Name === 'big-first' || r.Name === 'big-cold');
    results.push(...bound, ...bigRun);
    const times = (name: string): number[] => results.filter((r) => r.Name === name).map((r) => r.Ms);
    const check = (name: string, copied: (r: JobResult) => boolean): void => {
      for (const r of results.filter((x) => x.Name === name)) if (!copied(r)) throw new Error(`${name}: unexpected result ${JSON.stringify(r)}`);
    };
    check('large-first', (r) => r.Files === largeFiles && r.Copied === largeFiles && r.Bytes === largeBytes);
    check('large-rerun', (r) => r.Copied === 0 && r.Skipped === largeFiles);
    check('small-first', (r) => r.Files === smallFiles && r.Copied === smallFiles);
    check('small-rerun', (r) => r.Copied === 0 && r.Skipped === smallFiles);
    check('restore-large', (r) => r.Files === largeFiles && r.Copied === largeFiles && r.Bytes === largeBytes);
    check('big-first', (r) => r.Files === 1 && r.Copied === 1 && r.Bytes === bigBytes);
    check('big-cold', (r) => r.Files === 1 && r.Copied === 1 && r.Bytes === bigBytes);

    const mb = largeBytes / (1024 * 1024);
    const largeFirst = median(times('large-first'));
    const cpLargeMs = median(times('cp-large'));
    const figures = {
      runs: RUNS,
      scale: SCALE,
      large_files: largeFiles,
      large_mb: Number(mb.toFixed(1)),
      cp_large_ms: Number(cpLargeMs.toFixed(1)),
      backup_large_first_ms: Number(largeFirst.toFixed(1)),
      cp_mb_per_s: Number((mb / (cpLargeMs / 1000)).toFixed(1)),
      backup_mb_per_s: Number((mb / (largeFirst / 1000)).toFixed(1)),
      throughput_ratio_to_cp: Number((cpLargeMs / largeFirst).toFixed(3)),
      // The best ratio a backup could reach that does cp -r's work (one core, cp's time) and hashes every byte
      // (at the SHA-256 rate measured below), spread perfectly over the machine's cores.
      large_ratio_ceiling: Number((cpLargeMs / ((cpLargeMs + largeBytes / (bigBytes / median(times('sha-memory')))) / os.cpus().length)).toFixed(3)),
      backup_large_rerun_ms: Number(median(times('large-rerun')).toFixed(1)),
      restore_large_ms: Number(median(times('restore-large')).toFixed(1)),
      restore_ratio_to_cp: Number((cpLargeMs / median(times('restore-large'))).toFixed(3)),
      small_files: smallFiles,
      cp_small_ms: Number(median(times('cp-small')).toFixed(1)),
      backup_small_first_ms: Number(median(times('small-first')).toFixed(1)),
      backup_small_rerun_ms: Number(median(times('small-rerun')).toFixed(1)),
      small_first_ratio_to_cp: Number((median(times('small-first')) / median(times('cp-small'))).toFixed(3)),
      big_mb: bigBytes / (1024 * 1024),
      sha256_in_memory_big_ms: Number(median(times('sha-memory')).toFixed(1)),
      sha256_in_memory_cold_ms: Number(times('sha-memory-cold')[0].toFixed(1)),
      sha256_in_memory_mb_per_s: Number((bigBytes / (1024 * 1024) / (median(times('sha-memory')) / 1000)).toFixed(1)),
      backup_big_ms: Number(median(times('big-first')).toFixed(1)),
      backup_big_cold_ms: Number(times('big-cold')[0].toFixed(1)),
      big_ratio_to_sha256_in_memory: Number((median(times('sha-memory')) / median(times('big-first'))).toFixed(3)),
      big_start_working_set_mb: bigRun[0].StartWorkingSetMB,
      big_peak_working_set_mb: bigRun[bigRun.length - 1].PeakWorkingSetMB,
      big_peak_growth_mb: Number((bigRun[bigRun.length - 1].PeakWorkingSetMB - bigRun[0].PeakBeforeMB).toFixed(1)),
      peak_working_set_mb: Math.max(...results.filter((r) => !r.Name.startsWith('sha-memory') && !r.Name.startsWith('big-')).map((r) => r.PeakWorkingSetMB)),
    };
    const row = (label: string, value: string): string => `  ${label.padEnd(44)} ${value}`;
    console.log('Backup-VmmLibraryShare vs cp -r (same data, page cache warm; medians)');
    console.log(row(`${largeFiles} files, ${figures.large_mb} MB: cp -r`, `${figures.cp_large_ms} ms  (${figures.cp_mb_per_s} MB/s)`));
    console.log(row(`${largeFiles} files, ${figures.large_mb} MB: first backup`, `${figures.backup_large_first_ms} ms  (${figures.backup_mb_per_s} MB/s, SHA-256 while copying)`));
    console.log(row(`ceiling: cp -r's work + SHA-256 on ${os.cpus().length} cores`, `${figures.large_ratio_ceiling}   (no backup that copies and hashes every byte can beat it here)`));
    console.log(row('throughput ratio (cp -r time / backup time)', `${figures.throughput_ratio_to_cp}   goal >= 0.8`));
    console.log(row(`${largeFiles} files, ${figures.large_mb} MB: no-change re-run`, `${figures.backup_large_rerun_ms} ms`));
    console.log(row(`${largeFiles} files: Restore-VmmLibraryShare`, `${figures.restore_large_ms} ms`));
    console.log(row('restore ratio (cp -r time / restore time)', `${figures.restore_ratio_to_cp}   goal >= 0.8 (ceiling ${figures.large_ratio_ceiling}: a restore also copies and hashes every byte)`));
    console.log(row(`${smallFiles} small files: cp -r`, `${figures.cp_small_ms} ms`));
    console.log(row(`${smallFiles} small files: first backup`, `${figures.backup_small_first_ms} ms`));
    console.log(row('small first backup / cp -r', `${figures.small_first_ratio_to_cp}   goal <= 1.5`));
    console.log(row(`${smallFiles} small files: no-change re-run`, `${figures.backup_small_rerun_ms} ms   goal <= 400`));
    console.log(row(`bound: .NET SHA-256 of ${figures.big_mb} MiB in memory`, `${figures.sha256_in_memory_big_ms} ms  (${figures.sha256_in_memory_mb_per_s} MB/s, one core)`));
    console.log(row(`one ${figures.big_mb} MiB file: first backup`, `${figures.backup_big_ms} ms  (first in its process: ${figures.backup_big_cold_ms} ms; first hash in its process: ${figures.sha256_in_memory_cold_ms} ms)`));
    console.log(row('big file ratio (bound time / backup time)', `${figures.big_ratio_to_sha256_in_memory}   goal >= 0.85`));
    console.log(row(`peak working set, pwsh backing up ${figures.big_mb} MiB`, `${figures.big_peak_working_set_mb} MB  (${figures.big_start_working_set_mb} MB after loading the module; the file added ${figures.big_peak_growth_mb} MB)`));
    console.log(row(`pwsh peak working set, ${largeFiles}-file and ${smallFiles}-file runs`, `${figures.peak_working_set_mb} MB  (grows with the number of files listed)`));
    console.log(JSON.stringify(figures));
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

main();
