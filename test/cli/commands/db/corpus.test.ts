/**
 * `vmm-backup db` under bad input and against servers that will not encrypt: option values are checked with
 * the option's own name and range (exit 2); encryption on means encrypted or exit 3 before any login; the
 * plain-text opt-out and the certificate-trust opt-in are explicit. Servers are the TDS double on 127.0.0.1,
 * one without TLS and one with a throw-away certificate.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { corpus, makeWork, runCase } from '../../../support/cli-corpus';
import { startTdsServer, type TdsServer } from '../../../support/tds-server';
import { HISTORY_COLUMNS } from '../../../support/msdb-history';

const PASSWORD = 'Corpus-Sql-Secret-9';
const env = { CORPUS_SQLPW: PASSWORD };
const login = ['--user', 'sa', '--password-env', 'CORPUS_SQLPW'];

const row = (ageSeconds: number) => [5, 'VirtualManagerDB', 'SQL01', 'D', '2026-11-27T01:00:00', '2026-11-27T01:05:00', ageSeconds, false, true, false, '1024', '1024', 50, 1, 'D:\\Backup\\VirtualManagerDB.bak'];
const freshness = (ageSeconds: number | null) => [{ match: /^WITH newest AS/, resultSets: [{ columns: HISTORY_COLUMNS, rows: ageSeconds === null ? [] : [row(ageSeconds)] }] }];

let plain: TdsServer;
let secure: TdsServer;
let pki: string;
let closedPort: number;

beforeAll(async () => {
  pki = makeWork('vmm-cli-db-pki-');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost', '-days', '2', '-keyout', 'key.pem', '-out', 'cert.pem'], { cwd: pki, stdio: 'ignore' });
  plain = await startTdsServer({ rules: freshness(3600), password: PASSWORD });
  secure = await startTdsServer({ rules: freshness(3600), password: PASSWORD, tls: { key: fs.readFileSync(path.join(pki, 'key.pem')), cert: fs.readFileSync(path.join(pki, 'cert.pem')) } });
  const probe = net.createServer();
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
  closedPort = (probe.address() as net.AddressInfo).port;
  await new Promise((r) => probe.close(r));
});
afterAll(async () => {
  await plain.stop();
  await secure.stop();
  fs.rmSync(pki, { recursive: true, force: true });
});
beforeEach(() => {
  for (const s of [plain, secure]) {
    s.log.splice(0);
    s.logins.splice(0);
    s.setRules(freshness(3600));
  }
});

const status = ['db', 'status', '--database', 'VirtualManagerDB'];

corpus('vmm-cli-db-', [
  { name: '--port 99999 names the option and its range', argv: [...status, '--server', 'sql01', '--port', '99999', ...login], env, code: 2, kind: 'BadInput', message: '--port takes a whole number from 1 to 65535, not 99999' },
  { name: '--port 0', argv: [...status, '--server', 'sql01', '--port', '0', ...login], env, code: 2, kind: 'BadInput', message: '--port takes a whole number from 1 to 65535, not 0' },
  { name: '--port that is not a number', argv: [...status, '--server', 'sql01', '--port', 'abc', ...login], env, code: 2, kind: 'BadInput', message: '--port takes a whole number from 1 to 65535, and the value given is not a number' },
  { name: '--port 1433.5', argv: [...status, '--server', 'sql01', '--port', '1433.5', ...login], env, code: 2, kind: 'BadInput', message: '--port takes a whole number from 1 to 65535, not 1433.5' },
  { name: 'a port out of range inside --server', argv: [...status, '--server', 'sql01,70000', ...login], env, code: 2, kind: 'BadInput', message: "--server: bad port in server name 'sql01,70000' (a port is a whole number from 1 to 65535)" },
  { name: 'an empty --server', argv: [...status, '--server', '', ...login], env, code: 2, kind: 'BadInput', message: '--server needs a value' },
  { name: 'an empty --database', argv: ['db', 'status', '--database', '', '--server', 'sql01', ...login], env, code: 2, kind: 'BadInput', message: '--database needs a value' },
  { name: 'no --database', argv: ['db', 'status', '--server', 'sql01', ...login], env, code: 2, kind: 'BadInput', message: 'Missing required argument: database' },
  { name: 'no db sub-command', argv: ['db'], code: 2, kind: 'BadInput', message: 'Not enough non-option arguments: got 0, need at least 1' },
  { name: 'no login named', argv: [...status, '--server', 'sql01'], code: 2, kind: 'BadInput', message: 'name a login: --user <login> (SQL authentication) or --windows-auth --domain <d> --user <u>' },
  { name: '--domain without --windows-auth', argv: [...status, '--server', 'sql01', '--domain', 'CONTOSO', ...login], env, code: 2, kind: 'BadInput', message: '--domain is only used with --windows-auth' },
  { name: '--windows-auth without --domain', argv: [...status, '--server', 'sql01', '--windows-auth', ...login], env, code: 2, kind: 'BadInput', message: /^--windows-auth needs --domain and --user/ },
  { name: 'a password variable that is not set', argv: [...status, '--server', 'sql01', '--user', 'sa', '--password-env', 'CORPUS_UNSET_PW'], env: { CORPUS_UNSET_PW: undefined }, code: 2, kind: 'MissingPassword', message: 'environment variable CORPUS_UNSET_PW is not set' },
  { name: 'a password on the command line is refused', argv: [...status, '--server', 'sql01', '--user', 'sa', '--password', 'x'], code: 2, kind: 'BadInput', message: 'Unknown argument: password' },
  { name: '--max-age-hours 0', argv: [...status, '--server', 'sql01', '--max-age-hours', '0', ...login], env, code: 2, kind: 'BadInput', message: '--max-age-hours takes a number above 0 and at most 87600, not 0' },
  { name: '--max-age-hours that is not a number', argv: [...status, '--server', 'sql01', '--max-age-hours', 'soon', ...login], env, code: 2, kind: 'BadInput', message: '--max-age-hours takes a number above 0 and at most 87600, and the value given is not a number' },
  { name: '--connect-timeout 0', argv: [...status, '--server', 'sql01', '--connect-timeout', '0', ...login], env, code: 2, kind: 'BadInput', message: '--connect-timeout takes a number above 0 and at most 3600, not 0' },
  { name: 'history --top 0', argv: ['db', 'history', '--database', 'VirtualManagerDB', '--server', 'sql01', '--top', '0', ...login], env, code: 2, kind: 'BadInput', message: '--top takes a whole number from 1 to 10000, not 0' },
  { name: 'verify --file -1', argv: ['db', 'verify', '--path', 'D:\\x.bak', '--server', 'sql01', '--file=-1', ...login], env, code: 2, kind: 'BadInput', message: '--file takes a whole number from 1 to 2147483647, not -1' },
  { name: 'backup with an empty --path', argv: ['db', 'backup', '--database', 'VirtualManagerDB', '--path', '', '--server', 'sql01', ...login], env, code: 2, kind: 'BadInput', message: '--path needs a value' },
]);

/**
 * Cases that need the servers' ports, known once they listen: PLAIN is the double without TLS, SECURE the
 * one with a certificate for localhost, PKI its folder, CLOSED a port nothing listens on.
 */
