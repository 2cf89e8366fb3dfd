/**
 * The bad-input corpus of the CLI: each case runs `vmm-backup` in this process (main(), as bin/ does) with
 * --json, and checks the exit code, the one JSON error object on standard output, the one line on standard
 * error, and that nothing outside the folder the case may change was touched (a hash of the whole work tree
 * before and after).
 */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { format } from 'node:util';
import { main } from '../../src/cli/main';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI in this process with standard output and error captured (and the environment patched). */
export async function runCli(argv: string[], env: Record<string, string | undefined> = {}): Promise<CliRun> {
  const saved: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(env)) {
    saved[k] = process.env[k];
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  let stdout = '';
  let stderr = '';
  const out = process.stdout.write;
  const err = process.stderr.write;
  const log = console.log;
  const error = console.error;
  process.stdout.write = ((chunk: string | Uint8Array) => ((stdout += chunk.toString()), true)) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string | Uint8Array) => ((stderr += chunk.toString()), true)) as typeof process.stderr.write;
  // yargs prints --help through console.log.
  console.log = (...args: unknown[]) => void (stdout += format(...args) + '\n');
  console.error = (...args: unknown[]) => void (stderr += format(...args) + '\n');
  try {
    const code = await main(argv);
    return { code, stdout, stderr };
  } finally {
    process.stdout.write = out;
    process.stderr.write = err;
    console.log = log;
    console.error = error;
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

/** path → content hash (files), `link:<target>` (links), `dir` (folders), for everything under `root`. */
export function treeHash(root: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      const rel = path.relative(root, full).split(path.sep).join('/');
      if (entry.isSymbolicLink()) out.set(rel, `link:${fs.readlinkSync(full)}`);
      else if (entry.isDirectory()) {
        out.set(rel, 'dir');
        walk(full);
      } else out.set(rel, crypto.createHash('sha256').update(fs.readFileSync(full)).digest('hex'));
    }
  };
  if (fs.existsSync(root)) walk(root);
  return out;
}

/** Paths whose entry differs between two tree hashes (added, removed or changed). */
export function changedPaths(before: Map<string, string>, after: Map<string, string>): string[] {
  const keys = new Set([...before.keys(), ...after.keys()]);
  return [...keys].filter((k) => before.get(k) !== after.get(k)).sort();
}

export interface CorpusCase {
  name: string;
  /** The command line; `{work}` is replaced by the work folder. */
  argv: string[];
  env?: Record<string, string | undefined>;
  /** Prepares the work folder (called before the tree is hashed). */
  setup?: (work: string) => void;
  code: number;
  /** The JSON error's kind and message (exact text, or a pattern); omitted for a case that succeeds. */
  kind?: string;
  message?: string | RegExp;
  /** The only folder (relative to the work folder) the case may change; none when omitted. */
  mayChange?: string;
  /** Further checks on the run and the work folder. */
  check?: (run: CliRun, work: string) => void;
}

/** A setup that runs `base`, then writes a user's file at `rel` (e.g. where a folder is expected). */
export function thenFile(base: (work: string) => void, rel: string, text = 'mine'): (work: string) => void {
  return (work) => {
    base(work);
    fs.writeFileSync(path.join(work, rel), text);
  };
}

/** A setup that runs `base`, then makes the link `rel` → `target` (both relative to the work folder). */
export function thenLink(base: (work: string) => void, rel: string, target: string): (work: string) => void {
  return (work) => {
    base(work);
    fs.mkdirSync(path.dirname(path.join(work, rel)), { recursive: true });
    fs.symlinkSync(path.join(work, target), path.join(work, rel));
  };
}

export function makeWork(prefix: string): string {
  return fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), prefix)));
}

/**
 * Runs one case and checks, in one comparison (so a failure shows everything that differs): the exit code,
 * the paths changed outside the folder the case may change (none), and for an error exactly one JSON error
 * object on standard output with the same message as the one line on standard error, without stack frames or
 * script positions.
 */
export async function runCase(c: CorpusCase, work: string): Promise<CliRun> {
  c.setup?.(work);
  const before = treeHash(work);
  const argv = c.argv.map((a) => a.split('{work}').join(work));
  const run = await runCli(argv.includes('--json') ? argv : [...argv, '--json'], c.env);
  const after = treeHash(work);
  const changed = changedPaths(before, after).filter((p) => !(c.mayChange && (p === c.mayChange || p.startsWith(c.mayChange + '/'))));
  const isError = c.kind !== undefined || c.message !== undefined;
  const lines = run.stdout.split('\n').filter((l) => l !== '');
  let json: unknown = lines;
  if (isError && lines.length === 1) {
    try {
      json = JSON.parse(lines[0]);
    } catch {
      json = lines;
    }
  }
  const message = (c.message instanceof RegExp ? expect.stringMatching(c.message) : (c.message ?? expect.any(String))) as string;
  expect({
    code: run.code,
    changedOutsideExpectedFolder: changed,
    ...(isError ? { json, stderr: run.stderr } : {}),
  }).toEqual({
    code: c.code,
    changedOutsideExpectedFolder: [],
    ...(isError
      ? {
          json: { error: expect.objectContaining({ kind: c.kind ?? expect.any(String), message, exitCode: c.code }) },
          stderr: `vmm-backup: ${(json as { error?: { message?: string } })?.error?.message ?? '(the JSON error message)'}\n`,
        }
      : {}),
  });
  if (isError) expect(run.stderr).not.toMatch(/\n\s+at |:\d+:\d+\)|At .*:\d+ char:\d+/);
  c.check?.(run, work);
  return run;
}

/** Declares each case as a jest test sharing one work folder (fresh per case, removed afterwards). */
export function corpus(prefix: string, cases: CorpusCase[]): void {
  for (const c of cases) {
    test(c.name, async () => {
      const work = makeWork(prefix);
      try {
        await runCase(c, work);
      } finally {
        fs.rmSync(work, { recursive: true, force: true });
      }
    });
  }
}
