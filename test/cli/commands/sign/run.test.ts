import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { makePki, type Pki } from '../../../support/pki';
import { osslVerifyFile } from '../../../support/oracle';
import { runCliProcessSync as cli } from '../../../support/child-process';

let pki: Pki;
let work: string;
let src: string;

beforeAll(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'vmm-sign-cli-'));
  pki = makePki(path.join(work, 'pki'));
  src = path.join(work, 'src');
  fs.mkdirSync(src);
  fs.writeFileSync(path.join(src, 'a.ps1'), 'Write-Output "a"\r\n');
  fs.writeFileSync(path.join(src, 'b.psm1'), 'function B { 2 }\n');
  fs.writeFileSync(path.join(src, 'c.psd1'), "@{ ModuleVersion = '1.0' }\r\n");
});

afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

test('sign with a PFX whose password comes from the environment, then verify (exit 0, per-file status)', () => {
  const out = path.join(work, 'out');
  const s = cli(['sign', src, '--out', out, '--pfx', pki.pfxAes, '--password-env', 'TEST_PFX_PASS', '--catalog', 'Test.cat'], { TEST_PFX_PASS: pki.pfxPassword });
  expect(s.stderr).toBe('');
  expect(s.code).toBe(0);
  expect(s.stdout).toContain('signed 3 file(s)');
  expect(s.stdout).not.toContain(pki.pfxPassword);
  for (const f of ['a.ps1', 'b.psm1', 'c.psd1', 'Test.cat']) expect(osslVerifyFile(path.join(out, f), pki.caPem).ok).toBe(true);
  const v = cli(['verify', out, '--ca', pki.caPem]);
  expect(v.code).toBe(0);
  expect(v.stdout.split('\n').filter(Boolean)).toEqual(['Valid  Test.cat', 'Valid  a.ps1', 'Valid  b.psm1', 'Valid  c.psd1']);
});

test('verify exits 1 and names HashMismatch / NotSigned; --json gives the same', () => {
  const out = path.join(work, 'out2');
  expect(cli(['sign', src, '--out', out, '--cert', pki.leafChainPem, '--key', pki.leafKey, '--hash', 'sha384']).code).toBe(0);
  const a = path.join(out, 'a.ps1');
  fs.writeFileSync(a, fs.readFileSync(a, 'utf8').replace('"a"', '"A"'));
  fs.writeFileSync(path.join(out, 'd.ps1'), 'Get-Date\r\n');
  const v = cli(['verify', out, '--ca', pki.caPem]);
  expect(v.code).toBe(1);
  expect(v.stdout).toMatch(/^HashMismatch\s+a\.ps1\s+the file content does not match the signed hash$/m);
  expect(v.stdout).toMatch(/^NotSigned\s+d\.ps1/m);
  expect(v.stdout).toMatch(/^Valid\s+b\.psm1$/m);
  const j = cli(['verify', out, '--ca', pki.caPem, '--json']);
  expect(j.code).toBe(1);
  const parsed = JSON.parse(j.stdout) as { files: { file: string; status: string; hash?: string }[] };
  expect(parsed.files.map((f) => [f.file, f.status])).toEqual([
    ['a.ps1', 'HashMismatch'],
    ['b.psm1', 'Valid'],
    ['c.psd1', 'Valid'],
    ['d.ps1', 'NotSigned'],
  ]);
  expect(parsed.files[1].hash).toBe('sha384');
});

test('--remove writes the files back without their signature blocks', () => {
  const signed = path.join(work, 'out3');
  const plain = path.join(work, 'plain');
  expect(cli(['sign', src, '--out', signed, '--cert', pki.leafPem, '--key', pki.leafKey]).code).toBe(0);
  expect(cli(['sign', signed, '--out', plain, '--remove']).code).toBe(0);
  expect(fs.readFileSync(path.join(plain, 'a.ps1'))).toEqual(fs.readFileSync(path.join(src, 'a.ps1')));
  expect(fs.readFileSync(path.join(plain, 'b.psm1'), 'utf8')).toBe('function B { 2 }\r\n');
});

test('clear errors: wrong password, missing variable, expired and non-code-signing certificates', () => {
  const out = path.join(work, 'bad');
  const wrong = cli(['sign', src, '--out', out, '--pfx', pki.pfxAes, '--password-env', 'P'], { P: 'nope' });
  expect(wrong.code).toBe(1);
  expect(wrong.stderr).toBe('vmm-backup: cannot load the signing key: wrong password for the PFX file (its integrity check failed)\n');
  const unset = cli(['sign', src, '--out', out, '--pfx', pki.pfxAes, '--password-env', 'UNSET_VAR_FOR_TEST']);
  expect(unset.stderr).toContain('environment variable UNSET_VAR_FOR_TEST is not set');
  const expired = cli(['sign', src, '--out', out, '--cert', pki.expiredPem, '--key', pki.expiredKey]);
  expect(expired.code).toBe(1);
  expect(expired.stderr).toMatch(/has expired \(valid until 2021-01-01/);
  const noEku = cli(['sign', src, '--out', out, '--cert', pki.noEkuPem, '--key', pki.noEkuKey]);
  expect(noEku.stderr).toMatch(/is not a code-signing certificate/);
  expect(fs.existsSync(out)).toBe(false);
});
