import type { CommandModule } from 'yargs';
import { CliError } from '../errors';
import { quietOnClosedPipe } from './plan';
import { promptPassword } from './sign';
import {
  BridgeDisposedError,
  BridgeError,
  BridgeProcessError,
  BridgeTimeoutError,
  BridgeValidationError,
  PowerShellError,
  type InvokeResult,
} from '../../bridge';
import { loadModel } from '../../model';
import type { Cmdlet, Parameter } from '../../model/types';
import { createVmmBackupSession } from '../../../generated/typescript';

interface InvokeArgs {
  cmdlet: string;
  json?: boolean;
  debug?: boolean;
  'timeout-ms'?: string | number;
  pwsh?: string;
  'password-env'?: string;
  [key: string]: unknown;
}

/** Exit codes of `invoke` (also documented in --help). */
export const EXIT = { ok: 0, powershell: 1, usage: 2, validation: 3, timeout: 4, process: 5 } as const;

const OWN_OPTIONS = new Set(['_', '$0', 'cmdlet', 'json', 'debug', 'help', 'h', 'timeout-ms', 'pwsh', 'password-env', 'setExitCode', 'version']);

/**
 * A progress line on standard error while `work` runs (only on a terminal): a spinner with the elapsed time,
 * or a bar once `status` reports a percentage.
 */
export async function withProgress<T>(label: string, enabled: boolean, work: (status: (text: string, percent?: number) => void) => Promise<T>): Promise<T> {
  if (!enabled || !process.stderr.isTTY) return work(() => undefined);
  const frames = ['|', '/', '-', '\\'];
  const started = Date.now();
  let n = 0;
  let detail = '';
  let percent: number | undefined;
  const draw = () => {
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    const head = percent === undefined ? frames[n++ % frames.length] : `[${'#'.repeat(Math.round(percent / 5)).padEnd(20, '-')}] ${String(percent).padStart(3)}%`;
    const text = `${head} ${label} ${seconds} s${detail ? `  ${detail}` : ''}`;
    process.stderr.write(`\r\u001b[2K${text.slice(0, (process.stderr.columns || 100) - 1)}`);
  };
  draw();
  const timer = setInterval(draw, 100);
  try {
    return await work((text, value) => {
      detail = text;
      percent = value === undefined || value < 0 ? undefined : Math.min(100, value);
      draw();
    });
  } finally {
    clearInterval(timer);
    process.stderr.write('\r\u001b[2K');
  }
}

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

function printResult(result: InvokeResult<unknown>): void {
  for (const w of result.warnings) process.stderr.write(`WARNING: ${w}\n`);
  for (const i of result.information) process.stderr.write(`${i.message}\n`);
  for (const e of result.errors) process.stderr.write(`ERROR: ${e.message} (${e.fullyQualifiedErrorId})\n`);
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

function failure(error: unknown): { code: number; json: Record<string, unknown>; message: string } {
  if (error instanceof PowerShellError) {
    const where = error.scriptPosition ? `\n${error.scriptPosition}` : '';
    return {
      code: EXIT.powershell,
      message: `${error.message}\n  exception: ${error.exceptionType}, category: ${error.category}${where}`,
      json: { kind: 'PowerShellError', message: error.record.message, exceptionType: error.exceptionType, fullyQualifiedErrorId: error.fullyQualifiedErrorId, category: error.category, targetName: error.targetName, scriptPosition: error.scriptPosition },
    };
  }
  if (error instanceof BridgeValidationError) return { code: EXIT.validation, message: error.message, json: { kind: 'BridgeValidationError', message: error.message, field: error.field } };
  if (error instanceof BridgeTimeoutError) return { code: EXIT.timeout, message: error.message, json: { kind: 'BridgeTimeoutError', message: error.message, timeoutMs: error.timeoutMs } };
  if (error instanceof BridgeProcessError || error instanceof BridgeDisposedError) return { code: EXIT.process, message: error.message, json: { kind: error.name, message: error.message } };
  if (error instanceof BridgeError) return { code: EXIT.process, message: error.message, json: { kind: error.name, message: error.message } };
  throw error;
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
      .epilogue(
        'Parameters: --<Name> <value> with the PowerShell parameter name; switches take no value; repeat an option for arrays; hashtables as JSON. ' +
          'Exit codes: 0 success, 1 PowerShell error, 2 bad usage, 3 output does not match its schema, 4 timeout, 5 PowerShell process failed.',
      ) as never,
  handler: async (args) => {
    quietOnClosedPipe();
    const cmdlet = findCmdlet(args.cmdlet);
    const parameters = await parseParameters(cmdlet, args, args['password-env']);
    const timeoutMs = Number(args['timeout-ms'] ?? 600000);
    if (!Number.isInteger(timeoutMs) || timeoutMs <= 0) throw new CliError(`--timeout-ms takes a positive whole number of milliseconds`, EXIT.usage);
    let session;
    try {
      session = createVmmBackupSession({ pwshPath: args.pwsh, timeoutMs });
    } catch (e) {
      throw new CliError((e as Error).message, EXIT.process);
    }
    try {
      // Live progress (a bar) for the cmdlets that report it, on a terminal; a spinner for the others.
      const live = cmdlet.progress === true && !args.json && process.stderr.isTTY;
      const result = await withProgress(`${cmdlet.name}`, !args.json, (status) =>
        session.invoke(cmdlet.name, parameters, {
          onProgress: !live ? undefined : (p) => status(p.recordType === 'Completed' ? '' : `${p.activity}: ${p.statusDescription}${p.currentOperation ? ` (${p.currentOperation})` : ''}`, p.recordType === 'Completed' ? undefined : p.percentComplete),
        }),
      );
      if (args.json) process.stdout.write(JSON.stringify({ ok: true, ...result }, null, 2) + '\n');
      else printResult(result);
    } catch (error) {
      const f = failure(error);
      if (args.json) process.stdout.write(JSON.stringify({ ok: false, command: cmdlet.name, error: f.json }, null, 2) + '\n');
      throw new CliError(f.message, f.code);
    } finally {
      await session.dispose();
    }
  },
};
