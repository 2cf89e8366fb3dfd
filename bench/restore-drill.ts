/**
 * bench/restore-drill: Invoke-VmmRestoreDrill -Item Library (generated module, the project's pwsh) on a ~200 MB
 * library set of 400 files, measured in one run against `cp -r` of the same share and against
 * Restore-VmmLibraryShare alone (the restore the drill runs, without its verification pass):
 *   - the drill of the whole set: total time, its RtoSeconds (the restore) and the rest (re-reading every byte
 *     against the manifest, removing the scratch folder), throughput, ratios to cp -r and to the restore alone;
 *   - the drill with -SampleBytes 20 MB (a random sample).
 * cp -r, the restore and the drills alternate in one pwsh process (module loaded once), each after a `sync`.
 * Medians of BENCH_RUNS runs (default 3). Last line: one JSON object with the figures.
 * Run: npx tsx bench/restore-drill.ts
 */
import { spawnSync } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '..');
const PWSH = path.join(ROOT, '.tools', 'pwsh', 'pwsh');
const MODULE = path.join(ROOT, 'generated', 'VmmBackup', 'VmmBackup.psd1');
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const FILES = 400;
const SIZE = 512 * 1024;
const SAMPLE = 20 * 1024 * 1024;

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

interface JobResult {
  Name: string;
  Ms: number;
  State: string | null;
  RtoSeconds: number | null;
  Bytes: number;
  Files: number;
}

