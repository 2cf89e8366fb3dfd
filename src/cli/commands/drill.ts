import type { CommandModule } from 'yargs';
import { CliError } from '../errors';
import { ExitCode, type CliErrorJson } from '../exit-codes';
import { quietOnClosedPipe, withProgress } from '../terminal';
import { BridgeError, PowerShellError } from '../../bridge';
import { model } from '../../model';
import { createVmmBackupSession, invokeVmmRestoreDrill, type InvokeVmmRestoreDrillOutput, type InvokeVmmRestoreDrillParameters } from '../../../generated/typescript';

interface DrillArgs {
  path: string;
  item?: string[];
  'sql-server'?: string;
  'sql-user'?: string;
  'password-env'?: string;
  'scratch-path'?: string;
  'sample-bytes'?: string;
  report?: string;
  'vmm-server'?: string;
  'timeout-ms'?: string;
  pwsh?: string;
  json?: boolean;
  setExitCode?: (code: number) => void;
}

const DEFAULT_PASSWORD_ENV = 'VMMBACKUP_SQL_PASSWORD';

type DrillItem = NonNullable<InvokeVmmRestoreDrillParameters['Item']>[number];

/** The items Invoke-VmmRestoreDrill -Item allows, from the model. */
const drillItems = (model.cmdlets.find((c) => c.name === 'Invoke-VmmRestoreDrill')?.parameters.find((p) => p.name === 'Item')?.validate?.set ?? []) as readonly DrillItem[];

/** The --json document: the summary, then every result as the cmdlet returned it (validated by the bindings). */
export interface DrillJson {
  ok: boolean;
  summary: { passed: number; failed: number; skipped: number; text: string | null };
  results: InvokeVmmRestoreDrillOutput[];
}

function fail(args: DrillArgs, kind: string, message: string, exitCode: ExitCode, details?: unknown): never {
  if (args.json) {
    const body: CliErrorJson = { error: { kind, message, exitCode, ...(details === undefined ? {} : { details }) } };
    process.stdout.write(`${JSON.stringify(body, null, 2)}\n`);
  }
  throw new CliError(message, exitCode);
}

/** Options turned into the cmdlet's parameters; values only ever travel as data to the bridge. */
export function drillParameters(args: DrillArgs): InvokeVmmRestoreDrillParameters {
  const parameters: InvokeVmmRestoreDrillParameters = { Path: args.path, Confirm: false };
  if (args.item?.length) {
    const items = args.item.flatMap((i) => String(i).split(',')).map((i) => i.trim()).filter(Boolean);
    const known = new Map(drillItems.map((i) => [i.toLowerCase(), i]));
    const wrong = items.filter((i) => !known.has(i.toLowerCase()));
    if (wrong.length) fail(args, 'BadInput', `--item takes ${drillItems.join(', ')}; not ${wrong.join(', ')}`, ExitCode.BadInput);
    parameters.Item = [...new Set(items.map((i) => known.get(i.toLowerCase()) as DrillItem))];
  }
  if (args['sql-server']) parameters.SqlServer = args['sql-server'];
  if (args['sql-user']) {
    const name = args['password-env'] ?? DEFAULT_PASSWORD_ENV;
    const password = process.env[name];
    if (password === undefined) fail(args, 'BadInput', `no password for --sql-user ${args['sql-user']}: set the environment variable ${name} (or name another with --password-env)`, ExitCode.BadInput);
    parameters.SqlCredential = { UserName: args['sql-user'], Password: password };
  }
  if (args['scratch-path']) parameters.ScratchPath = args['scratch-path'];
  if (args['sample-bytes'] !== undefined) {
    const text = String(args['sample-bytes']);
    if (!/^[1-9]\d*$/.test(text) || !Number.isSafeInteger(Number(text))) fail(args, 'BadInput', `--sample-bytes takes a positive whole number of bytes, not '${text}'`, ExitCode.BadInput);
    parameters.SampleBytes = Number(text);
  }
  if (args.report) parameters.Report = args.report;
  if (args['vmm-server']) parameters.VMMServer = args['vmm-server'];
  return parameters;
}

function printTable(results: InvokeVmmRestoreDrillOutput[], summary: string | null): void {
  const rows = results.map((r) => [
    r.Item,
    r.State,
    r.RpoHours === null ? '-' : r.RpoHours.toFixed(1),
    r.RtoSeconds === null ? '-' : r.RtoSeconds.toFixed(1),
    r.Bytes.toLocaleString('en-US'),
    r.BytesPerSecond === null ? '-' : `${(r.BytesPerSecond / 1048576).toFixed(1)} MB/s`,
    r.Sampled ? 'sample' : '',
  ]);
  const head = ['Item', 'State', 'RPO h', 'RTO s', 'Bytes', 'Rate', ''];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd();
  process.stdout.write(`${line(head)}\n`);
  for (const row of rows) process.stdout.write(`${line(row)}\n`);
  for (const r of results) {
    process.stdout.write(`\n${r.Item} (${r.State})${r.Path ? `: ${r.Path}` : ''}\n`);
    for (const e of r.Evidence) process.stdout.write(`  - ${e}\n`);
  }
  if (summary) process.stdout.write(`\n${summary}\n`);
}

