/**
 * Paths that stay where they are meant to: real paths (links resolved) before any overlap check, and no
 * write through a link found inside a destination. Used by generate, sign and pack.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export class UnsafePathError extends Error {
  constructor(
    message: string,
    /** `Overlap`, `LinkInDestination`, `NotAFolder`, `ForeignFolder`. */
    readonly kind: string,
  ) {
    super(message);
    this.name = 'UnsafePathError';
  }
}

const caseless = process.platform === 'win32' || process.platform === 'darwin';
const same = (a: string, b: string) => (caseless ? a.toLowerCase() === b.toLowerCase() : a === b);

/**
 * The real path of `p` even when it does not exist yet: the deepest existing ancestor is resolved (links,
 * junctions), and the rest appended.
 */
export function realPath(p: string): string {
  let existing = path.resolve(p);
  const rest: string[] = [];
  for (;;) {
    try {
      return path.join(fs.realpathSync.native(existing), ...rest.reverse());
    } catch {
      const parent = path.dirname(existing);
      if (parent === existing) return path.join(existing, ...rest.reverse());
      rest.push(path.basename(existing));
      existing = parent;
    }
  }
}

/** `inner` is `outer` or below it (both real paths). */
export function isWithin(inner: string, outer: string): boolean {
  const rel = path.relative(outer, inner);
  if (rel === '') return true;
  if (caseless && same(inner, outer)) return true;
  return !rel.startsWith('..') && !path.isAbsolute(rel);
}

/**
 * Refuses an output folder that is the input, inside it, or holds it (compared as real paths, so a link to
 * the input is the input). `what` names the two in the message, e.g. ['input folder', 'output folder'].
 */
export function assertSeparate(input: string, output: string, names: [string, string] = ['input folder', 'output folder']): void {
  const a = realPath(input);
  const b = realPath(output);
  if (isWithin(b, a)) throw new UnsafePathError(`the ${names[1]} ${output} is ${same(a, b) ? 'the' : 'inside the'} ${names[0]} ${input}${b !== path.resolve(output) ? ` (it resolves to ${b})` : ''}; choose an ${names[1]} outside it`, 'Overlap');
  if (isWithin(a, b)) throw new UnsafePathError(`the ${names[1]} ${output} holds the ${names[0]} ${input}${a !== path.resolve(input) ? ` (it resolves to ${a})` : ''}; choose an ${names[1]} outside it`, 'Overlap');
}

/**
 * Refuses to write `rel` under `root` when any part of the way (a folder or the file itself) is a link: a
 * link inside a destination would send the write elsewhere. `checked` caches folders already seen.
 */
export function assertNoLinkOnTheWay(root: string, rel: string, checked: Set<string> = new Set()): void {
  const parts = rel.split(/[\\/]/).filter(Boolean);
  let current = root;
  for (const part of parts) {
    current = path.join(current, part);
    if (checked.has(current)) continue;
    const stat = fs.lstatSync(current, { throwIfNoEntry: false });
    if (!stat) return;
    if (stat.isSymbolicLink()) {
      let target = '';
      try {
        target = fs.readlinkSync(current);
      } catch {
        target = '?';
      }
      throw new UnsafePathError(`refusing to write through the link ${current} (it points to ${target}) inside ${root}: remove the link or choose another folder`, 'LinkInDestination');
    }
    if (stat.isDirectory()) checked.add(current);
  }
}

/** A destination folder that must be a folder when it exists (`--out file.txt` is refused, not overwritten). */
export function assertFolderOrAbsent(dir: string, what = 'output folder'): void {
  const stat = fs.statSync(dir, { throwIfNoEntry: false });
  if (stat && !stat.isDirectory()) throw new UnsafePathError(`the ${what} ${dir} is a file; a folder is expected`, 'NotAFolder');
}
