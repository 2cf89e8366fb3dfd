/**
 * `vmm-backup pack [module-dir]`: a PowerShell Gallery .nupkg of the signed module, and SHA256SUMS.
 */
import type { CommandModule } from 'yargs';
import * as path from 'node:path';
import { badInput, CliError } from '../errors';
import { EXIT_CODE_HELP } from '../exit-codes';
import { packModule, PackError } from '../../release';

interface PackArgs {
  module: string;
  out: string;
  'allow-unsigned'?: boolean;
  ca?: string;
  json?: boolean;
}

export const packCommand: CommandModule<object, PackArgs> = {
  command: 'pack [module]',
  describe: 'Package the signed module as a PowerShell Gallery .nupkg with a SHA256SUMS file',
  builder: (y) =>
    y
      .positional('module', { type: 'string', default: 'dist/signed/VmmBackup', describe: 'Module folder (named like the module, holding <Name>.psd1)' })
      .option('out', { type: 'string', default: 'dist/nupkg', describe: 'Output folder for the .nupkg and SHA256SUMS' })
      .option('allow-unsigned', { type: 'boolean', default: false, describe: 'Pack script files that have no signature' })
      .option('ca', { type: 'string', describe: 'PEM roots: also check the signer chain' })
      .example('$0 pack', 'dist/signed/VmmBackup -> dist/nupkg/VmmBackup.<version>.nupkg')
      .example('$0 pack generated/VmmBackup --out /tmp/pkg --allow-unsigned', 'A test package of the unsigned module')
      .epilogue(EXIT_CODE_HELP) as never,
  handler: (args) => {
    let result;
    try {
      result = packModule({ moduleDir: path.resolve(args.module), outDir: path.resolve(args.out), allowUnsigned: args['allow-unsigned'], caFile: args.ca });
    } catch (e) {
      if (e instanceof PackError) throw e.inputKind ? badInput(`pack: ${e.message}`, e.inputKind) : new CliError(`pack: ${e.message}`, 1, { kind: 'PackRefused' });
      throw e;
    }
    if (args.json) {
      const rest: Partial<typeof result> = { ...result };
      delete rest.manifest;
      process.stdout.write(JSON.stringify(rest, null, 2) + '\n');
      return;
    }
    if (result.signed.unsigned.length) process.stderr.write(`warning: ${result.signed.unsigned.length} unsigned file(s) packed (--allow-unsigned)\n`);
    process.stdout.write(`${result.nupkg}  ${result.id} ${result.version}, ${result.entries.length} entries, ${result.size} bytes\n`);
    process.stdout.write(`${result.sumsFile}  sha256 ${result.sha256}\n`);
  },
};
