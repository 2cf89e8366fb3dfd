/**
 * The `vmm-backup` command. Each sub-command lives in its own module under ./commands and exports a yargs
 * CommandModule; this file only registers them and turns failures into one clear line and an exit code.
 */
import yargs from 'yargs';
import { commands } from './commands';
import { CliError, formatError } from './errors';

export async function main(argv: string[]): Promise<number> {
  const debug = argv.includes('--debug');
  let exitCode = 0;
  const parser = yargs(argv)
    .scriptName('vmm-backup')
    .usage('$0 <command> [options]\n\nBuilds, signs and runs the VmmBackup PowerShell module.')
    .option('debug', { type: 'boolean', describe: 'Show stack traces on errors', global: true })
    .option('json', { type: 'boolean', describe: 'Print results as JSON', global: true })
    .demandCommand(1, 'Name a command (see --help).')
    .strict()
    .recommendCommands()
    .help()
    .alias('h', 'help')
    .version(false)
    .wrap(Math.min(110, process.stdout.columns || 110))
    .fail((msg, err) => {
      throw err ?? new CliError(msg, 2);
    })
    .middleware((args) => {
      args.setExitCode = (code: number) => {
        exitCode = code;
      };
    });
  for (const command of commands) parser.command(command);
  try {
    await parser.parseAsync();
    return exitCode;
  } catch (error) {
    process.stderr.write(formatError(error, debug) + '\n');
    return error instanceof CliError ? error.exitCode : 1;
  }
}
