/**
 * PowerShell literals for emitted code. Every value the model puts into generated PowerShell goes through
 * these, never through string concatenation: single-quoted strings double every quote character PowerShell
 * accepts as a single quote (', and the typographic U+2018..U+201B).
 */
import { type DefaultValue, type ModelType, TYPE_TABLE } from '../model/type-table';

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

/**
 * A typed default value of a parameter as a PowerShell expression, by the kind the type table gives its type:
 * strings single-quoted (quotes doubled), numbers as they are, `$true`/`$false`, arrays as `@(...)`, a
 * datetime as a cast of its text (`[datetime]'01:00'`).
 */
export function psDefault(type: ModelType, value: DefaultValue): string {
  const kind = TYPE_TABLE[type].default;
  if (kind === 'none') throw new Error(`a ${type} parameter takes no default`);
  if (kind === 'datetime') return `[datetime]${psString(String(value))}`;
  return psValue(value);
}

/** How help states a default: a string as it is, any other value as PowerShell writes it. */
export function psDefaultHelp(type: ModelType, value: DefaultValue): string {
  return TYPE_TABLE[type].default === 'string' && typeof value === 'string' ? value : psDefault(type, value);
}

/**
 * A PowerShell hashtable literal (`@{ }`, not ordered) of plain data, one key a line, nested tables indented,
 * keys aligned; an array of tables puts one inline table a line. `indent` is the indentation of the line the
 * literal starts on.
 */
export function psHashtable(value: Readonly<Record<string, unknown>>, indent: string): string {
  const inner = `${indent}    `;
  const entries = Object.entries(value);
  if (entries.length === 0) return '@{}';
  const width = Math.max(...entries.map(([k]) => psKey(k).length));
  const lines = entries.map(([k, v]) => `${inner}${psKey(k).padEnd(width)} = ${psData(v, inner)}`);
  return `@{\n${lines.join('\n')}\n${indent}}`;
}

function psData(value: unknown, indent: string): string {
  if (isTable(value)) return psHashtable(value, indent);
  if (Array.isArray(value) && value.length > 0 && value.every(isTable)) {
    const items = value.map((t) => `${indent}    @{ ${Object.entries(t).map(([k, v]) => `${psKey(k)} = ${psValue(v)}`).join('; ')} }`);
    return `@(\n${items.join('\n')}\n${indent})`;
  }
  return psValue(value);
}

function isTable(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
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

/** An argument of an attribute, `Key = value`, the value already PowerShell (a quoted string, a number, $true). */
export interface NamedArgument {
  readonly key: string;
  readonly value: string;
}

/** One attribute for templates/module/_attribute.ps1.hbs: `[name(named..., values...)]`. */
export interface AttributeView {
  readonly name: string;
  readonly named: readonly NamedArgument[];
  readonly values: readonly string[];
}

export function attributeView(name: string, named: readonly NamedArgument[] = [], values: readonly string[] = []): AttributeView {
  return { name, named, values };
}
