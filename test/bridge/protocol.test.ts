/**
 * The wire format's pieces without PowerShell: a call written in pieces through small reused buffers is
 * byte for byte the frame a plain encoder makes (whatever the piece size, wherever a multi-byte character
 * or a surrogate pair falls), frames on one channel stay whole and in order, and a large answer's buffer is
 * reused for the next one.
 */
import { ChannelWriter, FrameDecoder, FrameSource, SEGMENT_CHARS, decodeSegmented, encodeFrame, segmentedCallSource, type FrameSink } from '../../src/bridge';

type Segment = { path: (string | number)[]; text: string };

/**
 * The frame a call with segments should be, built the plain way (Buffer.from of each part, joined): the
 * reference the piecewise writer is checked against.
 */
function reference(id: string, json: string, segments: Segment[]): Buffer {
  const encodings = segments.map(({ text }) => (Buffer.from(text, 'utf8').toString('utf8') === text ? 'utf8' : 'utf16le') as BufferEncoding);
  const raw = segments.map(({ text }, i) => Buffer.from(text, encodings[i]));
  const body = Buffer.from(json, 'utf8');
  const table = { json: body.length, segments: segments.map(({ path }, i) => ({ path, encoding: encodings[i], bytes: raw[i].length })) };
  const all = Buffer.concat([Buffer.from(`D${id}\n${JSON.stringify(table)}\n`, 'utf8'), body, ...raw]);
  const length = Buffer.alloc(4);
  length.writeUInt32LE(all.length);
  return Buffer.concat([length, all]);
}

/** Every piece `source` gives for buffers of `size` bytes. */
function pieces(source: FrameSource, size: number): Buffer[] {
  const out: Buffer[] = [];
  const buffer = Buffer.alloc(size);
  while (!source.done) {
    const n = source.fill(buffer);
    out.push(Buffer.from(buffer.subarray(0, n)));
    if (out.length > 10_000_000) throw new Error('the source does not end');
  }
  return out;
}

/** Where the first byte of two buffers differs, to keep failures short. */
function firstByteDifference(a: Buffer, b: Buffer): string | undefined {
  if (a.equals(b)) return undefined;
  let at = 0;
  while (at < a.length && at < b.length && a[at] === b[at]) at++;
  return `lengths ${a.length} vs ${b.length}, first difference at byte ${at}`;
}

// Characters of every UTF-8 width, a surrogate pair (4 bytes), and text around them.
const WIDTHS = ['a', 'é', '€', '😀'];

