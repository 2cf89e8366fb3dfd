/** The sub-command modules stand alone: what two of them share lives in src/cli (terminal, options, errors), never in a command. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { repoRoot } from '../../support/paths';

const dir = path.join(repoRoot, 'src/cli/commands');
const modules = fs.readdirSync(dir).filter((f) => f.endsWith('.ts'));

/** The relative modules one source file imports, as written. */
function siblingImports(file: string): string[] {
  const text = fs.readFileSync(path.join(dir, file), 'utf8');
  return [...text.matchAll(/\bfrom\s+'(\.\/[^']+)'|\bimport\(\s*'(\.\/[^']+)'\s*\)|\brequire\(\s*'(\.\/[^']+)'\s*\)/g)].map((m) => m[1] ?? m[2] ?? m[3]);
}

test('the command folder holds the command modules and their index', () => {
  expect(modules).toContain('index.ts');
  expect(modules.length).toBeGreaterThan(5);
});

test.each(modules.filter((f) => f !== 'index.ts'))('%s imports no other command', (file) => {
  expect(siblingImports(file)).toEqual([]);
});

test('only the index gathers the commands, one import per command module', () => {
  const commands = modules.filter((f) => f !== 'index.ts').map((f) => `./${f.replace(/\.ts$/, '')}`);
  expect(siblingImports('index.ts').sort()).toEqual(commands.sort());
});
