/**
 * What every emitter returns: files, by path relative to the output root (`generated/`), with the bytes
 * decided here and nowhere else. Emitters are pure (model in, artifacts out); only write.ts touches disk.
 */
export type Encoding = 'utf8-bom' | 'utf8';
export type LineEnding = 'crlf' | 'lf';

export interface Artifact {
  /** Path under the output root, with forward slashes, e.g. `VmmBackup/Public/Backup-VmmDatabase.ps1`. */
  readonly path: string;
  /** Text with `\n` line ends; write.ts applies `eol` and `encoding`. */
  readonly text: string;
  readonly encoding: Encoding;
  readonly eol: LineEnding;
}

/** PowerShell and the other files Windows reads: CRLF, UTF-8 with BOM (hashes and parses the same on every code page). */
export function windowsText(path: string, text: string): Artifact {
  return { path, text, encoding: 'utf8-bom', eol: 'crlf' };
}

/** Files read by Node, browsers and YAML/JSON tools: LF, UTF-8 without BOM. */
export function plainText(path: string, text: string): Artifact {
  return { path, text, encoding: 'utf8', eol: 'lf' };
}

/** The exact bytes of an artifact. */
export function artifactBytes(artifact: Artifact): Buffer {
  let text = artifact.text.replace(/\r\n/g, '\n');
  if (!text.endsWith('\n')) text += '\n';
  if (artifact.eol === 'crlf') text = text.replace(/\n/g, '\r\n');
  const body = Buffer.from(text, 'utf8');
  return artifact.encoding === 'utf8-bom' ? Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), body]) : body;
}
