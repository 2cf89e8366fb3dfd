import type { CommandModule } from 'yargs';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { EXIT_CODE_HELP } from '../exit-codes';
import { quietOnClosedPipe, renderTable, withProgress } from '../terminal';
import { badInput } from '../errors';
import { numberIn } from '../options';
import { locatePowerShell } from '../../bridge';
import { checkCodeSigning, loadCertificates, loadPem, loadPfx, type Certificate } from '../../sign';
import { createVmmBackupSession } from '../../../generated/typescript';

interface DoctorArgs {
  pwsh?: string;
  pfx?: string;
  cert?: string;
  key?: string;
  'password-env'?: string;
  'sql-server'?: string;
  'sql-timeout-ms'?: number;
  module?: boolean;
  json?: boolean;
  setExitCode?: (code: number) => void;
}

export type CheckStatus = 'ok' | 'warn' | 'fail';

export interface Check {
  readonly name: string;
  readonly status: CheckStatus;
  readonly detail: string;
  /** What to do about it (absent when ok). */
  readonly fix?: string;
}

const ROOT = path.resolve(__dirname, '../../..');

function firstLine(text: string): string {
  return text.split(/\r?\n/).find((l) => l.trim())?.trim() ?? '';
}

export function checkPwsh(pwshPath?: string): Check & { path?: string } {
  let exe: string;
  try {
    exe = locatePowerShell({ pwshPath, searchFrom: [ROOT, process.cwd()] });
  } catch (e) {
    return { name: 'pwsh', status: 'fail', detail: (e as Error).message, fix: 'run `npm run setup` (installs PowerShell into .tools/pwsh) or install PowerShell 7 and put pwsh on PATH' };
  }
  const run = spawnSync(exe, ['-NoLogo', '-NoProfile', '-NonInteractive', '-Command', '$PSVersionTable.PSVersion.ToString()'], { encoding: 'utf8', timeout: 60_000 });
  const version = firstLine(run.stdout ?? '');
  if (run.status !== 0 || !/^\d+\.\d+/.test(version)) {
    return { name: 'pwsh', status: 'fail', detail: `${exe} did not run: ${firstLine(run.stderr ?? '') || run.error?.message || `exit ${run.status}`}`, fix: 'reinstall it with `npm run setup`', path: exe };
  }
  const major = Number(version.split('.')[0]);
  if (major < 7) return { name: 'pwsh', status: 'fail', detail: `PowerShell ${version} at ${exe}`, fix: 'PowerShell 7 or later is needed: `npm run setup`', path: exe };
  return { name: 'pwsh', status: 'ok', detail: `PowerShell ${version} at ${exe}`, path: exe };
}

export function checkPester(): Check {
  // scripts/setup.sh records the version Pester/run.ps1 imports.
  const base = path.join(ROOT, '.tools', 'modules', 'pester');
  const fix = 'run `npm run setup` (downloads Pester into .tools/modules/pester)';
  let version: string;
  try {
    version = fs.readFileSync(path.join(base, '.version'), 'utf8').trim();
  } catch {
    return { name: 'Pester', status: 'fail', detail: `no Pester under ${path.relative(ROOT, base) || base}`, fix };
  }
  if (!fs.existsSync(path.join(base, version, 'tools', 'Pester.psd1'))) return { name: 'Pester', status: 'fail', detail: `Pester ${version} is recorded but not installed`, fix };
  if (Number(version.split('.')[0]) < 5) return { name: 'Pester', status: 'fail', detail: `Pester ${version}`, fix: 'Pester 5 or later is needed: `npm run setup`' };
  return { name: 'Pester', status: 'ok', detail: `Pester ${version} in .tools/modules/pester` };
}

export function checkOsslsigncode(): Check {
  const run = spawnSync('osslsigncode', ['--version'], { encoding: 'utf8', timeout: 30_000 });
  if (run.error || run.status !== 0) {
    return { name: 'osslsigncode', status: 'fail', detail: 'osslsigncode is not installed (the signing tests compare against it)', fix: 'apt-get install osslsigncode (npm run setup does it)' };
  }
  return { name: 'osslsigncode', status: 'ok', detail: firstLine(run.stdout || run.stderr).replace(/,?\s*using:?$/, '') };
}

