/** osslsigncode as the compatibility oracle for the signing tests and the bench. */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface OsslResult {
  ok: boolean;
  output: string;
}

export function osslsigncode(args: string[]): OsslResult {
  const r = spawnSync('osslsigncode', args, { encoding: 'utf8' });
  if (r.error) throw r.error;
  const output = `${r.stdout}${r.stderr}`;
  return { ok: r.status === 0 && /Succeeded/.test(output), output };
}

/** Verify `bytes` (written to `dir` under `name`, whose extension tells osslsigncode the format). */
export function osslVerifyBytes(dir: string, name: string, bytes: Buffer, caFile: string, tsaCaFile?: string): OsslResult {
  const file = path.join(dir, name);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, bytes);
  return osslVerifyFile(file, caFile, tsaCaFile);
}

export function osslVerifyFile(file: string, caFile: string, tsaCaFile?: string): OsslResult {
  return osslsigncode(['verify', '-CAfile', caFile, ...(tsaCaFile ? ['-TSA-CAfile', tsaCaFile] : []), '-in', file]);
}