function main(): void {
  if (!fs.existsSync(PWSH)) throw new Error('pwsh is not installed: run npm run setup');
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'vmm-bench-drill-'));
  try {
    const share = path.join(work, 'share');
    for (let i = 0; i < FILES; i++) {
      const sub = path.join(share, `folder${i % 8}`);
      fs.mkdirSync(sub, { recursive: true });
      fs.writeFileSync(path.join(sub, `file${i}${['.vhdx', '.vhd', '.iso', '.vsv'][i % 4]}`), crypto.randomBytes(SIZE));
    }
    const totalBytes = FILES * SIZE;
    const script = path.join(work, 'bench.ps1');
    fs.writeFileSync(
      script,
      [
        'param([string] $Module, [string] $Work, [int] $Runs, [long] $Sample)',
        "$ErrorActionPreference = 'Stop'",
        "$ProgressPreference = 'SilentlyContinue'",
        'Import-Module $Module -Force',
        "$share = Join-Path $Work 'share'",
        "$library = Join-Path $Work 'library'",
        "$scratch = Join-Path $Work 'scratch'",
        '$null = New-Item -ItemType Directory -Path $scratch',
        '$null = Backup-VmmLibraryShare -Path $share -Destination $library -Confirm:$false',
        '$measure = {',
        '    param([string] $Name, [scriptblock] $Work)',
        '    [System.GC]::Collect()',
        '    & sync',
        '    $watch = [System.Diagnostics.Stopwatch]::StartNew()',
        '    $r = & $Work',
        '    $watch.Stop()',
        '    [pscustomobject]@{ Name = $Name; Ms = $watch.Elapsed.TotalMilliseconds; State = $r.State; RtoSeconds = $r.RtoSeconds; Bytes = [long]$r.Bytes; Files = [int]$r.Files }',
        '}',
        '$out = for ($i = 0; $i -lt $Runs; $i++) {',
        "    & $measure 'cp' { & cp -r $share (Join-Path $scratch 'cp'); if ($LASTEXITCODE -ne 0) { throw 'cp -r failed' }; [pscustomobject]@{ Bytes = 0 } }",
        "    Remove-Item -LiteralPath (Join-Path $scratch 'cp') -Recurse -Force",
        "    & $measure 'restore' { $target = Join-Path $scratch 'restore'; $null = New-Item -ItemType Directory -Path $target; Restore-VmmLibraryShare -BackupSet $library -Destination $target -Confirm:$false -WarningAction SilentlyContinue }",
        "    Remove-Item -LiteralPath (Join-Path $scratch 'restore') -Recurse -Force",
        "    & $measure 'drill' { Invoke-VmmRestoreDrill -Path $library -Item Library -ScratchPath $scratch -Confirm:$false }",
        "    & $measure 'drill-sample' { Invoke-VmmRestoreDrill -Path $library -Item Library -ScratchPath $scratch -SampleBytes $Sample -Confirm:$false }",
        '}',
        'ConvertTo-Json -InputObject @($out) -Compress',
      ].join('\n'),
    );
    const r = spawnSync(PWSH, ['-NoProfile', '-NonInteractive', '-File', script, '-Module', MODULE, '-Work', work, '-Runs', String(RUNS), '-Sample', String(SAMPLE)], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    if (r.status !== 0) throw new Error(`pwsh failed (${r.status}): ${r.stderr}`);
    const lines = r.stdout.trim().split('\n');
    const results = JSON.parse(lines[lines.length - 1]) as JobResult[];
    const of = (name: string) => results.filter((x) => x.Name === name);
    for (const x of of('drill')) if (x.State !== 'Passed' || x.Bytes !== totalBytes) throw new Error(`drill: unexpected result ${JSON.stringify(x)}`);
    for (const x of of('drill-sample')) if (x.State !== 'Passed' || x.Bytes < SAMPLE || x.Bytes > SAMPLE + SIZE) throw new Error(`drill-sample: unexpected result ${JSON.stringify(x)}`);
    for (const x of of('restore')) if (x.Files !== FILES) throw new Error(`restore: unexpected result ${JSON.stringify(x)}`);

    const mb = totalBytes / (1024 * 1024);
    const cpMs = median(of('cp').map((x) => x.Ms));
    const restoreMs = median(of('restore').map((x) => x.Ms));
    const drillMs = median(of('drill').map((x) => x.Ms));
    const drillRtoMs = median(of('drill').map((x) => (x.RtoSeconds ?? 0) * 1000));
    const sampleMs = median(of('drill-sample').map((x) => x.Ms));
    const figures = {
      runs: RUNS,
      files: FILES,
      library_mb: Number(mb.toFixed(1)),
      cp_ms: Number(cpMs.toFixed(1)),
      restore_ms: Number(restoreMs.toFixed(1)),
      drill_ms: Number(drillMs.toFixed(1)),
      drill_rto_ms: Number(drillRtoMs.toFixed(1)),
      drill_verify_and_cleanup_ms: Number((drillMs - drillRtoMs).toFixed(1)),
      drill_mb_per_s: Number((mb / (drillMs / 1000)).toFixed(1)),
      drill_ratio_to_cp: Number((drillMs / cpMs).toFixed(2)),
      drill_ratio_to_restore: Number((drillMs / restoreMs).toFixed(2)),
      sample_mb: SAMPLE / (1024 * 1024),
      drill_sample_ms: Number(sampleMs.toFixed(1)),
      drill_sample_ratio_to_drill: Number((sampleMs / drillMs).toFixed(3)),
    };
    const row = (label: string, value: string): string => `  ${label.padEnd(48)} ${value}`;
    console.log(`Invoke-VmmRestoreDrill -Item Library on ${FILES} files, ${figures.library_mb} MB (medians of ${RUNS})`);
    console.log(row('cp -r of the share', `${figures.cp_ms} ms`));
    console.log(row('Restore-VmmLibraryShare alone', `${figures.restore_ms} ms`));
    console.log(row('drill: total', `${figures.drill_ms} ms  (${figures.drill_mb_per_s} MB/s)`));
    console.log(row('drill: restore (RtoSeconds)', `${figures.drill_rto_ms} ms`));
    console.log(row('drill: verify every byte + remove scratch', `${figures.drill_verify_and_cleanup_ms} ms`));
    console.log(row('drill / cp -r', `${figures.drill_ratio_to_cp}`));
    console.log(row('drill / Restore-VmmLibraryShare', `${figures.drill_ratio_to_restore}`));
    console.log(row(`drill with -SampleBytes ${figures.sample_mb} MB`, `${figures.drill_sample_ms} ms  (${figures.drill_sample_ratio_to_drill} of the full drill)`));
    console.log(JSON.stringify(figures));
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

main();