function describeCertificate(cert: Certificate, now: Date): Check {
  const days = Math.floor((cert.notAfter.getTime() - now.getTime()) / 86_400_000);
  const detail = `'${cert.subject}', valid until ${cert.notAfter.toISOString().slice(0, 10)}`;
  if (days < 30) return { name: 'certificate', status: 'warn', detail: `${detail} (${days} day(s) left)`, fix: 'renew the code-signing certificate before it expires' };
  return { name: 'certificate', status: 'ok', detail };
}

export function checkCertificate(args: Pick<DoctorArgs, 'pfx' | 'cert' | 'key' | 'password-env'>, now = new Date()): Check {
  const pfx = args.pfx ?? process.env.VMMBACKUP_SIGN_PFX;
  const cert = args.cert ?? process.env.VMMBACKUP_SIGN_CERT;
  const key = args.key ?? process.env.VMMBACKUP_SIGN_KEY;
  const passwordVar = args['password-env'] ?? 'VMMBACKUP_SIGN_PASSWORD';
  const password = process.env[passwordVar];
  try {
    if (pfx) {
      if (password === undefined) return { name: 'certificate', status: 'fail', detail: `${pfx}: no password`, fix: `set ${passwordVar} to the PFX password` };
      return describeCertificate(loadPfx(pfx, password, now).certificate, now);
    }
    if (cert && key) return describeCertificate(loadPem(cert, key, password, now).certificate, now);
    if (cert) {
      const [first] = loadCertificates(cert);
      checkCodeSigning(first, now);
      const result = describeCertificate(first, now);
      return result.status === 'ok' ? { ...result, status: 'warn', fix: 'name the private key too (--key or VMMBACKUP_SIGN_KEY) to sign' } : result;
    }
  } catch (e) {
    return { name: 'certificate', status: 'fail', detail: (e as Error).message, fix: 'use a code-signing certificate (Code Signing EKU) that is valid now, with its private key' };
  }
  return { name: 'certificate', status: 'warn', detail: 'no signing certificate configured', fix: 'set VMMBACKUP_SIGN_PFX and VMMBACKUP_SIGN_PASSWORD (or VMMBACKUP_SIGN_CERT and VMMBACKUP_SIGN_KEY), or pass --pfx / --cert --key' };
}

/** `host`, `host,port`, `host:port`, `host\instance` (port 1433 unless given), `tcp:` prefix allowed. */
export function parseSqlServer(text: string): { host: string; port: number; instance?: string } {
  let rest = text.replace(/^tcp:/i, '').trim();
  let port = 1433;
  const comma = rest.match(/^(.*),(\d+)$/) ?? rest.match(/^([^:\\]+):(\d+)$/);
  if (comma) {
    rest = comma[1];
    port = Number(comma[2]);
  }
  const [host, instance] = rest.split('\\');
  return { host: host === '.' || host.toLowerCase() === '(local)' ? '127.0.0.1' : host, port, instance };
}

/** `--sql-server` as doctor reads it, with a port from 1 to 65535 (bad input otherwise, not a socket error). */
function sqlServerOption(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  const text = String(value);
  const { host, port } = parseSqlServer(text);
  if (!host) throw badInput(`--sql-server needs a host name, not '${text}'`);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw badInput(`--sql-server: the port takes a whole number from 1 to 65535, not ${port}`);
  return text;
}

export function checkSql(server: string | undefined, timeoutMs = 3000): Promise<Check> {
  if (!server) {
    return Promise.resolve({ name: 'SQL Server', status: 'warn', detail: 'no SQL Server named, so reachability was not checked', fix: 'pass --sql-server <host[,port]> (or set VMMBACKUP_SQL_SERVER) to check it' });
  }
  const { host, port, instance } = parseSqlServer(server);
  const started = Date.now();
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (check: Check) => {
      socket.destroy();
      resolve(check);
    };
    socket.setTimeout(timeoutMs, () =>
      done({ name: 'SQL Server', status: 'fail', detail: `${host}:${port} did not answer within ${timeoutMs} ms`, fix: 'check the name, that SQL Server runs and listens on TCP, and that the firewall lets this computer reach the port' }),
    );
    socket.once('connect', () => done({ name: 'SQL Server', status: 'ok', detail: `${host}:${port} accepts TCP connections (${Date.now() - started} ms)` }));
    socket.once('error', (e: NodeJS.ErrnoException) =>
      done({
        name: 'SQL Server',
        status: 'fail',
        detail: `${host}:${port}: ${e.code ?? e.message}`,
        fix: instance && !/,\d+$/.test(server) ? `a named instance (${instance}) often listens on another port: give it as host,port` : 'check that SQL Server runs, has TCP/IP enabled on that port, and that the firewall allows it',
      }),
    );
  });
}

