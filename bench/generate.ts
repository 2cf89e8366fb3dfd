/**
 * bench/generate: time to generate everything from the model into an empty folder, and of a no-change
 * re-run (which must write nothing). Median of several runs each; last line is one JSON object.
 * Run: npx tsx bench/generate.ts
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { generate } from '../src/emit';

async function timed<T>(fn: () => Promise<T>): Promise<[number, T]> {
  const start = process.hrtime.bigint();
  const result = await fn();
  return [Number(process.hrtime.bigint() - start) / 1e6, result];
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main(): Promise<void> {
  const runs = Number(process.env.BENCH_RUNS ?? 7);
  const fresh: number[] = [];
  const rerun: number[] = [];
  let files = 0;
  let rerunWritten = 0;
  for (let i = 0; i < runs; i++) {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'vmm-bench-gen-'));
    try {
      const [t1, first] = await timed(() => generate(out));
      const [t2, second] = await timed(() => generate(out));
      fresh.push(t1);
      rerun.push(t2);
      files = first.files;
      rerunWritten = Math.max(rerunWritten, second.written.length + second.removed.length);
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
    }
  }
  const figures = {
    files,
    runs,
    fresh_ms_median: Number(median(fresh).toFixed(1)),
    rerun_ms_median: Number(median(rerun).toFixed(1)),
    rerun_to_fresh_ratio: Number((median(rerun) / median(fresh)).toFixed(3)),
    rerun_files_written: rerunWritten,
  };
  console.log('generate (whole module, bindings, runbook, stubs, schemas)');
  console.log(`  files               ${figures.files}`);
  console.log(`  fresh run (median)  ${figures.fresh_ms_median} ms   (first run includes loading templates and Graphviz: ${fresh[0].toFixed(1)} ms)`);
  console.log(`  no-change re-run    ${figures.rerun_ms_median} ms   ratio to fresh ${figures.rerun_to_fresh_ratio}`);
  console.log(`  re-run wrote        ${figures.rerun_files_written} files (must be 0)`);
  console.log(JSON.stringify(figures));
  if (rerunWritten !== 0) process.exitCode = 1;
}

void main();
