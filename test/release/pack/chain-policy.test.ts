/**
 * `pack --ca` refuses a module whose signer fails the chain policy (no Code Signing usage, an end-entity
 * certificate as issuer, an expired intermediate, a leaf not valid yet with or without a time stamp), writes
 * nothing, and names the file and the problem; a proper chain passes the same check.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { makeChainPki, type ChainPki } from '../../support/chain-pki';
import { startTsa, type Tsa } from '../../support/tsa/server';
import { signPath, type Signer } from '../../../src/sign';
import { checkSigned, packModule } from '../../../src/release';
import { runCliProcessSync } from '../../support/child-process';

let work: string;
let pki: ChainPki;
let tsa: Tsa;

beforeAll(async () => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'vmm-pack-ca-'));
  pki = makeChainPki(path.join(work, 'pki'));
  tsa = await startTsa({ dir: pki.dir, signerPem: pki.tsaPem, signerKey: pki.tsaKey });
});

afterAll(async () => {
  await tsa?.close();
  fs.rmSync(work, { recursive: true, force: true });
});

/** A two-file module folder named Demo, signed by `signer` (optionally time-stamped). */
async function signedModule(label: string, signer: Signer, stamped = false): Promise<string> {
  const src = path.join(work, 'src', label, 'Demo');
  fs.mkdirSync(src, { recursive: true });
  fs.writeFileSync(path.join(src, 'Demo.psd1'), "@{\r\n    ModuleVersion = '1.0.0'\r\n    RootModule = 'Demo.psm1'\r\n    GUID = '00000000-0000-0000-0000-000000000001'\r\n}\r\n");
  fs.writeFileSync(path.join(src, 'Demo.psm1'), 'function Get-Demo { 1 }\r\n');
  const out = path.join(work, 'signed', label, 'Demo');
  await signPath(src, out, signer, stamped ? { timestampUrl: tsa.url } : {});
  return out;
}

test('the control: a code-signing leaf under a CA intermediate passes the --ca check', async () => {
  expect(checkSigned(await signedModule('good', pki.good), false, pki.rootPem)).toEqual({ valid: 2, unsigned: [] });
});

describe('pack --ca refuses a signer that fails the chain policy', () => {
  const cases: [string, (p: ChainPki) => Signer, boolean, RegExp][] = [
    ['server-auth-only', (p) => p.serverAuthOnly, false, /Demo\.psd1 is UnknownError \(the signer certificate lacks the Code Signing usage\)/],
    ['no-eku-extension', (p) => p.noEkuExtension, false, /Demo\.psd1 is UnknownError \(the signer certificate lacks the Code Signing usage\)/],
    ['end-entity-issuer', (p) => p.viaEndEntity, false, /Demo\.psd1 is NotTrusted \(certificate 'CN=Chain Test endentity' issued .* but is not a CA/],
    ['no-basic-constraints-issuer', (p) => p.viaNoBasicConstraints, false, /Demo\.psd1 is NotTrusted \(certificate 'CN=Chain Test nobc' issued .* but is not a CA/],
    ['expired-intermediate', (p) => p.viaExpiredIntermediate, false, /Demo\.psd1 is NotTrusted \(certificate 'CN=Chain Test expired-intermediate' is not valid at .*expired 2021/],
    ['not-yet-valid', (p) => p.notYetValid, false, /Demo\.psd1 is NotTrusted \(certificate 'CN=Chain Test future' is not valid at .*not valid before/],
    ['not-yet-valid-stamped', (p) => p.notYetValid, true, /Demo\.psd1 is NotTrusted \(certificate 'CN=Chain Test future' is not valid at .*not valid before/],
  ];
  test.each(cases)('%s', async (label, signer, stamped, message) => {
    const dir = await signedModule(label, signer(pki), stamped);
    const out = path.join(work, 'out', label);
    expect(() => packModule({ moduleDir: dir, outDir: out, caFile: pki.rootPem })).toThrow(message);
    expect(fs.existsSync(out)).toBe(false);
  });

  test('the CLI exits 1, names the problem and writes nothing', async () => {
    const dir = await signedModule('cli', pki.viaEndEntity);
    const out = path.join(work, 'out', 'cli');
    const r = runCliProcessSync(['pack', dir, '--out', out, '--ca', pki.rootPem]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/pack: refusing to pack .*Demo\.psm1 is NotTrusted \(certificate 'CN=Chain Test endentity' issued .* but is not a CA/);
    expect(fs.existsSync(out)).toBe(false);
  });
});
