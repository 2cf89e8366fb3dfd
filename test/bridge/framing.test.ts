/**
 * Framing of values, small and large, both ways: every JSON and UTF-8 hazard arrives as itself, long strings
 * travel as raw segments of a frame (found by their path, never by a marker value), limits still fail
 * clearly, and `exit <code>` inside a command is reported.
 */
import {
  BridgeAbortedError,
  BridgeDisposedError,
  BridgeLimitError,
  BridgeTimeoutError,
  decodeSegmented,
  encodeFrame,
  encodeSegmentedCall,
  extractSegments,
  FrameDecoder,
  PowerShellError,
  PIECE_BYTES,
  PowerShellSession,
  SEGMENT_CHARS,
} from '../../src/bridge';
import { endsWithin, PWSH, TEST_MODULE } from './support';

jest.setTimeout(300_000);

const options = { pwshPath: PWSH, modules: [TEST_MODULE], timeoutMs: 120_000 };

/** The same characters as Get-HazardText in the test module. */
const HAZARD_CODES = [0x22, 0x5c, 0x2f, 0x00, 0x01, 0x08, 0x09, 0x0a, 0x0d, 0x1f, 0x7f, 0x2028, 0x2029, 0xd800, 0x78, 0xdc00, 0xd83d, 0xde00, 0xdbff, 0xe9, 0x20ac, 0xfeff, 0xfffd];
const SMALL = String.fromCharCode(...HAZARD_CODES);
const LARGE = SMALL.repeat(5000);

/** Code units, so that a failure shows where two strings differ instead of printing megabytes. */
function firstDifference(a: unknown, b: unknown): string | undefined {
  if (typeof a === 'string' && typeof b === 'string') {
    if (a === b) return undefined;
    const at = [...Array(Math.min(a.length, b.length)).keys()].find((i) => a.charCodeAt(i) !== b.charCodeAt(i)) ?? Math.min(a.length, b.length);
    return `length ${a.length} vs ${b.length}, first difference at ${at}: ${a.charCodeAt(at)} vs ${b.charCodeAt(at)}`;
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) return `array length ${a.length} vs ${b.length}`;
    for (let i = 0; i < a.length; i++) {
      const d = firstDifference(a[i], b[i]);
      if (d) return `[${i}] ${d}`;
    }
    return undefined;
  }
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    for (const k of keys) {
      const d = firstDifference((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]);
      if (d) return `.${k} ${d}`;
    }
    return undefined;
  }
  return Object.is(a, b) ? undefined : `${String(a)} vs ${String(b)}`;
}

/** One live session for the tests that run commands. */
let session: PowerShellSession;
beforeAll(async () => {
  session = new PowerShellSession(options);
  await session.start();
});
afterAll(() => session.dispose());

