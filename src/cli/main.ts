/**
 * The `vmm-backup` command. Each sub-command lives in its own module under ./commands and exports a yargs
 * CommandModule; this file only registers them and turns failures into one clear line, an exit code from the
 * one table (./exit-codes), and with --json one error object on standard output.
 */
import yargs from 'yargs';
import { commands } from './commands';
import { badInput, CliError, errorJson, exitCodeOf, formatError } from './errors';
import { EXIT_CODE_HELP } from './exit-codes';

/** `--json` / `--json=true` anywhere on the command line (also when yargs itself rejects the command line). */
export function wantsJson(argv: readonly string[]): boolean {
  return argv.some((a) => a === '--json' || a === '--json=true');
}

export async function main(argv: string[]): Promise<number> {
  const debug = argv.includes('--debug');
  const json = wantsJson(argv);
  let exitCode = 0;
  const parser = yargs(argv)
    .scriptName('vmm-backup')
    .usage('$0 <command> [options]\n\nBuilds, signs and runs the VmmBackup PowerShell module.')
    .option('debug', { type: 'boolean', describe: 'Show stack traces and script positions on errors', global: true })
    .option('json', { type: 'boolean', describe: 'Print results as JSON (and any error as one JSON object on standard output)', global: true })
    .demandCommand(1, 'Name a command (see --help).')
    .strict()
    .recommendCommands()
    .help()
    .alias('h', 'help')
    .version(false)
    .exitProcess(false)
    .epilogue(EXIT_CODE_HELP)
    .wrap(Math.min(110, process.stdout.columns || 110))
    .fail((msg, err) => {
      // yargs' own validation (unknown options, missing values, choices, coerce) is bad input; an error thrown
      // by a command handler keeps its own meaning.
      if (err instanceof CliError || (err && err.name !== 'YError')) throw err;
      throw badInput(err?.message ?? msg);
    })
    .middleware((args) => {
      args.setExitCode = (code: number) => {
        exitCode = code;
      };
    });
  for (const command of commands) parser.command(command);
  // A command that already printed its JSON answer before failing has said it: standard output keeps exactly
  // one object, so the error object is added only when nothing was printed yet.
  let printed = false;
  const write = process.stdout.write;
  process.stdout.write = function (this: NodeJS.WriteStream, ...args: Parameters<typeof write>) {
    printed = true;
    return write.apply(this, args);
  } as typeof write;
  try {
    await parser.parseAsync();
    return exitCode;
  } catch (error) {
    process.stderr.write(formatError(error, debug) + '\n');
    if (json && !printed) write.call(process.stdout, JSON.stringify(errorJson(error, debug)) + '\n');
    return exitCodeOf(error);
  } finally {
    process.stdout.write = write;
  }
}
