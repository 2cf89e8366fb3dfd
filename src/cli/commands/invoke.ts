import type { CommandModule } from 'yargs';
import { CliError } from '../errors';
import { ExitCode, type CliErrorJson } from '../exit-codes';
import { promptPassword, quietOnClosedPipe, withProgress } from '../terminal';
import {
  BridgeAbortedError,
  BridgeDisposedError,
  BridgeError,
  BridgeLimitError,
  BridgeProcessError,
  BridgeRefusedError,
  BridgeStartError,
  BridgeTimeoutError,
  BridgeValidationError,
  PowerShellError,
  type InvokeResult,
  type PowerShellErrorRecord,
} from '../../bridge';
import { loadModel } from '../../model';
import type { Cmdlet, Parameter } from '../../model/types';
import { createVmmBackupSession, outputSchema } from '../../../generated/typescript';

interface InvokeArgs {
  cmdlet: string;
  json?: boolean;
  debug?: boolean;
  'timeout-ms'?: string | number;
  pwsh?: string;
  'password-env'?: string;
  setExitCode?: (code: number) => void;
  [key: string]: unknown;
}

/** Exit codes of `invoke`: the CLI's one table (src/cli/exit-codes.ts). */
export const EXIT = { ok: ExitCode.Ok, failure: ExitCode.Failure, usage: ExitCode.BadInput, environment: ExitCode.Environment } as const;

const OWN_OPTIONS = new Set(['_', '$0', 'cmdlet', 'json', 'debug', 'help', 'h', 'timeout-ms', 'pwsh', 'password-env', 'setExitCode', 'version']);

function findCmdlet(name: string): Cmdlet {
  const model = loadModel();
  const cmdlet = model.cmdlets.find((c) => c.name.toLowerCase() === name.toLowerCase());
  if (!cmdlet) {
    const near = model.cmdlets.filter((c) => c.name.toLowerCase().includes(name.toLowerCase().replace(/^.*-/, ''))).map((c) => c.name);
    throw new CliError(`unknown cmdlet '${name}'${near.length ? ` (did you mean ${near.join(', ')}?)` : ''}; the module has: ${model.cmdlets.map((c) => c.name).join(', ')}`, EXIT.usage);
  }
  return cmdlet;
}

const COMMON: Parameter[] = [
  { name: 'WhatIf', type: 'switch', help: '' },
  { name: 'Confirm', type: 'switch', help: '' },
];

function asText(name: string, value: unknown): string {
  if (Array.isArray(value)) throw new CliError(`--${name} was given ${value.length} times; it takes one value`, EXIT.usage);
  if (value === true) throw new CliError(`--${name} needs a value`, EXIT.usage);
  return String(value);
}

/** Turns `--Param value` options into typed parameter values by the cmdlet's model (never into script text). */
export async function parseParameters(cmdlet: Cmdlet, args: Record<string, unknown>, passwordEnv = 'VMMBACKUP_PASSWORD'): Promise<Record<string, unknown>> {
  const known = [...cmdlet.parameters, ...(cmdlet.shouldProcess ? COMMON : [])];
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(args)) {
    if (OWN_OPTIONS.has(key) || value === undefined) continue;
    // --ComputerName, --computername and --computer-name name the same parameter.
    const lower = key.toLowerCase().replace(/-/g, '');
    const p = known.find((k) => k.name.toLowerCase() === lower || (k.aliases ?? []).some((a) => a.toLowerCase() === lower));
    if (!p) {
      throw new CliError(`${cmdlet.name} has no parameter -${key}; its parameters: ${known.map((k) => `-${k.name}`).join(' ')}`, EXIT.usage);
    }
    switch (p.type) {
      case 'switch':
      case 'bool': {
        const text = value === true ? 'true' : asText(p.name, value).toLowerCase();
        if (!['true', 'false', '$true', '$false', '1', '0'].includes(text)) throw new CliError(`--${p.name} is ${p.type === 'switch' ? 'a switch' : 'true or false'}, not '${text}'`, EXIT.usage);
        out[p.name] = text === 'true' || text === '$true' || text === '1';
        break;
      }
      case 'int':
      case 'long': {
        const text = asText(p.name, value);
        if (!/^-?\d+$/.test(text)) throw new CliError(`--${p.name} takes a whole number, not '${text}'`, EXIT.usage);
        out[p.name] = Number(text);
        break;
      }
      case 'string[]':
        out[p.name] = (Array.isArray(value) ? value : [value]).map((v) => asText(p.name, v));
        break;
      case 'hashtable':
      case 'object':
      case 'object[]': {
        const text = asText(p.name, value);
        try {
          out[p.name] = JSON.parse(text);
        } catch {
          throw new CliError(`--${p.name} takes JSON (e.g. '{"Key":"Value"}'), and '${text}' is not JSON`, EXIT.usage);
        }
        break;
      }
      case 'pssession[]':
        throw new CliError(`--${p.name} takes PowerShell session objects, which cannot cross from the command line: use --computer-name (and --key-file-path for SSH)`, EXIT.usage);
      case 'pscredential': {
        const user = asText(p.name, value);
        const password = process.env[passwordEnv] ?? (await promptPassword(`Password for ${user} (-${p.name}): `));
        out[p.name] = { UserName: user, Password: password };
        break;
      }
      default:
        out[p.name] = asText(p.name, value);
    }
  }
  return out;
}

