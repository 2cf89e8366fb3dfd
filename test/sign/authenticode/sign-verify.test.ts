import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { makePki, type Pki } from '../../support/pki';
import { osslVerifyBytes, osslsigncode } from '../../support/oracle';
import { rng, tamperContent, tamperSignature } from '../../support/tamper';
import { startTsa, type Tsa } from '../../support/tsa/server';
import {
  Certificate,
  loadPem,
  loadPfx,
  normaliseScript,
  removeSignature,
  signScript,
  splitScript,
  styleFor,
  verifyScript,
  type Signer,
} from '../../../src/sign';
import { parseSignedData } from '../../../src/sign/pkcs7';
import * as A from '../../../src/sign/asn1';
import { parse } from '../../../src/sign/asn1';

let pki: Pki;
let work: string;
let roots: Certificate[];
let pemSigner: Signer;

/** Inputs in every encoding and line-break style the signer must handle. */
function fixtures(): Record<string, Buffer> {
  const utf16 = (s: string) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(s, 'utf16le')]);
  return {
    'ascii.ps1': Buffer.from('param([string]$Name = "VMM")\r\nWrite-Output "Backing up $Name"\r\n'),
    'bom.psm1': Buffer.from('\ufefffunction Get-Größe { return "Größe: ok" }\r\nExport-ModuleMember -Function Get-Größe\r\n', 'utf8'),
    'utf16.psd1': utf16("@{\r\n    ModuleVersion = '1.0.0'\r\n    Description = 'Sauvegarde VMM — é'\r\n}\r\n"),
    'lf.ps1xml': Buffer.from('<?xml version="1.0" encoding="utf-8"?>\n<Types>\n  <Type><Name>VmmBackup.Result</Name></Type>\n</Types>\n'),
    'lf.ps1': Buffer.from('# LF only\nGet-Date\nWrite-Output 1\n'),
    'nobom-utf8.ps1': Buffer.from('Write-Output "café"\n', 'utf8'),
    'cim.cdxml': Buffer.from('<?xml version="1.0"?>\r\n<PowerShellMetadata xmlns="http://schemas.microsoft.com/cmdlets-over-objects/2009/11"/>\r\n'),
    'class.mof': Buffer.from('class VmmBackup_Resource : OMI_BaseResource\r\n{\r\n  [Key] String Name;\r\n};\r\n'),
  };
}

beforeAll(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'vmm-sign-test-'));
  pki = makePki(path.join(work, 'pki'));
  roots = Certificate.fromPem(fs.readFileSync(pki.caPem, 'utf8'));
  pemSigner = loadPem(pki.leafPem, pki.leafKey);
});

afterAll(() => {
  fs.rmSync(work, { recursive: true, force: true });
});

