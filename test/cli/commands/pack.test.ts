/**
 * `vmm-backup pack` under bad input: a file where the module folder is expected, an output inside the module
 * (also through a link), a link inside the output folder: exit 2, nothing written.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { corpus, thenFile, thenLink } from '../../support/cli-corpus';

/** An unsigned module Demo/ (pack needs --allow-unsigned for it), and elsewhere/ for links to point at. */
function demo(work: string): void {
  const dir = path.join(work, 'Demo');
  fs.mkdirSync(dir);
  fs.writeFileSync(path.join(dir, 'Demo.psd1'), "@{ ModuleVersion = '1.2.3'; GUID = '00000000-0000-0000-0000-000000000001'; Author = 'x'; Description = 'y'; FunctionsToExport = @('Get-Demo'); RootModule = 'Demo.psm1' }\r\n");
  fs.writeFileSync(path.join(dir, 'Demo.psm1'), 'function Get-Demo { 1 }\r\n');
  fs.mkdirSync(path.join(work, 'elsewhere'));
  fs.writeFileSync(path.join(work, 'elsewhere', 'SHA256SUMS'), 'keep me\n');
}

corpus('vmm-cli-pack-', [
  { name: 'a module folder that does not exist', argv: ['pack', '{work}/Nope', '--out', '{work}/out'], code: 2, kind: 'NotFound', message: /^pack: no module folder at \/.+\/Nope$/ },
  {
    name: 'a file given as the module folder says so',
    argv: ['pack', '{work}/Demo/Demo.psd1', '--out', '{work}/out', '--allow-unsigned'],
    setup: demo,
    code: 2,
    kind: 'NotAFolder',
    message: /^pack: \/.+\/Demo\/Demo\.psd1 is a file; the module folder \(named like the module, holding <Name>\.psd1\) is expected$/,
  },
  { name: '--out inside the module folder', argv: ['pack', '{work}/Demo', '--out', '{work}/Demo/pkg', '--allow-unsigned'], setup: demo, code: 2, kind: 'Overlap', message: /^pack: the output folder \/.+\/Demo\/pkg is inside the module folder \/.+\/Demo; choose an output folder outside it$/ },
  {
    name: '--out through a link into the module folder',
    argv: ['pack', '{work}/Demo', '--out', '{work}/into-demo/pkg', '--allow-unsigned'],
    setup: thenLink(demo, 'into-demo', 'Demo'),
    code: 2,
    kind: 'Overlap',
    message: /^pack: the output folder \/.+\/into-demo\/pkg is inside the module folder \/.+\/Demo \(it resolves to \/.+\/Demo\/pkg\)/,
  },
  {
    name: '--out is a file',
    argv: ['pack', '{work}/Demo', '--out', '{work}/out.txt', '--allow-unsigned'],
    setup: thenFile(demo, 'out.txt'),
    code: 2,
    kind: 'NotAFolder',
    message: /^pack: the output folder \/.+\/out\.txt is a file; a folder is expected$/,
  },
  {
    name: 'SHA256SUMS in the output folder is a link: not followed',
    argv: ['pack', '{work}/Demo', '--out', '{work}/out', '--allow-unsigned'],
    setup: thenLink(demo, 'out/SHA256SUMS', 'elsewhere/SHA256SUMS'),
    code: 2,
    kind: 'LinkInDestination',
    message: /^pack: refusing to write through the link \/.+\/out\/SHA256SUMS \(it points to \/.+\/elsewhere\/SHA256SUMS\)/,
  },
  { name: 'an unsigned module without --allow-unsigned: exit 1', argv: ['pack', '{work}/Demo', '--out', '{work}/out'], setup: demo, code: 1, kind: 'PackRefused', message: /^pack: refusing to pack an unsigned module: 2 file\(s\) have no signature/ },
  {
    name: 'a folder without its manifest: exit 1',
    argv: ['pack', '{work}/elsewhere', '--out', '{work}/out', '--allow-unsigned'],
    setup: demo,
    code: 1,
    kind: 'PackRefused',
    message: /^pack: \/.+\/elsewhere has no manifest elsewhere\.psd1 \(the folder must be named like the module\)$/,
  },
  {
    name: 'a good unsigned test package writes only into the output folder',
    argv: ['pack', '{work}/Demo', '--out', '{work}/out', '--allow-unsigned'],
    setup: demo,
    code: 0,
    mayChange: 'out',
    check: (run, w) => {
      expect(JSON.parse(run.stdout)).toMatchObject({ id: 'Demo', version: '1.2.3' });
      expect(fs.readdirSync(path.join(w, 'out')).sort()).toEqual(['Demo.1.2.3.nupkg', 'SHA256SUMS']);
    },
  },
]);