/** "At /path/X.ps1:382 char:49" and the lines PowerShell prints under it: internal, shown only with --debug. */
export function withoutScriptPositions(text: string): string {
  return text
    .replace(/(^|\n)\s*At (line:\d+ char:\d+|[^\n]*:\d+ char:\d+)(\n[+|][^\n]*)*/g, '')
    .replace(/\n{2,}/g, '\n')
    .trim();
}

function recordText(record: PowerShellErrorRecord, debug: boolean): string {
  const text = record.details ?? record.message;
  if (!debug) return withoutScriptPositions(text);
  return `${text}${record.scriptPosition ? `\n${record.scriptPosition}` : ''}${record.scriptStackTrace ? `\n${record.scriptStackTrace}` : ''}`;
}

/** States that are not good, by output field, when the cmdlet's output schema allows them. */
const BAD_STATES = new Set(['Failed', 'Fail', 'Stale', 'Missing', 'Corrupt']);

/**
 * The objects whose reported state is not good: a `State` of Failed/Fail/Stale/Missing/Corrupt (where the
 * output schema names such states), a `Failed` count above 0, or `Verified: false` (unless -SkipVerify).
 */
export function notGood(cmdlet: string, output: readonly unknown[], parameters: Record<string, unknown>): string[] {
  const schema = outputSchema(cmdlet) as { properties?: Record<string, { enum?: unknown[] }> } | undefined;
  const stateEnum = schema?.properties?.State?.enum ?? [];
  const stateMatters = stateEnum.some((v) => typeof v === 'string' && BAD_STATES.has(v));
  const reasons: string[] = [];
  output.forEach((item, n) => {
    if (item === null || typeof item !== 'object') return;
    const o = item as Record<string, unknown>;
    const name = typeof o.Name === 'string' ? o.Name : typeof o.Title === 'string' ? o.Title : typeof o.Id === 'string' ? o.Id : `item ${n + 1}`;
    if (stateMatters && typeof o.State === 'string' && BAD_STATES.has(o.State)) reasons.push(`${name}: ${o.State}${typeof o.Reason === 'string' && o.Reason ? ` (${o.Reason})` : ''}`);
    if (typeof o.Failed === 'number' && o.Failed > 0) reasons.push(`${name}: ${o.Failed} failed`);
    if (o.Verified === false && parameters.SkipVerify !== true && parameters.WhatIf !== true) reasons.push(`${name}: not verified`);
  });
  return reasons;
}

function printResult(result: InvokeResult<unknown>, debug: boolean): void {
  for (const w of result.warnings) process.stderr.write(`WARNING: ${w}\n`);
  for (const i of result.information) process.stderr.write(`${i.message}\n`);
  for (const e of result.errors) process.stderr.write(`ERROR: ${recordText(e, debug)} (${e.fullyQualifiedErrorId})\n`);
  result.output.forEach((item, n) => {
    if (n > 0) process.stdout.write('\n');
    if (item !== null && typeof item === 'object' && !Array.isArray(item)) {
      const entries = Object.entries(item as Record<string, unknown>);
      const width = Math.max(...entries.map(([k]) => k.length));
      for (const [k, v] of entries) {
        const text = v === null ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v);
        process.stdout.write(`${k.padEnd(width)} : ${text}\n`);
      }
    } else {
      process.stdout.write(`${typeof item === 'string' ? item : JSON.stringify(item)}\n`);
    }
  });
  process.stderr.write(`${result.command}: ${result.output.length} object(s) in ${result.durationMs.toFixed(0)} ms, validated against its output schema\n`);
}

interface Failure {
  readonly code: ExitCode;
  readonly kind: string;
  readonly message: string;
  readonly details?: unknown;
}

const CONFIRM_HINT = 'it asks for confirmation and the bridge cannot answer a prompt: run it again with --Confirm false to confirm (or --WhatIf to see what it would do)';

