/**
 * PowerShell literals for emitted code. Every value the model puts into generated PowerShell goes through
 * these, never through string concatenation: single-quoted strings double every quote character PowerShell
 * accepts as a single quote (', and the typographic U+2018..U+201B).
 */
const SINGLE_QUOTES = /['\u2018\u2019\u201A\u201B]/g;

export function psString(value: string): string {
  return `'${value.replace(SINGLE_QUOTES, (q) => q + q)}'`;
}

export function psStringArray(values: readonly string[]): string {
  return values.length === 0 ? '@()' : `@(${values.map(psString).join(', ')})`;
}

export function psValue(value: unknown): string {
  if (value === null || value === undefined) return '$null';
  if (typeof value === 'boolean') return value ? '$true' : '$false';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`cannot write ${value} as a PowerShell literal`);
    return String(value);
  }
  if (typeof value === 'string') return psString(value);
  if (Array.isArray(value)) return value.length === 0 ? '@()' : `@(${value.map(psValue).join(', ')})`;
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>);
    return `[ordered]@{ ${entries.map(([k, v]) => `${psKey(k)} = ${psValue(v)}`).join('; ')} }`;
  }
  throw new Error(`cannot write a ${typeof value} as a PowerShell literal`);
}

function psKey(key: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(key) ? key : psString(key);
}

/** Text safe inside a comment-based help block (no closing `#>`), one line. */
export function helpText(value: string): string {
  return value.replace(/#>/g, '# >').replace(/\r?\n/g, ' ');
}

/** Wraps prose at `width` columns, each line prefixed with `indent`. */
export function wrap(text: string, width: number, indent: string): string {
  const words = text.split(/\s+/).filter(Boolean);
  const lines: string[] = [];
  let line = '';
  for (const word of words) {
    // A help line that starts with "." reads as a help keyword, and an unknown keyword voids the whole
    // comment-based help block: never break before such a word.
    if (line && indent.length + line.length + 1 + word.length > width && !word.startsWith('.')) {
      lines.push(indent + line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  if (line) lines.push(indent + line);
  return lines.join('\n');
}
