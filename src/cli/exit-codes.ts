/**
 * The exit codes of every `vmm-backup` command: one table, the same one the README prints. A command never
 * invents a code of its own; what kind of failure it was travels in the JSON error object's `kind`.
 */
export const ExitCode = {
  /** Everything asked for succeeded, and every state reported was checked and is good. */
  Ok: 0,
  /** A failure: an error, or a reported state that is not good (Failed, Missing, Corrupt, Stale, Unverified). */
  Failure: 1,
  /** Bad input: unknown or missing options, values out of range, a file where a folder is expected. */
  BadInput: 2,
  /** The environment cannot run the command: no pwsh, no module, no VMM, SQL Server unreachable. */
  Environment: 3,
} as const;

export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/**
 * What `--json` prints on standard output for any error, as one JSON object (and nothing else on stdout).
 * `kind` names the failure in a stable word (for example `BadInput`, `Timeout`, `SchemaMismatch`, `Stale`).
 */
export interface CliErrorJson {
  error: {
    kind: string;
    message: string;
    exitCode: ExitCode;
    details?: unknown;
  };
}

/** The table as every command's --help prints it (and as the README shows it). */
export const EXIT_CODE_HELP = [
  'Exit codes (every command):',
  '  0  all good: everything asked for succeeded, every state reported was checked and is good',
  '  1  a failure, or a state that is not good (Failed, Missing, Corrupt, Stale, not Valid)',
  '  2  bad input: unknown or missing options, values out of range, a file where a folder is expected',
  '  3  environment: no pwsh, no module, no VMM, SQL Server unreachable or without encryption',
  'With --json, an error prints one object on standard output: {"error":{"kind","message","exitCode","details"?}}.',
].join('\n');
