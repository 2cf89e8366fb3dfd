/**
 * src/sql against the TDS double: the real mssql/tedious code logs in, binds parameters, receives info
 * messages and errors over a socket; the tests read back exactly what the "server" received.
 */
import type sql from 'mssql';
import { Rule, startTdsServer, TdsServer } from '../support/tds-server';
import {
  backupDatabase,
  backupDatabaseSql,
  BACKUP_HISTORY_SQL,
  buildPoolConfig,
  connectSql,
  getBackupFreshness,
  getBackupHistory,
  NEWEST_FULL_BACKUP_SQL,
  parsePercent,
  parseServer,
  RESTORE_HEADERONLY_SQL,
  restoreVerifyOnlySql,
  verifyBackup,
  VmmSqlError,
} from '../../src/sql';
import { HISTORY_COLUMNS } from '../support/msdb-history';

const PASSWORD = 'Jest-Sql-Only-1';
const EVIL_DB = "VMM']; DROP DATABASE x;--";
const EVIL_PATH = "\\\\backup01\\vmm's backups];\\VirtualManagerDB.bak";

/** A rule that matches exactly this statement text. */
function exact(text: string): RegExp {
  return new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
}

function nv(name: string, size: number, value: string) {
  return { name, type: 'nvarchar', declaredAs: `nvarchar(${size})`, value };
}

const BACKUP_MESSAGES = [
  ...[10, 20, 30, 40, 50, 60, 70, 80, 90, 100].map((p) => ({ number: 3211, text: `${p} percent processed.`, delayMs: 5 })),
  { number: 4035, text: "Processed 1024 pages for database 'VirtualManagerDB', file 'VirtualManagerDB' on file 1." },
  { number: 3014, text: 'BACKUP DATABASE successfully processed 1026 pages in 0.250 seconds (32.062 MB/sec).' },
];

let server: TdsServer;
let pool: sql.ConnectionPool | undefined;

async function connect(requestTimeoutMs = 2000): Promise<sql.ConnectionPool> {
  pool = await connectSql({
    server: `127.0.0.1,${server.port}`,
    auth: { kind: 'sql', user: 'sa', password: PASSWORD },
    tls: { encrypt: false },
    requestTimeoutMs,
    connectTimeoutMs: 5000,
  });
  return pool;
}

beforeEach(async () => {
  server = await startTdsServer({ rules: [], password: PASSWORD });
});

afterEach(async () => {
  if (pool) await pool.close().catch(() => undefined);
  pool = undefined;
  await server.stop();
});

