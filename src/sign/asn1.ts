/**
 * A small, strict DER reader and writer. The reader keeps every element's byte range, so a signature can be
 * checked over the exact bytes that were signed, and it rejects what DER forbids (indefinite or non-minimal
 * lengths, trailing bytes) so that a changed byte in a length or tag is an error rather than a silent re-read.
 */

export const enum Tag {
  BOOLEAN = 0x01,
  INTEGER = 0x02,
  BIT_STRING = 0x03,
  OCTET_STRING = 0x04,
  NULL = 0x05,
  OID = 0x06,
  UTF8_STRING = 0x0c,
  PRINTABLE_STRING = 0x13,
  IA5_STRING = 0x16,
  UTC_TIME = 0x17,
  GENERALIZED_TIME = 0x18,
  BMP_STRING = 0x1e,
  SEQUENCE = 0x30,
  SET = 0x31,
}

export class Asn1Error extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'Asn1Error';
  }
}

/** One decoded element: its tag byte and where its header and value lie in the source buffer. */
export class Node {
  private kids?: Node[];
  constructor(
    readonly buf: Buffer,
    readonly tag: number,
    readonly start: number,
    readonly valueStart: number,
    readonly end: number,
  ) {}

  get constructed(): boolean {
    return (this.tag & 0x20) !== 0;
  }
  /** The whole element (tag, length and value). */
  get raw(): Buffer {
    return this.buf.subarray(this.start, this.end);
  }
  /** The value octets only. */
  get value(): Buffer {
    return this.buf.subarray(this.valueStart, this.end);
  }
  get children(): Node[] {
    if (!this.kids) {
      if (!this.constructed) throw new Asn1Error(`tag 0x${this.tag.toString(16)} is not constructed`);
      this.kids = [];
      let pos = this.valueStart;
      while (pos < this.end) {
        const child = readAt(this.buf, pos, this.end);
        this.kids.push(child);
        pos = child.end;
      }
    }
    return this.kids;
  }
  /** The i-th child, or an error naming what was expected. */
  child(i: number, what = 'element'): Node {
    const c = this.children[i];
    if (!c) throw new Asn1Error(`missing ${what}`);
    return c;
  }
  expect(tag: number, what = 'element'): this {
    if (this.tag !== tag) {
      throw new Asn1Error(`${what}: expected tag 0x${tag.toString(16)}, found 0x${this.tag.toString(16)}`);
    }
    return this;
  }
  /** Children of a context-specific [n] element, if present among this element's children. */
  findContext(n: number): Node | undefined {
    return this.children.find((c) => (c.tag & 0xdf) === (0x80 | n));
  }
  get oid(): string {
    this.expect(Tag.OID, 'object identifier');
    return decodeOid(this.value);
  }
  get integer(): bigint {
    this.expect(Tag.INTEGER, 'integer');
    return decodeInteger(this.value);
  }
}

function readAt(buf: Buffer, pos: number, limit: number): Node {
  if (pos + 2 > limit) throw new Asn1Error('truncated element');
  const tag = buf[pos];
  if ((tag & 0x1f) === 0x1f) throw new Asn1Error('high tag numbers are not supported');
  let len = buf[pos + 1];
  let hdr = 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0) throw new Asn1Error('indefinite length is not DER');
    if (n > 4) throw new Asn1Error('length too large');
    if (pos + 2 + n > limit) throw new Asn1Error('truncated length');
    if (buf[pos + 2] === 0) throw new Asn1Error('non-minimal length');
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + buf[pos + 2 + i];
    if (len < 0x80) throw new Asn1Error('non-minimal length');
    hdr = 2 + n;
  }
  const end = pos + hdr + len;
  if (end > limit) throw new Asn1Error('element runs past its container');
  return new Node(buf, tag, pos, pos + hdr, end);
}

/** Parse exactly one element that fills the whole buffer. */
export function parse(buf: Buffer): Node {
  const node = readAt(buf, 0, buf.length);
  if (node.end !== buf.length) throw new Asn1Error('trailing bytes after the element');
  return node;
}

/** Parse one element at the start of the buffer and say where it ends (trailing bytes allowed). */
export function parsePrefix(buf: Buffer): Node {
  return readAt(buf, 0, buf.length);
}