describe('values round-trip exactly through a live session', () => {
  test('hazard text made in PowerShell arrives as itself, short and long, alone and nested', async () => {
    const result = await session.invoke<Record<string, unknown> | string>('Get-HazardText', { Repeat: 5000 });
    expect(LARGE.length).toBeGreaterThan(SEGMENT_CHARS);
    const expected = [{ Small: SMALL, Large: LARGE, List: [SMALL, LARGE, 7], Nested: { Inner: LARGE, Deeper: { Text: LARGE } } }, LARGE, SMALL];
    expect(firstDifference(result.output, expected)).toBeUndefined();
  });

  test.each([
    ['a short string', SMALL],
    ['a long string', LARGE],
    ['strings nested in objects and arrays', { a: [SMALL, LARGE, { b: LARGE, c: SMALL }], d: { e: LARGE }, n: 3, t: true, z: null }],
    ['an array of long strings', [LARGE, LARGE + 'x', SMALL]],
    ['text without hazards, just past the segment size', 'plain '.repeat(SEGMENT_CHARS)],
  ])('%s sent as a parameter comes back as itself', async (_name, value) => {
    const result = await session.invoke('Get-Echo', { Value: value });
    expect(firstDifference(result.output, [value])).toBeUndefined();
  });

  test('live progress text keeps every character, a lone surrogate included', async () => {
    const seen: string[] = [];
    const result = await session.invoke('Write-Progress', { Activity: SMALL, Status: 'status' }, { onProgress: (p) => seen.push(p.activity) });
    expect(seen.map((a) => firstDifference(a, SMALL))).toEqual([undefined]);
    expect(result.progress.map((p) => firstDifference(p.activity, SMALL))).toEqual([undefined]);
  });

  test('many small objects come back whole and in order', async () => {
    const result = await session.invoke<{ Index: number; Name: string }>('Get-Count', { Count: 20_000 }, { timeoutMs: 280_000 });
    expect(result.output).toHaveLength(20_000);
    expect(result.output.every((o, i) => o.Index === i + 1 && o.Name === `n${i + 1}`)).toBe(true);
  });

  test('long strings still count against maxValues and maxResultBytes, as errors', async () => {
    const values = await session.invoke('Get-Echo', { Value: [LARGE, LARGE, LARGE, LARGE] }, { maxValues: 3 }).catch((e: unknown) => e);
    expect(values).toBeInstanceOf(BridgeLimitError);
    expect((values as BridgeLimitError).limit).toBe('maxValues');
    const small = new PowerShellSession({ ...options, maxResultBytes: 1_000_000 });
    try {
      const bytes = await small.invoke('Get-HazardText', { Repeat: 5000 }).catch((e: unknown) => e);
      expect(bytes).toBeInstanceOf(BridgeLimitError);
      expect((bytes as BridgeLimitError).limit).toBe('maxResultBytes');
      expect((bytes as Error).message).toContain('raise maxResultBytes');
      const fits = await small.invoke('Get-HazardText', { Repeat: 2000 });
      expect(firstDifference(fits.output[1], SMALL.repeat(2000))).toBeUndefined();
    } finally {
      await small.dispose();
    }
  });
});

/** `mb` megabytes of text mixing every UTF-8 width and surrogate pairs, after `prefix` ASCII letters. */
function mixedText(mb: number, prefix = 0): string {
  const unit = 'a😀é€'.repeat(1000) + 'plain text\t"quoted"\\';
  return ('x'.repeat(prefix) + unit.repeat(Math.ceil((mb * 1_000_000) / unit.length))).slice(0, mb * 1_000_000 - (mb * 1_000_000) % 2);
}

