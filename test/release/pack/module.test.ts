/**
 * The gallery package: the whole generated module signed with a throw-away certificate, packed, then
 * opened three ways — this package's ZIP reader, Info-ZIP's `unzip`, and PowerShell's own gallery client
 * (PSResourceGet: Find-PSResource and Save-PSResource from a local repository).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { makePki, type Pki } from '../../support/pki';
import { runCliProcessSync } from '../../support/child-process';
import { repoRoot } from '../../support/paths';
import { loadPfx, signPath } from '../../../src/sign';
import {
  buildNupkg,
  buildNuspec,
  DEFAULT_ENTRY_TIME,
  findPwsh,
  galleryTags,
  normalizeVersion,
  packModule,
  readModuleManifest,
  readZip,
  writeZip,
  type ModuleManifest,
} from '../../../src/release';

const generated = path.join(repoRoot, 'generated/VmmBackup');
let work: string;
let pki: Pki;
let signedDir: string;

beforeAll(async () => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'vmm-pack-'));
  pki = makePki(path.join(work, 'pki'));
  signedDir = path.join(work, 'signed', 'VmmBackup');
  await signPath(generated, signedDir, loadPfx(pki.pfxAes, pki.pfxPassword), { catalog: 'VmmBackup.cat' });
}, 120000);

afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

function filesOf(dir: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  const walk = (rel: string) => {
    for (const e of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const child = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(child);
      else out.set(child, fs.readFileSync(path.join(dir, child)));
    }
  };
  walk('');
  return out;
}

/** Elements of the nuspec metadata, read by PowerShell's XML parser (not by this package's code). */
function nuspecByPwsh(xml: string): Record<string, string> {
  const file = path.join(work, `nuspec-${crypto.randomUUID()}.xml`);
  fs.writeFileSync(file, xml);
  const script =
    "$x = [xml](Get-Content -Raw -LiteralPath $env:NUSPEC_FILE); $h = [ordered]@{ ns = $x.DocumentElement.NamespaceURI }; " +
    'foreach ($n in $x.package.metadata.ChildNodes) { $h[$n.LocalName] = $n.InnerText }; $h | ConvertTo-Json -Compress';
  const out = execFileSync(findPwsh(), ['-NoProfile', '-NonInteractive', '-Command', script], { encoding: 'utf8', env: { ...process.env, NUSPEC_FILE: file } });
  return JSON.parse(out) as Record<string, string>;
}