export async function checkModule(pwshPath: string | undefined): Promise<Check> {
  let session;
  try {
    session = createVmmBackupSession({ pwshPath, timeoutMs: 120_000, startTimeoutMs: 120_000 });
  } catch (e) {
    return { name: 'module + bridge', status: 'fail', detail: (e as Error).message, fix: 'fix pwsh first' };
  }
  try {
    const result = await session.invoke<{ Id: string }>('Get-VmmBackupPlan');
    return { name: 'module + bridge', status: 'ok', detail: `VmmBackup imports; Get-VmmBackupPlan returned ${result.output.length} validated item(s)` };
  } catch (e) {
    return { name: 'module + bridge', status: 'fail', detail: (e as Error).message, fix: 'run `npm run generate`, then `vmm-backup test`' };
  } finally {
    await session.dispose();
  }
}

export const doctorCommand: CommandModule<object, DoctorArgs> = {
  command: 'doctor',
  describe: 'Check the toolchain (pwsh, Pester, osslsigncode), the signing certificate, the module through the bridge, and SQL Server reachability; say what to fix',
  builder: (y) =>
    y
      .option('pwsh', { type: 'string', describe: 'PowerShell executable to check (default: .tools/pwsh/pwsh, else PATH)' })
      .option('pfx', { type: 'string', describe: 'Signing PFX to check (default $VMMBACKUP_SIGN_PFX)' })
      .option('cert', { type: 'string', describe: 'Signing PEM certificate to check (default $VMMBACKUP_SIGN_CERT)' })
      .option('key', { type: 'string', describe: 'Its PEM private key (default $VMMBACKUP_SIGN_KEY)' })
      .option('password-env', { type: 'string', describe: 'Environment variable holding the key password (default VMMBACKUP_SIGN_PASSWORD)' })
      .option('sql-server', { type: 'string', describe: 'SQL Server to reach: host, host,port or host\\instance (default $VMMBACKUP_SQL_SERVER)', coerce: sqlServerOption })
      .option('sql-timeout-ms', { type: 'number', default: 3000, describe: 'How long to wait for SQL Server', coerce: numberIn('sql-timeout-ms', { min: 1, max: 600000, integer: true }) })
      .option('module', { type: 'boolean', default: true, describe: 'Also import the module through the bridge (--no-module to skip)' })
      .example('$0 doctor', 'Check everything; exit 1 when something must be fixed')
      .example('$0 doctor --sql-server sql01,1433 --pfx code.pfx --json', 'Also check SQL Server and a certificate; print JSON')
      .epilogue(EXIT_CODE_HELP) as never,
  handler: async (args) => {
    quietOnClosedPipe();
    const checks: Check[] = [];
    const step = <T>(label: string, work: () => Promise<T>) => withProgress(`checking ${label}`, !args.json, () => work());
    const pwsh = await step('pwsh', async () => checkPwsh(args.pwsh));
    checks.push({ name: pwsh.name, status: pwsh.status, detail: pwsh.detail, ...(pwsh.fix ? { fix: pwsh.fix } : {}) });
    checks.push(checkPester(), await step('osslsigncode', async () => checkOsslsigncode()), checkCertificate(args));
    if (args.module !== false) {
      checks.push(
        pwsh.status === 'ok'
          ? await step('the module through the bridge', () => checkModule(pwsh.path))
          : { name: 'module + bridge', status: 'fail', detail: 'not checked: pwsh is missing', fix: 'fix pwsh first' },
      );
    }
    checks.push(await step('SQL Server', () => checkSql(args['sql-server'] ?? process.env.VMMBACKUP_SQL_SERVER, args['sql-timeout-ms'])));
    const ok = checks.every((c) => c.status !== 'fail');
    if (args.json) {
      process.stdout.write(JSON.stringify({ ok, checks }, null, 2) + '\n');
    } else {
      process.stdout.write(renderTable(['Check', 'Status', 'Detail'], checks.map((c) => [c.name, c.status.toUpperCase(), c.detail])));
      const fixes = checks.filter((c) => c.fix && c.status !== 'ok');
      if (fixes.length) process.stdout.write('\nTo fix:\n' + fixes.map((c) => `  ${c.name}: ${c.fix}\n`).join(''));
      process.stdout.write(ok ? '\nReady.\n' : '\nNot ready: fix the FAIL lines above.\n');
    }
    args.setExitCode?.(ok ? 0 : 1);
  },
};
