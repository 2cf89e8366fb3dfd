import type { CommandModule } from 'yargs';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { badInput, CliError } from '../errors';
import { EXIT_CODE_HELP } from '../exit-codes';
import { promptPassword } from '../terminal';
import { existingFile } from '../options';
import { assertFolderOrAbsent, assertNoLinkOnTheWay, assertSeparate, UnsafePathError } from '../../emit/safe-path';
import { listFiles, loadPem, loadPfx, signPath, type HashName, type IncludeChain, type Signer } from '../../sign';

interface SignArgs {
  input: string;
  out?: string;
  pfx?: string;
  'password-env'?: string;
  cert?: string;
  key?: string;
  timestamp?: string;
  hash?: string;
  catalog?: string;
  remove?: boolean;
  'include-chain'?: string;
  json?: boolean;
  setExitCode?: (code: number) => void;
}

async function loadSigner(args: SignArgs): Promise<Signer> {
  const pfx = args.pfx ?? process.env.VMMBACKUP_SIGN_PFX;
  const cert = args.cert ?? process.env.VMMBACKUP_SIGN_CERT;
  const key = args.key ?? process.env.VMMBACKUP_SIGN_KEY;
  const passwordVar = args['password-env'] ?? 'VMMBACKUP_SIGN_PASSWORD';
  const fromEnv = process.env[passwordVar];
  if (args['password-env'] && fromEnv === undefined) throw badInput(`environment variable ${passwordVar} is not set`, 'MissingPassword');
  if (pfx) existingFile(args.pfx ? '--pfx' : 'VMMBACKUP_SIGN_PFX', pfx);
  else if (cert && key) {
    existingFile(args.cert ? '--cert' : 'VMMBACKUP_SIGN_CERT', cert);
    existingFile(args.key ? '--key' : 'VMMBACKUP_SIGN_KEY', key);
  }
  try {
    if (pfx) {
      const password = fromEnv ?? (await promptPassword(`Password for ${path.basename(pfx)}: `));
      return loadPfx(pfx, password);
    }
    if (cert && key) return loadPem(cert, key, fromEnv);
  } catch (e) {
    if (e instanceof CliError) throw e;
    throw new CliError(`cannot load the signing key: ${(e as Error).message}`, 1, { kind: 'SigningKey' });
  }
  throw badInput('name a signing key: --pfx <file> or --cert <pem> --key <pem> (or VMMBACKUP_SIGN_PFX / VMMBACKUP_SIGN_CERT and VMMBACKUP_SIGN_KEY)');
}

/**
 * Before anything is written: the input exists, the output is a folder (or new) outside the input (real
 * paths, so a link to the input counts as the input), and no file would be written through a link inside the
 * output folder.
 */
export function checkSignPaths(input: string, out: string, catalog?: string): void {
  const source = path.resolve(input);
  const stat = fs.statSync(source, { throwIfNoEntry: false });
  if (!stat) throw badInput(`sign: the input ${input} does not exist`, 'NotFound', { path: source });
  const root = stat.isDirectory() ? source : path.dirname(source);
  const target = path.resolve(out);
  if (catalog !== undefined && (catalog === '' || /[\\/]/.test(catalog) || catalog === '.' || catalog === '..')) {
    throw badInput(`sign: --catalog takes a file name (e.g. VmmBackup.cat), not '${catalog}'`);
  }
  try {
    assertFolderOrAbsent(target);
    assertSeparate(root, target);
    const checked = new Set<string>();
    for (const rel of stat.isDirectory() ? listFiles(source) : [path.basename(source)]) assertNoLinkOnTheWay(target, rel, checked);
    if (catalog) assertNoLinkOnTheWay(target, catalog, checked);
  } catch (e) {
    if (e instanceof UnsafePathError) throw badInput(`sign: ${e.message}`, e.kind);
    throw e;
  }
}

export const signCommand: CommandModule<object, SignArgs> = {
  command: 'sign <input>',
  describe: 'Authenticode-sign PowerShell files (.ps1 .psm1 .psd1 .ps1xml .cdxml .mof) into an output folder',
  builder: (y) =>
    y
      .positional('input', { type: 'string', describe: 'A file or a folder (signed recursively)', demandOption: true })
      .option('out', { type: 'string', describe: 'Output folder (required; never the input folder)' })
      .option('pfx', { type: 'string', describe: 'PFX/PKCS#12 file with key and certificate' })
      .option('password-env', { type: 'string', describe: 'Environment variable holding the password (default VMMBACKUP_SIGN_PASSWORD; else prompt)' })
      .option('cert', { type: 'string', describe: 'PEM certificate (signer first, then its chain)' })
      .option('key', { type: 'string', describe: 'PEM private key' })
      .option('timestamp', { type: 'string', describe: 'RFC 3161 time-stamp server URL' })
      .option('hash', { choices: ['sha256', 'sha384', 'sha512'], default: 'sha256', describe: 'Digest algorithm' })
      .option('catalog', { type: 'string', describe: 'Also write a signed catalog of the output folder (e.g. VmmBackup.cat)' })
      .option('include-chain', { choices: ['signer', 'notroot', 'all'], default: 'notroot', describe: 'Certificates to embed (as Set-AuthenticodeSignature -IncludeChain)' })
      .option('remove', { type: 'boolean', default: false, describe: 'Write the files without their signature blocks instead' })
      .example('$0 sign generated/VmmBackup --out dist/VmmBackup --pfx code.pfx --password-env PFX_PASS', 'Sign a module')
      .example('$0 sign signed/a.ps1 --out unsigned --remove', 'Remove a signature')
      .epilogue(EXIT_CODE_HELP) as never,
  handler: async (args) => {
    if (!args.out) throw badInput('--out <dir> is required');
    checkSignPaths(args.input, args.out, args.catalog);
    const signer = args.remove ? undefined : await loadSigner(args);
    let results;
    try {
      results = await signPath(path.resolve(args.input), path.resolve(args.out), signer, {
        hash: args.hash as HashName,
        timestampUrl: args.timestamp ?? process.env.VMMBACKUP_SIGN_TIMESTAMP,
        catalog: args.catalog,
        remove: args.remove,
        includeChain: args['include-chain'] as IncludeChain,
      });
    } catch (e) {
      throw new CliError(`sign: ${(e as Error).message}`, 1, { kind: 'SignFailed' });
    }
    if (args.json) process.stdout.write(JSON.stringify({ out: path.resolve(args.out), files: results }, null, 2) + '\n');
    else {
      for (const r of results) {
        process.stdout.write(`${r.action.padEnd(8)} ${r.file}${r.changes.length ? `  (${r.changes.join(', ')})` : ''}\n`);
      }
      const n = results.filter((r) => r.action === 'signed').length;
      process.stdout.write(`${args.remove ? 'unsigned' : 'signed'} ${args.remove ? results.filter((r) => r.action === 'unsigned').length : n} file(s) into ${args.out}\n`);
    }
  },
};