describe('a call written in pieces', () => {
  test.each([4, 5, 6, 7, 8, 9, 10, 11, 13, 17, 64, 1000])('is the same frame cut into pieces of %i bytes, whatever falls on the boundaries', (size) => {
    // Each width at every offset from a boundary: runs of one kind after a prefix of 0-3 ASCII letters.
    const texts = WIDTHS.flatMap((c) => [0, 1, 2, 3].map((prefix) => 'x'.repeat(prefix) + c.repeat(40)));
    const mixed = Array.from({ length: 600 }, (_, i) => WIDTHS[(i * 7) % 4]).join('');
    const segments: Segment[] = [...texts, mixed, 'lone \ud800 high', 'lone \udc00 low', '\udbff'.repeat(3)].map((text, i) => ({ path: ['parameters', `P${i}`], text }));
    const json = JSON.stringify({ command: 'Get-Echo', parameters: Object.fromEntries(segments.map((_, i) => [`P${i}`, null])), note: 'é😀€' });
    const expected = reference('s1-1', json, segments);
    const got = pieces(segmentedCallSource('s1-1', json, segments), size);
    expect(firstByteDifference(Buffer.concat(got), expected)).toBeUndefined();
    // Every piece but the last is as full as the characters allow: never more than 3 bytes short.
    expect(got.slice(0, -1).filter((p) => p.length < size - 3)).toEqual([]);
  });

  test('values of many sizes around the piece size and the segment size are exact', () => {
    const size = 4096;
    const lengths = [1, SEGMENT_CHARS - 1, SEGMENT_CHARS, SEGMENT_CHARS + 1, size - 1, size, size + 1, 2 * size - 3, 3 * size + 2];
    for (const length of lengths) {
      for (const c of WIDTHS) {
        const text = c.repeat(Math.ceil(length / c.length)).slice(0, length);
        // A text cut in the middle of a pair is not well-formed: it travels as UTF-16 code units.
        const segments: Segment[] = [{ path: ['parameters', 'Value'], text }];
        const json = '{"parameters":{"Value":null}}';
        const difference = firstByteDifference(Buffer.concat(pieces(segmentedCallSource('s1-2', json, segments), size)), reference('s1-2', json, segments));
        expect({ length, c, difference }).toEqual({ length, c, difference: undefined });
      }
    }
  });

  test('several large values and a large JSON in one call come out whole, in the order of the table', () => {
    const one = '😀é'.repeat(50_000);
    const two = 'b'.repeat(70_001) + '\ud83d';
    const three = '€'.repeat(40_000);
    const json = JSON.stringify({ parameters: { First: null, Second: null, Third: { x: null } }, filler: 'é'.repeat(20_000) });
    const segments: Segment[] = [
      { path: ['parameters', 'First'], text: one },
      { path: ['parameters', 'Second'], text: two },
      { path: ['parameters', 'Third', 'x'], text: three },
    ];
    const expected = reference('s1-3', json, segments);
    for (const size of [4, 65_536, 1 << 20]) {
      expect(firstByteDifference(Buffer.concat(pieces(segmentedCallSource('s1-3', json, segments), size)), expected)).toBeUndefined();
    }
    expect(segmentedCallSource('s1-3', json, segments).length).toBe(expected.length - 4);
  });

  test('a piece too small for the length header is refused', () => {
    expect(() => new FrameSource([{ text: 'Cx', encoding: 'utf8' }]).fill(Buffer.alloc(3))).toThrow('room for 4 bytes');
  });
});

/** A sink that holds each write until told to finish it, as a socket whose peer reads slowly. */
class SlowSink implements FrameSink {
  destroyed = false;
  readonly written: Buffer[] = [];
  readonly pending: (() => void)[] = [];
  /** Distinct memory the writes came from (the writer's reused pieces). */
  readonly memory = new Set<ArrayBufferLike>();
  write(chunk: Buffer, callback: (error?: Error | null) => void): boolean {
    this.memory.add(chunk.buffer);
    // Copied now: the writer may only reuse a piece once its callback ran.
    this.written.push(Buffer.from(chunk));
    this.pending.push(() => callback());
    return true;
  }
  /** Finishes the oldest write; false when none is waiting. */
  flushOne(): boolean {
    const next = this.pending.shift();
    if (!next) return false;
    next();
    return true;
  }
  async flushAll(): Promise<void> {
    while (this.flushOne()) await Promise.resolve();
  }
}

