import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { makePki, type Pki } from '../support/pki';
import { osslVerifyFile, osslsigncode } from '../support/oracle';
import { rng } from '../support/tamper';
import { parse } from '../../src/sign/asn1';
import { Certificate, catalogEntries, loadPem, readCatalogMembers, signPath, verifyCatalog, verifyPath, type Signer } from '../../src/sign';

let pki: Pki;
let work: string;
let signer: Signer;
let roots: Certificate[];
let out: string;
let catalog: Buffer;

beforeAll(async () => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'vmm-cat-test-'));
  pki = makePki(path.join(work, 'pki'));
  signer = loadPem(pki.leafPem, pki.leafKey);
  roots = Certificate.fromPem(fs.readFileSync(pki.caPem, 'utf8'));
  const src = path.join(work, 'Module');
  fs.mkdirSync(path.join(src, 'Public'), { recursive: true });
  fs.mkdirSync(path.join(src, 'en-US'), { recursive: true });
  fs.writeFileSync(path.join(src, 'Module.psd1'), "@{ RootModule = 'Module.psm1'; ModuleVersion = '1.0.0' }\r\n");
  fs.writeFileSync(path.join(src, 'Module.psm1'), 'Get-ChildItem $PSScriptRoot\\Public\\*.ps1 | ForEach-Object { . $_.FullName }\r\n');
  fs.writeFileSync(path.join(src, 'Public', 'Get-Thing.ps1'), 'function Get-Thing { "thing" }\n');
  fs.writeFileSync(path.join(src, 'en-US', 'about_Module.help.txt'), 'TOPIC\r\n    about_Module\r\n');
  out = path.join(work, 'signed', 'Module');
  const results = await signPath(src, out, signer, { catalog: 'Module.cat', catalogDate: new Date('2026-01-02T03:04:05Z') });
  expect(results.map((r) => `${r.action} ${r.file}`)).toEqual([
    'signed Module.psd1',
    'signed Module.psm1',
    'signed Public/Get-Thing.ps1',
    'copied en-US/about_Module.help.txt',
    'catalog Module.cat',
  ]);
  catalog = fs.readFileSync(path.join(out, 'Module.cat'));
});

afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

test('the catalog is PKCS#7 SignedData over a CTL listing every file, and osslsigncode verifies its signature', () => {
  const root = parse(catalog);
  expect(root.child(1).child(0).child(2).child(0).oid).toBe('1.3.6.1.4.1.311.10.1');
  expect(readCatalogMembers(catalog).map((m) => m.path).sort()).toEqual(['Module.psd1', 'Module.psm1', 'Public\\Get-Thing.ps1', 'en-US\\about_Module.help.txt']);
  const r = osslVerifyFile(path.join(out, 'Module.cat'), pki.caPem);
  expect(r.output).toMatch(/Signature verification: ok/);
  expect(r.ok).toBe(true);
});

test('osslsigncode finds each signed file in the catalog', () => {
  for (const f of ['Module.psd1', 'Module.psm1', 'Public/Get-Thing.ps1', 'en-US/about_Module.help.txt']) {
    const r = osslsigncode(['verify', '-CAfile', pki.caPem, '-catalog', path.join(out, 'Module.cat'), '-in', path.join(out, f)]);
    if (f.endsWith('.txt')) expect(r.output).toMatch(/Unrecognized file type|Failed/);
    else expect({ f, ok: r.ok }).toEqual({ f, ok: true });
  }
});

test('our verifier checks the catalog signature and every member', () => {
  expect(verifyCatalog(catalog, { roots }, catalogEntries(out, 'Module.cat'))).toMatchObject({ status: 'Valid', mismatches: [] });
  const entries = catalogEntries(out, 'Module.cat');
  entries[1] = { ...entries[1], bytes: Buffer.concat([entries[1].bytes, Buffer.from(' ')]) };
  entries.push({ path: 'extra.ps1', bytes: Buffer.from('1') });
  const r = verifyCatalog(catalog, { roots }, entries);
  expect(r.status).toBe('HashMismatch');
  expect(r.mismatches).toEqual([`${entries[1].path}: hash differs`, 'extra.ps1: not in the catalog']);
  const all = verifyPath(out, { roots });
  expect(all.map((x) => `${x.status} ${x.file}`)).toEqual([
    'Valid Module.cat',
    'Valid Module.psd1',
    'Valid Module.psm1',
    'Valid Public/Get-Thing.ps1',
  ]);
});

test('single-byte tampering of what the catalog signature covers is rejected by both verifiers', () => {
  const sd = parse(catalog).child(1).child(0);
  const ctl = sd.child(2).child(1).child(0);
  const si = sd.children[sd.children.length - 1].child(0);
  const ranges = [
    [ctl.start, ctl.end],
    [sd.child(3).child(0).start, sd.child(3).child(0).end],
    [si.child(3).start, si.child(3).end],
    [si.child(5).valueStart, si.child(5).end],
  ];
  const next = rng(42);
  const failures: string[] = [];
  for (let i = 0; i < 24; i++) {
    const [s, e] = ranges[i % ranges.length];
    const off = s + Math.floor(next() * (e - s));
    const t = Buffer.from(catalog);
    t[off] ^= 1 + Math.floor(next() * 255);
    if (verifyCatalog(t, { roots }).status === 'Valid') failures.push(`ours accepted @${off}`);
    const file = path.join(work, `t${i}.cat`);
    fs.writeFileSync(file, t);
    if (osslVerifyFile(file, pki.caPem).ok) failures.push(`osslsigncode accepted @${off}`);
  }
  expect(failures).toEqual([]);
});