export const drillCommand: CommandModule<object, DrillArgs> = {
  command: 'drill',
  describe: 'Prove a backup by restoring it away from production (Invoke-VmmRestoreDrill): database, library, registry, inventory, with RPO and RTO',
  builder: (y) =>
    y
      .option('path', { type: 'string', demandOption: true, describe: 'Backup destination (its newest set), a backup set, a library destination or set, or a folder of .bak/.reg backups' })
      .option('item', { type: 'string', array: true, describe: `Items to drill (${drillItems.join(', ')}; repeat or comma-separate). All by default` })
      .option('sql-server', { type: 'string', describe: 'Drill SQL Server instance for the database restore (default: the instance the VMM registry names)' })
      .option('sql-user', { type: 'string', describe: `SQL login for the drill instance; its password comes from $${DEFAULT_PASSWORD_ENV} (or --password-env)` })
      .option('password-env', { type: 'string', describe: `Environment variable holding the --sql-user password (default ${DEFAULT_PASSWORD_ENV})` })
      .option('scratch-path', { type: 'string', describe: 'Folder under which the library is restored for the drill (default: the temporary folder)' })
      .option('sample-bytes', { type: 'string', describe: 'Restore only a random sample of library files of about this many bytes' })
      .option('report', { type: 'string', describe: 'Write a self-contained HTML report to this file' })
      .option('vmm-server', { type: 'string', describe: 'VMM management server to compare the inventory with (default localhost)' })
      .option('timeout-ms', { type: 'string', default: '86400000', describe: 'Give up (and stop PowerShell) after this many milliseconds' })
      .option('pwsh', { type: 'string', describe: 'PowerShell executable (default: .tools/pwsh/pwsh, else pwsh on PATH)' })
      .example('$0 drill --path //backup01/vmm --sql-server sqldrill01 --report drill.html', 'Drill the newest backup set; the HTML report for people')
      .example('$0 drill --path /mnt/vmm-library --item Library --sample-bytes 10737418240 --json', 'Restore a 10 GB sample of the library, results as JSON')
      .epilogue(
        'Exit codes: 0 no item Failed and at least one Passed; 1 an item Failed, or none Passed (nothing was proven), or PowerShell failed; 2 bad input; 3 the environment cannot run it (no pwsh, no module). ' +
          'With --json, results print as { ok, summary, results } and any error as one { error: { kind, message, exitCode } } object.',
      ) as never,
  handler: async (args) => {
    quietOnClosedPipe();
    const parameters = drillParameters(args);
    const timeoutMs = Number(args['timeout-ms'] ?? 86400000);
    if (!Number.isInteger(timeoutMs) || timeoutMs <= 0) fail(args, 'BadInput', '--timeout-ms takes a positive whole number of milliseconds', ExitCode.BadInput);
    let session;
    try {
      session = createVmmBackupSession({ pwshPath: args.pwsh, timeoutMs });
      await session.start();
    } catch (error) {
      await session?.dispose();
      fail(args, 'Environment', `PowerShell cannot run the drill: ${(error as Error).message}`, ExitCode.Environment);
    }
    try {
      const result = await withProgress('Restore drill', !args.json, (status) =>
        invokeVmmRestoreDrill(session, parameters, { onProgress: (p) => status(p.recordType === 'Completed' ? '' : `${p.activity}: ${p.statusDescription}`, p.recordType === 'Completed' ? undefined : p.percentComplete) }),
      );
      const results = result.output;
      const summaryText = result.information.map((i) => i.message).find((m) => m.startsWith('Restore drill')) ?? null;
      const count = (state: string) => results.filter((r) => r.State === state).length;
      // Nothing proven is not a good state either: every item Skipped exits 1 as well.
      const body: DrillJson = { ok: count('Failed') === 0 && count('Passed') > 0, summary: { passed: count('Passed'), failed: count('Failed'), skipped: count('Skipped'), text: summaryText }, results };
      for (const w of result.warnings) process.stderr.write(`WARNING: ${w}\n`);
      if (args.json) process.stdout.write(`${JSON.stringify(body, null, 2)}\n`);
      else printTable(results, summaryText);
      args.setExitCode?.(body.ok ? ExitCode.Ok : ExitCode.Failure);
    } catch (error) {
      if (error instanceof CliError) throw error;
      if (error instanceof PowerShellError) {
        const bad = error.category === 'InvalidArgument' || error.category === 'ObjectNotFound' || error.fullyQualifiedErrorId.startsWith('ParameterArgumentValidationError');
        fail(args, bad ? 'BadInput' : 'PowerShellError', error.record.message, bad ? ExitCode.BadInput : ExitCode.Failure, { fullyQualifiedErrorId: error.fullyQualifiedErrorId, category: error.category });
      }
      if (error instanceof BridgeError) fail(args, error.name, error.message, ExitCode.Environment);
      throw error;
    } finally {
      await session.dispose();
    }
  },
};
