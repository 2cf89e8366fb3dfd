/**
 * The child processes the tests start, one helper per shape: the `vmm-backup` CLI as a user runs it
 * (bin/vmm-backup.js, asynchronously so servers in the test process keep answering, or synchronously), and a
 * TypeScript program run by tsx (to watch what a whole Node process does, e.g. whether it exits).
 */
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { repoRoot } from './paths';

/** What a child process left: its exit code (-1 when a signal ended it) and its whole output. */
export interface ChildRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** The environment of a child: the test's own, with `env` over it (a variable set to undefined is removed). */
function childEnv(env: Record<string, string | undefined>): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = { ...process.env };
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined) delete out[name];
    else out[name] = value;
  }
  return out;
}

/** Runs a program to its end without blocking the test process (a timeout kills it). */
function run(file: string, args: readonly string[], env: Record<string, string | undefined>, timeoutMs?: number): Promise<ChildRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { cwd: repoRoot, env: childEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    const timer = timeoutMs === undefined ? undefined : setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      if (timer) clearTimeout(timer);
      resolve({ code: code ?? -1, stdout, stderr });
    });
  });
}

/** The CLI's entry point, as `npx vmm-backup` runs it. */
export const CLI_BIN = path.join(repoRoot, 'bin/vmm-backup.js');

/** Runs `vmm-backup <args>` in a child process, from the repository root. */
export function runCliProcess(args: readonly string[], env: Record<string, string | undefined> = {}): Promise<ChildRun> {
  return run(process.execPath, [CLI_BIN, ...args], env);
}

/** Runs `vmm-backup <args>` in a child process and waits for it (for tests with nothing to serve meanwhile). */
export function runCliProcessSync(args: readonly string[], env: Record<string, string | undefined> = {}): ChildRun {
  const r = spawnSync(process.execPath, [CLI_BIN, ...args], { cwd: repoRoot, encoding: 'utf8', env: childEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** Runs a TypeScript program (its source text) with tsx in a child Node process; its file is removed afterwards. */
export async function runTypeScript(source: string, options: { timeoutMs?: number } = {}): Promise<ChildRun> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vmm-child-'));
  const file = path.join(dir, 'program.ts');
  fs.writeFileSync(file, source);
  try {
    return await run(process.execPath, [path.join(repoRoot, 'node_modules', 'tsx', 'dist', 'cli.mjs'), file], {}, options.timeoutMs);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
