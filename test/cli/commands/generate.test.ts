/**
 * `vmm-backup generate --out`: it writes into a new or empty folder, or one it wrote before (its record), and
 * removes only files it wrote; a user's own files are never removed, a foreign folder is refused, and a link
 * inside the output folder is not followed.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { corpus } from '../../support/cli-corpus';
import { GENERATED_RECORD } from '../../../src/emit/write';

const HEADER = '# Files written by `vmm-backup generate` into this folder. It removes only files listed here. Do not edit.';

/** A user's own files in folders generate fills (schemas/, runbook/, typescript/). */
function usersFiles(out: string): void {
  for (const [rel, text] of [
    ['schemas/mine.json', '{"mine":true}'],
    ['runbook/notes.md', '# my notes'],
    ['typescript/extra.ts', 'export const mine = 1;'],
  ]) {
    fs.mkdirSync(path.dirname(path.join(out, rel)), { recursive: true });
    fs.writeFileSync(path.join(out, rel), text);
  }
}

corpus('vmm-cli-generate-', [
  {
    name: 'a foreign non-empty folder is refused and keeps every file',
    argv: ['generate', '--out', '{work}/out'],
    setup: (w) => usersFiles(path.join(w, 'out')),
    code: 2,
    kind: 'ForeignFolder',
    message: /^generate: refusing to generate into \/.+\/out: it holds 3 file\(s\) that generate did not write \(runbook\/notes\.md, schemas\/mine\.json, typescript\/extra\.ts\) and no record \(\.vmm-backup-generated\) of an earlier generation; choose an empty or new folder$/,
  },
  {
    name: '--out is a file',
    argv: ['generate', '--out', '{work}/out.txt'],
    setup: (w) => fs.writeFileSync(path.join(w, 'out.txt'), 'mine'),
    code: 2,
    kind: 'NotAFolder',
    message: /^generate: the output folder \/.+\/out\.txt is a file; a folder is expected$/,
  },
  { name: 'an empty --out', argv: ['generate', '--out', ''], code: 2, kind: 'BadInput', message: '--out needs a value' },
  {
    name: 'with a record: a file generate wrote and no longer produces is removed, a user file is left alone',
    argv: ['generate', '--out', '{work}/out'],
    setup: (w) => {
      const out = path.join(w, 'out');
      fs.mkdirSync(path.join(out, 'VmmBackup', 'Public'), { recursive: true });
      fs.writeFileSync(path.join(out, 'VmmBackup', 'Public', 'Old-VmmThing.ps1'), '# generated earlier');
      fs.writeFileSync(path.join(out, GENERATED_RECORD), `${HEADER}\nVmmBackup/Public/Old-VmmThing.ps1\n`);
      usersFiles(out);
    },
    code: 0,
    mayChange: 'out',
    check: (run, w) => {
      const report = JSON.parse(run.stdout) as { removed: string[]; kept: string[]; written: string[]; files: number };
      expect(report.removed).toEqual(['VmmBackup/Public/Old-VmmThing.ps1']);
      expect(report.kept).toEqual(['runbook/notes.md', 'schemas/mine.json', 'typescript/extra.ts']);
      expect(report.written).toHaveLength(report.files);
      expect(fs.readFileSync(path.join(w, 'out', 'schemas', 'mine.json'), 'utf8')).toBe('{"mine":true}');
      expect(fs.readFileSync(path.join(w, 'out', 'runbook', 'notes.md'), 'utf8')).toBe('# my notes');
      expect(fs.readFileSync(path.join(w, 'out', 'typescript', 'extra.ts'), 'utf8')).toBe('export const mine = 1;');
      expect(fs.existsSync(path.join(w, 'out', 'VmmBackup', 'Public', 'Old-VmmThing.ps1'))).toBe(false);
      const record = fs.readFileSync(path.join(w, 'out', GENERATED_RECORD), 'utf8').split('\n');
      expect(record[0]).toBe(HEADER);
      expect(record).toContain('VmmBackup/VmmBackup.psd1');
      expect(record).not.toContain('schemas/mine.json');
    },
  },
  {
    name: 'a record that lists a path outside the folder is not trusted: the folder is foreign',
    argv: ['generate', '--out', '{work}/out'],
    setup: (w) => {
      const out = path.join(w, 'out');
      fs.mkdirSync(out);
      fs.writeFileSync(path.join(out, GENERATED_RECORD), `${HEADER}\n../victim.txt\n`);
      fs.writeFileSync(path.join(w, 'victim.txt'), 'keep me');
      fs.writeFileSync(path.join(out, 'mine.md'), 'mine');
    },
    code: 2,
    kind: 'ForeignFolder',
    message: /it holds 1 file\(s\) that generate did not write \(mine\.md\)/,
  },
  {
    name: 'a link inside the output folder is not followed',
    argv: ['generate', '--out', '{work}/out'],
    setup: (w) => {
      const out = path.join(w, 'out');
      fs.mkdirSync(out);
      fs.mkdirSync(path.join(w, 'elsewhere'));
      fs.writeFileSync(path.join(w, 'elsewhere', 'keep.txt'), 'keep me');
      fs.writeFileSync(path.join(out, GENERATED_RECORD), `${HEADER}\n`);
      fs.symlinkSync(path.join(w, 'elsewhere'), path.join(out, 'VmmBackup'));
    },
    code: 2,
    kind: 'LinkInDestination',
    message: /^generate: refusing to write through the link \/.+\/out\/VmmBackup \(it points to \/.+\/elsewhere\) inside \/.+\/out: remove the link or choose another folder$/,
    mayChange: 'out',
    check: (_run, w) => expect(fs.readdirSync(path.join(w, 'elsewhere'))).toEqual(['keep.txt']),
  },
]);
