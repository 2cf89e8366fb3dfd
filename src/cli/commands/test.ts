import type { CommandModule } from 'yargs';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { badInput, CliError, environmentError } from '../errors';
import { EXIT_CODE_HELP } from '../exit-codes';
import { quietOnClosedPipe } from '../terminal';
import { locatePowerShell } from '../../bridge';

interface TestArgs {
  path?: string[];
  output?: string;
  pwsh?: string;
  json?: boolean;
  setExitCode?: (code: number) => void;
}

const ROOT = path.resolve(__dirname, '../../..');

/** Test files under the given paths (what Pester will run), for the progress bar. */
export function testFiles(paths: readonly string[]): string[] {
  const found: string[] = [];
  const walk = (p: string) => {
    const stat = fs.statSync(p, { throwIfNoEntry: false });
    if (!stat) return;
    if (stat.isFile()) {
      if (p.endsWith('.Tests.ps1')) found.push(p);
      return;
    }
    for (const entry of fs.readdirSync(p).sort()) walk(path.join(p, entry));
  };
  paths.forEach(walk);
  return found;
}

function bar(done: number, total: number, width = 24): string {
  const filled = total === 0 ? width : Math.round((done / total) * width);
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${done}/${total}`;
}

export interface PesterSummary {
  passed: number;
  failed: number;
  skipped: number;
}

export const testCommand: CommandModule<object, TestArgs> = {
  command: 'test',
  describe: 'Run the Pester tests of the module (Pester/ by default) and print a summary; exit 1 when any fails',
  builder: (y) =>
    y
      .option('path', { type: 'string', array: true, describe: 'Test files or folders (default: Pester/)' })
      .option('output', { choices: ['None', 'Normal', 'Detailed', 'Diagnostic'], default: 'Normal', describe: 'Pester output verbosity' })
      .option('pwsh', { type: 'string', describe: 'PowerShell executable (default: .tools/pwsh/pwsh, else pwsh on PATH)' })
      .example('$0 test', 'Run every Pester test, with a progress bar on a terminal')
      .example('$0 test --path Pester/Public/Get-VmmRestorePlan.Tests.ps1', 'Run one file')
      .example('$0 test --json', 'Only the summary, as JSON: {"passed":n,"failed":n,"skipped":n,"seconds":s}')
      .epilogue(EXIT_CODE_HELP) as never,
  handler: async (args) => {
    quietOnClosedPipe();
    let pwsh: string;
    try {
      pwsh = locatePowerShell({ pwshPath: args.pwsh, searchFrom: [ROOT, process.cwd()] });
    } catch (e) {
      throw environmentError(`${(e as Error).message}`, 'NoPowerShell');
    }
    const paths = (args.path && args.path.length > 0 ? args.path : [path.join(ROOT, 'Pester')]).map((p) => path.resolve(p));
    for (const p of paths) if (!fs.existsSync(p)) throw badInput(`no such test path: ${p}`, 'NotFound', { path: p });
    const files = testFiles(paths);
    const resultFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'vmm-pester-')), 'result.json');
    const output = args.json ? 'None' : (args.output ?? 'Normal');
    const argv = ['-NoLogo', '-NoProfile', '-NonInteractive', '-File', path.join(ROOT, 'Pester', 'run.ps1'), '-ResultJson', resultFile, '-Output', output, '-Path', ...paths];
    const started = Date.now();
    const showBar = !args.json && process.stderr.isTTY;
    let done = 0;
    const code = await new Promise<number>((resolve, reject) => {
      const child = spawn(pwsh, argv, { cwd: ROOT, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
      let partial = '';
      const onLine = (line: string) => {
        if (/^Running tests from /.test(line)) done++;
        if (showBar) process.stderr.write('\r\u001b[2K');
        if (!args.json) process.stdout.write(line + '\n');
        if (showBar) process.stderr.write(`${bar(Math.min(done, files.length), files.length)} files  ${((Date.now() - started) / 1000).toFixed(0)} s`);
      };
      child.stdout.on('data', (chunk: Buffer) => {
        const lines = (partial + chunk.toString('utf8')).split(/\r?\n/);
        partial = lines.pop() ?? '';
        lines.forEach(onLine);
      });
      child.stderr.on('data', (chunk: Buffer) => {
        if (!args.json) process.stderr.write(chunk);
      });
      child.on('error', reject);
      child.on('close', (exit) => {
        if (partial) onLine(partial);
        if (showBar) process.stderr.write('\r\u001b[2K');
        resolve(exit ?? 1);
      });
    });
    const seconds = Math.round((Date.now() - started) / 100) / 10;
    let summary: PesterSummary;
    try {
      summary = JSON.parse(fs.readFileSync(resultFile, 'utf8')) as PesterSummary;
    } catch {
      throw new CliError(`Pester did not finish (exit code ${code}); run with --output Detailed to see why`, 1, { kind: 'PesterFailed' });
    } finally {
      fs.rmSync(path.dirname(resultFile), { recursive: true, force: true });
    }
    if (args.json) process.stdout.write(JSON.stringify({ ...summary, files: files.length, seconds }) + '\n');
    else process.stdout.write(`\npester: ${summary.passed} passed, ${summary.failed} failed, ${summary.skipped} skipped in ${files.length} file(s) (${seconds} s)\n`);
    args.setExitCode?.(summary.failed === 0 && code === 0 ? 0 : 1);
  },
};