describe('backupDatabase', () => {
  test('sends BACKUP DATABASE through QUOTENAME in dynamic SQL, with the name and path as parameters', async () => {
    const sqlText = backupDatabaseSql({ copyOnly: true, compression: true });
    expect(sqlText).toBe(
      "DECLARE @sql nvarchar(max) = N'BACKUP DATABASE ' + QUOTENAME(@db) + N' TO DISK = @path WITH CHECKSUM, INIT, STATS, COPY_ONLY, COMPRESSION';\n" +
        "EXEC sp_executesql @sql, N'@path nvarchar(4000)', @path = @path;",
    );
    server.setRules([{ match: exact(sqlText), messages: BACKUP_MESSAGES }]);
    const p = await connect();
    const progress: number[] = [];
    const result = await backupDatabase(p, { database: EVIL_DB, path: EVIL_PATH, copyOnly: true, compression: true, onProgress: (x) => progress.push(x.percent) });

    expect(server.unmatched).toEqual([]);
    expect(server.log).toHaveLength(1);
    expect(server.log[0]).toMatchObject({
      kind: 'rpc',
      procedure: 'sp_executesql',
      sql: sqlText,
      declaration: '@db nvarchar(128), @path nvarchar(4000)',
      parameters: [nv('@db', 128, EVIL_DB), nv('@path', 4000, EVIL_PATH)],
    });
    // No user value anywhere in the statement text.
    expect(server.log[0].sql).not.toContain('DROP');
    expect(server.log[0].sql).not.toContain('backup01');
    expect(progress).toEqual([10, 20, 30, 40, 50, 60, 70, 80, 90, 100]);
    expect(result).toMatchObject({ database: EVIL_DB, path: EVIL_PATH, copyOnly: true, compression: true, pages: 1026, seconds: 0.25, mbPerSecond: 32.062 });
    expect(result.messages.map((m) => m.number)).toEqual([...Array(10).fill(3211), 4035, 3014]);
  });

  test('without options the WITH clause is CHECKSUM, INIT, STATS only', async () => {
    server.setRules([{ match: /^DECLARE @sql/, messages: BACKUP_MESSAGES.slice(-1) }]);
    const p = await connect();
    const result = await backupDatabase(p, { database: 'VirtualManagerDB', path: 'D:\\Backup\\VirtualManagerDB.bak' });
    expect(server.log[0].sql).toBe(backupDatabaseSql());
    expect(server.log[0].sql).toContain("WITH CHECKSUM, INIT, STATS';");
    expect(result.copyOnly).toBe(false);
  });

  test('progress arrives while the statement runs, before it completes, in order', async () => {
    server.setRules([{
      match: /^DECLARE @sql/,
      messages: [
        { number: 3211, text: '30 percent processed.', delayMs: 150 },
        { number: 3211, text: '60 percent processed.', delayMs: 150 },
        { number: 3211, text: '100 percent processed.', delayMs: 150 },
        BACKUP_MESSAGES[BACKUP_MESSAGES.length - 1],
      ],
    }]);
    const p = await connect();
    const events: string[] = [];
    const started = Date.now();
    const times: number[] = [];
    await backupDatabase(p, {
      database: 'VirtualManagerDB',
      path: 'D:\\b.bak',
      onProgress: (x) => {
        events.push(`progress ${x.percent}`);
        times.push(Date.now() - started);
      },
      onMessage: (m) => events.push(`message ${m.number}`),
    }).then(() => events.push('done'));
    expect(events).toEqual(['message 3211', 'progress 30', 'message 3211', 'progress 60', 'message 3211', 'progress 100', 'message 3014', 'done']);
    // Each percent came on its own, spaced by the server's delays (not all at the end).
    expect(times[1] - times[0]).toBeGreaterThanOrEqual(100);
    expect(times[2] - times[1]).toBeGreaterThanOrEqual(100);
  });

  test('BACKUP runs without a request time-out while ordinary queries keep theirs', async () => {
    server.setRules([
      { match: /^DECLARE @sql/, delayMs: 1200, messages: BACKUP_MESSAGES.slice(-1) },
      { match: /^WITH recent AS/, delayMs: 1200, resultSets: [{ columns: [{ name: 'backup_set_id', type: 'int' }], rows: [] }] },
    ]);
    const p = await connect(400);
    await expect(backupDatabase(p, { database: 'VirtualManagerDB', path: 'D:\\b.bak' })).resolves.toMatchObject({ pages: 1026 });
    await expect(getBackupHistory(p, { database: 'VirtualManagerDB' })).rejects.toMatchObject({ code: 'ETIMEOUT' });
  });

  test('3201 cannot open backup device becomes a sentence about the path on the SQL Server machine', async () => {
    server.setRules([{
      match: /^DECLARE @sql/,
      error: { number: 3201, message: "Cannot open backup device 'Z:\\nope\\x.bak'. Operating system error 3(The system cannot find the path specified.).", class: 16 },
    }]);
    const p = await connect();
    const err = await backupDatabase(p, { database: 'VirtualManagerDB', path: 'Z:\\nope\\x.bak' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(VmmSqlError);
    const e = err as VmmSqlError;
    expect(e.number).toBe(3201);
    expect(e.message).toMatch(/^cannot back up VirtualManagerDB: SQL Server cannot open the backup file 'Z:\\nope\\x\.bak': the path is opened by the SQL Server service on 127\.0\.0\.1,\d+|^cannot back up VirtualManagerDB: SQL Server cannot open the backup file 'Z:\\nope\\x\.bak': the path is opened by the SQL Server service on the server/);
    expect(e.message).toContain('may write it');
    expect(e.message).toContain('Operating system error 3');
  });

  test('911 unknown database, and an error of no known number keeps its number and text', async () => {
    server.setRules([
      { match: /^DECLARE @sql/, times: 1, error: { number: 911, message: "Database 'Nope' does not exist. Make sure that the name is entered correctly." } },
      { match: /^DECLARE @sql/, error: { number: 50123, message: 'something else' } },
    ]);
    const p = await connect();
    await expect(backupDatabase(p, { database: 'Nope', path: 'D:\\b.bak', server: 'sql01' })).rejects.toThrow(
      "cannot back up Nope: database 'Nope' does not exist on sql01 (or is not accessible): check --database (SQL Server: 911: Database 'Nope' does not exist. Make sure that the name is entered correctly.)",
    );
    await expect(backupDatabase(p, { database: 'Nope', path: 'D:\\b.bak' })).rejects.toMatchObject({ number: 50123, message: 'cannot back up Nope: SQL Server error 50123: something else' });
  });

  test('refuses empty or over-long names before sending anything', async () => {
    const p = await connect();
    await expect(backupDatabase(p, { database: '', path: 'D:\\b.bak' })).rejects.toThrow('the database name is empty');
    await expect(backupDatabase(p, { database: 'x'.repeat(129), path: 'D:\\b.bak' })).rejects.toThrow('longer than 128');
    await expect(backupDatabase(p, { database: 'VirtualManagerDB', path: '  ' })).rejects.toThrow('the backup path is empty');
    expect(server.log).toEqual([]);
  });
});

const HEADER_COLUMNS = [
  { name: 'BackupName', type: 'nvarchar(128)' },
  { name: 'BackupType', type: 'smallint' },
  { name: 'Compressed', type: 'tinyint' },
  { name: 'Position', type: 'smallint' },
  { name: 'ServerName', type: 'nvarchar(128)' },
  { name: 'DatabaseName', type: 'nvarchar(128)' },
  { name: 'BackupSize', type: 'bigint' },
  { name: 'BackupStartDate', type: 'datetime' },
  { name: 'BackupFinishDate', type: 'datetime' },
  { name: 'HasBackupChecksums', type: 'bit' },
  { name: 'IsCopyOnly', type: 'bit' },
  { name: 'BackupTypeDescription', type: 'nvarchar(60)' },
  { name: 'BackupSetGUID', type: 'uniqueidentifier' },
];
const GUID = '0B1C2D3E-4F50-6172-8394-A5B6C7D8E9F0';
const HEADER_ROWS = [
  [null, 1, 0, 1, 'SQL01', 'VirtualManagerDB', '41943040', '2026-11-26T02:00:00', '2026-11-26T02:00:30', true, false, 'Database', GUID],
  [null, 1, 1, 2, 'SQL01', 'VirtualManagerDB', '52428800', '2026-11-27T02:00:00', '2026-11-27T02:00:40', true, true, 'Database', GUID],
];

describe('verifyBackup', () => {
  const headerRule: Rule = { match: exact(RESTORE_HEADERONLY_SQL), resultSets: [{ columns: HEADER_COLUMNS, rows: HEADER_ROWS }] };

  test('RESTORE HEADERONLY, then RESTORE VERIFYONLY of the last backup set WITH CHECKSUM, all as parameters', async () => {
    expect(restoreVerifyOnlySql()).toBe('RESTORE VERIFYONLY FROM DISK = @path WITH FILE = @file, CHECKSUM, STATS;');
    server.setRules([
      headerRule,
      {
        match: exact(restoreVerifyOnlySql()),
        messages: [
          { number: 3211, text: '50 percent processed.', delayMs: 5 },
          { number: 3211, text: '100 percent processed.', delayMs: 5 },
          { number: 3262, text: 'The backup set on file 2 is valid.' },
        ],
      },
    ]);
    const p = await connect();
    const progress: number[] = [];
    const result = await verifyBackup(p, { path: EVIL_PATH, onProgress: (x) => progress.push(x.percent) });
    expect(server.log.map((l) => ({ sql: l.sql, declaration: l.declaration, parameters: l.parameters }))).toEqual([
      { sql: RESTORE_HEADERONLY_SQL, declaration: '@path nvarchar(4000)', parameters: [nv('@path', 4000, EVIL_PATH)] },
      {
        sql: restoreVerifyOnlySql(),
        declaration: '@path nvarchar(4000), @file int',
        parameters: [nv('@path', 4000, EVIL_PATH), { name: '@file', type: 'int', declaredAs: 'int', value: 2 }],
      },
    ]);
    expect(progress).toEqual([50, 100]);
    expect(result.valid).toBe(true);
    expect(result.file).toBe(2);
    expect(result.headers).toHaveLength(2);
    expect(result.headers[1]).toMatchObject({
      position: 2, databaseName: 'VirtualManagerDB', serverName: 'SQL01', backupType: 1, isCopyOnly: true, hasChecksums: true,
      compressed: true, backupSize: 52428800, backupSetGuid: GUID,
    });
    expect(result.headers[1].finishDate?.toISOString()).toBe('2026-11-27T02:00:40.000Z');
    expect(result.messages.at(-1)).toEqual({ number: 3262, message: 'The backup set on file 2 is valid.' });
  });

  test('a damaged backup fails verification with a clear message; no checksums points at --no-checksum', async () => {
    server.setRules([
      headerRule,
      { match: /^RESTORE VERIFYONLY/, times: 1, error: { number: 3189, message: 'Damage to the backup set was detected.' } },
      { match: /@file, CHECKSUM, STATS/, error: { number: 3187, message: 'RESTORE WITH CHECKSUM cannot be specified because the backup set does not contain checksum information.' } },
      { match: exact(restoreVerifyOnlySql(false)), messages: [{ number: 3262, text: 'The backup set on file 1 is valid.' }] },
    ]);
    const p = await connect();
    await expect(verifyBackup(p, { path: 'D:\\b.bak', file: 1 })).rejects.toThrow(
      "cannot verify the backup 'D:\\b.bak': the file 'D:\\b.bak' is not a readable SQL Server backup (damaged, truncated or not a backup): take a new backup (SQL Server: 3189: Damage to the backup set was detected.)",
    );
    await expect(verifyBackup(p, { path: 'D:\\b.bak' })).rejects.toThrow(/without checksums \(--no-checksum\)/);
    const ok = await verifyBackup(p, { path: 'D:\\b.bak', checksum: false, file: 1 });
    expect(ok).toMatchObject({ valid: true, file: 1, checksum: false });
    expect(server.log.at(-1)?.sql).toBe('RESTORE VERIFYONLY FROM DISK = @path WITH FILE = @file, NO_CHECKSUM, STATS;');
  });

  test('3201 on RESTORE HEADERONLY asks for read access', async () => {
    server.setRules([{ match: /^RESTORE HEADERONLY/, error: { number: 3201, message: "Cannot open backup device 'D:\\x.bak'. Operating system error 5(Access is denied.)." } }]);
    const p = await connect();
    await expect(verifyBackup(p, { path: 'D:\\x.bak' })).rejects.toThrow(/cannot open the backup file 'D:\\x\.bak'.*may read it/);
  });
});

function historyRow(id: number, type: string, ageSeconds: number, copyOnly: boolean, family: number, file: string, damaged = false) {
  return [id, EVIL_DB, 'SQL01', type, '2026-11-27T01:00:00', '2026-11-27T01:05:00', ageSeconds, copyOnly, true, damaged, '41943040', '10485760', id * 10, family, file];
}

describe('msdb history and freshness', () => {
  test('freshness reads the newest full backup by parameter and groups striped files', async () => {
    expect(NEWEST_FULL_BACKUP_SQL).toContain("WHERE bs.database_name = @database AND bs.type = 'D'");
    server.setRules([{
      match: exact(NEWEST_FULL_BACKUP_SQL),
      resultSets: [{ columns: HISTORY_COLUMNS, rows: [historyRow(42, 'D', 3 * 3600, true, 1, 'D:\\b\\1.bak'), historyRow(42, 'D', 3 * 3600, true, 2, 'E:\\b\\2.bak')] }],
    }]);
    const p = await connect();
    const result = await getBackupFreshness(p, { database: EVIL_DB, maxAgeHours: 24 });
    expect(server.log).toHaveLength(1);
    expect(server.log[0]).toMatchObject({ sql: NEWEST_FULL_BACKUP_SQL, declaration: '@database nvarchar(128)', parameters: [nv('@database', 128, EVIL_DB)] });
    expect(result.status).toBe('fresh');
    expect(result.ageHours).toBe(3);
    expect(result.newest).toMatchObject({ backupSetId: 42, type: 'D', isCopyOnly: true, hasChecksums: true, files: ['D:\\b\\1.bak', 'E:\\b\\2.bak'] });
    expect(result.newest?.finishDate?.toISOString()).toBe('2026-11-27T01:05:00.000Z');
    expect(result.summary).toBe(`the newest full backup of ${EVIL_DB} is 3 h old (finished 2026-11-27 01:05:00, D:\\b\\1.bak, E:\\b\\2.bak; copy-only, with checksums)`);
  });

  test('stale when older than the maximum age, missing when msdb has none', async () => {
    server.setRules([
      { match: /^WITH newest AS/, times: 1, resultSets: [{ columns: HISTORY_COLUMNS, rows: [historyRow(7, 'D', 30 * 3600, false, 1, 'D:\\old.bak')] }] },
      { match: /^WITH newest AS/, times: 1, resultSets: [{ columns: HISTORY_COLUMNS, rows: [historyRow(8, 'D', 3600, false, 1, 'D:\\bad.bak', true)] }] },
      { match: /^WITH newest AS/, resultSets: [{ columns: HISTORY_COLUMNS, rows: [] }] },
    ]);
    const p = await connect();
    const stale = await getBackupFreshness(p, { database: 'VirtualManagerDB', maxAgeHours: 24 });
    expect(stale).toMatchObject({ status: 'stale', ageHours: 30 });
    expect(stale.summary).toContain('is 30 h old, more than 24 h');
    const damaged = await getBackupFreshness(p, { database: 'VirtualManagerDB' });
    expect(damaged).toMatchObject({ status: 'stale', ageHours: 1 });
    expect(damaged.summary).toContain('is marked damaged');
    const missing = await getBackupFreshness(p, { database: 'VirtualManagerDB' });
    expect(missing).toMatchObject({ status: 'missing', newest: null, summary: 'no full backup of VirtualManagerDB is recorded in msdb' });
  });

  test('history: TOP (@top) as an int parameter, rows grouped per backup in server order', async () => {
    server.setRules([{
      match: exact(BACKUP_HISTORY_SQL),
      resultSets: [{ columns: HISTORY_COLUMNS, rows: [historyRow(9, 'L', 60, false, 1, 'D:\\l.trn'), historyRow(8, 'D', 600, false, 1, 'D:\\f1.bak'), historyRow(8, 'D', 600, false, 2, 'D:\\f2.bak')] }],
    }]);
    const p = await connect();
    const history = await getBackupHistory(p, { database: 'VirtualManagerDB', top: 5 });
    expect(server.log[0].parameters).toEqual([nv('@database', 128, 'VirtualManagerDB'), { name: '@top', type: 'int', declaredAs: 'int', value: 5 }]);
    expect(history.map((h) => [h.backupSetId, h.type, h.files])).toEqual([[9, 'L', ['D:\\l.trn']], [8, 'D', ['D:\\f1.bak', 'D:\\f2.bak']]]);
    await expect(getBackupHistory(p, { database: 'VirtualManagerDB', top: 0 })).rejects.toThrow('top must be an integer');
  });

  test('permission denied on msdb is explained', async () => {
    server.setRules([{ match: /^WITH newest AS/, error: { number: 229, message: "The SELECT permission was denied on the object 'backupset', database 'msdb', schema 'dbo'." } }]);
    const p = await connect();
    await expect(getBackupFreshness(p, { database: 'VirtualManagerDB' })).rejects.toMatchObject({ number: 229, message: expect.stringContaining('permission denied') });
  });
});

describe('connections', () => {
  test('18456 login failed for SQL authentication is a clear sentence and holds no password', async () => {
    const err = await connectSql({ server: `127.0.0.1,${server.port}`, auth: { kind: 'sql', user: 'sa', password: 'wrong-Secret-9' }, tls: { encrypt: false } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(VmmSqlError);
    expect((err as VmmSqlError).number).toBe(18456);
    expect((err as Error).message).toBe(
      `cannot connect to 127.0.0.1,${server.port}: login failed for user 'sa' on 127.0.0.1,${server.port}: check the user name and password (and that the server allows SQL Server authentication), or use Windows authentication (--windows-auth --domain) (Login failed for user 'sa'.)`,
    );
    expect((err as Error).message).not.toContain('wrong-Secret-9');
  });

  test('NTLM authentication sends an integrated (SSPI) login, which the double refuses', async () => {
    const err = await connectSql({ server: `127.0.0.1,${server.port}`, auth: { kind: 'ntlm', domain: 'CONTOSO', user: 'svc-vmm', password: 'Ntlm-Secret-1' }, tls: { encrypt: false } }).catch((e: unknown) => e);
    expect((err as VmmSqlError).number).toBe(18456);
    expect((err as Error).message).toContain("login failed for user 'CONTOSO\\svc-vmm'");
    expect((err as Error).message).toContain('check the domain, user name and password');
    // The LOGIN7 carried no SQL user name: tedious used the integrated-security path.
    expect(server.logins).toEqual([expect.objectContaining({ user: '', ok: false })]);
  });

  test('nothing listening: a socket error says to check the server', async () => {
    const port = server.port;
    await server.stop();
    server = await startTdsServer({ rules: [], password: PASSWORD });
    await expect(connectSql({ server: `127.0.0.1,${port === server.port ? port + 1 : port}`, auth: { kind: 'sql', user: 'sa', password: PASSWORD }, tls: { encrypt: false }, connectTimeoutMs: 3000 }))
      .rejects.toThrow(/cannot (reach|connect to) .*check the server name, port, firewall/);
  });

  test('server names and the mssql configuration (NTLM, TLS, CA)', () => {
    expect(parseServer('sql01')).toEqual({ host: 'sql01' });
    expect(parseServer('tcp:sql01.contoso.local,1433')).toEqual({ host: 'sql01.contoso.local', port: 1433 });
    expect(parseServer('sql01\\VMM')).toEqual({ host: 'sql01', instance: 'VMM' });
    expect(parseServer('.\\SQLEXPRESS')).toEqual({ host: 'localhost', instance: 'SQLEXPRESS' });
    expect(() => parseServer('sql01,99999')).toThrow('bad port');
    const ca = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
    const ntlm = buildPoolConfig({
      server: 'sql01\\VMM', database: 'VirtualManagerDB',
      auth: { kind: 'ntlm', domain: 'CONTOSO', user: 'svc', password: 'p' },
      tls: { encrypt: true, trustServerCertificate: false, ca },
    });
    expect(ntlm).toMatchObject({
      server: 'sql01', database: 'VirtualManagerDB', requestTimeout: 30000,
      authentication: { type: 'ntlm', options: { domain: 'CONTOSO', userName: 'svc', password: 'p' } },
      options: { encrypt: true, trustServerCertificate: false, instanceName: 'VMM', cryptoCredentialsDetails: { ca: Buffer.from(ca) } },
    });
    expect(ntlm.user).toBeUndefined();
    const sqlAuth = buildPoolConfig({ server: 'sql01,1444', auth: { kind: 'sql', user: 'u', password: 'p' }, tls: { trustServerCertificate: true } });
    expect(sqlAuth).toMatchObject({ server: 'sql01', port: 1444, user: 'u', password: 'p', options: { encrypt: true, trustServerCertificate: true } });
    expect(sqlAuth.authentication).toBeUndefined();
    // Encryption and certificate checks are on unless a caller turns them off by name.
    const defaults = buildPoolConfig({ server: 'sql01', auth: { kind: 'sql', user: 'u', password: 'p' } });
    expect(defaults.options).toMatchObject({ encrypt: true, trustServerCertificate: false });
    expect(() => buildPoolConfig({ server: 'sql01', auth: { kind: 'sql', user: 'u', password: 'p' }, tls: { ca: '/nonexistent/ca.pem' } })).toThrow(/^cannot read the CA file \/nonexistent\/ca\.pem: ENOENT/);
  });

  test('percent parsing', () => {
    expect(parsePercent('10 percent processed.')).toBe(10);
    expect(parsePercent('  100 percent processed.')).toBe(100);
    expect(parsePercent('Processed 1024 pages for database')).toBeUndefined();
  });
});