function dbCase(name: string, c: Omit<Parameters<typeof runCase>[0], 'name'>): void {
  test(name, async () => {
    const work = makeWork('vmm-cli-db-');
    const value = (a: string) =>
      a === 'PLAIN' ? `127.0.0.1,${plain.port}` : a === 'SECURE' ? `localhost,${secure.port}` : a === 'CLOSED' ? `127.0.0.1,${closedPort}` : a.replace(/^PKI\//, `${pki}/`);
    try {
      await runCase({ ...c, name, argv: c.argv.map(value) }, work);
    } finally {
      fs.rmSync(work, { recursive: true, force: true });
    }
  });
}

dbCase('a server that does not listen: exit 3 (environment)', {
  argv: [...status, '--server', 'CLOSED', '--no-encrypt', '--connect-timeout', '5', ...login],
  env,
  code: 3,
  kind: 'Unreachable',
  message: /^cannot connect to 127\.0\.0\.1,\d+: cannot reach 127\.0\.0\.1,\d+ \(.+\); check the server name, port, firewall and that SQL Server is running$/,
});

dbCase('encryption on (the default) and a server without encryption: exit 3, and no login or query is sent', {
  argv: [...status, '--server', 'PLAIN', ...login],
  env,
  code: 3,
  kind: 'EncryptionUnavailable',
  message: /^cannot connect to 127\.0\.0\.1,\d+: the server would not encrypt the connection: it answered that it does not support encryption \(ENCRYPT_NOT_SUP\)\. Nothing was sent \(no login, no query\)\. .*--no-encrypt/,
  check: () => {
    expect(plain.logins).toEqual([]);
    expect(plain.log).toEqual([]);
  },
});

dbCase('--no-encrypt is the explicit opt-out: the same server answers in plain text', {
  argv: [...status, '--server', 'PLAIN', ...login, '--no-encrypt'],
  env,
  code: 0,
  check: (run) => {
    expect(JSON.parse(run.stdout)).toMatchObject({ status: 'fresh', database: 'VirtualManagerDB' });
    expect(plain.logins.map((l) => [l.ok, l.encrypted])).toContainEqual([true, false]);
  },
});

dbCase('a TLS server with the CA given: encrypted login and query (exit 0)', {
  argv: [...status, '--server', 'SECURE', ...login, '--ca', 'PKI/cert.pem'],
  env,
  code: 0,
  check: (run) => {
    expect(JSON.parse(run.stdout)).toMatchObject({ status: 'fresh' });
    expect(secure.logins.length).toBeGreaterThan(0);
    expect(secure.logins.every((l) => l.ok && l.encrypted)).toBe(true);
    expect(secure.log.map((s) => s.sql.slice(0, 15))).toContain('WITH newest AS ');
  },
});

dbCase('a TLS server whose certificate is not trusted: exit 3 and no login', {
  argv: [...status, '--server', 'SECURE', ...login],
  env,
  code: 3,
  kind: 'CertificateRejected',
  message: /^cannot connect to localhost,\d+: the TLS handshake with localhost,\d+ failed \(.*self-signed certificate.*\); .*--ca ca\.pem.*--trust-server-certificate/,
  check: () => expect(secure.logins).toEqual([]),
});

dbCase('--trust-server-certificate is the explicit opt-in: encrypted (exit 0)', {
  argv: [...status, '--server', 'SECURE', ...login, '--trust-server-certificate'],
  env,
  code: 0,
  check: () => expect(secure.logins.length > 0 && secure.logins.every((l) => l.encrypted)).toBe(true),
});

dbCase('a stale backup exits 1 (a state that is not good), the result as JSON', {
  argv: [...status, '--server', 'PLAIN', ...login, '--no-encrypt', '--max-age-hours', '1'],
  env,
  code: 1,
  setup: () => plain.setRules(freshness(30 * 3600)),
  check: (run) => expect(JSON.parse(run.stdout)).toMatchObject({ status: 'stale', ageHours: 30 }),
});

dbCase('no backup at all exits 1, the result as JSON', {
  argv: [...status, '--server', 'PLAIN', ...login, '--no-encrypt'],
  env,
  code: 1,
  setup: () => plain.setRules(freshness(null)),
  check: (run) => expect(JSON.parse(run.stdout)).toMatchObject({ status: 'missing' }),
});

dbCase('a wrong password: exit 1, LoginFailed, the password nowhere', {
  argv: [...status, '--server', 'PLAIN', '--user', 'sa', '--password-env', 'CORPUS_SQLPW', '--no-encrypt'],
  env: { CORPUS_SQLPW: 'not-the-password' },
  code: 1,
  kind: 'LoginFailed',
  message: /^cannot connect to 127\.0\.0\.1,\d+: login failed for user 'sa'/,
  check: (run) => expect(run.stdout + run.stderr).not.toContain('not-the-password'),
});
