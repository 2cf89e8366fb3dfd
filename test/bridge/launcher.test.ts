import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PassThrough } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { PowerShell } from 'node-powershell';
import { BridgeProcessError, BridgeTimeoutError, DISPATCHER_PATH, PowerShellSession } from '../../src/bridge';
import { chunkBytes, executableOptions, processTree, STDIO_ENCODING, TAG_VARIABLE } from '../../src/bridge/launcher';
import { repoRoot } from '../support/paths';
import { runTypeScript } from '../support/child-process';
import { endsWithin, PWSH, TEST_MODULE } from './support';

const options = { pwshPath: PWSH, modules: [TEST_MODULE] };

function cmdline(pid: number): string[] {
  return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter((a) => a !== '');
}

function environ(pid: number): string[] {
  return fs.readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
}

/** Processes of the tree below `root` whose command is `name`. */
function named(root: number, name: string): number[] {
  return processTree([root]).filter((pid) => {
    try {
      return path.basename(cmdline(pid)[0] ?? '') === name;
    } catch {
      return false;
    }
  });
}

async function until(check: () => boolean, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (check()) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return check();
}

describe('the process is started through node-powershell, and only its safe parts are used', () => {
  const spies: jest.SpyInstance[] = [];
  const unsafe = (): jest.SpyInstance[] => spies;

  beforeAll(() => {
    const shellClass = PowerShell as unknown as Record<string, (...args: unknown[]) => unknown>;
    spies.push(
      jest.spyOn(PowerShell.prototype, 'invoke'),
      jest.spyOn(shellClass, 'invoke'),
      jest.spyOn(shellClass, 'command'),
      jest.spyOn(shellClass, '$'),
      jest.spyOn(shellClass, '$$'),
      jest.spyOn(shellClass, 'convertToShell'),
    );
  });
  afterAll(() => {
    for (const spy of spies) spy.mockRestore();
  });

  test('a session owns a node-powershell PowerShell whose command line runs the dispatcher with -File', async () => {
    const session = new PowerShellSession(options);
    try {
      const info = await session.start();
      const launched = session.launched;
      expect(launched).toBeDefined();
      expect(launched?.shell).toBeInstanceOf(PowerShell);
      expect(launched?.pid).toBe(session.pid);
      const expected = ['-NoLogo', '-NoProfile', '-NonInteractive', '-File', DISPATCHER_PATH, '-NoExit', '-Command', '-'];
      expect(launched?.args).toEqual(expected);
      // The executable node-powershell started (a dotnet tool launcher here) ...
      expect(cmdline(session.pid as number)).toEqual([PWSH, ...expected]);
      // ... and PowerShell itself, its child, with the same arguments.
      const own = cmdline(info.processId);
      expect(own.slice(own.indexOf('-NoLogo'))).toEqual(expected);
      expect(processTree([session.pid as number])).toContain(info.processId);
      // node-powershell's -NoExit -Command - reached the dispatcher as script arguments, which it ignores.
      expect(info.ignoredArguments).toEqual(['-NoExit', '-Command', '-']);
      expect(environ(info.processId)).toContain(`${TAG_VARIABLE}=${launched?.tag}`);
    } finally {
      await session.dispose();
    }
  });

  test('no value passes through node-powershell: invoke, $, $$, command and its converters are never called in a session\'s life', async () => {
    const session = new PowerShellSession({ ...options, timeoutMs: 20_000 });
    try {
      const values = ['$(whoami)', '`n `$x', "it's", 'a\nb', 'Grüße 日本語 😀', { nested: ['$null', true, null] }];
      for (const value of values) {
        const text = JSON.stringify(value);
        expect((await session.invoke('Get-EchoString', { Text: text })).output).toEqual([text]);
      }
      await expect(session.invoke('Start-Wait', { Seconds: 30 }, { timeoutMs: 1000 })).rejects.toBeInstanceOf(BridgeTimeoutError);
      await expect(session.invoke('Stop-Self', { Code: 4 })).rejects.toBeInstanceOf(BridgeProcessError);
      expect((await session.invoke('Get-EchoString', { Text: 'after' })).output).toEqual(['after']);
      expect(session.starts).toBe(3);
    } finally {
      await session.dispose();
    }
    for (const spy of unsafe()) expect(spy).not.toHaveBeenCalled();
    // The spies do see calls; and this is why: node-powershell's template puts the value into a
    // double-quoted string, where PowerShell would run the subexpression.
    expect(PowerShell.command`Write-Output ${'$(whoami)'}`).toBe('Write-Output "$(whoami)"');
    expect(spies[2]).toHaveBeenCalledTimes(1);
  }, 60_000);

  test('command-line switches: ours before -File (Bypass on Windows), -File last', () => {
    expect(Object.entries(executableOptions('/d.ps1', 'linux'))).toEqual([
      ['-NoProfile', true],
      ['-NonInteractive', true],
      ['-File', '/d.ps1'],
    ]);
    expect(Object.keys(executableOptions('C:\\d.ps1', 'win32'))).toEqual(['-NoProfile', '-NonInteractive', '-ExecutionPolicy', '-File']);
    expect(executableOptions('C:\\d.ps1', 'win32')['-ExecutionPolicy']).toBe('Bypass');
  });
});

