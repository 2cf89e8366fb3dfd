/**
 * `vmm-backup db …` as a user runs it (a child process), against the TDS double in this process. The child
 * is spawned asynchronously so the double keeps answering.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { startTdsServer, TdsServer } from '../../../support/tds-server';
import { runCliProcess, type ChildRun } from '../../../support/child-process';
import { repoRoot } from '../../../support/paths';
import { progressWriter } from '../../../../src/cli/commands/db';
import { backupDatabaseSql } from '../../../../src/sql';
import { HISTORY_COLUMNS } from '../../../support/msdb-history';

const PASSWORD = 'Cli-Sql-Secret-7';

/** The CLI without the caller's own VMMBACKUP_SQL_PASSWORD unless the case sets it. */
function cli(args: string[], env: Record<string, string> = {}): Promise<ChildRun> {
  return runCliProcess(args, { VMMBACKUP_SQL_PASSWORD: undefined, ...env });
}

const row = (ageSeconds: number) => [5, 'VirtualManagerDB', 'SQL01', 'D', '2026-11-27T01:00:00', '2026-11-27T01:05:00', ageSeconds, false, true, false, '1024', '1024', 50, 1, 'D:\\Backup\\VirtualManagerDB.bak'];

let server: TdsServer;
let conn: string[];

beforeAll(async () => {
  server = await startTdsServer({ rules: [], password: PASSWORD });
  conn = ['--server', `127.0.0.1,${server.port}`, '--user', 'sa', '--password-env', 'SQLPW', '--no-encrypt'];
});
afterAll(() => server.stop());
beforeEach(() => server.log.splice(0));

test('db backup: copy-only and compression reach the statement; plain progress lines off a terminal; no password anywhere', async () => {
  server.setRules([{
    match: /^DECLARE @sql/,
    messages: [
      { number: 3211, text: '50 percent processed.', delayMs: 5 },
      { number: 3211, text: '100 percent processed.', delayMs: 5 },
      { number: 3014, text: 'BACKUP DATABASE successfully processed 1026 pages in 0.250 seconds (32.062 MB/sec).' },
    ],
  }]);
  const r = await cli(['db', 'backup', ...conn, '--database', "V']M;M", '--path', 'D:\\Backup\\x.bak', '--copy-only', '--compression'], { SQLPW: PASSWORD });
  expect(r.stderr).toBe("BACKUP V']M;M: 50%\nBACKUP V']M;M: 100%\n");
  expect(r.stdout).toBe("backed up V']M;M to D:\\Backup\\x.bak (1026 pages in 0.25 s, 32.062 MB/s)\n");
  expect(r.code).toBe(0);
  expect(server.log).toHaveLength(1);
  expect(server.log[0].sql).toBe(backupDatabaseSql({ copyOnly: true, compression: true }));
  expect(server.log[0].parameters.map((p) => p.value)).toEqual(["V']M;M", 'D:\\Backup\\x.bak']);
  expect(r.stdout + r.stderr + JSON.stringify(server.log) + JSON.stringify(server.logins)).not.toContain(PASSWORD);
});

test('db backup failing with 3201 exits 1 with the mapped message, and with --json one error object on stdout', async () => {
  server.setRules([{ match: /^DECLARE @sql/, error: { number: 3201, message: "Cannot open backup device 'Q:\\x.bak'. Operating system error 3." } }]);
  const r = await cli(['db', 'backup', ...conn, '--database', 'VirtualManagerDB', '--path', 'Q:\\x.bak', '--json'], { SQLPW: PASSWORD });
  expect(r.code).toBe(1);
  expect(JSON.parse(r.stdout)).toEqual({ error: { kind: 'SqlError', message: r.stderr.replace(/^vmm-backup: /, '').trimEnd(), exitCode: 1, details: { number: 3201, code: 'EREQUEST' } } });
  expect(r.stderr).toMatch(/^vmm-backup: cannot back up VirtualManagerDB: SQL Server cannot open the backup file 'Q:\\x\.bak': the path is opened by the SQL Server service on 127\.0\.0\.1,\d+/);
});