describe('large requests go out in pieces and arrive exactly', () => {
  // Requests are written through pieces of PIECE_BYTES: values around that size, and around the segment
  // size, with characters of every width (and surrogate pairs) wherever the piece boundaries fall.
  test('values of many sizes around the piece size and the segment size arrive as themselves', async () => {
    const piece = PIECE_BYTES;
    const values = [
      'é'.repeat(SEGMENT_CHARS - 1),
      '€'.repeat(SEGMENT_CHARS),
      '😀'.repeat(SEGMENT_CHARS / 2 + 1),
      'a'.repeat(piece - 300),
      'a'.repeat(piece + 300),
      // All surrogate pairs after 0-3 ASCII letters: some pair meets each piece boundary unless the writer
      // keeps pairs whole, whatever the length of the frame's head.
      ...[0, 1, 2, 3].map((prefix) => 'x'.repeat(prefix) + '😀'.repeat(piece / 2 + 123)),
      ...[0, 1, 2].map((prefix) => 'y'.repeat(prefix) + '€'.repeat(piece / 3 + 77)),
      mixedText(3, 1),
    ];
    const echoed = await Promise.all(values.map((value) => session.invoke<string>('Get-EchoString', { Text: value })));
    expect(echoed.map((r, i) => firstDifference(r.output, [values[i]]))).toEqual(values.map(() => undefined));
  });

  test('a lone surrogate in a large string, and several large parameters in one call, arrive as themselves', async () => {
    const lone = 'b'.repeat(1_500_000) + '\ud800' + '😀'.repeat(300_000) + '\udc00';
    const first = mixedText(2, 3);
    const second = '€'.repeat(700_000);
    const result = await session.invoke('Get-Several', { First: first, Second: lone, Third: { inner: second, list: [lone, 'short', first] } });
    expect(firstDifference(result.output, [{ First: first, Second: lone, Third: { inner: second, list: [lone, 'short', first] } }])).toBeUndefined();
  });

  test('an abort issued while a 25 MB request is still being written stops the call; the channel stays in sync', async () => {
    const value = mixedText(25);
    const before = session.processId;
    const controller = new AbortController();
    const call = session.invoke<string>('Get-EchoString', { Text: value }, { signal: controller.signal });
    // The request is on its way (a few pieces out, the rest waiting for PowerShell to read): the stop frame
    // goes after it, never into it.
    controller.abort(new Error('changed my mind'));
    const outcome = await call.catch((e: unknown) => e as Error);
    // Either the stop came first (aborted, process kept) or the command had finished (its true answer).
    if (outcome instanceof Error) {
      expect(outcome).toBeInstanceOf(BridgeAbortedError);
      expect((outcome as BridgeAbortedError).killed).toBe(false);
    } else {
      expect(firstDifference(outcome.output, [value])).toBeUndefined();
    }
    // A start (a ping) and a large call right after: same process, exact answers.
    const start = session.start();
    const next = await session.invoke<string>('Get-EchoString', { Text: value.slice(1) });
    expect((await start).processId).toBe(before);
    expect(firstDifference(next.output, [value.slice(1)])).toBeUndefined();
    expect(session.processId).toBe(before);
  });

  test('a start queued behind a 25 MB request answers after it, and both are right', async () => {
    const value = mixedText(25, 2);
    const call = session.invoke<string>('Get-EchoString', { Text: value });
    const info = await session.start();
    expect(info.processId).toBe(session.processId);
    expect(firstDifference((await call).output, [value])).toBeUndefined();
  });

  test('dispose while a 25 MB request is being written ends the session without a hang, and no PowerShell is left', async () => {
    const own = new PowerShellSession(options);
    await own.start();
    const pid = own.processId as number;
    const call = own.invoke('Get-EchoString', { Text: mixedText(25) }).then(
      () => 'resolved',
      (e: unknown) => e,
    );
    const disposed = Date.now();
    await own.dispose();
    expect(Date.now() - disposed).toBeLessThan(20_000);
    const outcome = await call;
    // Stopped by dispose, or finished just before it: either way it settled.
    if (outcome !== 'resolved') expect(outcome).toBeInstanceOf(BridgeDisposedError);
    expect(await endsWithin(pid, 10_000)).toBe(true);
  });

  test('a timeout while a 25 MB request is being written kills the process cleanly; the next call works', async () => {
    const own = new PowerShellSession(options);
    try {
      await own.start();
      const pid = own.processId as number;
      const timedOut = await own.invoke('Get-EchoString', { Text: mixedText(25) }, { timeoutMs: 30 }).catch((e: unknown) => e);
      expect(timedOut).toBeInstanceOf(BridgeTimeoutError);
      expect(await endsWithin(pid, 10_000)).toBe(true);
      const value = mixedText(2);
      const next = await own.invoke<string>('Get-EchoString', { Text: value });
      expect(firstDifference(next.output, [value])).toBeUndefined();
    } finally {
      await own.dispose();
    }
  });
});

