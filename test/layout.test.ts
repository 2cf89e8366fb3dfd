/**
 * The repository's layout, as the README describes it:
 * - test/ mirrors src/: the tests of src/<dir>/<file>.ts are test/<dir>/<file>.test.ts, or, when one source
 *   file has several test files, test/<dir>/<file>/<aspect>.test.ts (never both); a module folder with an
 *   index.ts is tested as test/<dir>/<folder>.test.ts. Shared helpers live in test/support/. Tests that no
 *   single source file owns are listed below, each with its reason.
 * - every top-level folder and its main subfolders start their README.md by saying what they hold:
 *   hand-written, generated, committed or packaged. generated/ is described by one README (a README inside
 *   a generated folder would be shipped with it) that names each of its folders.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { repoRoot } from './support/paths';

const testRoot = path.join(repoRoot, 'test');
const srcRoot = path.join(repoRoot, 'src');

/** Tests that no single source file owns (path under test/, or a folder ending in /), and why. */
const CROSS_CUTTING: Record<string, string> = {
  'layout.test.ts': 'the layout of the whole repository (this file)',
  'model/coverage.test.ts': 'the specification against the whole model: every section maps to a procedure or a prose-only entry',
  'bridge/guarantees.test.ts': 'the bridge as a whole (session, pool, launcher, protocol) under the faults a user meets',
  'bridge/resilience.test.ts': 'sessions and pools together when PowerShell dies, hangs or is disposed',
  'bridge/framing.test.ts': 'values through a live session both ways: the protocol, the session and the dispatcher together',
  'bridge/vmm-bindings.test.ts': 'the generated TypeScript bindings (generated/typescript) through the bridge against the generated module',
  'bridge/fan-out.test.ts': 'the generated bindings and the module fanning out to library servers over SSH',
  'sign/generated-module.test.ts': 'signs the whole generated module (generated/VmmBackup) and has osslsigncode verify it',
  'release/ci-templates.test.ts': 'the CI templates in the top-level ci-templates/ folder, which has no source file',
  'support/tds-server/': 'tests of the SQL Server test double itself (test code, not src)',
};

/** Helper modules that may live outside test/support/, and why. */
const LOCAL_HELPERS: Record<string, string> = {
  'bridge/support.ts': 'the bridge tests’ own process probes and test module, used by no other folder',
};

const slash = (p: string) => p.split(path.sep).join('/');

function walk(dir: string, out: string[] = []): string[] {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) walk(full, out);
    else out.push(slash(path.relative(testRoot, full)));
  }
  return out;
}

const isFile = (p: string) => fs.statSync(p, { throwIfNoEntry: false })?.isFile() === true;
const listed = (key: string, rel: string) => (key.endsWith('/') ? rel.startsWith(key) : rel === key);
const crossCuttingReason = (rel: string) => Object.entries(CROSS_CUTTING).find(([key]) => listed(key, rel))?.[1];

/** The source a test file mirrors, or undefined when it mirrors none. */
function mirroredSource(rel: string, exists: (p: string) => boolean = (p) => isFile(path.join(repoRoot, p))): string | undefined {
  const stem = rel.replace(/\.test\.ts$/, '');
  const direct = [`src/${stem}.ts`, `src/${stem}.ps1`, `src/${stem}/index.ts`].find(exists);
  if (direct) return direct;
  const owner = path.posix.dirname(stem);
  if (owner === '.') return undefined;
  return [`src/${owner}.ts`, `src/${owner}.ps1`].find(exists);
}

const files = walk(testRoot);
const tests = files.filter((f) => f.endsWith('.test.ts'));

