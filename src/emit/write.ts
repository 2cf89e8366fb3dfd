import * as fs from 'node:fs';
import * as path from 'node:path';
import { Artifact, artifactBytes } from './artifact';

export interface WriteReport {
  written: string[];
  unchanged: string[];
  removed: string[];
}

/**
 * Writes artifacts under `outDir`, touching only files whose bytes change, and removes files under the
 * given owned folders that no artifact produced any more (so a renamed cmdlet leaves no stale file).
 */
export function writeArtifacts(outDir: string, artifacts: readonly Artifact[], ownedDirs: readonly string[]): WriteReport {
  const report: WriteReport = { written: [], unchanged: [], removed: [] };
  const wanted = new Set<string>();
  for (const artifact of artifacts) {
    if (wanted.has(artifact.path)) throw new Error(`two emitters produced ${artifact.path}`);
    wanted.add(artifact.path);
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
    const temp = `${target}.tmp-${process.pid}`;
    fs.writeFileSync(temp, bytes);
    fs.renameSync(temp, target);
    report.written.push(artifact.path);
  }
  for (const owned of ownedDirs) {
    for (const file of listFiles(path.join(outDir, owned))) {
      const rel = path.relative(outDir, file).split(path.sep).join('/');
      if (!wanted.has(rel)) {
        fs.rmSync(file);
        report.removed.push(rel);
      }
    }
  }
  return report;
}

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
