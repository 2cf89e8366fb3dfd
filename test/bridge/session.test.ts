import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { BridgeValidationError, PowerShellError, PowerShellSession } from '../../src/bridge';
import { PWSH, TEST_MODULE } from './support';

let session: PowerShellSession;

beforeAll(async () => {
  session = new PowerShellSession({ pwshPath: PWSH, modules: [TEST_MODULE], timeoutMs: 30_000 });
  await session.start();
});
afterAll(() => session.dispose());

// A canary instead of a destructive payload: were a value ever run as script, it would only write this file.
const canaryDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bridge-canary-'));
const canary = path.join(canaryDir, 'ran');
const canaryValues = [`$(Set-Content -LiteralPath '${canary}' -Value ran)`, `"; Set-Content -LiteralPath '${canary}' -Value ran; "`, `\`$(New-Item -ItemType File -Path '${canary}')`];

const awkward = [
  'plain',
  ...canaryValues,
  '`$(whoami)` and `n backticks``',
  "it's \"quoted\" ''twice''",
  'line1\nline2\r\nline3\ttab',
  'Grüße, naïve café — 日本語 😀 Ω',
  '$env:PATH ${x} @(1) $null ; exit 1 | Out-Null #',
  ' leading and trailing spaces ',
  '',
  'BRIDGE-sentinel:END',
  '\u0001\u001b[31mred\u001b[0m',
];

describe('values round-trip unchanged', () => {
  test.each(awkward)('string parameter %j', async (text) => {
    const result = await session.invoke<string>('Get-EchoString', { Text: text });
    expect(result.output).toEqual([text]);
    expect(fs.existsSync(canary)).toBe(false);
  });

  test('values that would run the canary as script arrive verbatim in nested values too, and run nothing', async () => {
    const value = { list: canaryValues, inner: { text: canaryValues[0] } };
    const result = await session.invoke('Get-Echo', { Value: value });
    expect(result.output).toEqual([value]);
    expect(fs.existsSync(canary)).toBe(false);
  });

  test('nested objects, arrays of one, numbers, booleans and null', async () => {
    const value = { name: awkward[1], list: ['only'], empty: [], n: 42, big: 9007199254740991, f: 1.5, yes: true, no: false, none: null, inner: { deep: [{ x: awkward[5] }] } };
    const result = await session.invoke('Get-Echo', { Value: value });
    expect(result.output).toEqual([value]);
  });

  test('a single result is still an array, and an empty result is an empty array', async () => {
    expect((await session.invoke('Get-Echo', { Value: 'one' })).output).toEqual(['one']);
    expect((await session.invoke('Get-Echo', { Value: null })).output).toEqual([null]);
    expect((await session.invoke('Get-Count', { Count: 0 })).output).toEqual([]);
  });

  test('JSON shapes become PowerShell types: hashtables, arrays, switches, numbers, dates', async () => {
    const result = await session.invoke('Get-Shape', { Table: { inner: { a: 1 } }, List: ['one'], Flag: true, Number: 7, When: '2024-05-06T07:08:09Z' });
    expect(result.output).toEqual([
      { TableType: 'Hashtable', NestedType: 'Hashtable', ListCount: 1, Flag: true, Number: 7, When: expect.stringMatching(/^2024-05-06T07:08:09\.0000000(Z|[+-]\d\d:\d\d)$/) },
    ]);
    const off = await session.invoke('Get-Shape', { Flag: false });
    expect((off.output[0] as { Flag: boolean }).Flag).toBe(false);
  });

  test('a credential arrives as a PSCredential with its password, and never comes back', async () => {
    const password = "p@ss'w$(0)rd`\"é";
    const result = await session.invoke('Test-Credential', { Credential: { UserName: 'dom\\svc', Password: password }, Expected: password });
    expect(result.output).toEqual([{ UserName: 'dom\\svc', Matches: true }]);
    expect(JSON.stringify(result)).not.toContain(password);
  });
});

describe('output rendering', () => {
  test('ISO 8601 dates, enums as names, GUIDs and time spans as strings, no secrets', async () => {
    const result = await session.invoke<Record<string, unknown>>('Get-Typed');
    expect(result.output).toHaveLength(1);
    expect(result.output[0]).toEqual({
      Utc: '2024-02-29T13:14:15.6780000Z',
      Offset: '2024-02-29T13:14:15.0000000+02:00',
      Day: 'Thursday',
      Guid: '0f8fad5b-d9cb-469f-a165-70867728950e',
      One: ['only'],
      Empty: [],
      Nested: { Inner: { Deep: 1 } },
      Secret: null,
      Credential: { UserName: 'user1' },
      Span: '01:30:00',
    });
    expect(JSON.stringify(result)).not.toContain('hidden-value');
  });

  test('output written straight to the console does not disturb results and is kept as host output', async () => {
    const result = await session.invoke('Write-Console');
    expect(result.output).toEqual(['real output']);
    expect(result.host).toContain('stray line written to the console');
    expect((await session.invoke('Get-EchoString', { Text: 'next' })).output).toEqual(['next']);
  });
});

