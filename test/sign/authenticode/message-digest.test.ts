/**
 * The messageDigest signed attribute binds the SpcIndirectDataContent to the signature: a script changed after
 * signing whose SpcIndirectDataContent digest is rewritten to match the new text must still be refused.
 */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { makeChainPki, type ChainPki } from '../../support/chain-pki';
import { Certificate, signScript, splitScript, styleFor, verifyScript } from '../../../src/sign';
import { encodeBlock, sipHashInput } from '../../../src/sign/script';

let work: string;
let pki: ChainPki;

beforeAll(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'vmm-message-digest-'));
  pki = makeChainPki(path.join(work, 'pki'));
});

afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

test('a changed script with its SpcIndirectDataContent digest rewritten to match is HashMismatch', async () => {
  const style = styleFor('a.ps1')!;
  const roots = Certificate.fromPem(fs.readFileSync(pki.rootPem, 'utf8'));
  const signed = (await signScript(Buffer.from('Write-Output "safe"\r\n'), style, pki.good, {}, 'a.ps1')).bytes;
  const parts = splitScript(signed, style);
  const changed = Buffer.from('Write-Output "evil"\r\n');
  const digestOf = (content: Buffer) => crypto.createHash('sha256').update(sipHashInput(content, parts.encoding)).digest();
  const der = Buffer.from(parts.signature!);
  const at = der.indexOf(digestOf(parts.content));
  expect(at).toBeGreaterThan(0);
  expect(der.indexOf(digestOf(parts.content), at + 1)).toBe(-1);
  digestOf(changed).copy(der, at);
  const forged = Buffer.concat([changed, encodeBlock(der, style, parts.encoding)]);
  // The control: the same rewrite without changing the text is still Valid, so only the content differs.
  const same = Buffer.concat([parts.content, encodeBlock(Buffer.from(parts.signature!), style, parts.encoding)]);
  expect(verifyScript(same, style, { roots })).toMatchObject({ status: 'Valid' });
  expect(verifyScript(forged, style, { roots })).toMatchObject({ status: 'HashMismatch' });
  expect(verifyScript(forged, style)).toMatchObject({ status: 'HashMismatch' });
});
