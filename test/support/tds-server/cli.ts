/**
 * Runs the TDS double from the command line (manual use, and the Pester helper Pester/Support/TdsDouble.psm1):
 *
 *   npx tsx test/support/tds-server/cli.ts --rules rules.json --log log.jsonl [--port 0] [--user sa --password-env VAR]
 *
 * Prints one JSON line {"port":N} on stdout once it listens, appends every logged statement to the log file as
 * a JSON line before the client gets its answer, and stops on SIGTERM/SIGINT or when stdin closes. A line
 * "reload" on stdin re-reads the rules file and is answered with {"reloaded":<rule count>} (or {"error":…}).
 * The password comes from the environment variable named by --password-env, never from the command line.
 */
import * as fs from 'fs';
import * as readline from 'readline';
import { parseArgs } from 'util';
import { DEFAULT_PASSWORD, startTdsServer, TdsServer } from './server';
import { Rule } from './rules';

function usage(message: string): never {
  process.stderr.write(`tds-server: ${message}\n` +
    'usage: cli.ts --rules <rules.json> --log <log.jsonl> [--port 0] [--user sa] [--password-env VAR]\n');
  process.exit(2);
}

function readRules(file: string): Rule[] {
  const parsed: unknown = JSON.parse(fs.readFileSync(file, 'utf8').replace(/^\uFEFF/, ''));
  // PowerShell's ConvertTo-Json writes a single rule as an object rather than a one-element array.
  if (Array.isArray(parsed)) return parsed as Rule[];
  if (parsed && typeof parsed === 'object') return [parsed as Rule];
  throw new Error('the rules file must hold a JSON array of rules');
}

async function main(): Promise<void> {
  let args;
  try {
    args = parseArgs({
      options: {
        rules: { type: 'string' },
        log: { type: 'string' },
        port: { type: 'string', default: '0' },
        user: { type: 'string', default: 'sa' },
        'password-env': { type: 'string' },
      },
      strict: true,
    }).values;
  } catch (err) {
    usage((err as Error).message);
  }
  if (!args.rules) usage('--rules is required');
  if (!args.log) usage('--log is required');
  const port = Number(args.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) usage('--port must be 0..65535');
  let password = DEFAULT_PASSWORD;
  if (args['password-env']) {
    const fromEnv = process.env[args['password-env']];
    if (fromEnv === undefined || fromEnv === '') usage(`environment variable ${args['password-env']} is not set`);
    password = fromEnv;
  }
  const rulesFile = args.rules;
  const logFile = args.log;
  let rules: Rule[];
  try {
    rules = readRules(rulesFile);
  } catch (err) {
    usage(`cannot read rules from ${rulesFile}: ${(err as Error).message}`);
  }
  fs.writeFileSync(logFile, '');

  const running: { server?: TdsServer } = {};
  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    setTimeout(() => process.exit(0), 2000).unref();
    if (running.server) void running.server.stop().then(() => process.exit(0));
    else process.exit(0);
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);

  const server = await startTdsServer({
    rules,
    users: { [args.user ?? 'sa']: password },
    port,
    onStatement: (s) => {
      fs.appendFileSync(logFile, `${JSON.stringify(s)}\n`);
      if (s.unmatched) process.stderr.write(`tds-server: no rule matches: ${s.sql.slice(0, 200)}\n`);
    },
  });
  running.server = server;
  if (stopping) { void server.stop().then(() => process.exit(0)); return; }
  process.stdout.write(`${JSON.stringify({ port: server.port })}\n`);

  const lines = readline.createInterface({ input: process.stdin });
  lines.on('line', (line) => {
    if (line.trim() !== 'reload') return;
    try {
      const next = readRules(rulesFile);
      server.setRules(next);
      process.stdout.write(`${JSON.stringify({ reloaded: next.length })}\n`);
    } catch (err) {
      process.stdout.write(`${JSON.stringify({ error: (err as Error).message })}\n`);
    }
  });
  lines.on('close', stop);
}

main().catch((err: Error) => {
  process.stderr.write(`tds-server: ${err.message}\n`);
  process.exit(1);
});
