/**
 * bench/library-fanout: Backup-VmmLibraryShare on three simulated library servers (one sshd each on 127.0.0.2-4,
 * Pester/Support/SshServers.psm1, the PowerShell SSH subsystem), measured in one run:
 *   - session set-up: opening the three PSSessions, and a warm Invoke-Command round trip;
 *   - the same three backups one server after another (-Session with one session, three calls) against all three
 *     at once (-Session with three sessions, -ThrottleLimit 3), each into fresh destinations, as a ratio
 *     (goal: parallel <= 0.6 x sequential);
 *   - per-server throughput (MB/s) of the parallel run, from the fan-out summary.
 * Every fan-out call sends the module into each session, so both modes pay the same per-call cost; a -WhatIf
 * fan-out first warms every server's process, so neither mode pays the first, cold import. Each server
 * holds BENCH_MB MB (default 96) in 48 files. Medians of BENCH_RUNS runs (default 1: the sessions dominate on a
 * small machine). Last line: one JSON object with the figures.
 * Run: npx tsx bench/library-fanout.ts
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '..');
const PWSH = path.join(ROOT, '.tools', 'pwsh', 'pwsh');
const RUNS = Number(process.env.BENCH_RUNS ?? 1);
const MB = Number(process.env.BENCH_MB ?? 96);

// Constant script text; the values arrive as arguments.
const SCRIPT = String.raw`
param([string] $Root, [int] $Megabytes, [int] $Runs)
$ErrorActionPreference = 'Stop'
Import-Module (Join-Path $Root 'Pester/Support/SshServers.psm1')
Import-Module (Join-Path $Root 'generated/VmmBackup/VmmBackup.psd1')
$servers = @(Start-SshTestServer -Count 3)
$sessions = @()
try {
    $files = 48
    $size = [int]($Megabytes * 1MB / $files)
    foreach ($server in $servers) {
        $random = New-Object System.Random ([int]$server.Name.Split('.')[-1])
        $bytes = New-Object byte[] $size
        for ($i = 0; $i -lt $files; $i++) {
            $random.NextBytes($bytes)
            [System.IO.File]::WriteAllBytes((Join-Path $server.Library "disk$i.vhdx"), $bytes)
        }
    }
    $watch = [System.Diagnostics.Stopwatch]::StartNew()
    $sessions = @(New-SshTestSession -Server $servers)
    $setupMs = $watch.Elapsed.TotalMilliseconds
    $null = Invoke-Command -Session $sessions[0] -ScriptBlock { 1 }
    $warm = @()
    for ($i = 0; $i -lt 20; $i++) {
        $watch.Restart()
        $null = Invoke-Command -Session $sessions[0] -ScriptBlock { 1 }
        $warm += $watch.Elapsed.TotalMilliseconds
    }
    $warmMs = ($warm | Sort-Object)[10]
    # Warm-up: one -WhatIf fan-out (module sent, imported and run on every server), so that neither mode below
    # pays the first, cold import of the module in a server's process.
    $null = Backup-VmmLibraryShare -Session $sessions -Path Library -Destination (Join-Path $servers[0].Root 'warmup') -WhatIf
    $rows = @()
    for ($run = 0; $run -lt $Runs; $run++) {
        $base = Join-Path $servers[0].Root "run$run"
        & sync
        $watch.Restart()
        foreach ($session in $sessions) {
            $null = Backup-VmmLibraryShare -Session $session -Path Library -Destination (Join-Path $base 'sequential')
        }
        $sequentialMs = $watch.Elapsed.TotalMilliseconds
        & sync
        $watch.Restart()
        $results = @(Backup-VmmLibraryShare -Session $sessions -ThrottleLimit 3 -Path Library -Destination (Join-Path $base 'parallel') -InformationVariable information)
        $parallelMs = $watch.Elapsed.TotalMilliseconds
        if ($results.Count -ne 3) { throw "the parallel run returned $($results.Count) results" }
        $summary = @($information | Where-Object { $_.Tags -contains 'VmmBackup.FanOutSummary' })[0].MessageData
        $rates = @($summary.PerServer | ForEach-Object { [math]::Round($_.MBPerSecond, 1) })
        $rows += [pscustomobject]@{ SequentialMs = $sequentialMs; ParallelMs = $parallelMs; Rates = $rates }
        Remove-Item -LiteralPath $base -Recurse -Force
    }
    [pscustomobject]@{ SetupMs = $setupMs; WarmMs = $warmMs; Runs = $rows } | ConvertTo-Json -Depth 5 -Compress
} finally {
    if ($sessions.Count -gt 0) { $sessions | Remove-PSSession }
    Stop-SshTestServer -Server $servers
}
`;

interface RunRow {
  SequentialMs: number;
  ParallelMs: number;
  Rates: number[];
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function main(): void {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-fanout-'));
  try {
    const file = path.join(dir, 'fanout.ps1');
    fs.writeFileSync(file, SCRIPT);
    const r = spawnSync(PWSH, ['-NoLogo', '-NoProfile', '-NonInteractive', '-File', file, ROOT, String(MB), String(RUNS)], {
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
    if (r.status !== 0) throw new Error(`pwsh failed (${r.status}): ${r.stderr}`);
    const line = r.stdout.trim().split('\n').filter((l) => l.startsWith('{')).pop();
    if (!line) throw new Error(`no result from pwsh: ${r.stdout}`);
    const result = JSON.parse(line) as { SetupMs: number; WarmMs: number; Runs: RunRow[] | RunRow };
    const runs = Array.isArray(result.Runs) ? result.Runs : [result.Runs];
    const sequential = median(runs.map((x) => x.SequentialMs));
    const parallel = median(runs.map((x) => x.ParallelMs));
    const rates = runs[runs.length - 1].Rates;
    const ratio = parallel / sequential;
    const rows: [string, string][] = [
      ['data per server', `${MB} MB in 48 files`],
      ['open 3 PSSessions (SSH)', `${(result.SetupMs / 1000).toFixed(2)} s`],
      ['warm Invoke-Command round trip', `${result.WarmMs.toFixed(1)} ms`],
      ['3 servers one after another', `${(sequential / 1000).toFixed(2)} s`],
      ['3 servers at once (-ThrottleLimit 3)', `${(parallel / 1000).toFixed(2)} s`],
      ['parallel / sequential', `${ratio.toFixed(2)} (goal <= 0.60)`],
      ['per-server MB/s in the parallel run', rates.join(', ')],
    ];
    const width = Math.max(...rows.map(([k]) => k.length));
    for (const [k, v] of rows) console.log(`${k.padEnd(width)}  ${v}`);
    console.log(
      JSON.stringify({
        mbPerServer: MB,
        runs: runs.length,
        sessionSetupMs: Math.round(result.SetupMs),
        warmInvokeMs: Number(result.WarmMs.toFixed(1)),
        sequentialMs: Math.round(sequential),
        parallelMs: Math.round(parallel),
        parallelToSequential: Number(ratio.toFixed(3)),
        perServerMBps: rates,
      }),
    );
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main();