describe('packing the signed generated module', () => {
  let result: ReturnType<typeof packModule>;
  let outDir: string;

  beforeAll(() => {
    outDir = path.join(work, 'out');
    result = packModule({ moduleDir: signedDir, outDir, caFile: pki.caPem });
  }, 60000);

  test('the package holds the nuspec, every signed file byte for byte, and the OPC parts, in a fixed order', () => {
    const manifest = readModuleManifest(path.join(generated, 'VmmBackup.psd1'));
    expect(path.basename(result.nupkg)).toBe(`VmmBackup.${manifest.version}.nupkg`);
    const entries = readZip(fs.readFileSync(result.nupkg));
    const names = entries.map((e) => e.name);
    const signed = filesOf(signedDir);
    const moduleNames = [...signed.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    expect(signed.has('VmmBackup.cat')).toBe(true);
    expect(names[0]).toBe('VmmBackup.nuspec');
    expect(names.slice(1, 1 + moduleNames.length)).toEqual(moduleNames);
    expect(names.slice(1 + moduleNames.length, -1)).toEqual(['_rels/.rels', expect.stringMatching(/^package\/services\/metadata\/core-properties\/[0-9a-f]{32}\.psmdcp$/)]);
    expect(names.at(-1)).toBe('[Content_Types].xml');
    for (const e of entries.slice(1, 1 + moduleNames.length)) expect(e.data.equals(signed.get(e.name)!)).toBe(true);
    for (const e of entries) expect(e.modified).toEqual({ year: 2000, month: 1, day: 1, hour: 0, minute: 0, second: 0 });
    expect(result.signed.unsigned).toEqual([]);
    expect(result.signed.valid).toBeGreaterThan(60);
  });

  test('nuspec fields come from the manifest, with the tags Publish-Module adds', () => {
    const manifest = readModuleManifest(path.join(signedDir, 'VmmBackup.psd1'));
    const nuspec = readZip(fs.readFileSync(result.nupkg))[0].data.toString('utf8');
    const fields = nuspecByPwsh(nuspec);
    expect(fields).toMatchObject({
      ns: 'http://schemas.microsoft.com/packaging/2011/08/nuspec.xsd',
      id: 'VmmBackup',
      version: manifest.version,
      authors: manifest.author,
      owners: manifest.companyName,
      description: manifest.description,
      releaseNotes: manifest.releaseNotes,
      projectUrl: manifest.projectUri,
      licenseUrl: manifest.licenseUri,
      copyright: manifest.copyright,
      requireLicenseAcceptance: 'false',
    });
    const tags = fields.tags.split(' ');
    expect(tags.slice(0, manifest.tags.length)).toEqual(manifest.tags);
    expect(tags).toContain('PSModule');
    expect(tags).toContain('PSIncludes_Function');
    expect(tags).toContain('PSIncludes_DscResource');
    for (const f of manifest.functions) {
      expect(tags).toContain(`PSFunction_${f}`);
      expect(tags).toContain(`PSCommand_${f}`);
    }
    expect(manifest.dscResources).toEqual(['VmmDatabaseBackup', 'VmmRegistryBackup', 'VmmLibraryBackup', 'VmmBackupPlan']);
    for (const d of manifest.dscResources) expect(tags).toContain(`PSDscResource_${d}`);
    expect(tags.filter((t) => t.startsWith('PSFunction_'))).toHaveLength(manifest.functions.length);
  });

  test('OPC parts: relationships point at the nuspec and the core properties; content types cover every extension', () => {
    const entries = readZip(fs.readFileSync(result.nupkg));
    const get = (n: string) => entries.find((e) => e.name === n)!.data.toString('utf8');
    const psmdcpName = entries.find((e) => e.name.endsWith('.psmdcp'))!.name;
    const rels = get('_rels/.rels');
    expect(rels).toContain('Type="http://schemas.microsoft.com/packaging/2010/07/manifest" Target="/VmmBackup.nuspec"');
    expect(rels).toContain(`Target="/${psmdcpName}"`);
    const psmdcp = get(psmdcpName);
    expect(psmdcp).toContain('<dc:identifier>VmmBackup</dc:identifier>');
    expect(psmdcp).toMatch(/<version>\d+\.\d+\.\d+<\/version>/);
    const types = get('[Content_Types].xml');
    const exts = new Set(entries.map((e) => e.name.split('/').pop()!).filter((b) => b.includes('.')).map((b) => b.slice(b.lastIndexOf('.') + 1).toLowerCase()));
    for (const ext of exts) {
      if (ext === 'xml' && ![...entries].some((e) => e.name.endsWith('.xml') && e.name !== '[Content_Types].xml')) continue;
      expect(types).toContain(`<Default Extension="${ext}"`);
    }
    expect(types).toContain('<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml" />');
    expect(types).toContain('<Default Extension="psmdcp" ContentType="application/vnd.openxmlformats-package.core-properties+xml" />');
  });

  test('SHA256SUMS holds the package hash in sha256sum format; unzip finds no error', () => {
    const sums = fs.readFileSync(result.sumsFile, 'utf8');
    const hash = crypto.createHash('sha256').update(fs.readFileSync(result.nupkg)).digest('hex');
    expect(sums).toBe(`${hash}  ${path.basename(result.nupkg)}\n`);
    expect(execFileSync('sha256sum', ['-c', 'SHA256SUMS'], { cwd: outDir, encoding: 'utf8' })).toBe(`${path.basename(result.nupkg)}: OK\n`);
    const t = execFileSync('unzip', ['-t', result.nupkg], { encoding: 'utf8' });
    expect(t).toContain('No errors detected');
    const p = execFileSync('unzip', ['-p', result.nupkg, 'VmmBackup.psd1']);
    expect(p.equals(fs.readFileSync(path.join(signedDir, 'VmmBackup.psd1')))).toBe(true);
  });

  test('PowerShell gallery client (PSResourceGet) finds the package in a local repository and saves the module', () => {
    const home = path.join(work, 'home');
    const save = path.join(work, 'saved');
    // PSResourceGet keeps its repository list under LocalApplicationData, which .NET resolves only when the
    // folder exists (else to '', i.e. the working directory): make it, and run inside the temporary folder.
    fs.mkdirSync(path.join(home, 'data'), { recursive: true });
    fs.mkdirSync(path.join(home, 'config'), { recursive: true });
    fs.mkdirSync(save, { recursive: true });
    const script = [
      "$ErrorActionPreference = 'Stop'",
      'Register-PSResourceRepository -Name VmmPackTest -Uri $env:REPO_DIR -Trusted',
      '$r = Find-PSResource -Name VmmBackup -Repository VmmPackTest',
      'Save-PSResource -Name VmmBackup -Repository VmmPackTest -Path $env:SAVE_DIR -TrustRepository -SkipDependencyCheck',
      '$m = Test-ModuleManifest -Path (Get-ChildItem -Recurse -Filter VmmBackup.psd1 -LiteralPath $env:SAVE_DIR).FullName',
      '[pscustomobject]@{ Name = $r.Name; Version = [string]$r.Version; Type = [string]$r.Type; Author = $r.Author; Tags = @($r.Tags);',
      '  ProjectUri = [string]$r.ProjectUri; Exported = @($m.ExportedFunctions.Keys | Sort-Object) } | ConvertTo-Json -Depth 4',
    ].join('\n');
    const r = spawnSync(findPwsh(), ['-NoProfile', '-NonInteractive', '-Command', script], {
      encoding: 'utf8',
      cwd: home,
      env: { ...process.env, HOME: home, XDG_DATA_HOME: path.join(home, 'data'), XDG_CONFIG_HOME: path.join(home, 'config'), REPO_DIR: outDir, SAVE_DIR: save, NO_COLOR: '1' },
      timeout: 120000,
    });
    expect(r.stderr).toBe('');
    expect(fs.existsSync(path.join(home, 'data', 'PSResourceGet', 'PSResourceRepository.xml'))).toBe(true);
    const found = JSON.parse(r.stdout) as { Name: string; Version: string; Type: string; Author: string; Tags: string[]; ProjectUri: string; Exported: string[] };
    const manifest = readModuleManifest(path.join(signedDir, 'VmmBackup.psd1'));
    expect(found).toMatchObject({ Name: 'VmmBackup', Version: manifest.version, Type: 'Module', Author: manifest.author, ProjectUri: manifest.projectUri });
    expect(found.Tags).toEqual(expect.arrayContaining(manifest.tags));
    expect(found.Exported).toEqual([...manifest.functions].sort((a, b) => a.localeCompare(b, 'en', { sensitivity: 'base' })));
    // The saved module is the signed one, byte for byte.
    const savedRoot = path.join(save, 'VmmBackup', normalizeVersion(manifest.version));
    for (const [rel, data] of filesOf(signedDir)) expect(fs.readFileSync(path.join(savedRoot, rel)).equals(data)).toBe(true);
  }, 120000);

  test('packing again gives the same bytes; SOURCE_DATE_EPOCH moves every time stamp', () => {
    const again = packModule({ moduleDir: signedDir, outDir: path.join(work, 'again') });
    expect(fs.readFileSync(again.nupkg).equals(fs.readFileSync(result.nupkg))).toBe(true);
    expect(again.sha256).toBe(result.sha256);
    process.env.SOURCE_DATE_EPOCH = String(Date.UTC(2026, 10, 27, 12, 30, 44) / 1000);
    try {
      const later = packModule({ moduleDir: signedDir, outDir: path.join(work, 'later') });
      expect(later.sha256).not.toBe(result.sha256);
      for (const e of readZip(fs.readFileSync(later.nupkg))) expect(e.modified).toEqual({ year: 2026, month: 11, day: 27, hour: 12, minute: 30, second: 44 });
    } finally {
      delete process.env.SOURCE_DATE_EPOCH;
    }
  }, 60000);
});

test('npm run pack reads the folder npm run sign writes, and writes dist/nupkg', () => {
  const scripts = (JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
  const signOut = /--out (\S+)/.exec(scripts.sign)?.[1];
  expect(signOut).toBe('dist/signed/VmmBackup');
  expect(scripts.pack).toBe(`node bin/vmm-backup.js pack ${signOut} --out dist/nupkg`);
});

describe('refusals', () => {
  test('an unsigned module is refused unless --allow-unsigned; the CLI exits 1 and says what to do', () => {
    const out = path.join(work, 'unsigned');
    expect(() => packModule({ moduleDir: generated, outDir: out })).toThrow(/refusing to pack an unsigned module: \d+ file\(s\) have no signature .*run npm run sign first, or pass --allow-unsigned/);
    expect(fs.existsSync(out)).toBe(false);
    const cli = runCliProcessSync(['pack', generated, '--out', out]);
    expect(cli.code).toBe(1);
    expect(cli.stderr).toMatch(/^vmm-backup: pack: refusing to pack an unsigned module/);
    const allowed = runCliProcessSync(['pack', generated, '--out', out, '--allow-unsigned', '--json']);
    expect(allowed.code).toBe(0);
    const parsed = JSON.parse(allowed.stdout) as { id: string; signed: { unsigned: string[] }; nupkg: string };
    expect(parsed.id).toBe('VmmBackup');
    expect(parsed.signed.unsigned).toContain('VmmBackup.psd1');
    expect(fs.existsSync(parsed.nupkg)).toBe(true);
  }, 60000);

  test('a signed file changed after signing is refused even with --allow-unsigned', () => {
    const copy = path.join(work, 'tampered', 'VmmBackup');
    fs.cpSync(signedDir, copy, { recursive: true });
    const file = path.join(copy, 'Public', 'Get-VmmChecklist.ps1');
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('function', 'Function'));
    expect(() => packModule({ moduleDir: copy, outDir: path.join(work, 'tampered-out'), allowUnsigned: true })).toThrow(/Public\/Get-VmmChecklist\.ps1 is HashMismatch/);
  });

  test('a chain that does not lead to the given CA is refused', () => {
    const otherCa = path.join(work, 'other-ca.pem');
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', path.join(work, 'other-ca.key'), '-out', otherCa, '-subj', '/CN=Other CA', '-days', '2'], { stdio: 'ignore' });
    expect(() => packModule({ moduleDir: signedDir, outDir: path.join(work, 'other'), caFile: otherCa })).toThrow(/is NotTrusted/);
  });

  test('a folder without its manifest, and a missing folder, are refused with a reason', () => {
    const empty = path.join(work, 'Empty');
    fs.mkdirSync(empty, { recursive: true });
    expect(() => packModule({ moduleDir: empty, outDir: path.join(work, 'x') })).toThrow('has no manifest Empty.psd1');
    expect(() => packModule({ moduleDir: path.join(work, 'signed', 'Nope'), outDir: path.join(work, 'x') })).toThrow(/no module folder .*run npm run sign first/);
  });
});

function manifest(extra: Partial<ModuleManifest> = {}): ModuleManifest {
  return {
    name: 'Demo', version: '1.2', guid: '00000000-0000-0000-0000-000000000001', author: 'A & B <ab@example.com>', companyName: '', copyright: '',
    description: 'Says "hi" & <bye>', functions: ['Get-Demo'], cmdlets: ['Get-Native'], aliases: ['gd'], dscResources: [], requiredModules: [],
    tags: ['Demo'], requireLicenseAcceptance: false, ...extra,
  };
}

describe('nuspec and parts from a synthetic manifest', () => {
  test('escaping, owners default, versions, dependencies and tag order', () => {
    const m = manifest({
      prerelease: 'beta1',
      requiredModules: [{ name: 'Pester', requiredVersion: '5.7.1' }, { name: 'Range', minimumVersion: '1.0', maximumVersion: '2.0' }, { name: 'Max', maximumVersion: '3.0' }, { name: 'Min', minimumVersion: '0.9' }, { name: 'Any' }],
    });
    const fields = nuspecByPwsh(buildNuspec(m));
    expect(fields).toMatchObject({ id: 'Demo', version: '1.2.0-beta1', authors: 'A & B <ab@example.com>', owners: 'A & B <ab@example.com>', description: 'Says "hi" & <bye>' });
    expect(fields.copyright).toBeUndefined();
    expect(buildNuspec(m)).toContain('<dependency id="Pester" version="[5.7.1]" />');
    expect(buildNuspec(m)).toContain('<dependency id="Range" version="[1.0,2.0]" />');
    expect(buildNuspec(m)).toContain('<dependency id="Max" version="(,3.0]" />');
    expect(buildNuspec(m)).toContain('<dependency id="Min" version="0.9" />');
    expect(buildNuspec(m)).toContain('<dependency id="Any" />');
    expect(galleryTags(m)).toEqual(['Demo', 'PSModule', 'PSIncludes_Cmdlet', 'PSCmdlet_Get-Native', 'PSIncludes_Function', 'PSFunction_Get-Demo', 'PSCommand_Get-Native', 'PSCommand_Get-Demo', 'PSCommand_gd']);
    expect(normalizeVersion('1.0.0.0')).toBe('1.0.0');
    expect(normalizeVersion('01.2.3.4')).toBe('1.2.3.4');
    expect(() => normalizeVersion('1.0', 'beta-1')).toThrow('letters and digits only');
    expect(() => galleryTags(manifest({ tags: ['two words'] }))).toThrow('white space');
  });

  test('file names are part-encoded, files without an extension get an Override, reserved names are refused', () => {
    const built = buildNupkg(manifest(), [
      { path: 'Demo.psd1', data: Buffer.from('@{}') },
      { path: 'docs/read me.md', data: Buffer.from('x') },
      { path: 'LICENSE', data: Buffer.from('MIT') },
    ], DEFAULT_ENTRY_TIME);
    expect(built.fileName).toBe('Demo.1.2.0.nupkg');
    const entries = readZip(built.bytes);
    expect(entries.map((e) => e.name)).toContain('docs/read%20me.md');
    const types = entries.find((e) => e.name === '[Content_Types].xml')!.data.toString();
    expect(types).toContain('<Override PartName="/LICENSE" ContentType="application/octet" />');
    expect(types).toContain('<Default Extension="md" ContentType="application/octet" />');
    expect(() => buildNupkg(manifest(), [{ path: '_rels/x.rels', data: Buffer.alloc(1) }], DEFAULT_ENTRY_TIME)).toThrow('reserves');
    expect(() => buildNupkg(manifest(), [{ path: 'Demo.nuspec', data: Buffer.alloc(1) }], DEFAULT_ENTRY_TIME)).toThrow('reserves');
  });

  test('readModuleManifest refuses wildcard exports and reports missing required fields', () => {
    const dir = path.join(work, 'manifests');
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'Wild.psd1'), "@{ ModuleVersion = '1.0'; GUID = '00000000-0000-0000-0000-000000000002'; Author = 'x'; Description = 'y'; FunctionsToExport = '*' }");
    expect(() => readModuleManifest(path.join(dir, 'Wild.psd1'))).toThrow('FunctionsToExport uses a wildcard');
    fs.writeFileSync(path.join(dir, 'Bare.psd1'), "@{ ModuleVersion = '1.0' }");
    expect(() => readModuleManifest(path.join(dir, 'Bare.psd1'))).toThrow('lacks GUID, Author, Description');
    fs.writeFileSync(path.join(dir, 'One.psd1'), "@{ ModuleVersion = '2.0'; GUID = '00000000-0000-0000-0000-000000000003'; Author = 'x'; Description = 'y'; FunctionsToExport = 'Get-One'; RequiredModules = @('A', @{ ModuleName = 'B'; ModuleVersion = '1.1' }); PrivateData = @{ PSData = @{ Tags = 'solo'; Prerelease = 'rc1' } } }");
    expect(readModuleManifest(path.join(dir, 'One.psd1'))).toMatchObject({
      name: 'One', version: '2.0', prerelease: 'rc1', functions: ['Get-One'], tags: ['solo'], requiredModules: [{ name: 'A' }, { name: 'B', minimumVersion: '1.1' }],
    });
  });
});

describe('zip', () => {
  test('the reader rejects a corrupted entry; the writer refuses duplicate and unsafe names', () => {
    const zip = writeZip([{ name: 'a.txt', data: Buffer.from('hello hello hello hello') }, { name: 'b.bin', data: crypto.randomBytes(64) }], DEFAULT_ENTRY_TIME);
    expect(readZip(zip).map((e) => [e.name, e.method])).toEqual([['a.txt', 8], ['b.bin', 0]]);
    const bad = Buffer.from(zip);
    bad[30 + 'a.txt'.length + 2] ^= 0xff;
    expect(() => readZip(bad)).toThrow();
    expect(() => writeZip([{ name: 'a', data: Buffer.alloc(0) }, { name: 'A', data: Buffer.alloc(0) }], DEFAULT_ENTRY_TIME)).toThrow('duplicate');
    expect(() => writeZip([{ name: '../x', data: Buffer.alloc(0) }], DEFAULT_ENTRY_TIME)).toThrow('bad ZIP entry name');
    expect(() => writeZip([{ name: 'x', data: Buffer.alloc(0) }], new Date(Date.UTC(1979, 0, 1)))).toThrow('1980..2107');
  });
});