function failure(error: unknown, cmdlet: Cmdlet, debug: boolean): Failure {
  if (error instanceof PowerShellError) {
    const prompt = /does not support user interaction|HostFunctionNotImplemented|PromptingDisabled/i.test(`${error.record.message} ${error.fullyQualifiedErrorId}`);
    const text = recordText(error.record, debug);
    const binding = /^(ParameterArgumentValidationError|ParameterArgumentTransformationError|NamedParameterNotFound|MissingMandatoryParameter|AmbiguousParameterSet|CannotConvertArgument|PositionalParameterNotFound)/.test(error.fullyQualifiedErrorId);
    return {
      code: binding ? EXIT.usage : EXIT.failure,
      kind: binding ? 'BadInput' : 'PowerShellError',
      message: `${cmdlet.name}: ${text}${prompt ? `\n${cmdlet.name}: ${CONFIRM_HINT}` : ''}`,
      details: {
        exceptionType: error.exceptionType,
        fullyQualifiedErrorId: error.fullyQualifiedErrorId,
        category: error.category,
        targetName: error.targetName,
        ...(debug ? { scriptPosition: error.scriptPosition, scriptStackTrace: error.scriptStackTrace } : {}),
      },
    };
  }
  if (error instanceof BridgeValidationError) return { code: EXIT.failure, kind: 'SchemaMismatch', message: error.message, details: { field: error.field, problem: error.problem } };
  if (error instanceof BridgeTimeoutError) return { code: EXIT.failure, kind: 'Timeout', message: error.message, details: { timeoutMs: error.timeoutMs } };
  if (error instanceof BridgeLimitError) return { code: EXIT.failure, kind: 'LimitExceeded', message: error.message, details: { limit: error.limit } };
  if (error instanceof BridgeRefusedError) return { code: EXIT.usage, kind: 'Refused', message: error.message };
  if (error instanceof BridgeStartError) return { code: EXIT.environment, kind: 'Environment', message: error.message };
  if (error instanceof BridgeAbortedError || error instanceof BridgeDisposedError) return { code: EXIT.failure, kind: 'Interrupted', message: `${cmdlet.name}: interrupted; the command was stopped in PowerShell${error instanceof BridgeAbortedError && error.killed ? ' (it did not stop in time and was killed)' : ''}` };
  if (error instanceof BridgeProcessError) return { code: EXIT.failure, kind: 'ProcessFailed', message: error.message };
  if (error instanceof BridgeError) return { code: EXIT.failure, kind: error.name, message: error.message };
  throw error;
}

/** Reports one failure: one JSON object on standard output with --json, one message on standard error. */
function report(args: InvokeArgs, f: Failure): void {
  if (args.json) {
    const body: CliErrorJson = { error: { kind: f.kind, message: f.message, exitCode: f.code, ...(f.details === undefined ? {} : { details: f.details }) } };
    process.stdout.write(JSON.stringify(body, null, 2) + '\n');
  }
  process.stderr.write(`vmm-backup: ${f.message}\n`);
  args.setExitCode?.(f.code);
}