/** Walk every element depth-first (used to check a whole structure decodes as DER). */
export function walk(node: Node, visit: (n: Node) => void): void {
  visit(node);
  if (node.constructed) for (const c of node.children) walk(c, visit);
}

export function decodeOid(v: Buffer): string {
  if (v.length === 0) throw new Asn1Error('empty object identifier');
  const parts: number[] = [];
  let acc = 0;
  for (let i = 0; i < v.length; i++) {
    if (acc === 0 && v[i] === 0x80) throw new Asn1Error('non-minimal object identifier');
    acc = acc * 128 + (v[i] & 0x7f);
    if (!(v[i] & 0x80)) {
      parts.push(acc);
      acc = 0;
    } else if (i === v.length - 1) throw new Asn1Error('truncated object identifier');
  }
  const first = parts[0];
  const head = first < 40 ? [0, first] : first < 80 ? [1, first - 40] : [2, first - 80];
  return [...head, ...parts.slice(1)].join('.');
}

export function decodeInteger(v: Buffer): bigint {
  if (v.length === 0) throw new Asn1Error('empty integer');
  if (v.length > 1 && ((v[0] === 0 && !(v[1] & 0x80)) || (v[0] === 0xff && v[1] & 0x80))) {
    throw new Asn1Error('non-minimal integer');
  }
  let n = BigInt('0x' + v.toString('hex'));
  if (v[0] & 0x80) n -= 1n << BigInt(v.length * 8);
  return n;
}

/** UTCTime or GeneralizedTime (the forms X.509 and CMS use: Z-terminated, seconds present). */
export function decodeTime(node: Node): Date {
  const s = node.value.toString('latin1');
  let m: RegExpMatchArray | null;
  if (node.tag === Tag.UTC_TIME && (m = /^(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)Z$/.exec(s))) {
    const yy = Number(m[1]);
    return new Date(Date.UTC(yy < 50 ? 2000 + yy : 1900 + yy, +m[2] - 1, +m[3], +m[4], +m[5], +m[6]));
  }
  if (node.tag === Tag.GENERALIZED_TIME && (m = /^(\d{4})(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)(?:\.(\d+))?Z$/.exec(s))) {
    const ms = m[7] ? Math.round(Number('0.' + m[7]) * 1000) : 0;
    return new Date(Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6], ms));
  }
  throw new Asn1Error(`bad time value '${s}'`);
}

/**
 * Re-encode BER (indefinite lengths, constructed strings) as DER-style definite lengths, for inputs that
 * other tools write in BER, such as some PKCS#12 files. Constructed OCTET STRINGs become primitive ones.
 * Signed structures are never passed through this: their exact bytes matter.
 */
export function berToDer(buf: Buffer): Buffer {
  const read = (pos: number, depth: number): { out: Buffer; end: number } => {
    if (depth > 64) throw new Asn1Error('nesting too deep');
    if (pos + 2 > buf.length) throw new Asn1Error('truncated element');
    const tag = buf[pos];
    if ((tag & 0x1f) === 0x1f) throw new Asn1Error('high tag numbers are not supported');
    let len = buf[pos + 1];
    let p = pos + 2;
    let indefinite = false;
    if (len === 0x80) indefinite = true;
    else if (len & 0x80) {
      const n = len & 0x7f;
      if (n > 4 || p + n > buf.length) throw new Asn1Error('bad length');
      len = 0;
      for (let i = 0; i < n; i++) len = len * 256 + buf[p + i];
      p += n;
    }
    if (!(tag & 0x20)) {
      if (indefinite) throw new Asn1Error('indefinite length on a primitive element');
      if (p + len > buf.length) throw new Asn1Error('element runs past its container');
      return { out: tlv(tag, buf.subarray(p, p + len)), end: p + len };
    }
    const kids: Buffer[] = [];
    const limit = indefinite ? buf.length : p + len;
    if (limit > buf.length) throw new Asn1Error('element runs past its container');
    for (;;) {
      if (indefinite && buf[p] === 0 && buf[p + 1] === 0) {
        p += 2;
        break;
      }
      if (!indefinite && p >= limit) break;
      const k = read(p, depth + 1);
      kids.push(k.out);
      p = k.end;
    }
    if (tag === 0x24) return { out: tlv(Tag.OCTET_STRING, ...kids.map((k) => parse(k).value)), end: p };
    return { out: tlv(tag, ...kids), end: p };
  };
  const r = read(0, 0);
  if (r.end !== buf.length) throw new Asn1Error('trailing bytes after the element');
  return r.out;
}