describe('the executable is chosen as node-powershell chooses it', () => {
  const saved = process.env.NODE_POWERSHELL;
  afterEach(() => {
    if (saved === undefined) delete process.env.NODE_POWERSHELL;
    else process.env.NODE_POWERSHELL = saved;
  });

  test('NODE_POWERSHELL wins over pwshPath', async () => {
    process.env.NODE_POWERSHELL = PWSH;
    const session = new PowerShellSession({ ...options, pwshPath: '/nonexistent/pwsh' });
    try {
      expect(session.executablePath).toBe(PWSH);
      await session.start();
      expect(session.launched?.executable).toBe(PWSH);
      expect(cmdline(session.pid as number)[0]).toBe(PWSH);
    } finally {
      await session.dispose();
    }
  });

  test('a NODE_POWERSHELL that does not exist fails the call with a process error', async () => {
    process.env.NODE_POWERSHELL = '/nonexistent/pwsh';
    const session = new PowerShellSession(options);
    try {
      const error = (await session.invoke('Get-EchoString', { Text: 'x' }).catch((e: unknown) => e)) as BridgeProcessError;
      expect(error).toBeInstanceOf(BridgeProcessError);
      expect(error.message).toContain('ENOENT');
    } finally {
      await session.dispose();
    }
  });
});

describe('standard streams', () => {
  test('a multi-byte character split across chunks of an encoded stream keeps its bytes', () => {
    const bytes = Buffer.from('aé€😀Ω\n', 'utf8');
    for (let cut = 1; cut < bytes.length; cut++) {
      const stream = new PassThrough();
      stream.setEncoding(STDIO_ENCODING);
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: string | Buffer) => chunks.push(chunkBytes(chunk)));
      stream.write(bytes.subarray(0, cut));
      stream.write(bytes.subarray(cut));
      expect(Buffer.concat(chunks)).toEqual(bytes);
      const decoder = new StringDecoder('utf8');
      expect(chunks.map((c) => decoder.write(c)).join('')).toBe('aé€😀Ω\n');
    }
    expect(chunkBytes(Buffer.from([0xff, 0x00]))).toEqual(Buffer.from([0xff, 0x00]));
  });

  let session: PowerShellSession;
  beforeAll(async () => {
    session = new PowerShellSession({ ...options, timeoutMs: 30_000 });
    await session.start();
  });
  afterAll(() => session.dispose());

  test('a large non-ASCII value (many pipe chunks) round-trips unchanged', async () => {
    const text = 'é€😀日本語'.repeat(60_000);
    const result = await session.invoke<string>('Get-EchoString', { Text: text });
    expect(result.output[0].length).toBe(text.length);
    expect(result.output[0] === text).toBe(true);
  });

  test('standard error keeps being read after node-powershell detaches its own reader (400 kB in 2,000 writes)', async () => {
    const result = await session.invoke('Write-StandardError', { Lines: 2000 }, { timeoutMs: 15_000 });
    expect(result.output).toEqual(['stderr written']);
    expect((await session.invoke('Get-EchoString', { Text: 'next' })).output).toEqual(['next']);
  });
});

describe('killing leaves no process behind (node-powershell gives the process no group of its own)', () => {
  test('a timed-out call kills the launcher, PowerShell and the native child it runs', async () => {
    const session = new PowerShellSession({ ...options, timeoutMs: 20_000 });
    try {
      const info = await session.start();
      const launcher = session.pid as number;
      const call = session.invoke('Start-ChildWait', { Seconds: 300 }, { timeoutMs: 2000 });
      expect(await until(() => named(info.processId, 'sleep').length === 1, 5000)).toBe(true);
      const [sleeper] = named(info.processId, 'sleep');
      await expect(call).rejects.toBeInstanceOf(BridgeTimeoutError);
      for (const pid of [launcher, info.processId, sleeper]) expect(await endsWithin(pid, 2000)).toBe(true);
      expect((await session.invoke('Get-EchoString', { Text: 'fresh' })).output).toEqual(['fresh']);
    } finally {
      await session.dispose();
    }
  }, 30_000);

  test('kill -9 of the launcher mid-call: the call rejects, PowerShell and its child are killed too', async () => {
    const session = new PowerShellSession({ ...options, timeoutMs: 20_000 });
    try {
      const info = await session.start();
      const launcher = session.pid as number;
      const call = session.invoke('Start-ChildWait', { Seconds: 300 });
      expect(await until(() => named(info.processId, 'sleep').length === 1, 5000)).toBe(true);
      const [sleeper] = named(info.processId, 'sleep');
      const killedAt = Date.now();
      process.kill(launcher, 'SIGKILL');
      await expect(call).rejects.toBeInstanceOf(BridgeProcessError);
      expect(Date.now() - killedAt).toBeLessThan(3000);
      for (const pid of [launcher, info.processId, sleeper]) expect(await endsWithin(pid, 2000)).toBe(true);
      expect((await session.invoke('Get-EchoString', { Text: 'fresh' })).output).toEqual(['fresh']);
    } finally {
      await session.dispose();
    }
  }, 30_000);

  test('kill -9 of PowerShell mid-call: its re-parented native child is found by its tag and killed', async () => {
    const session = new PowerShellSession({ ...options, timeoutMs: 20_000 });
    try {
      const info = await session.start();
      const call = session.invoke('Start-ChildWait', { Seconds: 300 });
      expect(await until(() => named(info.processId, 'sleep').length === 1, 5000)).toBe(true);
      const [sleeper] = named(info.processId, 'sleep');
      process.kill(info.processId, 'SIGKILL');
      await expect(call).rejects.toBeInstanceOf(BridgeProcessError);
      expect(await endsWithin(sleeper, 2000)).toBe(true);
    } finally {
      await session.dispose();
    }
  }, 30_000);

  test('dispose of a busy session ends the whole tree', async () => {
    const session = new PowerShellSession(options);
    const info = await session.start();
    const launcher = session.pid as number;
    const call = session.invoke('Start-ChildWait', { Seconds: 300 }).catch((e: unknown) => e);
    expect(await until(() => named(info.processId, 'sleep').length === 1, 5000)).toBe(true);
    const [sleeper] = named(info.processId, 'sleep');
    await session.dispose();
    await call;
    for (const pid of [launcher, info.processId, sleeper]) expect(await endsWithin(pid, 2000)).toBe(true);
  }, 30_000);
});

