/**
 * RFC 3161 time stamps for Authenticode: the request is over the signer's signature value, the reply's token
 * (a CMS SignedData over TSTInfo) is stored as the unsigned attribute 1.3.6.1.4.1.311.3.3.1.
 */
import * as crypto from 'node:crypto';
import * as http from 'node:http';
import * as https from 'node:https';
import * as A from './asn1';
import { Tag, type Node } from './asn1';
import { OID, HASH_OID, hashFromOid, type HashName } from './oids';
import { parseSignedData, checkSigner } from './pkcs7';
import { buildChain, type Certificate } from './x509';

export class TimestampError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TimestampError';
  }
}

export function timestampRequest(message: Buffer, hash: HashName, nonce: bigint): Buffer {
  const imprint = A.seq(A.algorithm(HASH_OID[hash]), A.octets(crypto.createHash(hash).update(message).digest()));
  return A.seq(A.integer(1), imprint, A.integer(nonce), Buffer.from([Tag.BOOLEAN, 1, 0xff]));
}

function post(url: string, body: Buffer, timeoutMs: number): Promise<Buffer> {
  const u = new URL(url);
  const lib = u.protocol === 'https:' ? https : u.protocol === 'http:' ? http : undefined;
  if (!lib) return Promise.reject(new TimestampError(`unsupported time-stamp URL scheme ${u.protocol}`));
  return new Promise((resolve, reject) => {
    const req = lib.request(
      u,
      {
        method: 'POST',
        headers: { 'Content-Type': 'application/timestamp-query', 'Content-Length': body.length },
        timeout: timeoutMs,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          if (res.statusCode !== 200) reject(new TimestampError(`time-stamp server answered HTTP ${res.statusCode}`));
          else resolve(Buffer.concat(chunks));
        });
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new TimestampError(`time-stamp server ${u.host} did not answer in time`)));
    req.on('error', (e) => reject(e instanceof TimestampError ? e : new TimestampError(`time-stamp request failed: ${e.message}`)));
    req.end(body);
  });
}

/** Ask `url` for a token over `message` (the signature value). Returns the token's DER (a ContentInfo). */
export async function requestTimestamp(url: string, message: Buffer, hash: HashName, timeoutMs = 30000): Promise<Buffer> {
  const nonce = BigInt('0x' + crypto.randomBytes(8).toString('hex'));
  const reply = await post(url, timestampRequest(message, hash, nonce), timeoutMs);
  let token: Node;
  try {
    const resp = A.parse(reply);
    const status = resp.child(0).child(0).integer;
    if (status !== 0n && status !== 1n) throw new TimestampError(`time-stamp server refused the request (status ${status})`);
    token = resp.child(1, 'timeStampToken');
  } catch (e) {
    if (e instanceof TimestampError) throw e;
    throw new TimestampError(`malformed time-stamp reply: ${(e as Error).message}`);
  }
  const info = readToken(token.raw);
  if (info.nonce !== nonce) throw new TimestampError('time-stamp reply nonce does not match the request');
  if (!info.imprint.equals(crypto.createHash(hash).update(message).digest())) {
    throw new TimestampError('time-stamp reply is not over the signature');
  }
  return Buffer.from(token.raw);
}

export interface TokenInfo {
  genTime: Date;
  imprintHash: HashName;
  imprint: Buffer;
  nonce?: bigint;
  policy: string;
  tstInfo: Buffer;
}

function readToken(der: Buffer): TokenInfo & { p7: ReturnType<typeof parseSignedData> } {
  const p7 = parseSignedData(der);
  if (p7.contentType !== OID.tstInfo) throw new TimestampError('the time-stamp token does not hold TSTInfo');
  const tstInfo = p7.content.expect(Tag.OCTET_STRING, 'TSTInfo').value;
  const t = A.parse(tstInfo);
  const imprintNode = t.child(2, 'messageImprint');
  const imprintHash = hashFromOid(imprintNode.child(0).child(0).oid);
  if (!imprintHash) throw new TimestampError('unsupported time-stamp imprint digest');
  let nonce: bigint | undefined;
  for (const c of t.children.slice(5)) if (c.tag === Tag.INTEGER) nonce = c.integer;
  return {
    p7,
    policy: t.child(1).oid,
    imprintHash,
    imprint: imprintNode.child(1).expect(Tag.OCTET_STRING, 'imprint').value,
    genTime: A.decodeTime(t.child(4, 'genTime')),
    nonce,
    tstInfo,
  };
}

export interface TimestampCheck {
  ok: boolean;
  genTime?: Date;
  signer?: Certificate;
  reason?: string;
}

/**
 * Verify a token against the signature value it stamps: its own signature, its imprint, and (when roots are
 * given) the TSA certificate's chain and Time Stamping usage at the stamped time.
 */
export function verifyTimestamp(token: Buffer, signatureValue: Buffer, roots: Certificate[] | undefined): TimestampCheck {
  let info: ReturnType<typeof readToken>;
  try {
    info = readToken(token);
  } catch (e) {
    return { ok: false, reason: `unreadable time stamp: ${(e as Error).message}` };
  }
  const check = checkSigner(info.p7, info.tstInfo);
  if (!check.certificate || !check.digestOk || !check.signatureOk) {
    return { ok: false, reason: `time stamp: ${check.reason}` };
  }
  const expected = crypto.createHash(info.imprintHash).update(signatureValue).digest();
  if (!expected.equals(info.imprint)) return { ok: false, reason: 'the time stamp is not over this signature' };
  const eku = check.certificate.extKeyUsage;
  if (!eku || !eku.includes(OID.ekuTimeStamping)) {
    return { ok: false, reason: 'the time-stamp certificate lacks the Time Stamping usage' };
  }
  if (roots) {
    const chain = buildChain(check.certificate, info.p7.certificates, roots, info.genTime);
    if (!chain.ok) return { ok: false, reason: `time stamp: ${chain.reason}` };
  }
  return { ok: true, genTime: info.genTime, signer: check.certificate };
}
