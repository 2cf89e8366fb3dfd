/**
 * The TDS double against the real Node driver: mssql over tedious, with encryption off, on 127.0.0.1.
 */
import sql from 'mssql';
import { Connection as TediousConnection } from 'tedious';
import { Rule, startTdsServer, TdsServer, UNMATCHED_ERROR_NUMBER } from './index';

const PASSWORD = 'Jest-Only-Pa55;word'; // a ';' proves the login does not depend on connection-string quoting

function poolConfig(server: TdsServer, extra: Partial<sql.config> = {}): sql.config {
  return {
    server: '127.0.0.1',
    port: server.port,
    user: 'sa',
    password: PASSWORD,
    options: { encrypt: false, trustServerCertificate: true },
    pool: { max: 1, min: 0 },
    connectionTimeout: 5000,
    requestTimeout: 5000,
    ...extra,
  };
}

const GUID = '6F9619FF-8B86-D011-B42D-00C04FC964FF';

const TYPED_ROWS: Rule = {
  match: '^SELECT Id, Name FROM dbo\\.Backups',
  resultSets: [{
    columns: [
      { name: 'Id', type: 'int' },
      { name: 'Size', type: 'bigint' },
      { name: 'Name', type: 'nvarchar(128)' },
      { name: 'Notes', type: 'nvarchar(max)' },
      { name: 'Started', type: 'datetime2' },
      { name: 'Finished', type: 'datetime' },
      { name: 'Verified', type: 'bit' },
      { name: 'BackupSetId', type: 'uniqueidentifier' },
      { name: 'Checksum', type: 'varbinary(32)' },
      { name: 'Blob', type: 'varbinary(max)' },
    ],
    rows: [
      [7, '9007199254740993', 'VirtualManagerDB_full', 'x'.repeat(5000), '2024-05-06T07:08:09.1234567',
        '2024-05-06T07:09:10.123', true, GUID, '0xDEADBEEF', Buffer.from([1, 2, 3])],
      [-2147483648, '-9223372036854775808', 'ünïcødé ✓', '', '0001-01-01T00:00:00', '1753-01-01T00:00:00', false,
        '00000000-0000-0000-0000-000000000000', '0x', Buffer.alloc(0)],
      [null, null, null, null, null, null, null, null, null, null],
    ],
  }],
};