describe('node-powershell\'s own exit handling', () => {
  test('a killed process leaves no unhandled rejection (Node would end the program with one)', async () => {
    const bridge = path.join(repoRoot, 'src', 'bridge').replace(/\\/g, '/');
    const program = [
      `import { PowerShellSession } from ${JSON.stringify(bridge)};`,
      "process.on('unhandledRejection', (e) => { console.log('UNHANDLED ' + String(e)); process.exit(3); });",
      '(async () => {',
      `  const s = new PowerShellSession({ pwshPath: ${JSON.stringify(PWSH)}, modules: [${JSON.stringify(TEST_MODULE)}] });`,
      '  for (let i = 0; i < 2; i++) {',
      '    await s.start();',
      "    const call = s.invoke('Start-Wait', { Seconds: 30 }).catch((e: Error) => e.name);",
      '    await new Promise((r) => setTimeout(r, 300));',
      "    process.kill(i === 0 ? (s.pid as number) : (s.processId as number), 'SIGKILL');",
      "    console.log('call: ' + String(await call));",
      '  }',
      "  await s.invoke('Start-Wait', { Seconds: 30 }, { timeoutMs: 500 }).catch((e: Error) => console.log('call: ' + e.name));",
      '  await new Promise((r) => setTimeout(r, 500));',
      '  await s.dispose();',
      "  console.log('done');",
      '})();',
    ].join('\n');
    const out = await runTypeScript(program, { timeoutMs: 60_000 });
    expect(out.stdout).not.toContain('UNHANDLED');
    expect(out.stdout.trim().split('\n')).toEqual(['call: BridgeProcessError', 'call: BridgeProcessError', 'call: BridgeTimeoutError', 'done']);
    expect(out.code).toBe(0);
  }, 70_000);
});

describe('why the dispatcher is run with -File and not started from node-powershell\'s -Command -', () => {
  test('with -Command -, data lines written with a bootstrap line are read and run as script by PowerShell', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bridge-boot-'));
    const reader = path.join(dir, 'reader.ps1');
    fs.writeFileSync(
      reader,
      [
        '$r = New-Object System.IO.StreamReader -ArgumentList @([Console]::OpenStandardInput())',
        '$n = 0',
        'while ($null -ne $r.ReadLine()) { $n++ }',
        '[Console]::Out.WriteLine("reader-got-$n")',
      ].join('\n'),
    );
    const shell = new PowerShell({ executable: PWSH, executableOptions: { '-NoProfile': true, '-NonInteractive': true }, outputEncoding: STDIO_ENCODING });
    // node-powershell rejects this promise when PowerShell exits with an error code (here: 1), and
    // nothing else awaits it.
    (shell as unknown as { exitPromise: Promise<void> }).exitPromise.catch(() => undefined);
    let out = '';
    shell.streams.stdout.on('data', (chunk: string | Buffer) => (out += chunk.toString()));
    shell.streams.stderr.on('data', () => undefined);
    const exited = new Promise<void>((resolve) => shell.streams.stdout.on('close', () => resolve()));
    const data = ['[Console]::Out.WriteLine(\'executed-\' + (6 * 7))', 'second data line', 'third data line'];
    // One write, then end of input: the bootstrap line runs the reader, which reads standard input itself.
    shell.streams.stdin.end(`& '${reader}'\n${data.join('\n')}\n`);
    await exited;
    fs.rmSync(dir, { recursive: true, force: true });
    // PowerShell's own input reader took the data lines ahead of the script and ran the first as code;
    // the script, reading standard input itself, got none of them.
    expect(out).toContain('executed-42');
    expect(out).toContain('reader-got-0');
  }, 40_000);
});
