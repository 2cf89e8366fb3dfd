/**
 * Authenticode signing of PowerShell files, in TypeScript: sign, verify and unsign scripts, and build signed
 * file catalogs. File- and folder-level entry points live here; see README.md beside this file.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { removeSignature, signScript, verifyScript, type SignOptions, type VerifyOptions, type VerifyResult } from './authenticode';
import { buildCatalog, verifyCatalog, type CatalogEntry } from './catalog';
import { styleFor, SCRIPT_FORMATS } from './script';
import type { Signer } from './keys';

export * from './authenticode';
export * from './catalog';
export * from './keys';
export { normaliseScript, splitScript, styleFor, SCRIPT_FORMATS, ScriptError } from './script';
export { Certificate, buildChain } from './x509';
export { readPkcs12, Pkcs12Error } from './pkcs12';
export { TimestampError } from './timestamp';
export type { HashName } from './oids';
export type { IncludeChain } from './pkcs7';

/** Every file under `dir` (relative paths with '/'), sorted. */
export function listFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (rel: string) => {
    for (const e of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(r);
      else if (e.isFile()) out.push(r);
    }
  };
  walk('');
  return out.sort();
}

export interface SignFileResult {
  file: string;
  action: 'signed' | 'copied' | 'catalog' | 'unsigned';
  changes: string[];
}

export interface SignPathOptions extends SignOptions {
  /** Write a signed catalog of the output folder under this name (folder input only). */
  catalog?: string;
  /** Remove signatures instead of signing (signer not needed). */
  remove?: boolean;
  /** Date recorded in the catalog (default now). */
  catalogDate?: Date;
}

/**
 * Sign a file or every signable file in a folder into `outDir` (other files are copied unchanged, so the
 * output is a complete copy). With `remove`, write the files without their signature blocks instead.
 */
export async function signPath(input: string, outDir: string, signer: Signer | undefined, options: SignPathOptions = {}): Promise<SignFileResult[]> {
  const stat = fs.statSync(input);
  const root = stat.isDirectory() ? input : path.dirname(input);
  const files = stat.isDirectory() ? listFiles(input) : [path.basename(input)];
  if (path.resolve(outDir) === path.resolve(root)) throw new Error('the output folder must differ from the input folder');
  const results: SignFileResult[] = [];
  for (const rel of files) {
    const src = path.join(root, rel);
    const dst = path.join(outDir, rel);
    fs.mkdirSync(path.dirname(dst), { recursive: true });
    const style = styleFor(rel);
    const bytes = fs.readFileSync(src);
    if (!style || (options.catalog && rel.toLowerCase() === options.catalog.toLowerCase())) {
      if (stat.isFile()) throw new Error(`${rel} is not a file the PowerShell SIP signs (${Object.keys(SCRIPT_FORMATS).join(', ')})`);
      fs.writeFileSync(dst, bytes);
      results.push({ file: rel, action: 'copied', changes: [] });
    } else if (options.remove) {
      fs.writeFileSync(dst, removeSignature(bytes, style));
      results.push({ file: rel, action: 'unsigned', changes: [] });
    } else {
      if (!signer) throw new Error('a signer is required');
      const signed = await signScript(bytes, style, signer, options, rel);
      fs.writeFileSync(dst, signed.bytes);
      results.push({ file: rel, action: 'signed', changes: signed.changes });
    }
  }
  if (options.catalog && !options.remove) {
    if (!stat.isDirectory()) throw new Error('a catalog needs a folder input');
    if (!signer) throw new Error('a signer is required');
    const entries = catalogEntries(outDir, options.catalog);
    fs.writeFileSync(path.join(outDir, options.catalog), buildCatalog(entries, signer, options.catalogDate, options.includeChain));
    results.push({ file: options.catalog, action: 'catalog', changes: [] });
  }
  return results;
}

/** The files a catalog in `dir` covers: everything in the folder except the catalog itself. */
export function catalogEntries(dir: string, catalogName: string): CatalogEntry[] {
  return listFiles(dir)
    .filter((f) => f.toLowerCase() !== catalogName.toLowerCase())
    .map((f) => ({ path: f.replace(/\//g, '\\'), bytes: fs.readFileSync(path.join(dir, f)) }));
}

export interface VerifyFileResult extends VerifyResult {
  file: string;
}

/**
 * Verify a file, or every signable file and catalog (.cat) in a folder. A catalog is checked against the
 * files of the folder it sits in.
 */
export function verifyPath(input: string, options: VerifyOptions = {}): VerifyFileResult[] {
  const stat = fs.statSync(input);
  const root = stat.isDirectory() ? input : path.dirname(input);
  const files = stat.isDirectory() ? listFiles(input).filter((f) => styleFor(f) || f.toLowerCase().endsWith('.cat')) : [path.basename(input)];
  return files.map((rel) => {
    const bytes = fs.readFileSync(path.join(root, rel));
    if (rel.toLowerCase().endsWith('.cat')) {
      const catDir = path.join(root, path.dirname(rel));
      const r = verifyCatalog(bytes, options, catalogEntries(catDir, path.basename(rel)));
      return { file: rel, status: r.status, reason: r.reason, signer: r.signer, hash: r.hash, timestamp: r.timestamp, timestampSigner: r.timestampSigner };
    }
    const style = styleFor(rel);
    if (!style) return { file: rel, status: 'UnknownError', reason: 'not a file type the PowerShell SIP handles' };
    return { file: rel, ...verifyScript(bytes, style, options) };
  });
}