describe('streams', () => {
  test('warnings, information (Write-Host too), verbose and progress come back beside the output', async () => {
    const result = await session.invoke('Write-Stream', { Tag: 'é1' }, { verbose: true });
    expect(result.output).toEqual(['done é1']);
    expect(result.warnings).toEqual(['careful é1']);
    expect(result.information.map((i) => i.message)).toEqual(['info é1', 'host é1']);
    expect(result.information[0].tags).toEqual(['T1']);
    expect(result.information[0].timeGenerated).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+(Z|[+-]\d\d:\d\d)$/);
    expect(result.verbose).toEqual(['verbose é1']);
    expect(result.progress.map((p) => [p.activityId, p.activity, p.percentComplete, p.recordType])).toEqual([
      [7, 'Working é1', 50, 'Processing'],
      [7, 'Working é1', -1, 'Completed'],
    ]);
  });

  test('with onProgress, progress records arrive while the call runs', async () => {
    const seen: { at: number; percent: number; type: string; activity: string; status: string }[] = [];
    const started = Date.now();
    const result = await session.invoke('Write-SlowProgress', { Steps: 3, DelayMs: 400 }, {
      onProgress: (p) => seen.push({ at: Date.now() - started, percent: p.percentComplete, type: p.recordType, activity: p.activity, status: p.statusDescription }),
    });
    const finished = Date.now() - started;
    expect(result.output).toEqual(['slow done']);
    expect(seen.map((p) => [p.percent, p.type, p.status])).toEqual([
      [33, 'Processing', 'step 1'],
      [67, 'Processing', 'step 2'],
      [100, 'Processing', 'step 3'],
      [-1, 'Completed', 'Processing'],
    ]);
    expect(seen[0].activity).toBe('Slow "work" \\ é');
    expect(finished - seen[0].at).toBeGreaterThanOrEqual(1000);
    expect(result.progress).toHaveLength(4);
  });

  test('a listener that throws does not break the call', async () => {
    const result = await session.invoke('Write-SlowProgress', { Steps: 1, DelayMs: 10 }, {
      onProgress: () => {
        throw new Error('listener failed');
      },
    });
    expect(result.output).toEqual(['slow done']);
  });

  test('no ANSI escape sequences in messages', async () => {
    const result = await session.invoke('Write-Stream', { Tag: 'plain' }, { verbose: true });
    expect(JSON.stringify(result)).not.toMatch(/\\u001b/);
  });
});

