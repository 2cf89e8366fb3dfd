import type { CommandModule } from 'yargs';
import * as path from 'node:path';
import { CliError } from '../errors';
import { loadPem, loadPfx, signPath, type HashName, type IncludeChain, type Signer } from '../../sign';

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

/** Read a password without echo from the terminal (never from argv). */
export function promptPassword(prompt: string): Promise<string> {
  const stdin = process.stdin;
  if (!stdin.isTTY) {
    return Promise.reject(new CliError('no password: set --password-env VAR (or VMMBACKUP_SIGN_PASSWORD), or run on a terminal to be prompted'));
  }
  return new Promise((resolve, reject) => {
    process.stderr.write(prompt);
    let value = '';
    stdin.setRawMode(true);
    stdin.resume();
    stdin.setEncoding('utf8');
    const done = (err?: Error) => {
      stdin.setRawMode(false);
      stdin.pause();
      stdin.removeListener('data', onData);
      process.stderr.write('\n');
      if (err) reject(err);
      else resolve(value);
    };
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n' || ch === '\u0004') return done();
        if (ch === '\u0003') return done(new CliError('cancelled'));
        if (ch === '\u007f' || ch === '\b') value = value.slice(0, -1);
        else value += ch;
      }
    };
    stdin.on('data', onData);
  });
}

async function loadSigner(args: SignArgs): Promise<Signer> {
  const pfx = args.pfx ?? process.env.VMMBACKUP_SIGN_PFX;
  const cert = args.cert ?? process.env.VMMBACKUP_SIGN_CERT;
  const key = args.key ?? process.env.VMMBACKUP_SIGN_KEY;
  const passwordVar = args['password-env'] ?? 'VMMBACKUP_SIGN_PASSWORD';
  const fromEnv = process.env[passwordVar];
  if (args['password-env'] && fromEnv === undefined) throw new CliError(`environment variable ${passwordVar} is not set`);
  try {
    if (pfx) {
      const password = fromEnv ?? (await promptPassword(`Password for ${path.basename(pfx)}: `));
      return loadPfx(pfx, password);
    }
    if (cert && key) return loadPem(cert, key, fromEnv);
  } catch (e) {
    if (e instanceof CliError) throw e;
    throw new CliError(`cannot load the signing key: ${(e as Error).message}`);
  }
  throw new CliError('name a signing key: --pfx <file> or --cert <pem> --key <pem> (or VMMBACKUP_SIGN_PFX / VMMBACKUP_SIGN_CERT and VMMBACKUP_SIGN_KEY)');
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
      .example('$0 sign signed/a.ps1 --out unsigned --remove', 'Remove a signature') as never,
  handler: async (args) => {
    if (!args.out) throw new CliError('--out <dir> is required', 2);
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
      throw new CliError(`sign: ${(e as Error).message}`);
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
