/**
 * Signing benchmark and tamper sweep: `npx tsx bench/sign.ts [--tamper N]`.
 *
 * 1. Time to sign every signable file of generated/VmmBackup with the TypeScript signer (in process, median of
 *    5 runs), against running osslsigncode once per file on the same files (median of 3 runs).
 * 2. N (default 1,000) random single-byte tamperings of the signed files, half in the content and half in the
 *    bytes the signature covers; each is checked by our verifier and by osslsigncode.
 * Prints a table, then one JSON object of the figures as the last line.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { makePki } from '../test/support/pki';
import { osslVerifyBytes } from '../test/support/oracle';
import { rng, tamperContent, tamperSignature } from '../test/support/tamper';
import { Certificate, listFiles, loadPem, signPath, styleFor, verifyScript } from '../src/sign';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main(): Promise<void> {
  const tamperArg = process.argv.indexOf('--tamper');
  const tamperCount = tamperArg > 0 ? Number(process.argv[tamperArg + 1]) : 1000;
  const moduleDir = path.resolve(__dirname, '../generated/VmmBackup');
  if (!fs.existsSync(moduleDir)) throw new Error(`${moduleDir} does not exist: run npm run generate first`);
  const files = listFiles(moduleDir).filter((f) => styleFor(f));
  if (files.length === 0) throw new Error('no signable files in generated/VmmBackup');
  const bytes = files.reduce((n, f) => n + fs.statSync(path.join(moduleDir, f)).size, 0);

  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'vmm-sign-bench-'));
  try {
    const pki = makePki(path.join(work, 'pki'));
    const signer = loadPem(pki.leafPem, pki.leafKey);
    const roots = Certificate.fromPem(fs.readFileSync(pki.caPem, 'utf8'));

    // 1. our signer, whole module, in process
    await signPath(moduleDir, path.join(work, 'warmup'), signer);
    const ours: number[] = [];
    for (let i = 0; i < 5; i++) {
      const out = path.join(work, `ours-${i}`);
      const t0 = performance.now();
      await signPath(moduleDir, out, signer);
      ours.push(performance.now() - t0);
    }
    // osslsigncode, one process per file, same files and key
    const ossl: number[] = [];
    for (let i = 0; i < 3; i++) {
      const out = path.join(work, `ossl-${i}`);
      const t0 = performance.now();
      for (const f of files) {
        const dst = path.join(out, f);
        fs.mkdirSync(path.dirname(dst), { recursive: true });
        execFileSync('osslsigncode', ['sign', '-certs', pki.leafPem, '-key', pki.leafKey, '-h', 'sha256', '-in', path.join(moduleDir, f), '-out', dst], {
          stdio: 'ignore',
        });
      }
      ossl.push(performance.now() - t0);
    }
    const oursMs = median(ours);
    const osslMs = median(ossl);

    // 2. tamper sweep over the signed module
    const signedDir = path.join(work, 'ours-0');
    const signed = files.map((f) => ({ f, style: styleFor(f)!, bytes: fs.readFileSync(path.join(signedDir, f)) }));
    const next = rng(1127);
    let oursRejected = 0;
    let osslRejected = 0;
    const accepted: string[] = [];
    const tdir = path.join(work, 'tamper');
    const t0 = performance.now();
    for (let i = 0; i < tamperCount; i++) {
      const s = signed[Math.floor(next() * signed.length)];
      const t = i % 2 ? tamperSignature(s.bytes, s.style, next) : tamperContent(s.bytes, s.style, next);
      if (verifyScript(t.bytes, s.style, { roots }).status !== 'Valid') oursRejected++;
      else accepted.push(`ours: ${s.f} ${t.where}@${t.offset} (${t.region})`);
      if (!osslVerifyBytes(tdir, `${i % 50}/${s.f}`, t.bytes, pki.caPem).ok) osslRejected++;
      else accepted.push(`osslsigncode: ${s.f} ${t.where}@${t.offset} (${t.region})`);
    }
    const tamperMs = performance.now() - t0;

    const rows: [string, string][] = [
      ['files signed (generated/VmmBackup)', `${files.length} (${(bytes / 1024).toFixed(1)} KiB)`],
      ['TypeScript signer, whole module (median of 5)', `${oursMs.toFixed(1)} ms`],
      ['osslsigncode, one run per file (median of 3)', `${osslMs.toFixed(1)} ms`],
      ['ratio TypeScript / osslsigncode', `${(oursMs / osslMs).toFixed(3)}`],
      ['tamperings (content / signature)', `${tamperCount} (${Math.ceil(tamperCount / 2)} / ${Math.floor(tamperCount / 2)})`],
      ['rejected by our verifier', `${oursRejected} / ${tamperCount}`],
      ['rejected by osslsigncode', `${osslRejected} / ${tamperCount}`],
      ['tamper sweep time', `${(tamperMs / 1000).toFixed(1)} s`],
    ];
    const w = Math.max(...rows.map((r) => r[0].length));
    console.log('Authenticode signing benchmark');
    for (const [k, v] of rows) console.log(`  ${k.padEnd(w)}  ${v}`);
    for (const a of accepted.slice(0, 20)) console.log(`  ACCEPTED ${a}`);
    console.log(
      JSON.stringify({
        files: files.length,
        bytes,
        sign_module_ms: Number(oursMs.toFixed(2)),
        osslsigncode_per_file_ms: Number(osslMs.toFixed(2)),
        ratio_ts_to_osslsigncode: Number((oursMs / osslMs).toFixed(4)),
        tamperings: tamperCount,
        rejected_ours: oursRejected,
        rejected_osslsigncode: osslRejected,
      }),
    );
    if (accepted.length) process.exitCode = 1;
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
