/**
 * The verifier's certificate policy on real chains made by openssl: the signer's Code Signing usage, that only
 * CAs issue, and validity periods judged at the signing time (the time stamp's time when the signature carries
 * a valid RFC 3161 token, else now), as Windows judges an Authenticode signature. Each refusal has its own
 * `problem`, through the library and through `vmm-backup verify --json`.
 */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { makeChainPki, type ChainPki } from '../../support/chain-pki';
import { startTsa, type Tsa } from '../../support/tsa/server';
import { Certificate, signScript, splitScript, styleFor, verifyScript, type Signer, type VerifyOptions } from '../../../src/sign';
import { attribute, buildSignedData, parseSignedData, withUnsignedAttributes } from '../../../src/sign/pkcs7';
import { encodeBlock } from '../../../src/sign/script';
import { OID, HASH_OID } from '../../../src/sign/oids';
import * as A from '../../../src/sign/asn1';
import { runCliProcessSync } from '../../support/child-process';

const script = Buffer.from('param([string]$Name = "VMM")\r\nWrite-Output "Backing up $Name"\r\n');
const style = styleFor('a.ps1')!;
const day = 24 * 3600_000;
let work: string;
let pki: ChainPki;
let roots: Certificate[];
let tsa: Tsa;

beforeAll(async () => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'vmm-chain-policy-'));
  pki = makeChainPki(path.join(work, 'pki'));
  roots = Certificate.fromPem(fs.readFileSync(pki.rootPem, 'utf8'));
  tsa = await startTsa({ dir: pki.dir, signerPem: pki.tsaPem, signerKey: pki.tsaKey });
});

afterAll(async () => {
  await tsa?.close();
  fs.rmSync(work, { recursive: true, force: true });
});

const sign = async (signer: Signer, stamped = false) => (await signScript(script, style, signer, stamped ? { timestampUrl: tsa.url } : {}, 'a.ps1')).bytes;
const verify = (bytes: Buffer, options: VerifyOptions = {}) => verifyScript(bytes, style, { roots, ...options });

test('the control: a code-signing leaf under a CA intermediate is Valid, stamped or not', async () => {
  expect(verify(await sign(pki.good))).toMatchObject({ status: 'Valid', signer: 'CN=Chain Test good' });
  expect(verify(await sign(pki.good, true))).toMatchObject({ status: 'Valid', timestampSigner: 'CN=Chain Test tsa' });
  expect(verify(await sign(pki.good)).problem).toBeUndefined();
});

describe('the signer must carry the Code Signing usage', () => {
  test('a leaf whose extended key usage is serverAuth only is refused (WrongUsage), with or without roots', async () => {
    const signed = await sign(pki.serverAuthOnly);
    const expected = { status: 'UnknownError', problem: 'WrongUsage', reason: 'the signer certificate lacks the Code Signing usage' };
    expect(verify(signed)).toMatchObject(expected);
    expect(verifyScript(signed, style)).toMatchObject(expected);
  });

  test('a leaf with no extended key usage extension at all is refused (WrongUsage)', async () => {
    expect(verify(await sign(pki.noEkuExtension))).toMatchObject({ status: 'UnknownError', problem: 'WrongUsage' });
  });
});

describe('only a CA issues certificates (basicConstraints)', () => {
  test('an end-entity certificate (cA FALSE) used as an intermediate is refused (NotCa), naming it', async () => {
    // The control: the issuing certificate really did sign the leaf, so the refusal is the basicConstraints check.
    expect(pki.viaEndEntity.certificate.issuedBy(pki.viaEndEntity.chain[0])).toBe(true);
    expect(verify(await sign(pki.viaEndEntity))).toMatchObject({
      status: 'NotTrusted',
      problem: 'NotCa',
      reason: expect.stringMatching(/^certificate 'CN=Chain Test endentity' issued 'CN=Chain Test via-endentity' but is not a CA/),
    });
  });

  test('a certificate without basicConstraints used as an intermediate is refused (NotCa)', async () => {
    expect(pki.viaNoBasicConstraints.certificate.issuedBy(pki.viaNoBasicConstraints.chain[0])).toBe(true);
    expect(verify(await sign(pki.viaNoBasicConstraints))).toMatchObject({
      status: 'NotTrusted',
      problem: 'NotCa',
      reason: expect.stringMatching(/'CN=Chain Test nobc' issued .* but is not a CA/),
    });
  });
});