describe('signing every encoding, verified by osslsigncode and by our verifier', () => {
  const signers: [string, () => Signer][] = [
    ['PEM RSA', () => pemSigner],
    ['PFX AES/PBES2', () => loadPfx(pki.pfxAes, pki.pfxPassword)],
    ['PFX legacy 3DES', () => loadPfx(pki.pfxLegacy, pki.pfxPassword)],
    ['PFX legacy RC2-40', () => loadPfx(pki.pfxRc2, pki.pfxPassword)],
    ['PEM ECDSA P-256', () => loadPem(pki.ecPem, pki.ecKey)],
  ];
  test.each(signers)('%s', async (label, make) => {
    const signer = make();
    const dir = path.join(work, label.replace(/\W+/g, '-'));
    for (const [name, bytes] of Object.entries(fixtures())) {
      const style = styleFor(name)!;
      const signed = await signScript(bytes, style, signer, {}, name);
      expect(verifyScript(signed.bytes, style, { roots })).toMatchObject({ status: 'Valid', hash: 'sha256' });
      const oracle = osslVerifyBytes(dir, name, signed.bytes, pki.caPem);
      expect({ name, ok: oracle.ok }).toEqual({ name, ok: true });
    }
  });

  test.each(['sha384', 'sha512'] as const)('%s on request', async (hash) => {
    const name = 'ascii.ps1';
    const signed = await signScript(fixtures()[name], styleFor(name)!, pemSigner, { hash }, name);
    expect(verifyScript(signed.bytes, styleFor(name)!, { roots })).toMatchObject({ status: 'Valid', hash });
    const oracle = osslVerifyBytes(path.join(work, hash), name, signed.bytes, pki.caPem);
    expect(oracle.ok).toBe(true);
    expect(oracle.output).toContain(hash.toUpperCase());
  });

  test('the block has the Windows layout: CRLF, 64-character base64 lines, comment markers per format', async () => {
    for (const [name, open, close] of [
      ['ascii.ps1', '# ', ''],
      ['lf.ps1xml', '<!-- ', ' -->'],
      ['class.mof', '/* ', ' */'],
    ] as const) {
      const signed = await signScript(fixtures()[name], styleFor(name)!, pemSigner, {}, name);
      const text = signed.bytes.toString('utf8');
      const block = text.slice(text.indexOf(`\r\n${open}SIG # Begin signature block${close}\r\n`));
      expect(block.endsWith(`\r\n${open}SIG # End signature block${close}\r\n`)).toBe(true);
      const lines = block.split('\r\n').slice(2, -2);
      expect(lines.length).toBeGreaterThan(10);
      for (const l of lines.slice(0, -1)) expect(l).toMatch(new RegExp(`^${open.replace(/[*]/g, '\\*')}[A-Za-z0-9+/]{64}${close.replace(/[*]/g, '\\*')}$`));
      expect(text.includes('\n') && !/[^\r]\n/.test(text)).toBe(true);
    }
  });

  test('includeChain: signer only, not the self-signed root (default), or all certificates', async () => {
    const name = 'ascii.ps1';
    const style = styleFor(name)!;
    const pfx = loadPfx(pki.pfxAes, pki.pfxPassword);
    const count = async (includeChain?: 'signer' | 'notroot' | 'all') => {
      const signed = await signScript(fixtures()[name], style, pfx, { includeChain }, name);
      expect(osslVerifyBytes(path.join(work, `chain-${includeChain}`), name, signed.bytes, pki.caPem).ok).toBe(true);
      expect(verifyScript(signed.bytes, style, { roots }).status).toBe('Valid');
      return parseSignedData(splitScript(signed.bytes, style).signature!).certificates.map((c) => c.subject);
    };
    expect(await count()).toEqual(['CN=VmmBackup Test leaf']);
    expect(await count('signer')).toEqual(['CN=VmmBackup Test leaf']);
    expect((await count('all')).sort()).toEqual(['CN=VmmBackup Test Root CA', 'CN=VmmBackup Test leaf']);
  });

  test('UTF-16LE files keep their encoding, signature block included', async () => {
    const name = 'utf16.psd1';
    const signed = await signScript(fixtures()[name], styleFor(name)!, pemSigner, {}, name);
    expect(signed.bytes.subarray(0, 2)).toEqual(Buffer.from([0xff, 0xfe]));
    expect(signed.bytes.subarray(2).toString('utf16le')).toContain('# SIG # Begin signature block\r\n');
  });
});