export const invokeCommand: CommandModule<object, InvokeArgs> = {
  command: 'invoke <cmdlet>',
  describe: 'Run a cmdlet of the module through the bridge (pwsh) and validate its output: invoke <Cmdlet> --<Param> <value> …',
  builder: (y) =>
    y
      .strict(false)
      .parserConfiguration({ 'camel-case-expansion': false, 'parse-numbers': false, 'parse-positional-numbers': false, 'dot-notation': false, 'boolean-negation': false })
      .positional('cmdlet', { type: 'string', describe: 'Cmdlet name, e.g. Get-VmmRestorePlan (case-insensitive)', demandOption: true })
      .option('timeout-ms', { type: 'string', describe: 'Kill the call (and its PowerShell process) after this many milliseconds', default: '600000' })
      .option('pwsh', { type: 'string', describe: 'PowerShell executable (default: .tools/pwsh/pwsh, else pwsh on PATH)' })
      .option('password-env', { type: 'string', describe: 'Environment variable with the password of PSCredential parameters (default VMMBACKUP_PASSWORD; else prompt)' })
      .example('$0 invoke Get-VmmRestorePlan --Scenario DifferentComputer', 'The restore steps, through PowerShell')
      .example('$0 invoke Get-VmmBackupPlan --Automated --json', 'Validated output and streams as JSON')
      .example('$0 invoke Backup-VmmDatabase --Path D:/VmmBackup --Method Sql --SqlCredential sa --WhatIf', 'A credential: the password comes from $VMMBACKUP_PASSWORD or a prompt')
      .example('$0 invoke Backup-VmmLibraryShare --computer-name lib01 --computer-name lib02 --Path D:/MSSCVMMLibrary --Destination //backup01/vmm-library', 'On two library servers at once (WinRM sessions opened and closed by the cmdlet); exit 1 when one fails')
      .example('$0 invoke Restore-VmmLibraryShare --Path E:/Backup --Destination D:/Library --Confirm false', 'A cmdlet that asks for confirmation: --Confirm false confirms')
      .epilogue(
        'Parameters: --<Name> <value> with the PowerShell parameter name; switches take no value; repeat an option for arrays; hashtables as JSON. ' +
          'Errors a cmdlet reports for one item do not stop it: they are listed, and the run goes on. Ctrl-C stops the cmdlet in PowerShell (as Ctrl-C in PowerShell does). ' +
          'Exit codes: 0 success and every state good; 1 the cmdlet wrote an error, an object reports a state that is not good (Failed, Missing, Corrupt, Stale, not verified), the output does not match its schema, a timeout, or Ctrl-C; 2 bad input; 3 environment (no pwsh, the module does not load). ' +
          'With --json, an error is one JSON object {"error": {kind, message, exitCode, details}} on standard output.',
      ) as never,
  handler: async (args) => {
    quietOnClosedPipe();
    let cmdlet: Cmdlet;
    let parameters: Record<string, unknown>;
    let timeoutMs: number;
    try {
      cmdlet = findCmdlet(args.cmdlet);
      parameters = await parseParameters(cmdlet, args, args['password-env']);
      timeoutMs = Number(args['timeout-ms'] ?? 600000);
      if (!Number.isInteger(timeoutMs) || timeoutMs <= 0) throw new CliError(`--timeout-ms takes a positive whole number of milliseconds`, EXIT.usage);
      if (cmdlet.shouldProcess?.impact === 'High' && parameters.Confirm !== false && parameters.WhatIf !== true) {
        throw new CliError(`${cmdlet.name} changes things that are hard to undo, so ${CONFIRM_HINT}`, EXIT.usage);
      }
    } catch (e) {
      if (!(e instanceof CliError)) throw e;
      report(args, { code: e.exitCode as ExitCode, kind: 'BadInput', message: e.message });
      return;
    }
    let session;
    try {
      session = createVmmBackupSession({ pwshPath: args.pwsh, timeoutMs });
    } catch (e) {
      report(args, { code: EXIT.environment, kind: 'Environment', message: (e as Error).message });
      return;
    }
    // Ctrl-C (SIGINT) or SIGTERM: stop the cmdlet in PowerShell (StopProcessing), kill it after the grace
    // period, then end with the failure reported.
    const controller = new AbortController();
    const onSignal = () => controller.abort(new Error('interrupted'));
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    try {
      // Live progress (a bar) for the cmdlets that report it, on a terminal; a spinner for the others.
      const live = cmdlet.progressId !== undefined && !args.json && process.stderr.isTTY;
      const result = await withProgress(`${cmdlet.name}`, !args.json, (status) =>
        session.invoke(cmdlet.name, parameters, {
          signal: controller.signal,
          onProgress: !live ? undefined : (p) => status(p.recordType === 'Completed' ? '' : `${p.activity}: ${p.statusDescription}${p.currentOperation ? ` (${p.currentOperation})` : ''}`, p.recordType === 'Completed' ? undefined : p.percentComplete),
        }),
      );
      const bad = notGood(cmdlet.name, result.output, parameters);
      const errors = result.errors;
      if (errors.length === 0 && bad.length === 0) {
        if (args.json) process.stdout.write(JSON.stringify({ ok: true, ...result }, null, 2) + '\n');
        else printResult(result, args.debug === true);
        return;
      }
      if (!args.json) printResult(result, args.debug === true);
      const parts = [
        ...(errors.length > 0 ? [`${errors.length} error(s): ${errors.map((e) => recordText(e, false)).join('; ')}`] : []),
        ...(bad.length > 0 ? [`not good: ${bad.join('; ')}`] : []),
      ];
      report(args, {
        code: EXIT.failure,
        kind: errors.length > 0 ? 'CmdletError' : 'NotGood',
        message: `${cmdlet.name}: ${parts.join('; ')}`,
        details: { ...result, errors: errors.map((e) => ({ message: recordText(e, args.debug === true), fullyQualifiedErrorId: e.fullyQualifiedErrorId, category: e.category, targetName: e.targetName })) },
      });
    } catch (error) {
      report(args, failure(error, cmdlet, args.debug === true));
    } finally {
      process.removeListener('SIGINT', onSignal);
      process.removeListener('SIGTERM', onSignal);
      await session.dispose();
    }
  },
};