describe('one writer per channel', () => {
  const large = (id: string) => segmentedCallSource(id, '{"parameters":{"Value":null}}', [{ path: ['parameters', 'Value'], text: '😀x'.repeat(200_000) }]);

  test('a stop and a ping sent while a large call is being written wait for it: frames stay whole and in order', async () => {
    const sink = new SlowSink();
    const writer = new ChannelWriter(sink, (e) => {
      throw e;
    }, 65_536, 3);
    const call = large('c-1');
    const expected = Buffer.concat([reference('c-1', '{"parameters":{"Value":null}}', [{ path: ['parameters', 'Value'], text: '😀x'.repeat(200_000) }]), encodeFrame('S', 'c-1'), encodeFrame('P', 'c-2')]);
    writer.send(call);
    // Three pieces are out, the rest waits for the peer: the stop and the ping queue behind the call.
    expect(sink.written).toHaveLength(3);
    writer.send(encodeFrame('S', 'c-1'));
    writer.send(encodeFrame('P', 'c-2'));
    expect(sink.written).toHaveLength(3);
    await sink.flushAll();
    const frames: string[] = [];
    const decoder = new FrameDecoder(1 << 30, (f) => frames.push(`${f.kind}${f.id}`), (m) => frames.push(`error ${m}`));
    const all = Buffer.concat(sink.written);
    decoder.push(all);
    expect(frames).toEqual(['Dc-1', 'Sc-1', 'Pc-2']);
    expect(firstByteDifference(all, expected)).toBeUndefined();
    // Memory stays flat: the call went out through the same three pieces.
    expect(sink.memory.size).toBeLessThanOrEqual(3 + 2);
    expect(sink.written.filter((b) => b.length > 65_536)).toEqual([]);
  });

  test('closing in the middle of a large write drops the rest, writes nothing more and throws nothing', async () => {
    const sink = new SlowSink();
    const errors: Error[] = [];
    const writer = new ChannelWriter(sink, (e) => errors.push(e), 65_536, 2);
    writer.send(large('c-1'));
    expect(sink.written).toHaveLength(2);
    writer.close();
    await sink.flushAll();
    expect(sink.written).toHaveLength(2);
    expect(writer.send(encodeFrame('S', 'c-1'))).toBe(false);
    expect(errors).toEqual([]);
  });

  test('a destroyed sink stops the writer', async () => {
    const sink = new SlowSink();
    const writer = new ChannelWriter(sink, () => undefined, 65_536, 2);
    writer.send(large('c-1'));
    sink.destroyed = true;
    await sink.flushAll();
    expect(sink.written).toHaveLength(2);
    expect(writer.send(encodeFrame('P', 'c-2'))).toBe(false);
  });

  test('small calls go out as one write each', () => {
    const sink = new SlowSink();
    const writer = new ChannelWriter(sink, () => undefined);
    writer.send(encodeFrame('P', 'p-1'));
    writer.send(segmentedCallSource('c-2', '{"a":null}', [{ path: ['a'], text: 'x\ud800' }]));
    expect(sink.written.map((b) => b.length)).toEqual([8, reference('c-2', '{"a":null}', [{ path: ['a'], text: 'x\ud800' }]).length]);
  });
});

describe('reading large answers', () => {
  test('the buffer of a large frame is reused for the next one, and each frame decodes as itself', () => {
    const seen: string[] = [];
    const decoder = new FrameDecoder(1 << 26, (f) => seen.push(f.body), () => undefined);
    // The second and third are smaller than the first (they fit its buffer), the fourth larger.
    const sizes = [2_000_000, 1_999_000, 1_998_000, 2_500_000];
    const frames = sizes.map((n, i) => encodeFrame('C', `x-${i}`, 'abcd'[i].repeat(n - 1) + 'é'));
    for (const frame of frames) for (let at = 0; at < frame.length; at += 65_536) decoder.push(frame.subarray(at, at + 65_536));
    expect(seen.map((s) => s.length)).toEqual(sizes);
    expect(seen.map((s, i) => s === 'abcd'[i].repeat(sizes[i] - 1) + 'é')).toEqual([true, true, true, true]);
  });

  test('a large answer with segments reuses the buffer and still decodes exactly', () => {
    const answers: unknown[] = [];
    const memory = new Set<ArrayBufferLike>();
    const decoder = new FrameDecoder(
      1 << 26,
      (f) => {
        if (!f.data) return;
        memory.add(f.data.buffer);
        answers.push(JSON.parse(JSON.stringify(decodeSegmented(f.data))));
      },
      () => undefined,
    );
    const texts = ['é'.repeat(1_500_000), 'z'.repeat(1_400_000) + '😀'];
    for (const [i, text] of texts.entries()) {
      const frame = segmentedCallSource(`r-${i}`, '{"output":[null]}', [{ path: ['output', 0], text }]).toBuffer();
      frame[4] = 'B'.charCodeAt(0);
      for (let at = 0; at < frame.length; at += 65_536) decoder.push(frame.subarray(at, at + 65_536));
    }
    expect(answers).toEqual(texts.map((t) => ({ output: [t] })));
    expect(memory.size).toBe(1);
  });
});
