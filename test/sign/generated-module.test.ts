/**
 * Signs the generated module (generated/VmmBackup, which the generator writes and the repository commits)
 * and has osslsigncode verify every signed file and the module catalog. A missing or empty folder fails.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { makePki } from '../support/pki';
import { osslVerifyFile, osslsigncode } from '../support/oracle';
import { Certificate, listFiles, loadPfx, signPath, styleFor, verifyPath } from '../../src/sign';

const moduleDir = path.resolve(__dirname, '../../generated/VmmBackup');

test('every file of generated/VmmBackup signs, and osslsigncode accepts each one and the catalog', async () => {
  expect(fs.existsSync(moduleDir)).toBe(true);
  const signable = listFiles(moduleDir).filter((f) => styleFor(f));
  expect(signable.length).toBeGreaterThan(0);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'vmm-sign-module-'));
  try {
    const pki = makePki(path.join(work, 'pki'));
    const signer = loadPfx(pki.pfxAes, pki.pfxPassword);
    const out = path.join(work, 'VmmBackup');
    const results = await signPath(moduleDir, out, signer, { catalog: 'VmmBackup.cat' });
    expect(results.filter((r) => r.action === 'signed').map((r) => r.file)).toEqual(signable);
    const rejected = signable.filter((f) => !osslVerifyFile(path.join(out, f), pki.caPem).ok);
    expect(rejected).toEqual([]);
    expect(osslVerifyFile(path.join(out, 'VmmBackup.cat'), pki.caPem).ok).toBe(true);
    const notListed = signable.filter(
      (f) => !osslsigncode(['verify', '-CAfile', pki.caPem, '-catalog', path.join(out, 'VmmBackup.cat'), '-in', path.join(out, f)]).ok,
    );
    expect(notListed).toEqual([]);
    const ours = verifyPath(out, { roots: Certificate.fromPem(fs.readFileSync(pki.caPem, 'utf8')) });
    expect(ours.filter((r) => r.status !== 'Valid')).toEqual([]);
    expect(ours).toHaveLength(signable.length + 1);
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
});