// ---- writer -----------------------------------------------------------------------------------------------

function lengthBytes(len: number): Buffer {
  if (len < 0x80) return Buffer.from([len]);
  const out: number[] = [];
  for (let n = len; n > 0; n = Math.floor(n / 256)) out.unshift(n & 0xff);
  return Buffer.from([0x80 | out.length, ...out]);
}

export function tlv(tag: number, ...content: Buffer[]): Buffer {
  const body = content.length === 1 ? content[0] : Buffer.concat(content);
  return Buffer.concat([Buffer.from([tag]), lengthBytes(body.length), body]);
}

export const seq = (...items: Buffer[]): Buffer => tlv(Tag.SEQUENCE, ...items);
/** DER SET OF: elements sorted by their encodings. */
export const setOf = (...items: Buffer[]): Buffer => tlv(Tag.SET, ...[...items].sort(Buffer.compare));
export const octets = (b: Buffer): Buffer => tlv(Tag.OCTET_STRING, b);
export const nul = (): Buffer => Buffer.from([Tag.NULL, 0]);
/** [n] EXPLICIT (constructed) or IMPLICIT constructed: the caller passes the inner encoding(s). */
export const ctx = (n: number, ...content: Buffer[]): Buffer => tlv(0xa0 | n, ...content);
/** [n] IMPLICIT primitive. */
export const ctxPrim = (n: number, content: Buffer): Buffer => tlv(0x80 | n, content);

export function oid(dotted: string): Buffer {
  const p = dotted.split('.').map(Number);
  if (p.length < 2 || p.some((x) => !Number.isSafeInteger(x) || x < 0)) throw new Error(`bad OID ${dotted}`);
  const out: number[] = [];
  const enc = (n: number) => {
    const bytes = [n & 0x7f];
    for (n = Math.floor(n / 128); n > 0; n = Math.floor(n / 128)) bytes.unshift((n & 0x7f) | 0x80);
    out.push(...bytes);
  };
  enc(p[0] * 40 + p[1]);
  p.slice(2).forEach(enc);
  return tlv(Tag.OID, Buffer.from(out));
}

export function integer(n: bigint | number): Buffer {
  const v = BigInt(n);
  if (v < 0n) throw new Error('negative integers are not needed here');
  let hex = v.toString(16);
  if (hex.length % 2) hex = '0' + hex;
  let b = Buffer.from(hex, 'hex');
  if (b[0] & 0x80) b = Buffer.concat([Buffer.from([0]), b]);
  return tlv(Tag.INTEGER, b);
}

/** An INTEGER from its two's-complement value bytes, as found in a certificate (kept byte for byte). */
export const integerBytes = (v: Buffer): Buffer => tlv(Tag.INTEGER, v);

export function utcTime(d: Date): Buffer {
  const p = (n: number) => String(n).padStart(2, '0');
  const s =
    p(d.getUTCFullYear() % 100) +
    p(d.getUTCMonth() + 1) +
    p(d.getUTCDate()) +
    p(d.getUTCHours()) +
    p(d.getUTCMinutes()) +
    p(d.getUTCSeconds()) +
    'Z';
  return tlv(Tag.UTC_TIME, Buffer.from(s, 'latin1'));
}

/** BMPString: big-endian UTF-16. */
export function bmpString(s: string): Buffer {
  const b = Buffer.from(s, 'utf16le');
  b.swap16();
  return tlv(Tag.BMP_STRING, b);
}

/** AlgorithmIdentifier with NULL parameters (the form Authenticode uses for digests and RSA). */
export const algorithm = (dotted: string, params: Buffer | null = nul()): Buffer =>
  params ? seq(oid(dotted), params) : seq(oid(dotted));
