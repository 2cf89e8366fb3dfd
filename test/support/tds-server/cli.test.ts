/**
 * The double's CLI as the Pester helper uses it: JSON rules in, {"port":N} out, a JSON-lines statement log,
 * "reload" on stdin, and a clean stop on stdin close or SIGTERM.
 */
import { ChildProcessWithoutNullStreams, spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as readline from 'readline';
import sql from 'mssql';

const ROOT = path.resolve(__dirname, '../../..');
const CLI = path.join(__dirname, 'cli.ts');

interface Running {
  child: ChildProcessWithoutNullStreams;
  lines: AsyncIterator<string>;
  stderr: string[];
}

function start(args: string[], env: Record<string, string> = {}): Running {
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], { cwd: ROOT, env: { ...process.env, ...env } });
  const stderr: string[] = [];
  child.stderr.on('data', (d: Buffer) => stderr.push(d.toString()));
  const lines = readline.createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  return { child, lines, stderr };
}

async function nextJson(r: Running): Promise<Record<string, unknown>> {
  const { value, done } = await r.lines.next();
  if (done) throw new Error(`the CLI closed its output; stderr: ${r.stderr.join('')}`);
  return JSON.parse(value) as Record<string, unknown>;
}

function exited(child: ChildProcessWithoutNullStreams): Promise<number | null> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) resolve(child.exitCode);
    else child.once('exit', (code) => resolve(code));
  });
}

describe('TDS double CLI', () => {
  let dir: string;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tds-cli-'));
  });

  afterEach(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('serves JSON rules, logs JSON lines, reloads rules, and stops when stdin closes', async () => {
    const rulesFile = path.join(dir, 'rules.json');
    const logFile = path.join(dir, 'log.jsonl');
    fs.writeFileSync(rulesFile, JSON.stringify([
      { match: '^SELECT Name FROM dbo\\.Jobs WHERE Id = @id$', resultSets: [{ columns: [{ name: 'Name', type: 'nvarchar(50)' }, { name: 'Hash', type: 'varbinary(8)' }], rows: [['nightly', '0x0A0B']] }] },
    ]));
    const password = 'Cli-Test-Password-9';
    const r = start(['--rules', rulesFile, '--log', logFile, '--port', '0', '--user', 'backup', '--password-env', 'TDS_TEST_PW'], { TDS_TEST_PW: password });
    const { port } = await nextJson(r);
    expect(typeof port).toBe('number');

    const pool = new sql.ConnectionPool({
      server: '127.0.0.1', port: port as number, user: 'backup', password,
      options: { encrypt: false, trustServerCertificate: true }, pool: { max: 1 },
    });
    await pool.connect();
    try {
      const result = await pool.request().input('id', sql.Int, 3).query('SELECT Name FROM dbo.Jobs WHERE Id = @id');
      expect(result.recordset).toEqual([{ Name: 'nightly', Hash: Buffer.from([10, 11]) }]);
      const logged = fs.readFileSync(logFile, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
      expect(logged).toEqual([expect.objectContaining({
        kind: 'rpc', sql: 'SELECT Name FROM dbo.Jobs WHERE Id = @id',
        parameters: [{ name: '@id', type: 'int', declaredAs: 'int', value: 3 }],
      })]);
      expect(fs.readFileSync(logFile, 'utf8')).not.toContain(password);

      fs.writeFileSync(rulesFile, JSON.stringify({ match: '^SELECT Name', error: { number: 208, message: "Invalid object name 'dbo.Jobs'." } }));
      r.child.stdin.write('reload\n');
      expect(await nextJson(r)).toEqual({ reloaded: 1 });
      await expect(pool.request().query('SELECT Name FROM dbo.Jobs')).rejects.toMatchObject({ number: 208 });

      fs.writeFileSync(rulesFile, '[{"match": "("}]');
      r.child.stdin.write('reload\n');
      expect(await nextJson(r)).toEqual({ error: expect.stringContaining('bad regular expression') });
    } finally {
      await pool.close();
    }
    r.child.stdin.end();
    expect(await exited(r.child)).toBe(0);
  });

  test('stops on SIGTERM', async () => {
    const rulesFile = path.join(dir, 'rules.json');
    fs.writeFileSync(rulesFile, '[]');
    const r = start(['--rules', rulesFile, '--log', path.join(dir, 'log.jsonl')]);
    await nextJson(r);
    r.child.kill('SIGTERM');
    expect(await exited(r.child)).toBe(0);
  });

  test('refuses bad arguments and bad rules with a non-zero exit code', async () => {
    const missing = start(['--log', path.join(dir, 'log.jsonl')]);
    expect(await exited(missing.child)).toBe(2);
    expect(missing.stderr.join('')).toContain('--rules is required');

    const rulesFile = path.join(dir, 'rules.json');
    fs.writeFileSync(rulesFile, '[{"match": "x", "resultSets": [{"columns": [{"name": "a", "type": "money"}], "rows": []}]}]');
    const bad = start(['--rules', rulesFile, '--log', path.join(dir, 'log.jsonl')]);
    expect(await exited(bad.child)).toBe(1);
    expect(bad.stderr.join('')).toContain("unsupported column type 'money'");

    const noPassword = start(['--rules', rulesFile, '--log', path.join(dir, 'log.jsonl'), '--password-env', 'TDS_UNSET_VARIABLE_X']);
    expect(await exited(noPassword.child)).toBe(2);
  });
});
