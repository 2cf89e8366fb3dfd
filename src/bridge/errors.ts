/**
 * Errors the bridge rejects with. Every rejection is one of these, so callers can tell a PowerShell error
 * (the command failed) from a timeout, a crashed process, an invalid result or a disposed bridge.
 */

/** One PowerShell ErrorRecord, as the dispatcher serialises it. */
export interface PowerShellErrorRecord {
  /** Full .NET type name of the exception, e.g. `System.Management.Automation.RuntimeException`. */
  readonly type: string;
  /** Type of the innermost exception (e.g. the .NET exception inside a MethodInvocationException). */
  readonly innerType: string;
  readonly message: string;
  /** ErrorDetails.Message, when the command set one (PowerShell shows it instead of the message). */
  readonly details: string | null;
  readonly fullyQualifiedErrorId: string;
  /** ErrorCategory name, e.g. `InvalidArgument`. */
  readonly category: string;
  readonly targetName: string;
  /** InvocationInfo.PositionMessage: file, line, column and the offending text. */
  readonly scriptPosition: string | null;
  readonly scriptName: string | null;
  readonly line: number | null;
  readonly column: number | null;
  readonly scriptStackTrace: string | null;
}

export class BridgeError extends Error {
  constructor(
    message: string,
    /** The command the failed call ran, when there was one. */
    readonly command?: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** The command failed in PowerShell (a terminating error, or an error with -ErrorAction Stop). */
export class PowerShellError extends BridgeError {
  readonly exceptionType: string;
  readonly innerExceptionType: string;
  readonly fullyQualifiedErrorId: string;
  readonly category: string;
  readonly targetName: string;
  readonly scriptPosition: string | null;
  readonly scriptStackTrace: string | null;
  readonly details: string | null;
  constructor(
    command: string,
    readonly record: PowerShellErrorRecord,
    /** Every error record of the call (the stopping one last). */
    readonly records: readonly PowerShellErrorRecord[] = [record],
    /** The code the command gave to `exit`, when it ended that way (else null). */
    readonly exitCode: number | null = null,
  ) {
    super(`${command}: ${record.details ?? record.message} (${record.fullyQualifiedErrorId})`, command);
    this.exceptionType = record.type;
    this.innerExceptionType = record.innerType;
    this.fullyQualifiedErrorId = record.fullyQualifiedErrorId;
    this.category = record.category;
    this.targetName = record.targetName;
    this.scriptPosition = record.scriptPosition;
    this.scriptStackTrace = record.scriptStackTrace;
    this.details = record.details;
  }
}

/**
 * The call did not finish within its timeout, counted from the call (time waiting in a queue included).
 * When it was running, its PowerShell process was killed (and is restarted); when it was still waiting, it
 * never ran.
 */
export class BridgeTimeoutError extends BridgeError {
  constructor(
    command: string,
    readonly timeoutMs: number,
    /** True when the call was still waiting for a process and never ran. */
    readonly queued = false,
  ) {
    super(
      queued
        ? `${command} did not start within ${timeoutMs} ms (it waited behind other calls) and was not run`
        : `${command} did not finish within ${timeoutMs} ms; its PowerShell process was killed`,
      command,
    );
  }
}

/** The PowerShell process could not start, or exited while calls were pending. */
export class BridgeProcessError extends BridgeError {
  constructor(
    message: string,
    command?: string,
    readonly exitCode: number | null = null,
    readonly signal: string | null = null,
    /** The last lines PowerShell wrote to standard error, for diagnosis. */
    readonly stderr = '',
  ) {
    super(message, command);
  }
}

/** The command's output does not match the JSON schema of its output. */
export class BridgeValidationError extends BridgeError {
  constructor(
    command: string,
    /** Where the mismatch is, e.g. `output[0].Order`. */
    readonly field: string,
    readonly problem: string,
    readonly output: readonly unknown[],
  ) {
    super(`${command} returned output that does not match its schema: ${field} ${problem}`, command);
  }
}

/** The session or pool was disposed before the call completed. */
export class BridgeDisposedError extends BridgeError {
  constructor(command?: string) {
    super(command ? `${command}: the PowerShell bridge was disposed` : 'the PowerShell bridge was disposed', command);
  }
}

/** The session refused the call before anything ran (a command it does not allow, or one without a schema). */
export class BridgeRefusedError extends BridgeError {
  constructor(
    command: string,
    readonly reason: string,
  ) {
    super(`${command}: refused before running: ${reason}`, command);
  }
}

/** The answer would pass a limit (`maxValues`, `maxResultBytes`); nothing of the output is returned. */
export class BridgeLimitError extends BridgeError {
  constructor(
    command: string,
    /** The option that sets the limit. */
    readonly limit: string,
    message: string,
  ) {
    super(`${command}: ${message}`, command);
  }
}

/** The request could not be sent or read (e.g. parameter names that differ only in case). */
export class BridgeRequestError extends BridgeError {}

/** The channel carried something that is not a frame of the protocol; the process is killed. */
export class BridgeProtocolError extends BridgeError {}

/**
 * The call was stopped by its AbortSignal: PowerShell stopped the command (StopProcessing, as Ctrl-C does)
 * or, when it did not stop within the grace period, its process was killed.
 */
export class BridgeAbortedError extends BridgeError {
  constructor(
    command: string,
    /** True when the command did not stop in time and its process was killed. */
    readonly killed: boolean,
    /** The signal's reason. */
    readonly reason?: unknown,
  ) {
    super(`${command}: stopped${killed ? ' (it did not stop in time; its PowerShell process was killed)' : ''}`, command);
  }
}

/** PowerShell could not be started, did not start in time, or a module failed to import. */
export class BridgeStartError extends BridgeProcessError {}
