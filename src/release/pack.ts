/**
 * `npm run pack`: the signed module folder → `<Name>.<version>.nupkg` + `SHA256SUMS` beside it.
 */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { assertNoLinkOnTheWay, assertSeparate, UnsafePathError } from '../emit/safe-path';
import { Certificate, verifyPath, type VerifyFileResult } from '../sign';
import { readModuleManifest, type ModuleManifest } from './manifest';
import { buildNupkg, moduleFiles } from './nupkg';

/** Time stamp of every entry when SOURCE_DATE_EPOCH is not set. */
export const DEFAULT_ENTRY_TIME = new Date(Date.UTC(2000, 0, 1, 0, 0, 0));

export interface PackOptions {
  /** The module folder (its name is the module name; it holds <Name>.psd1). */
  moduleDir: string;
  outDir: string;
  /** Pack even when script files carry no signature (a broken signature is always refused). */
  allowUnsigned?: boolean;
  /** PEM roots to check the signer chain against (else only the signatures and hashes are checked). */
  caFile?: string;
  /** Entry time stamp; default SOURCE_DATE_EPOCH, else DEFAULT_ENTRY_TIME. */
  modified?: Date;
}

export interface PackResult {
  nupkg: string;
  sha256: string;
  sumsFile: string;
  size: number;
  id: string;
  version: string;
  entries: string[];
  signed: { valid: number; unsigned: string[] };
  manifest: ModuleManifest;
}

export class PackError extends Error {
  constructor(
    message: string,
    /** What was wrong with the input, when it was the input (`NotFound`, `NotAFolder`, `Overlap`, `LinkInDestination`). */
    readonly inputKind?: string,
  ) {
    super(message);
    this.name = 'PackError';
  }
}

export function entryTime(): Date {
  const epoch = process.env.SOURCE_DATE_EPOCH;
  if (epoch === undefined || epoch === '') return DEFAULT_ENTRY_TIME;
  if (!/^\d+$/.test(epoch)) throw new PackError(`SOURCE_DATE_EPOCH must be whole seconds since 1970, not '${epoch}'`);
  const date = new Date(Number(epoch) * 1000);
  return date.getUTCFullYear() < 1980 ? DEFAULT_ENTRY_TIME : date;
}

/** Check the signatures of every script file and catalog; unsigned ones are listed, broken ones refused. */
export function checkSigned(dir: string, allowUnsigned: boolean, caFile?: string): { valid: number; unsigned: string[] } {
  let results: VerifyFileResult[];
  try {
    const roots = caFile ? Certificate.fromPem(fs.readFileSync(caFile, 'utf8')) : undefined;
    results = verifyPath(dir, roots ? { roots } : {});
  } catch (e) {
    throw new PackError(`cannot check the signatures in ${dir}: ${(e as Error).message}`);
  }
  const unsigned = results.filter((r) => r.status === 'NotSigned').map((r) => r.file);
  const broken = results.filter((r) => r.status !== 'Valid' && r.status !== 'NotSigned');
  if (broken.length) {
    throw new PackError(`refusing to pack ${dir}: ${broken.map((r) => `${r.file} is ${r.status}${r.reason ? ` (${r.reason})` : ''}`).join('; ')}`);
  }
  if (unsigned.length && !allowUnsigned) {
    const shown = unsigned.slice(0, 5).join(', ') + (unsigned.length > 5 ? `, and ${unsigned.length - 5} more` : '');
    throw new PackError(`refusing to pack an unsigned module: ${unsigned.length} file(s) have no signature (${shown}); run npm run sign first, or pass --allow-unsigned`);
  }
  return { valid: results.length - unsigned.length, unsigned };
}

export function packModule(options: PackOptions): PackResult {
  const dir = path.resolve(options.moduleDir);
  const stat = fs.statSync(dir, { throwIfNoEntry: false });
  if (!stat) throw new PackError(`no module folder at ${dir}${/signed/.test(dir) ? ' (run npm run sign first)' : ''}`, 'NotFound');
  if (!stat.isDirectory()) throw new PackError(`${dir} is a file; the module folder (named like the module, holding <Name>.psd1) is expected`, 'NotAFolder');
  const outDir = path.resolve(options.outDir);
  const outStat = fs.statSync(outDir, { throwIfNoEntry: false });
  if (outStat && !outStat.isDirectory()) throw new PackError(`the output folder ${outDir} is a file; a folder is expected`, 'NotAFolder');
  try {
    assertSeparate(dir, outDir, ['module folder', 'output folder']);
  } catch (e) {
    if (e instanceof UnsafePathError) throw new PackError(e.message, e.kind);
    throw e;
  }
  const name = path.basename(dir);
  const manifestPath = path.join(dir, `${name}.psd1`);
  if (!fs.existsSync(manifestPath)) throw new PackError(`${dir} has no manifest ${name}.psd1 (the folder must be named like the module)`);
  const signed = checkSigned(dir, !!options.allowUnsigned, options.caFile);
  let manifest: ModuleManifest;
  try {
    manifest = readModuleManifest(manifestPath);
  } catch (e) {
    throw new PackError((e as Error).message);
  }
  const files = moduleFiles(dir);
  if (manifest.requireLicenseAcceptance && !files.some((f) => f.path.toLowerCase() === 'license.txt')) {
    throw new PackError('RequireLicenseAcceptance is true but the module has no License.txt at its root (PowerShellGet requires one)');
  }
  let built;
  try {
    built = buildNupkg(manifest, files, options.modified ?? entryTime());
  } catch (e) {
    throw new PackError((e as Error).message);
  }
  try {
    const checked = new Set<string>();
    assertNoLinkOnTheWay(outDir, built.fileName, checked);
    assertNoLinkOnTheWay(outDir, 'SHA256SUMS', checked);
  } catch (e) {
    if (e instanceof UnsafePathError) throw new PackError(e.message, e.kind);
    throw e;
  }
  fs.mkdirSync(outDir, { recursive: true });
  const nupkg = path.join(outDir, built.fileName);
  fs.writeFileSync(nupkg, built.bytes);
  const sha256 = crypto.createHash('sha256').update(built.bytes).digest('hex');
  const sumsFile = path.join(outDir, 'SHA256SUMS');
  fs.writeFileSync(sumsFile, `${sha256}  ${built.fileName}\n`);
  return {
    nupkg,
    sha256,
    sumsFile,
    size: built.bytes.length,
    id: manifest.name,
    version: built.fileName.slice(manifest.name.length + 1, -'.nupkg'.length),
    entries: built.entries,
    signed,
    manifest,
  };
}