test('db status: fresh exits 0, stale and missing exit 1 (a state that is not good); --json carries the result', async () => {
  server.setRules([
    { match: /^WITH newest AS/, times: 1, resultSets: [{ columns: HISTORY_COLUMNS, rows: [row(2 * 3600)] }] },
    { match: /^WITH newest AS/, times: 1, resultSets: [{ columns: HISTORY_COLUMNS, rows: [row(30 * 3600)] }] },
    { match: /^WITH newest AS/, resultSets: [{ columns: HISTORY_COLUMNS, rows: [] }] },
  ]);
  const fresh = await cli(['db', 'status', ...conn, '--database', 'VirtualManagerDB'], { SQLPW: PASSWORD });
  expect(fresh.code).toBe(0);
  expect(fresh.stdout).toBe('fresh   the newest full backup of VirtualManagerDB is 2 h old (finished 2026-11-27 01:05:00, D:\\Backup\\VirtualManagerDB.bak; with checksums)\n');
  const stale = await cli(['db', 'status', ...conn, '--database', 'VirtualManagerDB', '--max-age-hours', '12', '--json'], { SQLPW: PASSWORD });
  expect(stale.code).toBe(1);
  expect(JSON.parse(stale.stdout)).toMatchObject({ database: 'VirtualManagerDB', status: 'stale', maxAgeHours: 12, ageHours: 30, newest: { files: ['D:\\Backup\\VirtualManagerDB.bak'], isCopyOnly: false, hasChecksums: true } });
  const missing = await cli(['db', 'status', ...conn, '--database', 'VirtualManagerDB'], { SQLPW: PASSWORD });
  expect(missing.code).toBe(1);
  expect(missing.stdout).toBe('missing no full backup of VirtualManagerDB is recorded in msdb\n');
});

test('db verify prints the verified set', async () => {
  server.setRules([
    {
      match: /^RESTORE HEADERONLY/,
      resultSets: [{
        columns: [{ name: 'Position', type: 'smallint' }, { name: 'DatabaseName', type: 'nvarchar(128)' }, { name: 'ServerName', type: 'nvarchar(128)' }, { name: 'BackupFinishDate', type: 'datetime' }, { name: 'IsCopyOnly', type: 'bit' }],
        rows: [[1, 'VirtualManagerDB', 'SQL01', '2026-11-27T01:05:00', true]],
      }],
    },
    { match: /^RESTORE VERIFYONLY/, messages: [{ number: 3262, text: 'The backup set on file 1 is valid.' }] },
  ]);
  const r = await cli(['db', 'verify', ...conn, '--path', 'D:\\b.bak'], { SQLPW: PASSWORD });
  expect(r.code).toBe(0);
  expect(r.stdout).toBe('valid  D:\\b.bak  set 1 of 1: VirtualManagerDB from SQL01, finished 2026-11-27T01:05:00.000Z, copy-only\n');
});

test('wrong password: login failed message, exit 1; missing password or login: exit 2 without connecting', async () => {
  const bad = await cli(['db', 'status', ...conn, '--database', 'VirtualManagerDB'], { SQLPW: 'not-it' });
  expect(bad.code).toBe(1);
  expect(bad.stderr).toContain("login failed for user 'sa'");
  const before = server.logins.length;
  const noEnv = await cli(['db', 'status', ...conn, '--database', 'VirtualManagerDB']);
  expect(noEnv.code).toBe(2);
  expect(noEnv.stderr).toBe('vmm-backup: environment variable SQLPW is not set\n');
  const noPrompt = await cli(['db', 'status', '--server', `127.0.0.1,${server.port}`, '--user', 'sa', '--database', 'x']);
  expect(noPrompt.code).toBe(2);
  expect(noPrompt.stderr).toContain('no password for sa: set --password-env VAR (or VMMBACKUP_SQL_PASSWORD), or run on a terminal');
  const noDomain = await cli(['db', 'status', '--server', 'x', '--windows-auth', '--user', 'u', '--database', 'x']);
  expect(noDomain.code).toBe(2);
  expect(noDomain.stderr).toContain('--windows-auth needs --domain and --user');
  expect(server.logins.length).toBe(before);
});

test('a password given on the command line is refused (there is no such option)', async () => {
  const r = await cli(['db', 'status', ...conn, '--database', 'x', '--password', PASSWORD]);
  expect(r.code).toBe(2);
  expect(r.stderr).toContain('Unknown argument');
});

test('progress bar on a terminal redraws one line and ends it', () => {
  const written: string[] = [];
  const stream = { isTTY: true, write: (s: string) => written.push(s) } as unknown as NodeJS.WriteStream;
  const bar = progressWriter('BACKUP VirtualManagerDB', stream);
  bar.update({ percent: 10, message: '' });
  bar.update({ percent: 100, message: '' });
  bar.end();
  expect(written).toEqual([
    `\r[###${'-'.repeat(27)}]  10% BACKUP VirtualManagerDB`,
    `\r[${'#'.repeat(30)}] 100% BACKUP VirtualManagerDB`,
    '\n',
  ]);
});

test('the BACKUP statement is the one the PowerShell module sends', () => {
  const template = path.join(repoRoot, 'templates/cmdlets/Backup-VmmDatabase.ps1');
  const text = fs.readFileSync(template, 'utf8');
  const m = /\$query = "(DECLARE @sql[^"]*)"/.exec(text);
  expect(m).not.toBeNull();
  const base = /\$options = '([^']*)'/.exec(text);
  expect(base?.[1]).toBe('CHECKSUM, INIT, STATS');
  const psStatement = m![1].replace('$options', base![1]).replace('`n', '\n');
  expect(backupDatabaseSql()).toBe(psStatement);
});
