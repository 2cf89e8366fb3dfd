import type { CommandModule } from 'yargs';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { badInput, CliError } from '../errors';
import { EXIT_CODE_HELP } from '../exit-codes';
import { existingFile } from '../options';
import { loadCertificates, verifyPath, type VerifyFileResult } from '../../sign';

interface VerifyArgs {
  input: string;
  ca?: string;
  'tsa-ca'?: string;
  json?: boolean;
  setExitCode?: (code: number) => void;
}

export const verifyCommand: CommandModule<object, VerifyArgs> = {
  command: 'verify <input>',
  describe: 'Verify Authenticode signatures of PowerShell files and catalogs (exit 0 only when all are Valid)',
  builder: (y) =>
    y
      .positional('input', { type: 'string', describe: 'A file or a folder', demandOption: true })
      .option('ca', { type: 'string', describe: 'PEM file of trusted root certificates (the chain is checked against it)' })
      .option('tsa-ca', { type: 'string', describe: 'PEM file of trusted roots for time-stamp certificates (default: --ca)' })
      .example('$0 verify dist/VmmBackup --ca root.pem', 'Verify a signed module')
      .epilogue(EXIT_CODE_HELP) as never,
  handler: (args) => {
    let results: VerifyFileResult[];
    if (!fs.existsSync(path.resolve(args.input))) throw badInput(`verify: ${args.input} does not exist`, 'NotFound', { path: path.resolve(args.input) });
    if (args.ca) existingFile('--ca', args.ca);
    if (args['tsa-ca']) existingFile('--tsa-ca', args['tsa-ca']);
    try {
      const roots = args.ca ? loadCertificates(args.ca) : undefined;
      const tsaRoots = args['tsa-ca'] ? loadCertificates(args['tsa-ca']) : undefined;
      results = verifyPath(path.resolve(args.input), { roots, tsaRoots });
    } catch (e) {
      throw new CliError(`verify: ${(e as Error).message}`);
    }
    if (results.length === 0) throw new CliError(`verify: no signable files under ${args.input}`, 1, { kind: 'NothingToVerify' });
    if (args.json) process.stdout.write(JSON.stringify({ files: results }, null, 2) + '\n');
    else {
      const width = Math.max(...results.map((r) => r.status.length));
      for (const r of results) {
        const extra = r.status === 'Valid' ? (r.timestamp ? `  (time stamp ${r.timestamp.toISOString()})` : '') : r.reason ? `  ${r.reason}` : '';
        process.stdout.write(`${r.status.padEnd(width)}  ${r.file}${extra}\n`);
      }
      if (!args.ca) process.stdout.write('note: no --ca given, so the certificate chain was not checked\n');
    }
    args.setExitCode?.(results.every((r) => r.status === 'Valid') ? 0 : 1);
  },
};
