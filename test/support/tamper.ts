/**
 * Single-byte tampering of signed script files, shared by the tests and bench/sign.ts. Content tampering
 * changes one byte before the signature block; signature tampering changes one DER byte inside what the
 * signature covers (the signer certificate, the signed attributes, the signature value, and the
 * SpcIndirectDataContent that the message digest covers) and writes the block back.
 */
import { parse } from '../../src/sign/asn1';
import { encodeBlock, splitScript, type CommentStyle } from '../../src/sign/script';

/** A small seeded PRNG (mulberry32), so a failing case can be replayed from its seed. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface Tampered {
  bytes: Buffer;
  where: 'content' | 'signature';
  /** Offset in the file (content) or in the DER (signature). */
  offset: number;
  region: string;
}

/** Byte ranges of the DER that the signature covers, by name. */
export function coveredRanges(der: Buffer): { name: string; start: number; end: number }[] {
  const sd = parse(der).child(1).child(0);
  const content = sd.child(2).child(1).child(0);
  const certs = sd.children.find((c) => c.tag === 0xa0)!;
  const si = sd.children[sd.children.length - 1].child(0);
  const ranges = [
    { name: 'SpcIndirectDataContent', start: content.start, end: content.end },
    ...certs.children.map((c, i) => ({ name: `certificate ${i}`, start: c.start, end: c.end })),
    { name: 'signed attributes', start: si.child(3).start, end: si.child(3).end },
    { name: 'signature value', start: si.child(5).valueStart, end: si.child(5).end },
  ];
  return ranges;
}

export function tamperContent(file: Buffer, style: CommentStyle, next: () => number): Tampered {
  const { content } = splitScript(file, style);
  const offset = Math.floor(next() * content.length);
  const bytes = Buffer.from(file);
  bytes[offset] ^= 1 + Math.floor(next() * 255);
  return { bytes, where: 'content', offset, region: 'content' };
}

export function tamperSignature(file: Buffer, style: CommentStyle, next: () => number): Tampered {
  const parts = splitScript(file, style);
  if (!parts.signature) throw new Error('file is not signed');
  const der = Buffer.from(parts.signature);
  const ranges = coveredRanges(der);
  const total = ranges.reduce((n, r) => n + (r.end - r.start), 0);
  let pick = Math.floor(next() * total);
  const range = ranges.find((r) => (pick < r.end - r.start ? true : ((pick -= r.end - r.start), false)))!;
  const offset = range.start + pick;
  der[offset] ^= 1 + Math.floor(next() * 255);
  return {
    bytes: Buffer.concat([parts.content, encodeBlock(der, style, parts.encoding)]),
    where: 'signature',
    offset,
    region: range.name,
  };
}
