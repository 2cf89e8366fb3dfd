import * as fs from 'node:fs';
import * as path from 'node:path';
import { Artifact, artifactBytes } from './artifact';
import { assertFolderOrAbsent, assertNoLinkOnTheWay, UnsafePathError } from './safe-path';

export interface WriteReport {
  written: string[];
  unchanged: string[];
  /** Files this generation wrote before and no longer produces (only those are ever removed). */
  removed: string[];
  /** Files in the owned folders that generate did not write: left alone. */
  kept: string[];
}

/** The record of the files generate wrote into an output folder: it removes only files listed there. */
export const GENERATED_RECORD = '.vmm-backup-generated';
const RECORD_HEADER = '# Files written by `vmm-backup generate` into this folder. It removes only files listed here. Do not edit.';

/** The paths listed in a folder's record, or undefined when it has none (or one it cannot read). */
export function readRecord(outDir: string): Set<string> | undefined {
  let text: string;
  try {
    const file = path.join(outDir, GENERATED_RECORD);
    if (fs.lstatSync(file).isSymbolicLink()) return undefined;
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  const lines = text.split('\n');
  if (lines[0] !== RECORD_HEADER) return undefined;
  const paths = lines.slice(1).filter((l) => l !== '');
  if (paths.some((p) => p.startsWith('/') || p.split('/').includes('..') || /[<>=|]{7}/.test(p))) return undefined;
  return new Set(paths);
}

function recordText(paths: Iterable<string>): string {
  return [RECORD_HEADER, ...[...paths].sort()].join('\n') + '\n';
}

/**
 * Writes artifacts under `outDir`, touching only files whose bytes change, and removes the files an earlier
 * generation wrote there (listed in its record) that no artifact produces any more. A file it did not write
 * is never removed. A folder that holds anything but generated files and has no record is refused, and so is
 * a write through a link inside `outDir`. `ownedDirs` are the folders scanned to report files left alone.
 */
export function writeArtifacts(outDir: string, artifacts: readonly Artifact[], ownedDirs: readonly string[]): WriteReport {
  const report: WriteReport = { written: [], unchanged: [], removed: [], kept: [] };
  assertFolderOrAbsent(outDir);
  const wanted = new Set<string>();
  for (const artifact of artifacts) {
    if (wanted.has(artifact.path)) throw new Error(`two emitters produced ${artifact.path}`);
    wanted.add(artifact.path);
  }
  const previous = readRecord(outDir);
  if (!previous) {
    const foreign = listFiles(outDir)
      .map((f) => path.relative(outDir, f).split(path.sep).join('/'))
      .filter((rel) => !wanted.has(rel) && rel !== GENERATED_RECORD);
    if (foreign.length) {
      const shown = foreign.slice(0, 5).join(', ') + (foreign.length > 5 ? `, and ${foreign.length - 5} more` : '');
      throw new UnsafePathError(
        `refusing to generate into ${outDir}: it holds ${foreign.length} file(s) that generate did not write (${shown}) and no record (${GENERATED_RECORD}) of an earlier generation; choose an empty or new folder`,
        'ForeignFolder',
      );
    }
  }
  const checked = new Set<string>();
  for (const artifact of artifacts) {
    assertNoLinkOnTheWay(outDir, artifact.path, checked);
    const target = path.join(outDir, ...artifact.path.split('/'));
    const bytes = artifactBytes(artifact);
    let current: Buffer | undefined;
    try {
      current = fs.readFileSync(target);
    } catch {
      current = undefined;
    }
    if (current && current.equals(bytes)) {
      report.unchanged.push(artifact.path);
      continue;
    }
    fs.mkdirSync(path.dirname(target), { recursive: true });
    writeAtomically(target, bytes);
    report.written.push(artifact.path);
  }
  for (const rel of [...(previous ?? [])].sort()) {
    if (wanted.has(rel) || rel === GENERATED_RECORD) continue;
    const file = path.join(outDir, ...rel.split('/'));
    assertNoLinkOnTheWay(outDir, rel, checked);
    if (!fs.statSync(file, { throwIfNoEntry: false })?.isFile()) continue;
    fs.rmSync(file);
    report.removed.push(rel);
  }
  for (const owned of ownedDirs) {
    for (const file of listFiles(path.join(outDir, owned))) {
      const rel = path.relative(outDir, file).split(path.sep).join('/');
      if (!wanted.has(rel) && !report.removed.includes(rel)) report.kept.push(rel);
    }
  }
  report.kept.sort();
  const record = recordText(wanted);
  const recordFile = path.join(outDir, GENERATED_RECORD);
  assertNoLinkOnTheWay(outDir, GENERATED_RECORD, checked);
  let currentRecord: string | undefined;
  try {
    currentRecord = fs.readFileSync(recordFile, 'utf8');
  } catch {
    currentRecord = undefined;
  }
  if (currentRecord !== record) {
    fs.mkdirSync(outDir, { recursive: true });
    writeAtomically(recordFile, Buffer.from(record));
  }
  return report;
}

/** Write beside the target and rename over it; the temporary name is created new (never through a link). */
function writeAtomically(target: string, bytes: Buffer): void {
  const temp = `${target}.tmp-${process.pid}`;
  fs.rmSync(temp, { force: true });
  fs.writeFileSync(temp, bytes, { flag: 'wx' });
  fs.renameSync(temp, target);
}

/** Every file and link under `dir` (links are listed, never followed). */
function listFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...listFiles(full));
    else out.push(full);
  }
  return out.sort();
}