describe('exit inside a command', () => {
  test('exit with a code other than 0 fails the call and carries the code', async () => {
    const error = await session.invoke('Exit-Early', { Code: 3 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PowerShellError);
    expect((error as PowerShellError).exitCode).toBe(3);
    expect((error as PowerShellError).fullyQualifiedErrorId).toBe('BridgeCommandExit');
    expect((error as Error).message).toContain('exit 3');
  });

  test('exit 0 resolves with its code; the next call has none and runs in the same process', async () => {
    const before = session.processId;
    const zero = await session.invoke('Exit-Early', { Code: 0 });
    expect(zero.output).toEqual(['before exit']);
    expect(zero.exitCode).toBe(0);
    const next = await session.invoke('Get-EchoString', { Text: 'next' });
    expect(next.output).toEqual(['next']);
    expect(next.exitCode).toBeNull();
    expect(session.processId).toBe(before);
  });
});

describe('segments on the wire', () => {
  test('a request with segments is built from its parts; the caller value is not changed', () => {
    const parameters = { Value: { text: LARGE, list: ['short', LARGE], lone: '\ud800' }, Other: 'x' };
    const snapshot = JSON.stringify(parameters);
    const found: { path: readonly (string | number)[]; text: string }[] = [];
    const replaced = extractSegments(parameters, found, ['parameters']) as Record<string, unknown>;
    expect(JSON.stringify(parameters)).toBe(snapshot);
    expect(found.map((f) => f.path)).toEqual([
      ['parameters', 'Value', 'text'],
      ['parameters', 'Value', 'list', 1],
      ['parameters', 'Value', 'lone'],
    ]);
    expect(replaced).toEqual({ Value: { text: null, list: ['short', null], lone: null }, Other: 'x' });
    // The same frame, cut at every size, decodes to the same message (a result frame has the same layout).
    const frame = encodeSegmentedCall('c-1', JSON.stringify({ parameters: replaced }), found);
    for (const size of [1, 7, 65_536, frame.length]) {
      const messages: unknown[] = [];
      const decoder = new FrameDecoder(frame.length, (f) => messages.push(f), (m) => messages.push(`error ${m}`));
      const asResult = Buffer.from(frame);
      asResult[4] = 'B'.charCodeAt(0);
      for (let at = 0; at < asResult.length; at += size) decoder.push(asResult.subarray(at, at + size));
      expect(messages).toHaveLength(1);
      const f = messages[0] as { kind: string; id: string; data: Buffer };
      expect([f.kind, f.id]).toEqual(['B', 'c-1']);
      expect(firstDifference(decodeSegmented(f.data), { parameters })).toBeUndefined();
    }
  });

  test('a segment table that does not match its frame is an error, never a value', () => {
    const good = encodeSegmentedCall('c-2', JSON.stringify({ output: [null] }), [{ path: ['output', 0], text: LARGE }]);
    const data = good.subarray(good.indexOf(10, 4) + 1);
    expect(firstDifference(decodeSegmented(data), { output: [LARGE] })).toBeUndefined();
    const table = (t: object, json: string, tail: Buffer) => Buffer.concat([Buffer.from(`${JSON.stringify(t)}\n${json}`), tail]);
    const bad: [string, Buffer][] = [
      ['a path to a missing index', table({ json: 17, segments: [{ path: ['output', 1], bytes: 3, encoding: 'utf8' }] }, '{"output":[null]}', Buffer.from('abc'))],
      ['a path to a missing key', table({ json: 17, segments: [{ path: ['result'], bytes: 3, encoding: 'utf8' }] }, '{"output":[null]}', Buffer.from('abc'))],
      ['a path to a value that is not null', table({ json: 14, segments: [{ path: ['output', 0], bytes: 3, encoding: 'utf8' }] }, '{"output":[1]}', Buffer.from('abc'))],
      ['a segment past the end', table({ json: 17, segments: [{ path: ['output', 0], bytes: 9, encoding: 'utf8' }] }, '{"output":[null]}', Buffer.from('abc'))],
      ['bytes after the last segment', table({ json: 17, segments: [{ path: ['output', 0], bytes: 1, encoding: 'utf8' }] }, '{"output":[null]}', Buffer.from('abc'))],
      ['an unknown encoding', table({ json: 17, segments: [{ path: ['output', 0], bytes: 3, encoding: 'base64' }] }, '{"output":[null]}', Buffer.from('abc'))],
      ['a path through the prototype', table({ json: 17, segments: [{ path: ['constructor', 'name'], bytes: 3, encoding: 'utf8' }] }, '{"output":[null]}', Buffer.from('abc'))],
    ];
    const accepted = bad.filter(([, frame]) => {
      try {
        decodeSegmented(frame);
        return true;
      } catch {
        return false;
      }
    });
    expect(accepted.map(([name]) => name)).toEqual([]);
    expect(() => decodeSegmented(bad[0][1])).toThrow('a segment path does not match the answer');
    // A plain frame is unchanged.
    const plain: string[] = [];
    new FrameDecoder(1 << 20, (f) => plain.push(`${f.kind}|${f.id}|${f.body}`), () => undefined).push(encodeFrame('C', 'p-1', '{"a":1}'));
    expect(plain).toEqual(['C|p-1|{"a":1}']);
  });
});