describe('validity periods, judged at the signing time', () => {
  test('an expired intermediate is refused (Expired), stamped or not: it had expired before the time stamp too', async () => {
    const reason = expect.stringMatching(/^certificate 'CN=Chain Test expired-intermediate' is not valid at .* \(expired 2021-01-01T00:00:00.000Z\)$/);
    expect(verify(await sign(pki.viaExpiredIntermediate))).toMatchObject({ status: 'NotTrusted', problem: 'Expired', reason });
    expect(verify(await sign(pki.viaExpiredIntermediate, true))).toMatchObject({ status: 'NotTrusted', problem: 'Expired', reason });
  });

  test('a root that has expired is refused (Expired), naming the root', async () => {
    const expiredRoot = Certificate.fromPem(fs.readFileSync(pki.expiredRootPem, 'utf8'));
    expect(pki.viaExpiredRoot.certificate.issuedBy(expiredRoot[0])).toBe(true);
    expect(verify(await sign(pki.viaExpiredRoot), { roots: expiredRoot })).toMatchObject({
      status: 'NotTrusted',
      problem: 'Expired',
      reason: expect.stringMatching(/^root 'CN=Chain Test expired-root' is not valid at .*\(expired 2021-01-01T00:00:00.000Z\)$/),
    });
  });

  test('a leaf not valid yet, without a time stamp: refused now (NotYetValid), valid once the clock reaches it', async () => {
    const signed = await sign(pki.notYetValid);
    expect(verify(signed)).toMatchObject({ status: 'NotTrusted', problem: 'NotYetValid', reason: expect.stringMatching(/'CN=Chain Test future' is not valid at .* \(not valid before /) });
    expect(verifyScript(signed, style)).toMatchObject({ status: 'UnknownError', problem: 'NotYetValid' });
    expect(verify(signed, { now: new Date(Date.now() + 2 * day) })).toMatchObject({ status: 'Valid' });
  });

  test('a leaf not valid yet at its time stamp stays refused, whatever the clock says later (the stamped time counts)', async () => {
    const signed = await sign(pki.notYetValid, true);
    const r = verify(signed);
    expect(r).toMatchObject({ status: 'NotTrusted', problem: 'NotYetValid', timestampSigner: 'CN=Chain Test tsa' });
    expect(r.timestamp!.getTime()).toBeLessThan(pki.notYetValid.certificate.notBefore.getTime());
    expect(verify(signed, { now: new Date(Date.now() + 2 * day) })).toMatchObject({ status: 'NotTrusted', problem: 'NotYetValid' });
    expect(verifyScript(signed, style, { now: new Date(Date.now() + 2 * day) })).toMatchObject({ status: 'UnknownError', problem: 'NotYetValid' });
  });

  test('a time-stamped signature outlives its certificate; an unstamped one does not', async () => {
    const later = { now: new Date(Date.now() + 10 * day) };
    const stamped = await sign(pki.shortLived, true);
    const plain = await sign(pki.shortLived);
    expect(verify(stamped, later)).toMatchObject({ status: 'Valid' });
    expect(verify(plain, later)).toMatchObject({ status: 'NotTrusted', problem: 'Expired', reason: expect.stringMatching(/'CN=Chain Test shortlived' is not valid/) });
    expect(verifyScript(plain, style, later)).toMatchObject({ status: 'UnknownError', problem: 'Expired' });
    expect(verify(plain)).toMatchObject({ status: 'Valid' });
  });
});

describe('the time stamp must come from a time-stamping certificate', () => {
  /** An RFC 3161 token over `signatureValue`, stamped `genTime`, signed by `tsa` (built here, so any signer can be used). */
  function token(signatureValue: Buffer, genTime: Date, tsa: Signer): Buffer {
    const imprint = A.seq(A.algorithm(HASH_OID.sha256), A.octets(crypto.createHash('sha256').update(signatureValue).digest()));
    const time = A.tlv(0x18, Buffer.from(genTime.toISOString().replace(/[-:T]/g, '').replace(/\.\d+Z$/, 'Z')));
    const tstInfo = A.seq(A.integer(1), A.oid('1.2.3.4.1'), imprint, A.integer(7), time, A.integer(42));
    return buildSignedData({ contentType: OID.tstInfo, content: A.octets(tstInfo), hash: 'sha256', signer: tsa }).der;
  }
  async function stampedBy(tsa: Signer): Promise<Buffer> {
    const parts = splitScript(await sign(pki.good), style);
    const p7 = parseSignedData(parts.signature!);
    const der = withUnsignedAttributes(p7, [attribute(OID.rfc3161CounterSignature, token(p7.signature, new Date(), tsa))]);
    return Buffer.concat([parts.content, encodeBlock(der, style, parts.encoding)]);
  }

  test('a token signed by the TSA certificate is Valid (the control); one signed by a code-signing certificate is refused', async () => {
    const tsa: Signer = { key: crypto.createPrivateKey(fs.readFileSync(pki.tsaKey, 'utf8')), certificate: Certificate.fromPem(fs.readFileSync(pki.tsaPem, 'utf8'))[0], chain: [] };
    expect(verify(await stampedBy(tsa))).toMatchObject({ status: 'Valid', timestampSigner: 'CN=Chain Test tsa' });
    expect(verify(await stampedBy(pki.good))).toMatchObject({ status: 'UnknownError', reason: 'the time-stamp certificate lacks the Time Stamping usage' });
  });
});

test('vmm-backup verify --ca --json gives each refused file its status and problem, and exits 1', async () => {
  const dir = path.join(work, 'cli');
  fs.mkdirSync(dir);
  const cases: [string, Signer, boolean, string, string | undefined][] = [
    ['good.ps1', pki.good, false, 'Valid', undefined],
    ['server-auth.ps1', pki.serverAuthOnly, false, 'UnknownError', 'WrongUsage'],
    ['no-eku.ps1', pki.noEkuExtension, false, 'UnknownError', 'WrongUsage'],
    ['via-end-entity.ps1', pki.viaEndEntity, false, 'NotTrusted', 'NotCa'],
    ['via-no-basic-constraints.ps1', pki.viaNoBasicConstraints, false, 'NotTrusted', 'NotCa'],
    ['via-expired.ps1', pki.viaExpiredIntermediate, false, 'NotTrusted', 'Expired'],
    ['not-yet-valid.ps1', pki.notYetValid, false, 'NotTrusted', 'NotYetValid'],
    ['not-yet-valid-stamped.ps1', pki.notYetValid, true, 'NotTrusted', 'NotYetValid'],
  ];
  for (const [name, signer, stamped] of cases) fs.writeFileSync(path.join(dir, name), await sign(signer, stamped));
  const r = runCliProcessSync(['verify', dir, '--ca', pki.rootPem, '--json']);
  expect(r.code).toBe(1);
  const files = (JSON.parse(r.stdout) as { files: { file: string; status: string; problem?: string }[] }).files;
  expect(Object.fromEntries(files.map((f) => [f.file, [f.status, f.problem]]))).toEqual(
    Object.fromEntries(cases.map(([name, , , status, problem]) => [name, [status, problem]])),
  );
});