describe('normalisation before signing', () => {
  test('LF becomes CRLF, non-ASCII UTF-8 gets a BOM, UTF-16BE becomes UTF-16LE', () => {
    expect(normaliseScript(Buffer.from('a\nb\rc\r\nd')).bytes.toString()).toBe('a\r\nb\r\nc\r\nd');
    const utf8 = normaliseScript(Buffer.from('x = "é"\n', 'utf8'));
    expect(utf8.bytes.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    expect(utf8.changes).toEqual(['UTF-8 byte order mark added', 'line breaks converted to CRLF']);
    const be = Buffer.from('\ufeffabc\r\n', 'utf16le').swap16();
    const le = normaliseScript(be);
    expect(le.bytes).toEqual(Buffer.from('\ufeffabc\r\n', 'utf16le'));
    const ascii = Buffer.from('Get-Date\r\n');
    expect(normaliseScript(ascii)).toEqual({ bytes: ascii, changes: [] });
  });

  test('files shorter than 4 bytes and non-UTF-8 text without a BOM are refused', async () => {
    expect(() => normaliseScript(Buffer.from('ab\n'), 'tiny.ps1')).toThrow(/tiny\.ps1 is shorter than 4 bytes/);
    await expect(signScript(Buffer.from('1+1'), styleFor('x.ps1')!, pemSigner, {}, 'x.ps1')).rejects.toThrow(/shorter than 4 bytes/);
    expect(() => normaliseScript(Buffer.from([0x41, 0x42, 0xe9, 0x43, 0x0d, 0x0a]), 'latin1.ps1')).toThrow(/neither UTF-16 nor valid UTF-8/);
  });

  test('a signed LF file hashes the CRLF text: signing the normalised bytes gives the same digest', async () => {
    const name = 'lf.ps1';
    const a = await signScript(fixtures()[name], styleFor(name)!, pemSigner, {}, name);
    expect(a.changes).toContain('line breaks converted to CRLF');
    const content = removeSignature(a.bytes, styleFor(name)!);
    expect(content).toEqual(Buffer.from('# LF only\r\nGet-Date\r\nWrite-Output 1\r\n'));
  });
});

describe('re-signing and removal', () => {
  test('re-signing replaces the block; --remove restores the original bytes exactly', async () => {
    for (const [name, original] of Object.entries(fixtures())) {
      const style = styleFor(name)!;
      const normal = normaliseScript(original).bytes;
      const once = await signScript(normal, style, pemSigner, {}, name);
      const twice = await signScript(once.bytes, style, loadPem(pki.ecPem, pki.ecKey), { hash: 'sha512' }, name);
      const text = twice.bytes.toString(name.includes('utf16') ? 'utf16le' : 'utf8');
      expect(text.split('SIG # Begin signature block').length).toBe(2);
      expect(verifyScript(twice.bytes, style, { roots })).toMatchObject({ status: 'Valid', hash: 'sha512', signer: 'CN=VmmBackup Test ec' });
      expect(removeSignature(twice.bytes, style)).toEqual(normal);
      expect(removeSignature(normal, style)).toEqual(normal);
    }
  });

  test('osslsigncode removes our block to the same bytes', async () => {
    const name = 'ascii.ps1';
    const signed = await signScript(fixtures()[name], styleFor(name)!, pemSigner, {}, name);
    const dir = path.join(work, 'remove');
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'in.ps1'), signed.bytes);
    const r = osslsigncode(['remove-signature', '-in', path.join(dir, 'in.ps1'), '-out', path.join(dir, 'out.ps1')]);
    expect(r.ok).toBe(true);
    expect(fs.readFileSync(path.join(dir, 'out.ps1'))).toEqual(fixtures()[name]);
  });
});

