/** An error meant for the person at the terminal: printed as one line, with the exit code it carries. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

/** One line for the terminal; the stack only when --debug is given. */
export function formatError(error: unknown, debug: boolean): string {
  if (error instanceof Error) {
    if (debug && error.stack) return error.stack;
    return `vmm-backup: ${error.message}`;
  }
  return `vmm-backup: ${String(error)}`;
}