describe('errors', () => {
  async function failure(kind: string, errorAction?: 'Stop'): Promise<PowerShellError> {
    const error = await session.invoke('Invoke-Failure', { Kind: kind }, { errorAction }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(PowerShellError);
    return error as PowerShellError;
  }

  test('throw: RuntimeException with its message, id, category and script position', async () => {
    const e = await failure('Throw');
    expect(e.exceptionType).toBe('System.Management.Automation.RuntimeException');
    expect(e.record.message).toBe("plain failure with 'quotes' and $(sub)");
    expect(e.fullyQualifiedErrorId).toBe("plain failure with 'quotes' and $(sub)");
    expect(e.category).toBe('OperationStopped');
    expect(e.scriptPosition).toContain('BridgeTest.psm1');
    expect(e.record.line).toBeGreaterThan(1);
    expect(e.command).toBe('Invoke-Failure');
  });

  test('ThrowTerminatingError keeps the exception type, error id, category and target', async () => {
    const e = await failure('Terminating');
    expect(e.exceptionType).toBe('System.IO.FileNotFoundException');
    expect(e.fullyQualifiedErrorId).toBe('BridgeTest.Missing,Invoke-Failure');
    expect(e.category).toBe('ObjectNotFound');
    expect(e.targetName).toBe('C:\\x.bak');
    expect(e.message).toContain('no such file: C:\\x.bak');
  });

  test('a non-terminating error stays non-terminating: the command carries on and the error comes back beside the output', async () => {
    const result = await session.invoke('Invoke-Failure', { Kind: 'WriteError' });
    expect(result.output).toEqual(['after error']);
    expect(result.errors.map((e) => [e.fullyQualifiedErrorId, e.category, e.targetName])).toEqual([['BridgeTest.Item,Invoke-Failure', 'InvalidData', 'item1']]);
  });

  test('with errorAction Stop, Write-Error stops the call', async () => {
    const error = await session.invoke('Invoke-Failure', { Kind: 'WriteError' }, { errorAction: 'Stop' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PowerShellError);
    expect((error as PowerShellError).fullyQualifiedErrorId).toBe('BridgeTest.Item,Invoke-Failure');
  });

  test('a .NET exception: the wrapper type PowerShell reports, and the .NET type inside', async () => {
    // A failing method call ends its statement only: without Stop the function goes on, and the error comes back.
    const kept = await session.invoke('Invoke-Failure', { Kind: 'DotNet' });
    expect(kept.errors.map((r) => r.type)).toEqual(['System.Management.Automation.MethodInvocationException']);
    const e = await failure('DotNet', 'Stop');
    expect(e.exceptionType).toBe('System.Management.Automation.MethodInvocationException');
    expect(e.innerExceptionType).toMatch(/^System\.IO\.(DirectoryNotFoundException|FileNotFoundException)$/);
    expect(e.message).toContain('ReadAllText');
  });

  test('unknown parameters and commands map to their PowerShell errors', async () => {
    const bad = await session.invoke('Get-EchoString', { Text: 'a', Nope: 1 }).catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(PowerShellError);
    expect((bad as PowerShellError).exceptionType).toBe('System.Management.Automation.ParameterBindingException');
    expect((bad as PowerShellError).fullyQualifiedErrorId).toBe('NamedParameterNotFound,Get-EchoString');
    const missing = await session.invoke('Get-NoSuchCommand-Xyz').catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(PowerShellError);
    expect((missing as PowerShellError).exceptionType).toBe('System.Management.Automation.CommandNotFoundException');
    expect((missing as PowerShellError).category).toBe('ObjectNotFound');
  });

  test('a command name is looked up, never run as script', async () => {
    const e = await session.invoke('Get-EchoString; Stop-Self').catch((x: unknown) => x);
    expect(e).toBeInstanceOf(PowerShellError);
    expect((await session.invoke('Get-EchoString', { Text: 'alive' })).output).toEqual(['alive']);
  });
});

describe('validation against the output schema', () => {
  const schema = {
    type: 'object',
    properties: { Index: { type: 'integer', minimum: 1 }, Name: { type: 'string' } },
    required: ['Index', 'Name'],
    additionalProperties: false,
  };

  test('matching output passes', async () => {
    const result = await session.invoke('Get-Count', { Count: 3 }, { schema });
    expect(result.output).toEqual([
      { Index: 1, Name: 'n1' },
      { Index: 2, Name: 'n2' },
      { Index: 3, Name: 'n3' },
    ]);
  });

  test('a wrong type is an error naming the field', async () => {
    const e = await session.invoke('Get-Count', { Count: 3, Wrong: true }, { schema }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(BridgeValidationError);
    expect((e as BridgeValidationError).field).toBe('output[1].Index');
    expect((e as BridgeValidationError).message).toContain('output[1].Index must be integer');
  });

  test('a missing and an unexpected property are named', async () => {
    const missing = { ...schema, properties: { ...schema.properties, Size: { type: 'integer' } }, required: ['Index', 'Name', 'Size'] };
    const e1 = await session.invoke('Get-Count', { Count: 1 }, { schema: missing }).catch((x: unknown) => x);
    expect((e1 as BridgeValidationError).field).toBe('output[0].Size');
    const closed = { ...schema, properties: { Index: { type: 'integer' } }, required: ['Index'] };
    const e2 = await session.invoke('Get-Count', { Count: 1 }, { schema: closed }).catch((x: unknown) => x);
    expect((e2 as BridgeValidationError).field).toBe('output[0].Name');
    expect((e2 as BridgeValidationError).problem).toBe('is not in the schema');
  });
});

describe('the dispatcher itself', () => {
  const dispatcher = path.join(__dirname, '../../src/bridge/dispatcher.ps1');

  test('is ASCII (Windows PowerShell reads a BOM-less script in the ANSI code page)', () => {
    const bytes = [...fs.readFileSync(dispatcher)];
    expect(bytes.filter((b) => !(b === 9 || b === 10 || b === 13 || (b >= 32 && b < 127)))).toEqual([]);
  });

  test('uses nothing Windows PowerShell 5.1 lacks (checked through the bridge by the project\'s checker)', async () => {
    const checker = new PowerShellSession({ pwshPath: PWSH, modules: [path.join(__dirname, '../../Pester/Support/Compatibility.psm1')] });
    try {
      const result = await checker.invoke<{ Construct: string }>('Find-UnsupportedSyntax', { Path: [dispatcher] });
      expect(result.output).toEqual([]);
      // The command runspace's host is a class made from text at run time: its text follows the same rules.
      const hostSource = /\$script:hostSource = @'\n([\s\S]*?)\n'@/.exec(fs.readFileSync(dispatcher, 'utf8'))?.[1] ?? '';
      expect(hostSource).toContain('class PSBridgeHost');
      const host = await checker.invoke<{ Construct: string }>('Find-UnsupportedSyntax', { ScriptDefinition: hostSource });
      expect(host.output).toEqual([]);
      // So does the channel reader's script, which runs in a runspace of its own.
      const readerSource = /\$script:readerScript = @'\n([\s\S]*?)\n'@/.exec(fs.readFileSync(dispatcher, 'utf8'))?.[1] ?? '';
      expect(readerSource).toContain('Read-Exact');
      const reader = await checker.invoke<{ Construct: string }>('Find-UnsupportedSyntax', { ScriptDefinition: readerSource });
      expect(reader.output).toEqual([]);
      const control = await checker.invoke<{ Construct: string }>('Find-UnsupportedSyntax', { ScriptDefinition: '$a = $b ?? 1' });
      expect(control.output.length).toBe(1);
    } finally {
      await checker.dispose();
    }
  }, 240_000);
});
