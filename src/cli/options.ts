/**
 * Checks of option values shared by the commands, so every bad value is answered the same way: the option
 * as the user typed it, what it takes, and exit code 2.
 */
import * as fs from 'node:fs';
import { badInput } from './errors';

export interface NumberRule {
  min?: number;
  max?: number;
  /** Whole numbers only. */
  integer?: boolean;
  /** Strictly above `min` (for "a positive number"). */
  aboveMin?: boolean;
}

function describe(rule: NumberRule): string {
  const what = rule.integer ? 'a whole number' : 'a number';
  if (rule.min !== undefined && rule.max !== undefined) return rule.aboveMin ? `${what} above ${rule.min} and at most ${rule.max}` : `${what} from ${rule.min} to ${rule.max}`;
  if (rule.min !== undefined) return rule.aboveMin ? `${what} above ${rule.min}` : `${what} of at least ${rule.min}`;
  return what;
}

/** A yargs `coerce` for a number option: `--port 99999` → "--port takes a whole number from 1 to 65535, not 99999". */
export function numberIn(option: string, rule: NumberRule): (value: unknown) => number | undefined {
  return (value: unknown) => {
    if (value === undefined) return undefined;
    if (Array.isArray(value)) throw badInput(`--${option} was given ${value.length} times; it takes one value`);
    const n = typeof value === 'number' ? value : Number(String(value).trim() === '' ? NaN : value);
    const bad =
      !Number.isFinite(n) ||
      (rule.integer && !Number.isInteger(n)) ||
      (rule.min !== undefined && (rule.aboveMin ? n <= rule.min : n < rule.min)) ||
      (rule.max !== undefined && n > rule.max);
    if (bad) throw badInput(`--${option} takes ${describe(rule)}, ${Number.isNaN(n) ? 'and the value given is not a number' : `not ${String(value)}`}`, 'BadInput', { option: `--${option}`, value: Number.isNaN(n) ? null : value });
    return n;
  };
}

/** A yargs `coerce` for a text option that must not be empty (`--database ""`). */
export function nonEmpty(option: string): (value: unknown) => string | undefined {
  return (value: unknown) => {
    if (value === undefined) return undefined;
    if (Array.isArray(value)) throw badInput(`--${option} was given ${value.length} times; it takes one value`);
    const text = String(value);
    if (text.trim() === '') throw badInput(`--${option} needs a value`, 'BadInput', { option: `--${option}` });
    return text;
  };
}

/**
 * An existing file for an option (a PEM, a PFX): a missing one and a folder are told apart, exit 2.
 */
export function existingFile(option: string, file: string): string {
  const stat = fs.statSync(file, { throwIfNoEntry: false });
  if (!stat) throw badInput(`${option} ${file} does not exist`, 'NotFound', { option, path: file });
  if (stat.isDirectory()) throw badInput(`${option} ${file} is a folder; a file is expected`, 'NotAFile', { option, path: file });
  return file;
}

/** An existing folder for an option or argument: a missing one and a file are told apart, exit 2. */
export function existingFolder(what: string, dir: string, hint = ''): string {
  const stat = fs.statSync(dir, { throwIfNoEntry: false });
  if (!stat) throw badInput(`${what} ${dir} does not exist${hint}`, 'NotFound', { path: dir });
  if (!stat.isDirectory()) throw badInput(`${what} ${dir} is a file; a folder is expected`, 'NotAFolder', { path: dir });
  return dir;
}