describe('TDS double with mssql (tedious)', () => {
  let server: TdsServer;
  let pool: sql.ConnectionPool | undefined;

  beforeEach(async () => {
    server = await startTdsServer({ rules: [], password: PASSWORD });
  });

  afterEach(async () => {
    if (pool) await pool.close().catch(() => undefined);
    pool = undefined;
    await server.stop();
  });

  async function connect(extra: Partial<sql.config> = {}): Promise<sql.ConnectionPool> {
    pool = new sql.ConnectionPool(poolConfig(server, extra));
    pool.on('error', () => undefined);
    await pool.connect();
    return pool;
  }

  test('logs in with SQL authentication and records the login without its password', async () => {
    server.setRules([{ match: '^SELECT DB_NAME\\(\\)$', resultSets: [{ columns: [{ name: 'db', type: 'nvarchar(128)' }], rows: [['VirtualManagerDB']] }] }]);
    const p = await connect({ database: 'VirtualManagerDB' });
    const result = await p.request().query('SELECT DB_NAME()');
    expect(result.recordset).toEqual([{ db: 'VirtualManagerDB' }]);
    expect(server.logins.length).toBeGreaterThan(0);
    expect(server.logins.every((l) => l.user === 'sa' && l.ok && l.database === 'VirtualManagerDB')).toBe(true);
    expect(JSON.stringify(server.logins)).not.toContain(PASSWORD);
    // tedious' own SET batch is answered without a rule and kept out of the statement log.
    expect(server.builtinLog.some((s) => /^set ansi_nulls on/.test(s.sql))).toBe(true);
    expect(server.log).toEqual([{
      kind: 'rpc', procedure: 'sp_executesql', sql: 'SELECT DB_NAME()', parameters: [], connection: expect.any(Number), rule: 0,
    }]);
  });

  test('a wrong password fails the login with error 18456', async () => {
    const p = new sql.ConnectionPool({ ...poolConfig(server), password: 'not-the-password' });
    await expect(p.connect()).rejects.toMatchObject({ code: 'ELOGIN', message: "Login failed for user 'sa'." });
    expect(server.logins.at(-1)).toMatchObject({ user: 'sa', ok: false });

    // tedious reports the error number through the connection's errorMessage event.
    const numbers = await new Promise<number[]>((resolve) => {
      const seen: number[] = [];
      const c = new TediousConnection({
        server: '127.0.0.1',
        options: { port: server.port, encrypt: false },
        authentication: { type: 'default', options: { userName: 'sa', password: 'wrong' } },
      });
      c.on('errorMessage', (m: { number: number }) => seen.push(m.number));
      c.on('connect', () => { c.close(); resolve(seen); });
      c.connect();
    });
    expect(numbers).toEqual([18456]);
  });

  test('an unknown user is refused too', async () => {
    const p = new sql.ConnectionPool({ ...poolConfig(server), user: 'vmmadmin' });
    await expect(p.connect()).rejects.toMatchObject({ code: 'ELOGIN', message: "Login failed for user 'vmmadmin'." });
  });

  test('a parameterised query is logged as sp_executesql with decoded, typed parameters', async () => {
    server.setRules([{ match: '^UPDATE dbo\\.Jobs SET', rowsAffected: 3 }]);
    const p = await connect();
    const result = await p.request()
      .input('id', sql.Int, 42)
      .input('size', sql.BigInt, '9007199254740993')
      .input('name', sql.NVarChar(128), "O'Brien ✓")
      .input('when', sql.DateTime2(7), new Date(Date.UTC(2024, 4, 6, 7, 8, 9, 123)))
      .input('legacy', sql.DateTime, new Date(Date.UTC(2024, 4, 6, 7, 8, 9, 120)))
      .input('ok', sql.Bit, true)
      .input('set', sql.UniqueIdentifier, GUID)
      .input('hash', sql.VarBinary(16), Buffer.from('0a0b0c', 'hex'))
      .input('none', sql.NVarChar(10), null)
      .query('UPDATE dbo.Jobs SET Name = @name WHERE Id = @id');
    expect(result.rowsAffected).toEqual([3]);
    expect(server.log).toHaveLength(1);
    const [s] = server.log;
    expect(s).toMatchObject({ kind: 'rpc', procedure: 'sp_executesql', sql: 'UPDATE dbo.Jobs SET Name = @name WHERE Id = @id', rule: 0 });
    expect(s.declaration).toMatch(/^@id int, @size bigint, @name nvarchar\(128\), @when datetime2\(7\)/);
    expect(s.parameters.map(({ name, type, value }) => ({ name, type, value }))).toEqual([
      { name: '@id', type: 'int', value: 42 },
      { name: '@size', type: 'bigint', value: '9007199254740993' },
      { name: '@name', type: 'nvarchar', value: "O'Brien ✓" },
      { name: '@when', type: 'datetime2', value: '2024-05-06T07:08:09.1230000' },
      { name: '@legacy', type: 'datetime', value: '2024-05-06T07:08:09.120' },
      { name: '@ok', type: 'bit', value: true },
      { name: '@set', type: 'uniqueidentifier', value: GUID },
      { name: '@hash', type: 'varbinary', value: '0x0A0B0C' },
      { name: '@none', type: 'nvarchar', value: null },
    ]);
  });

  test('other parameter types decode too (numeric, money, time, date, offsets, char, max lengths)', async () => {
    server.setRules([{ match: '^EXEC dbo\\.usp_Record' }]);
    const p = await connect();
    await p.request()
      .input('tiny', sql.TinyInt, 255)
      .input('small', sql.SmallInt, -5)
      .input('real', sql.Real, 1.5)
      .input('float', sql.Float, 2.25)
      .input('dec', sql.Decimal(18, 2), 1234.56)
      .input('negdec', sql.Numeric(10, 3), -0.5)
      .input('money', sql.Money, 12.5)
      .input('smallmoney', sql.SmallMoney, -1.5)
      .input('time', sql.Time(7), new Date(Date.UTC(1970, 0, 1, 13, 14, 15, 678)))
      .input('date', sql.Date, new Date(Date.UTC(2024, 1, 29)))
      .input('dto', sql.DateTimeOffset(7), new Date(Date.UTC(2024, 4, 6, 7, 8, 9, 123)))
      .input('sdt', sql.SmallDateTime, new Date(Date.UTC(2024, 4, 6, 7, 8)))
      .input('vc', sql.VarChar(10), 'abc')
      .input('ch', sql.Char(5), 'ab')
      .input('long', sql.NVarChar(sql.MAX), 'y'.repeat(5000))
      .input('blob', sql.VarBinary(sql.MAX), Buffer.alloc(9000, 7))
      .input('no', sql.Bit, false)
      .query('EXEC dbo.usp_Record');
    const byName = Object.fromEntries(server.log[0].parameters.map((x) => [x.name, x]));
    expect(byName['@tiny']).toMatchObject({ type: 'tinyint', value: 255 });
    expect(byName['@small']).toMatchObject({ type: 'smallint', value: -5 });
    expect(byName['@real']).toMatchObject({ type: 'real', value: 1.5 });
    expect(byName['@float']).toMatchObject({ type: 'float', value: 2.25 });
    expect(byName['@dec']).toMatchObject({ type: 'decimal', declaredAs: 'decimal(18,2)', value: '1234.56' });
    expect(byName['@negdec']).toMatchObject({ type: 'numeric', declaredAs: 'numeric(10,3)', value: '-0.500' });
    expect(byName['@money']).toMatchObject({ type: 'money', value: '12.5000' });
    expect(byName['@smallmoney']).toMatchObject({ type: 'smallmoney', value: '-1.5000' });
    expect(byName['@time']).toMatchObject({ type: 'time', declaredAs: 'time(7)', value: '13:14:15.6780000' });
    expect(byName['@date']).toMatchObject({ type: 'date', value: '2024-02-29' });
    expect(byName['@dto'].type).toBe('datetimeoffset');
    expect(byName['@dto'].value).toMatch(/^2024-05-06T\d\d:\d\d:09\.1230000[+-]\d\d:\d\d$/);
    expect(byName['@sdt']).toMatchObject({ type: 'smalldatetime', value: '2024-05-06T07:08:00' });
    expect(byName['@vc']).toMatchObject({ type: 'varchar', value: 'abc' });
    expect(byName['@ch'].type).toBe('char');
    expect(byName['@ch'].value).toMatch(/^ab\s*$/);
    expect(byName['@long']).toMatchObject({ type: 'nvarchar', declaredAs: 'nvarchar(max)', value: 'y'.repeat(5000) });
    expect(byName['@blob']).toMatchObject({ type: 'varbinary', declaredAs: 'varbinary(max)', value: `0x${'07'.repeat(9000)}` });
    expect(byName['@no']).toMatchObject({ type: 'bit', value: false });
  });

  test('transactions: begin, commit and rollback are answered and logged in order', async () => {
    server.setRules([{ match: '^UPDATE dbo\\.Jobs', rowsAffected: 1 }]);
    const p = await connect();
    const tx = new sql.Transaction(p);
    await tx.begin();
    await new sql.Request(tx).input('id', sql.Int, 1).query('UPDATE dbo.Jobs SET Done = 1 WHERE Id = @id');
    await tx.commit();
    const tx2 = new sql.Transaction(p);
    await tx2.begin();
    await tx2.rollback();
    expect(server.log.map((s) => [s.kind, s.sql])).toEqual([
      ['transaction', 'BEGIN TRANSACTION'],
      ['rpc', 'UPDATE dbo.Jobs SET Done = 1 WHERE Id = @id'],
      ['transaction', 'COMMIT TRANSACTION'],
      ['transaction', 'BEGIN TRANSACTION'],
      ['transaction', 'ROLLBACK TRANSACTION'],
    ]);
  });

  test('tedious with encrypt: true logs in without TLS against a server that does not support encryption', async () => {
    // Documents a pitfall (see README): the double cannot prove that a Node client encrypts.
    server.setRules([{ match: '^SELECT 5$', resultSets: [{ columns: [{ name: 'n', type: 'int' }], rows: [[5]] }] }]);
    const p = await connect({ options: { encrypt: true, trustServerCertificate: true } });
    expect((await p.request().query('SELECT 5')).recordset).toEqual([{ n: 5 }]);
  });

  test('a stored procedure call is an RPC by name, matched and logged by that name', async () => {
    server.setRules([{
      match: '^dbo\\.usp_RecordBackup$',
      resultSets: [{ columns: [{ name: 'BackupId', type: 'int' }], rows: [[11]] }],
    }]);
    const p = await connect();
    const result = await p.request().input('Path', sql.NVarChar(260), '/backups/vmm.bak').execute('dbo.usp_RecordBackup');
    expect(result.recordset).toEqual([{ BackupId: 11 }]);
    expect(result.returnValue).toBe(0);
    expect(server.log).toEqual([expect.objectContaining({
      kind: 'rpc', procedure: 'dbo.usp_RecordBackup', sql: 'dbo.usp_RecordBackup',
      parameters: [{ name: '@Path', type: 'nvarchar', declaredAs: 'nvarchar(260)', value: '/backups/vmm.bak' }],
    })]);
  });

  test('output parameters and the return status come back from the rule', async () => {
    server.setRules([
      { match: '^SELECT @size = SUM', outputs: { size: '9007199254740993', label: 'full', when: '2024-05-06T07:08:09.1234567' } },
      { match: '^dbo\\.usp_Check$', returnStatus: 3, outputs: { '@ok': true } },
    ]);
    const p = await connect();
    const query = await p.request()
      .input('db', sql.NVarChar, 'VirtualManagerDB')
      .output('size', sql.BigInt)
      .output('label', sql.NVarChar(20))
      .output('when', sql.DateTime2(7))
      .output('missing', sql.Int)
      .query('SELECT @size = SUM(backup_size) FROM msdb.dbo.backupset WHERE database_name = @db');
    expect(query.output).toEqual({ size: '9007199254740993', label: 'full', when: new Date(Date.UTC(2024, 4, 6, 7, 8, 9, 123)), missing: null });
    expect(server.log[0].parameters.filter((x) => x.output).map((x) => x.name)).toEqual(['@size', '@label', '@when', '@missing']);
    const proc = await p.request().output('ok', sql.Bit).execute('dbo.usp_Check');
    expect(proc.returnValue).toBe(3);
    expect(proc.output).toEqual({ ok: true });
  });

  test('an output parameter of a type the double cannot write is answered with error 8009', async () => {
    server.setRules([{ match: '^SELECT @m = 1' }]);
    const p = await connect();
    await expect(p.request().output('m', sql.Money).query('SELECT @m = 1')).rejects.toMatchObject({ number: 8009, message: expect.stringContaining('money') });
  });

  test('a rule can require parameter values, so one statement gets different answers', async () => {
    const state = (name: string, value: string): Rule => ({
      match: '^SELECT state_desc FROM sys\\.databases WHERE name = @name$',
      parameters: { name },
      resultSets: [{ columns: [{ name: 'state_desc', type: 'nvarchar(60)' }], rows: [[value]] }],
    });
    server.setRules([
      state('VirtualManagerDB', 'ONLINE'),
      state('ReportServer', 'RESTORING'),
      { match: '^SELECT 1 FROM dbo\\.Jobs WHERE Size = @size AND Id = @id$', parameters: { '@size': 5000000000n, id: 7 }, resultSets: [{ columns: [{ name: 'x', type: 'int' }], rows: [[1]] }] },
    ]);
    const p = await connect();
    const ask = async (name: string): Promise<unknown> =>
      (await p.request().input('name', sql.NVarChar(128), name).query('SELECT state_desc FROM sys.databases WHERE name = @name')).recordset;
    expect(await ask('VirtualManagerDB')).toEqual([{ state_desc: 'ONLINE' }]);
    expect(await ask('ReportServer')).toEqual([{ state_desc: 'RESTORING' }]);
    await expect(ask('master')).rejects.toMatchObject({ number: UNMATCHED_ERROR_NUMBER });
    const both = await p.request().input('size', sql.BigInt, '5000000000').input('id', sql.Int, 7).query('SELECT 1 FROM dbo.Jobs WHERE Size = @size AND Id = @id');
    expect(both.recordset).toEqual([{ x: 1 }]);
    expect(server.log.map((x) => x.rule ?? null)).toEqual([0, 1, null, 2]);
  });

  test('a query without parameters is a SQL batch', async () => {
    server.setRules([{ match: /^DBCC CHECKDB/ }]);
    const p = await connect();
    await p.request().batch('DBCC CHECKDB (N\'VirtualManagerDB\') WITH NO_INFOMSGS');
    expect(server.log).toEqual([expect.objectContaining({ kind: 'batch', sql: "DBCC CHECKDB (N'VirtualManagerDB') WITH NO_INFOMSGS", parameters: [] })]);
  });

  test('rows of every supported type arrive as the driver types them', async () => {
    server.setRules([TYPED_ROWS]);
    const p = await connect();
    const result = await p.request().input('db', sql.NVarChar, 'VirtualManagerDB').query('SELECT Id, Name FROM dbo.Backups WHERE Db = @db');
    const [first, second, third] = result.recordset;
    expect(first).toEqual({
      Id: 7,
      Size: '9007199254740993',
      Name: 'VirtualManagerDB_full',
      Notes: 'x'.repeat(5000),
      Started: new Date(Date.UTC(2024, 4, 6, 7, 8, 9, 123)),
      Finished: new Date(Date.UTC(2024, 4, 6, 7, 9, 10, 123)),
      Verified: true,
      BackupSetId: GUID,
      Checksum: Buffer.from('deadbeef', 'hex'),
      Blob: Buffer.from([1, 2, 3]),
    });
    expect(second.Id).toBe(-2147483648);
    expect(second.Size).toBe('-9223372036854775808');
    expect(second.Name).toBe('ünïcødé ✓');
    expect(second.Notes).toBe('');
    expect((second.Started as Date).toISOString()).toBe('0001-01-01T00:00:00.000Z');
    expect((second.Finished as Date).toISOString()).toBe('1753-01-01T00:00:00.000Z');
    expect(second.Verified).toBe(false);
    expect(second.Checksum).toEqual(Buffer.alloc(0));
    expect(Object.values(third).every((v) => v === null)).toBe(true);
    expect(result.rowsAffected).toEqual([3]);
    const columns = result.recordset.columns;
    expect(columns.Name.type).toBe(sql.NVarChar);
    expect(columns.Name.length).toBe(256); // TDS carries nvarchar lengths in bytes
    expect(columns.Started.type).toBe(sql.DateTime2);
    expect(columns.Finished.type).toBe(sql.DateTime);
    expect(columns.Size.type).toBe(sql.BigInt);
    expect(columns.BackupSetId.type).toBe(sql.UniqueIdentifier);
    expect(columns.Blob.type).toBe(sql.VarBinary);
  });

  test('msdb-style columns: numeric, smallint, char and varchar', async () => {
    server.setRules([{
      match: '^SELECT TOP \\(1\\) backup_size',
      resultSets: [{
        columns: [
          { name: 'backup_size', type: 'numeric(20,0)' }, { name: 'ratio', type: 'decimal(9,4)' },
          { name: 'type', type: 'char(1)' }, { name: 'BackupType', type: 'smallint' },
          { name: 'recovery_model', type: 'varchar(60)' }, { name: 'code', type: 'nchar(3)' },
        ],
        rows: [['123456789012', '1.5', 'D', 1, 'FULL', 'ab'], [null, null, null, null, null, null]],
      }],
    }]);
    const p = await connect();
    const result = await p.request().query('SELECT TOP (1) backup_size FROM msdb.dbo.backupset');
    expect(result.recordset[0]).toEqual({ backup_size: 123456789012, ratio: 1.5, type: 'D', BackupType: 1, recovery_model: 'FULL', code: 'ab ' });
    expect(Object.values(result.recordset[1]).every((v) => v === null)).toBe(true);
    expect(result.recordset.columns.backup_size.type).toBe(sql.Numeric);
    expect(result.recordset.columns.backup_size.precision).toBe(20);
    expect(result.recordset.columns.ratio.scale).toBe(4);
    expect(result.recordset.columns.type.type).toBe(sql.Char);
    expect(result.recordset.columns.recovery_model.type).toBe(sql.VarChar);
  });

  test('several result sets in one answer', async () => {
    server.setRules([{
      match: 'RESTORE HEADERONLY',
      resultSets: [
        { columns: [{ name: 'BackupName', type: 'nvarchar(128)' }], rows: [['a'], ['b']] },
        { columns: [{ name: 'Position', type: 'int' }], rows: [[1]] },
      ],
    }]);
    const p = await connect();
    const result = await p.request().query("RESTORE HEADERONLY FROM DISK = N'x.bak'");
    expect(result.recordsets).toHaveLength(2);
    expect((result.recordsets as sql.IRecordSet<Record<string, unknown>>[])[0]).toEqual([{ BackupName: 'a' }, { BackupName: 'b' }]);
    expect((result.recordsets as sql.IRecordSet<Record<string, unknown>>[])[1]).toEqual([{ Position: 1 }]);
  });

  test('info messages arrive in order, as they are sent', async () => {
    server.setRules([{
      match: '^BACKUP DATABASE \\[VirtualManagerDB\\] TO DISK = @path WITH .*STATS = 10',
      messages: [
        ...[10, 20, 30].map((n) => ({ number: 3211, text: `${n} percent processed.`, delayMs: 120 })),
        { number: 4035, text: 'Processed 5 pages for database \'VirtualManagerDB\', file \'VirtualManagerDB\' on file 1.' },
        { number: 3014, text: 'BACKUP DATABASE successfully processed 5 pages in 0.010 seconds (3.906 MB/sec).' },
      ],
    }]);
    const p = await connect();
    const request = p.request();
    const seen: { number: number; message: string; at: number }[] = [];
    const start = Date.now();
    request.on('info', (m: { number: number; message: string }) => seen.push({ number: m.number, message: m.message, at: Date.now() - start }));
    await request.input('path', sql.NVarChar, '/backups/vmm.bak')
      .query('BACKUP DATABASE [VirtualManagerDB] TO DISK = @path WITH INIT, CHECKSUM, STATS = 10');
    expect(seen.map((m) => [m.number, m.message])).toEqual([
      [3211, '10 percent processed.'],
      [3211, '20 percent processed.'],
      [3211, '30 percent processed.'],
      [4035, "Processed 5 pages for database 'VirtualManagerDB', file 'VirtualManagerDB' on file 1."],
      [3014, 'BACKUP DATABASE successfully processed 5 pages in 0.010 seconds (3.906 MB/sec).'],
    ]);
    // Streamed: each progress message is delivered before the next delay ends, not all at the end.
    expect(seen[1].at - seen[0].at).toBeGreaterThanOrEqual(60);
    expect(seen[2].at - seen[1].at).toBeGreaterThanOrEqual(60);
  });

  test('an error carries number, state, class and message, and the connection stays usable', async () => {
    server.setRules([
      { match: '^RESTORE VERIFYONLY', messages: [{ text: 'checking' }], error: { number: 3201, state: 2, class: 16, message: 'Cannot open backup device.' } },
      { match: '^SELECT 42', resultSets: [{ columns: [{ name: 'n', type: 'int' }], rows: [[42]] }] },
    ]);
    const p = await connect();
    const failure = await p.request().input('path', sql.NVarChar, 'x').query('RESTORE VERIFYONLY FROM DISK = @path').then(() => undefined, (e: unknown) => e);
    expect(failure).toBeInstanceOf(sql.RequestError);
    expect(failure).toMatchObject({ number: 3201, state: 2, class: 16, message: 'Cannot open backup device.' });
    const again = await p.request().query('SELECT 42');
    expect(again.recordset).toEqual([{ n: 42 }]);
    expect(new Set(server.log.map((s) => s.connection)).size).toBe(1);
  });

  test('several errors in one answer: the last is the RequestError, the earlier ones precede it', async () => {
    server.setRules([{
      match: '^BACKUP DATABASE',
      errors: [
        { number: 3201, state: 1, class: 16, message: "Cannot open backup device '/nope/x.bak'. Operating system error 2." },
        { number: 3013, state: 1, class: 16, message: 'BACKUP DATABASE is terminating abnormally.' },
      ],
    }]);
    const p = await connect();
    const failure = await p.request().batch("BACKUP DATABASE [VirtualManagerDB] TO DISK = N'/nope/x.bak'").then(() => undefined, (e: unknown) => e);
    expect(failure).toMatchObject({ number: 3013, message: 'BACKUP DATABASE is terminating abnormally.' });
    const preceding = (failure as { precedingErrors?: { number: number }[] }).precedingErrors ?? [];
    expect(preceding.map((e) => e.number)).toEqual([3201]);
  });

  test('a statement no rule matches fails loudly and is logged as unmatched', async () => {
    server.setRules([{ match: '^SELECT 1$' }]);
    const p = await connect();
    await expect(p.request().query('DROP DATABASE [VirtualManagerDB]')).rejects.toMatchObject({
      number: UNMATCHED_ERROR_NUMBER,
      message: expect.stringContaining('no rule matches this statement: DROP DATABASE [VirtualManagerDB]'),
    });
    expect(server.unmatched.map((s) => s.sql)).toEqual(['DROP DATABASE [VirtualManagerDB]']);
  });

  test('a delay beyond requestTimeout times out; the attention is acknowledged and the connection reused', async () => {
    server.setRules([
      { match: '^WAITFOR', delayMs: 10_000 },
      { match: '^SELECT 7', resultSets: [{ columns: [{ name: 'n', type: 'int' }], rows: [[7]] }] },
    ]);
    const p = await connect({ requestTimeout: 300 });
    const started = Date.now();
    await expect(p.request().query("WAITFOR DELAY '00:00:10'")).rejects.toMatchObject({ code: 'ETIMEOUT' });
    expect(Date.now() - started).toBeLessThan(3000);
    const next = await p.request().query('SELECT 7');
    expect(next.recordset).toEqual([{ n: 7 }]);
    expect(new Set(server.log.map((s) => s.connection)).size).toBe(1);
  });

  test('dropping the connection mid-result fails the request; the server keeps serving', async () => {
    server.setRules([
      {
        match: '^SELECT \\* FROM dbo\\.Big',
        resultSets: [{ columns: [{ name: 'n', type: 'int' }], rows: Array.from({ length: 10 }, (_, i) => [i]) }],
        dropConnection: 'mid-result',
      },
      { match: '^SELECT 8', resultSets: [{ columns: [{ name: 'n', type: 'int' }], rows: [[8]] }] },
    ]);
    const p = await connect();
    const request = p.request();
    request.stream = true;
    const rows: unknown[] = [];
    request.on('row', (r) => rows.push(r));
    const failure = await new Promise<unknown>((resolve) => {
      request.on('error', resolve);
      request.on('done', () => resolve(undefined));
      void request.query('SELECT * FROM dbo.Big');
    });
    expect(failure).toBeInstanceOf(Error);
    expect((failure as { code?: string }).code).toMatch(/ECONNCLOSED|ECONNRESET|ESOCKET/);
    expect(rows.length).toBe(5);
    await p.close();
    const fresh = await connect();
    expect((await fresh.request().query('SELECT 8')).recordset).toEqual([{ n: 8 }]);
  });

  test('dropping the connection before answering fails the request', async () => {
    server.setRules([{ match: '^EXEC', dropConnection: 'before' }]);
    const p = await connect();
    const failure = await p.request().batch('EXEC dbo.Whatever').then(() => undefined, (e: unknown) => e);
    expect((failure as { code?: string }).code).toMatch(/ECONNCLOSED|ECONNRESET|ESOCKET/);
  });

  test('a severity-20 error reaches the client with its class and the server closes the connection', async () => {
    server.setRules([
      { match: '^BACKUP LOG', error: { number: 3013, class: 20, message: 'BACKUP LOG is terminating abnormally.' } },
      { match: '^SELECT 9', resultSets: [{ columns: [{ name: 'n', type: 'int' }], rows: [[9]] }] },
    ]);
    const p = await connect();
    await expect(p.request().batch('BACKUP LOG [VirtualManagerDB] TO DISK = N\'x\'')).rejects.toMatchObject({
      number: 3013, class: 20, message: 'BACKUP LOG is terminating abnormally.',
    });
    // The pool drops the dead connection and opens a new one for the next request.
    const next = await p.request().query('SELECT 9');
    expect(next.recordset).toEqual([{ n: 9 }]);
    const connections = server.log.map((s) => s.connection);
    expect(connections[0]).not.toBe(connections[1]);
  });

  test('connections are served concurrently', async () => {
    server.setRules([{ match: '^WAITFOR', delayMs: 400, resultSets: [{ columns: [{ name: 'n', type: 'int' }], rows: [[1]] }] }]);
    const p = await connect({ pool: { max: 3, min: 0 } });
    const started = Date.now();
    const results = await Promise.all([1, 2, 3].map(() => p.request().batch("WAITFOR DELAY '00:00:00.4'")));
    expect(results.map((r) => r.recordset)).toEqual([[{ n: 1 }], [{ n: 1 }], [{ n: 1 }]]);
    expect(Date.now() - started).toBeLessThan(1100);
    expect(new Set(server.log.map((x) => x.connection)).size).toBe(3);
  });

  test('stop() ends waiting answers and open connections at once', async () => {
    server.setRules([{ match: '^WAITFOR', delayMs: 60_000 }]);
    const p = await connect();
    const pending = p.request().batch("WAITFOR DELAY '01:00:00'").then(() => undefined, (e: unknown) => e);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const started = Date.now();
    await server.stop();
    expect(Date.now() - started).toBeLessThan(1000);
    expect(await pending).toBeInstanceOf(Error);
    server = await startTdsServer({ rules: [], password: PASSWORD }); // for afterEach
  });

  test('setRules replaces the rules; a rule with times applies only that often', async () => {
    server.setRules([
      { match: '^SELECT state', times: 1, error: { number: 1205, class: 13, message: 'deadlock victim' } },
      { match: '^SELECT state', resultSets: [{ columns: [{ name: 's', type: 'nvarchar(10)' }], rows: [['ONLINE']] }] },
    ]);
    const p = await connect();
    await expect(p.request().query('SELECT state FROM sys.databases')).rejects.toMatchObject({ number: 1205, class: 13 });
    expect((await p.request().query('SELECT state FROM sys.databases')).recordset).toEqual([{ s: 'ONLINE' }]);
    server.setRules([{ match: '^SELECT state', resultSets: [{ columns: [{ name: 's', type: 'nvarchar(10)' }], rows: [['OFFLINE']] }] }]);
    expect((await p.request().query('SELECT state FROM sys.databases')).recordset).toEqual([{ s: 'OFFLINE' }]);
    expect(server.log.map((s) => s.rule)).toEqual([0, 1, 0]);
  });

  test('a bad rule is refused when it is set, not when it is used', () => {
    expect(() => server.setRules([{ match: 'x', resultSets: [{ columns: [{ name: 'a', type: 'money' }], rows: [] }] }])).toThrow(/unsupported column type 'money'/);
    expect(() => server.setRules([{ match: 'x', resultSets: [{ columns: [{ name: 'a', type: 'int' }], rows: [['seven']] }] }])).toThrow(/expected an integer/);
    expect(() => server.setRules([{ match: '(' }])).toThrow(/bad regular expression/);
  });
});