describe('test/ mirrors src/', () => {
  test('the mirror rule itself: a file, a file with several test files, a module folder, and nothing else', () => {
    const src = new Set(['src/cli/commands/db.ts', 'src/model/dsc/index.ts', 'src/bridge/index.ts', 'src/bridge/session.ts']);
    const exists = (p: string) => src.has(p);
    expect(mirroredSource('cli/commands/db.test.ts', exists)).toBe('src/cli/commands/db.ts');
    expect(mirroredSource('cli/commands/db/run.test.ts', exists)).toBe('src/cli/commands/db.ts');
    expect(mirroredSource('model/dsc.test.ts', exists)).toBe('src/model/dsc/index.ts');
    expect(mirroredSource('bridge/session.test.ts', exists)).toBe('src/bridge/session.ts');
    // A folder of src is not a file with several test files: test/bridge/<anything> does not mirror src/bridge.
    expect(mirroredSource('bridge/cli.test.ts', exists)).toBeUndefined();
    expect(mirroredSource('sql/cli.test.ts', exists)).toBeUndefined();
    expect(mirroredSource('cli/drill.test.ts', exists)).toBeUndefined();
  });

  test.each(tests)('%s mirrors a source file or is listed as cross-cutting', (rel) => {
    const reason = crossCuttingReason(rel);
    if (reason !== undefined) expect(reason).toMatch(/\w+ \w+ \w+/);
    else expect(`test/${rel} -> ${mirroredSource(rel) ?? 'no source file'}`).toMatch(/ -> src\//);
  });

  test('a source file has its tests in one place: test/<file>.test.ts or the folder test/<file>/, not both', () => {
    const both = tests.filter((rel) => {
      const stem = rel.replace(/\.test\.ts$/, '');
      return fs.statSync(path.join(testRoot, stem), { throwIfNoEntry: false })?.isDirectory() === true && isFile(path.join(srcRoot, `${stem}.ts`));
    });
    expect(both).toEqual([]);
  });

  test('every cross-cutting entry still names a test', () => {
    const stale = Object.keys(CROSS_CUTTING).filter((key) => !tests.some((rel) => listed(key, rel)));
    expect(stale).toEqual([]);
  });

  test('helper modules live in test/support/ (or are listed with their reason)', () => {
    const helpers = files.filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && !f.startsWith('support/'));
    expect(helpers.sort()).toEqual(Object.keys(LOCAL_HELPERS).sort());
  });
});

/** The folders whose README.md must say what they hold in its first line. */
function describedFolders(): string[] {
  const dirs = (rel: string) =>
    fs
      .readdirSync(path.join(repoRoot, rel), { withFileTypes: true })
      .filter((e) => e.isDirectory() && !e.name.startsWith('.') && e.name !== 'node_modules' && e.name !== 'dist')
      .map((e) => (rel === '.' ? e.name : `${rel}/${e.name}`));
  const top = dirs('.');
  return [...top, ...['src', 'templates', 'Pester'].flatMap(dirs)].sort();
}

const KIND = /\b(hand-written|generated|committed|packaged)\b/i;
const firstLine = (file: string) => fs.readFileSync(file, 'utf8').split(/\r?\n/, 1)[0];

describe('every folder says what it holds', () => {
  const folders = describedFolders();

  test('the folders checked include the design’s top-level ones and their main subfolders', () => {
    for (const f of ['src', 'templates', 'generated', 'Pester', 'test', 'bench', 'scripts', 'ci-templates', 'bin', 'src/cli', 'templates/cmdlets', 'Pester/Public']) expect(folders).toContain(f);
  });

  test.each(folders.filter((f) => f !== 'generated' && !f.startsWith('generated/')))('%s/README.md starts by saying hand-written, generated, committed or packaged', (folder) => {
    const readme = path.join(repoRoot, folder, 'README.md');
    expect({ folder, readme: isFile(readme) }).toEqual({ folder, readme: true });
    expect(firstLine(readme)).toMatch(KIND);
  });

  test('generated/README.md says generated, and names each generated folder with what it is', () => {
    const readme = path.join(repoRoot, 'generated', 'README.md');
    expect(firstLine(readme)).toMatch(/\bgenerated\b/i);
    const text = fs.readFileSync(readme, 'utf8');
    const subfolders = fs.readdirSync(path.join(repoRoot, 'generated'), { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name);
    expect(subfolders.length).toBeGreaterThan(3);
    for (const name of subfolders) expect({ name, line: text.split('\n').find((l) => l.startsWith(`| \`${name}/\``)) }).toEqual({ name, line: expect.stringMatching(KIND) });
  });

  test('.gitattributes marks generated/ as generated and keeps its line endings as committed', () => {
    const lines = fs.readFileSync(path.join(repoRoot, '.gitattributes'), 'utf8').split('\n');
    const rule = lines.find((l) => l.startsWith('generated/** '));
    expect(rule).toBeDefined();
    expect(rule?.split(/\s+/)).toEqual(expect.arrayContaining(['linguist-generated=true', '-text']));
  });
});
