import { ExitCode, type CliErrorJson } from './exit-codes';

/** The stable word of each exit code, used as the JSON error's `kind` when nothing more precise is known. */
const DEFAULT_KIND: Record<number, string> = {
  [ExitCode.Ok]: 'Ok',
  [ExitCode.Failure]: 'Failure',
  [ExitCode.BadInput]: 'BadInput',
  [ExitCode.Environment]: 'Environment',
};

export interface CliErrorOptions {
  /** A stable word naming the failure (`BadInput`, `NotAFolder`, `Overlap`, `Stale`, `EncryptionUnavailable`, …). */
  kind?: string;
  /** Anything a script may want beside the message (file lists, states); printed in the JSON error object. */
  details?: unknown;
}

/** An error meant for the person at the terminal: printed as one line, with the exit code it carries. */
export class CliError extends Error {
  readonly kind: string;
  readonly details?: unknown;
  constructor(
    message: string,
    readonly exitCode: number = ExitCode.Failure,
    options: CliErrorOptions = {},
  ) {
    super(message);
    this.name = 'CliError';
    this.kind = options.kind ?? DEFAULT_KIND[exitCode] ?? 'Failure';
    this.details = options.details;
  }
}

/** Bad input (exit 2): a wrong option value, a missing option, a file where a folder is expected. */
export function badInput(message: string, kind = 'BadInput', details?: unknown): CliError {
  return new CliError(message, ExitCode.BadInput, { kind, details });
}

/** The environment cannot run the command (exit 3): no pwsh, no module, SQL Server unreachable. */
export function environmentError(message: string, kind = 'Environment', details?: unknown): CliError {
  return new CliError(message, ExitCode.Environment, { kind, details });
}

/**
 * Lines such as `At /path/Script.ps1:382 char:49` and `   at fn (file.js:1:2)` say where code failed, not what
 * the user should do: they are shown only with --debug.
 */
export function stripInternalPositions(message: string): string {
  return message
    .split(/\r?\n/)
    .filter((line) => !/^\s*At .+:\d+ char:\d+\s*$/.test(line) && !/^\s+at .+(:\d+:\d+\)?|\(native\)|<anonymous>\)?)\s*$/.test(line) && !/^\s*\+ /.test(line))
    .join('\n')
    .trimEnd();
}

/** The exit code an error carries: a CliError's own, 1 for anything else. */
export function exitCodeOf(error: unknown): number {
  return error instanceof CliError ? error.exitCode : ExitCode.Failure;
}

/** One line for the terminal; the stack only when --debug is given. */
export function formatError(error: unknown, debug: boolean): string {
  if (error instanceof Error) {
    if (debug && error.stack) return error.stack;
    return `vmm-backup: ${stripInternalPositions(error.message)}`;
  }
  return `vmm-backup: ${String(error)}`;
}

/** The JSON error object `--json` prints for any error (CliErrorJson); the stack only with --debug. */
export function errorJson(error: unknown, debug: boolean): CliErrorJson {
  const exitCode = exitCodeOf(error) as CliErrorJson['error']['exitCode'];
  const message = error instanceof Error ? (debug ? error.message : stripInternalPositions(error.message)) : String(error);
  const kind = error instanceof CliError ? error.kind : DEFAULT_KIND[exitCode];
  const out: CliErrorJson = { error: { kind, message, exitCode } };
  const details = error instanceof CliError ? error.details : undefined;
  if (details !== undefined) out.error.details = details;
  if (debug && error instanceof Error && error.stack) out.error.details = { ...(typeof details === 'object' && details !== null ? details : details === undefined ? {} : { value: details }), stack: error.stack };
  return out;
}