describe('verification statuses', () => {
  test('NotSigned, HashMismatch, NotTrusted and UnknownError with reasons', async () => {
    const style = styleFor('a.ps1')!;
    const plain = fixtures()['ascii.ps1'];
    expect(verifyScript(plain, style)).toMatchObject({ status: 'NotSigned' });
    const signed = (await signScript(plain, style, pemSigner, {}, 'a.ps1')).bytes;
    const edited = Buffer.from(signed);
    edited[10] = 0x58;
    expect(verifyScript(edited, style, { roots })).toMatchObject({ status: 'HashMismatch' });
    const otherRoot = makeOtherRoot();
    expect(verifyScript(signed, style, { roots: otherRoot })).toMatchObject({ status: 'NotTrusted', reason: expect.stringMatching(/no trusted root/) });
    const broken = Buffer.from(signed.toString('utf8').replace(/\r\n# [A-Za-z0-9+/]{64}\r\n/, '\r\n# !!\r\n'));
    expect(verifyScript(broken, style, { roots })).toMatchObject({ status: 'UnknownError', reason: expect.stringMatching(/not base64/) });
    expect(verifyScript(signed, style, { roots, now: new Date('2040-01-01') })).toMatchObject({ status: 'NotTrusted', reason: expect.stringMatching(/not valid at/) });
  });

  test('files signed by osslsigncode verify with our verifier (and their tampering is caught)', () => {
    const dir = path.join(work, 'ossl-signed');
    fs.mkdirSync(dir, { recursive: true });
    for (const [name, bytes] of Object.entries(fixtures())) {
      if (name.includes('nobom')) continue;
      const input = path.join(dir, `in-${name}`);
      const output = path.join(dir, `out-${name}`);
      fs.writeFileSync(input, normaliseScript(bytes).bytes);
      const r = osslsigncode(['sign', '-certs', pki.leafPem, '-key', pki.leafKey, '-h', 'sha256', '-in', input, '-out', output]);
      expect(r.ok).toBe(true);
      const signed = fs.readFileSync(output);
      expect({ name, ...verifyScript(signed, styleFor(name)!, { roots }) }).toMatchObject({ name, status: 'Valid' });
      const t = tamperContent(signed, styleFor(name)!, rng(7));
      expect(verifyScript(t.bytes, styleFor(name)!, { roots }).status).not.toBe('Valid');
    }
  });

  function makeOtherRoot(): Certificate[] {
    const other = makePki(path.join(work, 'other-pki'));
    return Certificate.fromPem(fs.readFileSync(other.caPem, 'utf8'));
  }
});

describe('keys and certificates', () => {
  test('wrong PFX password gives a clear error (AES and legacy files)', () => {
    expect(() => loadPfx(pki.pfxAes, 'not it')).toThrow('wrong password for the PFX file (its integrity check failed)');
    expect(() => loadPfx(pki.pfxLegacy, '')).toThrow('wrong password for the PFX file');
    expect(() => loadPfx(pki.pfxRc2, 'Correct horse')).toThrow('wrong password for the PFX file');
  });

  test('BER-encoded PFX files (indefinite lengths, chunked OCTET STRINGs, as some Windows exports) load too', () => {
    const der = fs.readFileSync(pki.pfxAes);
    const root = parse(der);
    const authSafe = root.child(1);
    const octets = authSafe.child(1).child(0).value;
    const indef = (tag: number, ...parts: Buffer[]) => Buffer.concat([Buffer.from([tag, 0x80]), ...parts, Buffer.from([0, 0])]);
    const half = Math.floor(octets.length / 2);
    const chunked = indef(0x24, A.octets(octets.subarray(0, half)), A.octets(octets.subarray(half)));
    const ber = indef(0x30, root.child(0).raw, indef(0x30, authSafe.child(0).raw, indef(0xa0, chunked)), root.child(2).raw);
    const file = path.join(work, 'ber.pfx');
    fs.writeFileSync(file, ber);
    expect(() => parse(ber)).toThrow(/indefinite length is not DER/);
    expect(A.berToDer(ber)).toEqual(der);
    expect(loadPfx(file, pki.pfxPassword).certificate.subject).toBe('CN=VmmBackup Test leaf');
    expect(() => loadPfx(file, 'wrong')).toThrow(/wrong password/);
  });

  test('PFX files yield the code-signing certificate and its CA', () => {
    const s = loadPfx(pki.pfxAes, pki.pfxPassword);
    expect(s.certificate.subject).toBe('CN=VmmBackup Test leaf');
    expect(s.chain.map((c) => c.subject)).toEqual(['CN=VmmBackup Test Root CA']);
    expect(s.key.asymmetricKeyType).toBe('rsa');
  });

  test('expired and non-code-signing certificates are refused with a clear error', () => {
    expect(() => loadPem(pki.expiredPem, pki.expiredKey)).toThrow(/'CN=VmmBackup Test expired' has expired \(valid until 2021-01-01T00:00:00.000Z\)/);
    expect(() => loadPem(pki.noEkuPem, pki.noEkuKey)).toThrow(/'CN=VmmBackup Test noeku' is not a code-signing certificate/);
    expect(() => loadPem(pki.leafPem, pki.ecKey)).toThrow(/no certificate matches the private key/);
  });
});

describe('RFC 3161 time stamps from a real TSA (openssl ts -reply on 127.0.0.1)', () => {
  let tsa: Tsa;
  beforeAll(async () => {
    tsa = await startTsa({ dir: path.join(work, 'pki'), signerPem: pki.tsaPem, signerKey: pki.tsaKey });
  });
  afterAll(() => tsa.close());

  test('a time-stamped signature verifies with the TSA CA, in our verifier and osslsigncode', async () => {
    const before = tsa.requests;
    for (const name of ['ascii.ps1', 'utf16.psd1']) {
      const style = styleFor(name)!;
      const signed = await signScript(fixtures()[name], style, pemSigner, { timestampUrl: tsa.url }, name);
      const parts = splitScript(signed.bytes, style);
      expect(parts.signature!.includes(Buffer.from('060a2b0601040182370303 01'.replace(/ /g, ''), 'hex'))).toBe(true);
      const r = verifyScript(signed.bytes, style, { roots });
      expect(r).toMatchObject({ status: 'Valid', timestampSigner: 'CN=VmmBackup Test tsa' });
      expect(Math.abs(r.timestamp!.getTime() - Date.now())).toBeLessThan(120_000);
      const oracle = osslVerifyBytes(path.join(work, 'ts'), name, signed.bytes, pki.caPem, pki.caPem);
      expect(oracle.ok).toBe(true);
      expect(oracle.output).toMatch(/Timestamp Server Signature verification: ok/);
    }
    expect(tsa.requests - before).toBe(2);
  });

  test('a TSA under its own CA: valid with that CA, reported when it is not trusted', async () => {
    const other = makePki(path.join(work, 'other-tsa-pki'));
    const otherTsa = await startTsa({ dir: other.dir, signerPem: other.tsaPem, signerKey: other.tsaKey });
    try {
      const signed = await signScript(fixtures()['ascii.ps1'], styleFor('a.ps1')!, pemSigner, { timestampUrl: otherTsa.url }, 'a.ps1');
      expect(verifyScript(signed.bytes, styleFor('a.ps1')!, { roots })).toMatchObject({
        status: 'UnknownError',
        reason: expect.stringMatching(/^time stamp: no trusted root/),
      });
      const tsaRoots = Certificate.fromPem(fs.readFileSync(other.caPem, 'utf8'));
      expect(verifyScript(signed.bytes, styleFor('a.ps1')!, { roots, tsaRoots })).toMatchObject({ status: 'Valid', timestampSigner: 'CN=VmmBackup Test tsa' });
      expect(osslVerifyBytes(path.join(work, 'ts-other'), 'a.ps1', signed.bytes, pki.caPem, other.caPem).ok).toBe(true);
      // osslsigncode reports the untrusted time stamp, then falls back to checking the signature at the current time
      expect(osslVerifyBytes(path.join(work, 'ts-other-bad'), 'a.ps1', signed.bytes, pki.caPem, pki.caPem).output).toMatch(
        /Timestamp Server Signature verification: failed/,
      );
    } finally {
      await otherTsa.close();
    }
  });

  test('an unreachable TSA fails the signing with a clear error', async () => {
    await expect(signScript(fixtures()['ascii.ps1'], styleFor('a.ps1')!, pemSigner, { timestampUrl: 'http://127.0.0.1:9/tsa' }, 'a.ps1')).rejects.toThrow(
      /time-stamp request failed/,
    );
  });
});

describe('single-byte tampering (sampled; bench/sign.ts runs 1,000)', () => {
  test('every tampered file is rejected by our verifier and by osslsigncode', async () => {
    const names = ['ascii.ps1', 'bom.psm1', 'utf16.psd1', 'lf.ps1xml'];
    const signed = new Map<string, Buffer>();
    for (const n of names) signed.set(n, (await signScript(fixtures()[n], styleFor(n)!, pemSigner, {}, n)).bytes);
    const next = rng(20261127);
    const dir = path.join(work, 'tamper');
    const failures: string[] = [];
    const ours = 400;
    const oracleEvery = 10;
    for (let i = 0; i < ours; i++) {
      const name = names[i % names.length];
      const style = styleFor(name)!;
      const t = i % 2 ? tamperSignature(signed.get(name)!, style, next) : tamperContent(signed.get(name)!, style, next);
      const r = verifyScript(t.bytes, style, { roots });
      if (r.status === 'Valid') failures.push(`ours accepted ${name} ${t.where}@${t.offset} (${t.region})`);
      if (i % oracleEvery === 0 && osslVerifyBytes(dir, `${i}-${name}`, t.bytes, pki.caPem).ok) {
        failures.push(`osslsigncode accepted ${name} ${t.where}@${t.offset} (${t.region})`);
      }
    }
    expect(failures).toEqual([]);
  });
});
