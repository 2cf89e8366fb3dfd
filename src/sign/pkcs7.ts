/**
 * PKCS#7 SignedData, version 1, the way Authenticode uses it: one signer identified by issuer and serial
 * number, signed attributes always present (content type, message digest, plus what the caller adds), the
 * message digest taken over the content's value octets (PKCS#7 rule, tag and length excluded). Parsing is
 * strict and keeps the exact bytes each signature covers.
 */
import * as crypto from 'node:crypto';
import * as A from './asn1';
import { Tag, type Node } from './asn1';
import { OID, HASH_OID, hashFromOid, type HashName } from './oids';
import { Certificate } from './x509';
import type { Signer } from './keys';

export interface Attribute {
  oid: string;
  /** DER of each value in the attribute's SET. */
  values: Buffer[];
}

export const attribute = (oid: string, ...values: Buffer[]): Buffer => A.seq(A.oid(oid), A.setOf(...values));

export type IncludeChain = 'signer' | 'notroot' | 'all';

export interface SignInput {
  contentType: string;
  /** DER of the content (placed inside [0] EXPLICIT). */
  content: Buffer;
  hash: HashName;
  signer: Signer;
  /** Extra signed attributes (DER Attribute). */
  signedAttributes?: Buffer[];
  /** Certificates to embed, as Set-AuthenticodeSignature -IncludeChain: the signer only, all but a
   * self-signed root (the default), or all. */
  includeChain?: IncludeChain;
}

function signatureAlgorithm(key: crypto.KeyObject, hash: HashName): { alg: Buffer; nodeHash: string } {
  const type = key.asymmetricKeyType;
  if (type === 'rsa') return { alg: A.algorithm(OID.rsaEncryption), nodeHash: hash };
  if (type === 'ec') {
    const o = { sha256: OID.ecdsaWithSHA256, sha384: OID.ecdsaWithSHA384, sha512: OID.ecdsaWithSHA512, sha1: '' }[hash];
    if (!o) throw new Error(`ECDSA with ${hash} is not supported`);
    return { alg: A.algorithm(o, null), nodeHash: hash };
  }
  throw new Error(`unsupported key type ${type}`);
}

/** The value octets of a DER element (what PKCS#7 digests for non-data content). */
export function valueOctets(der: Buffer): Buffer {
  return A.parse(der).value;
}

/** Build a DER ContentInfo holding SignedData over `content`. */
export function buildSignedData(input: SignInput): { der: Buffer; signature: Buffer } {
  const { signer, hash } = input;
  const digest = crypto.createHash(hash).update(valueOctets(input.content)).digest();
  const attrs = [
    attribute(OID.contentType, A.oid(input.contentType)),
    attribute(OID.messageDigest, A.octets(digest)),
    ...(input.signedAttributes ?? []),
  ];
  const attrSet = A.setOf(...attrs);
  const { alg, nodeHash } = signatureAlgorithm(signer.key, hash);
  const signature = crypto.sign(nodeHash, attrSet, signer.key);
  const digestAlg = A.algorithm(HASH_OID[hash]);
  const signerInfo = A.seq(
    A.integer(1),
    A.seq(signer.certificate.issuerRaw, A.integerBytes(signer.certificate.serialValue)),
    digestAlg,
    Buffer.concat([Buffer.from([0xa0]), attrSet.subarray(1)]),
    alg,
    A.octets(signature),
  );
  return { der: assemble(input.contentType, input.content, digestAlg, certsFor(input), signerInfo), signature };
}

function certsFor(input: SignInput): Buffer[] {
  const mode = input.includeChain ?? 'notroot';
  const chain = mode === 'signer' ? [] : mode === 'all' ? input.signer.chain : input.signer.chain.filter((c) => !c.isSelfIssued);
  return [input.signer.certificate, ...chain].map((c) => c.der);
}

function assemble(contentType: string, content: Buffer, digestAlg: Buffer, certs: Buffer[], signerInfo: Buffer): Buffer {
  const signedData = A.seq(
    A.integer(1),
    A.setOf(digestAlg),
    A.seq(A.oid(contentType), A.ctx(0, content)),
    A.ctx(0, ...[...certs].sort(Buffer.compare)),
    A.setOf(signerInfo),
  );
  return A.seq(A.oid(OID.signedData), A.ctx(0, signedData));
}

/** Return a copy of `der` (a ContentInfo from buildSignedData/parse) with unsigned attributes added. */
export function withUnsignedAttributes(p7: ParsedSignedData, unsigned: Buffer[]): Buffer {
  const si = p7.signerInfoNode;
  const kept = si.children.filter((c) => c.tag !== 0xa1).map((c) => c.raw);
  const newSi = A.seq(...kept, Buffer.concat([Buffer.from([0xa1]), A.setOf(...unsigned).subarray(1)]));
  const sd = p7.signedDataNode;
  const parts = sd.children.map((c) => (c.tag === Tag.SET && c === sd.children[sd.children.length - 1] ? A.setOf(newSi) : c.raw));
  return A.seq(A.oid(OID.signedData), A.ctx(0, A.seq(...parts)));
}

export interface ParsedSignedData {
  root: Node;
  signedDataNode: Node;
  version: bigint;
  digestAlgorithms: string[];
  contentType: string;
  /** The content element (inside [0] EXPLICIT). */
  content: Node;
  certificates: Certificate[];
  signerInfoNode: Node;
  signerVersion: bigint;
  hash: HashName;
  issuerRaw: Buffer;
  serialValue: Buffer;
  /** [0] IMPLICIT signed attributes as found (tag A0). */
  signedAttrsRaw: Buffer;
  signedAttributes: Attribute[];
  signatureAlgorithm: string;
  signature: Buffer;
  unsignedAttributes: Attribute[];
}

function attrs(node: Node): Attribute[] {
  return node.children.map((a) => ({
    oid: a.child(0).oid,
    values: a.child(1).expect(Tag.SET, 'attribute values').children.map((v) => v.raw),
  }));
}

/** Parse a ContentInfo holding SignedData with exactly one signer. Throws on anything malformed. */
export function parseSignedData(der: Buffer): ParsedSignedData {
  const root = A.parse(der).expect(Tag.SEQUENCE, 'ContentInfo');
  if (root.children.length !== 2) throw new A.Asn1Error('ContentInfo must have two elements');
  if (root.child(0).oid !== OID.signedData) throw new A.Asn1Error('not PKCS#7 SignedData');
  const wrap = root.child(1).expect(0xa0, 'content');
  if (wrap.children.length !== 1) throw new A.Asn1Error('content must hold one element');
  const sd = wrap.child(0).expect(Tag.SEQUENCE, 'SignedData');
  A.walk(sd, () => undefined);
  const version = sd.child(0).integer;
  const digestAlgorithms = sd.child(1).expect(Tag.SET, 'digestAlgorithms').children.map((c) => c.child(0).oid);
  const ci = sd.child(2, 'contentInfo').expect(Tag.SEQUENCE, 'contentInfo');
  if (ci.children.length !== 2) throw new A.Asn1Error('contentInfo must hold a type and content');
  const contentType = ci.child(0).oid;
  const cwrap = ci.child(1).expect(0xa0, 'content');
  if (cwrap.children.length !== 1) throw new A.Asn1Error('content must hold one element');
  const content = cwrap.child(0);
  let i = 3;
  const certificates: Certificate[] = [];
  if (sd.child(i).tag === 0xa0) {
    for (const c of sd.child(i).children) certificates.push(new Certificate(c.raw));
    i++;
  }
  if (sd.child(i).tag === 0xa1) i++;
  const infos = sd.child(i, 'signerInfos').expect(Tag.SET, 'signerInfos');
  if (i !== sd.children.length - 1) throw new A.Asn1Error('unexpected elements in SignedData');
  if (infos.children.length !== 1) throw new A.Asn1Error(`expected one signer, found ${infos.children.length}`);
  const si = infos.child(0).expect(Tag.SEQUENCE, 'SignerInfo');
  const signerVersion = si.child(0).integer;
  const ias = si.child(1).expect(Tag.SEQUENCE, 'issuerAndSerialNumber');
  if (ias.children.length !== 2) throw new A.Asn1Error('issuerAndSerialNumber must have two elements');
  const digestAlgNode = si.child(2).expect(Tag.SEQUENCE, 'digestAlgorithm');
  checkAlgorithmParams(digestAlgNode);
  const hash = hashFromOid(digestAlgNode.child(0).oid);
  if (!hash) throw new A.Asn1Error(`unsupported digest algorithm ${digestAlgNode.child(0).oid}`);
  const sa = si.child(3).expect(0xa0, 'signed attributes');
  const sigAlgNode = si.child(4).expect(Tag.SEQUENCE, 'signature algorithm');
  checkAlgorithmParams(sigAlgNode);
  const signature = si.child(5).expect(Tag.OCTET_STRING, 'signature').value;
  let unsignedAttributes: Attribute[] = [];
  if (si.children.length > 6) {
    unsignedAttributes = attrs(si.child(6).expect(0xa1, 'unsigned attributes'));
    if (si.children.length > 7) throw new A.Asn1Error('unexpected elements in SignerInfo');
  }
  return {
    root,
    signedDataNode: sd,
    version,
    digestAlgorithms,
    contentType,
    content,
    certificates,
    signerInfoNode: si,
    signerVersion,
    hash,
    issuerRaw: ias.child(0).expect(Tag.SEQUENCE, 'issuer').raw,
    serialValue: ias.child(1).expect(Tag.INTEGER, 'serial').value,
    signedAttrsRaw: sa.raw,
    signedAttributes: attrs(sa),
    signatureAlgorithm: sigAlgNode.child(0).oid,
    signature,
    unsignedAttributes,
  };
}

/** AlgorithmIdentifier: an OID and at most NULL (or absent) parameters. */
function checkAlgorithmParams(alg: Node): void {
  if (alg.children.length > 2) throw new A.Asn1Error('unexpected algorithm parameters');
  const p = alg.children[1];
  if (p && !(p.tag === Tag.NULL && p.value.length === 0)) throw new A.Asn1Error('unexpected algorithm parameters');
}

const SIG_ALGS: Record<string, 'rsa' | 'ec'> = {
  [OID.rsaEncryption]: 'rsa',
  [OID.sha1WithRSA]: 'rsa',
  [OID.sha256WithRSA]: 'rsa',
  [OID.sha384WithRSA]: 'rsa',
  [OID.sha512WithRSA]: 'rsa',
  [OID.ecPublicKey]: 'ec',
  [OID.ecdsaWithSHA256]: 'ec',
  [OID.ecdsaWithSHA384]: 'ec',
  [OID.ecdsaWithSHA512]: 'ec',
};

export interface SignerCheck {
  /** The signer certificate (found among the embedded certificates). */
  certificate?: Certificate;
  /** The content digest matches the messageDigest attribute. */
  digestOk: boolean;
  /** The signature over the signed attributes verifies with the signer certificate's key. */
  signatureOk: boolean;
  reason?: string;
}

/**
 * Check the signer: the signer certificate, the signed attributes (content type, message digest of `digested`)
 * and the signature. `digested` defaults to the content's value octets (the PKCS#7 rule).
 */
export function checkSigner(p7: ParsedSignedData, digested: Buffer = p7.content.value): SignerCheck {
  const fail = (reason: string, extra: Partial<SignerCheck> = {}): SignerCheck => ({
    digestOk: false,
    signatureOk: false,
    reason,
    ...extra,
  });
  if (p7.digestAlgorithms.length !== 1 || p7.digestAlgorithms[0] !== HASH_OID[p7.hash]) {
    return fail('digestAlgorithms does not match the signer digest algorithm');
  }
  const certificate = p7.certificates.find((c) => c.issuerRaw.equals(p7.issuerRaw) && c.serialValue.equals(p7.serialValue));
  if (!certificate) return fail('the signer certificate is not in the signature');
  const ct = p7.signedAttributes.filter((a) => a.oid === OID.contentType);
  const md = p7.signedAttributes.filter((a) => a.oid === OID.messageDigest);
  if (ct.length !== 1 || ct[0].values.length !== 1 || A.parse(ct[0].values[0]).oid !== p7.contentType) {
    return fail('the content-type attribute is missing or wrong', { certificate });
  }
  if (md.length !== 1 || md[0].values.length !== 1) return fail('the message-digest attribute is missing', { certificate });
  const expected = A.parse(md[0].values[0]).expect(Tag.OCTET_STRING, 'messageDigest').value;
  const actual = crypto.createHash(p7.hash).update(digested).digest();
  const digestOk = expected.equals(actual);
  const keyType = SIG_ALGS[p7.signatureAlgorithm];
  if (!keyType || keyType !== certificate.publicKey.asymmetricKeyType) {
    return fail(`signature algorithm ${p7.signatureAlgorithm} does not fit the signer key`, { certificate, digestOk });
  }
  const signedBytes = Buffer.concat([Buffer.from([Tag.SET]), p7.signedAttrsRaw.subarray(1)]);
  let signatureOk = false;
  try {
    signatureOk = crypto.verify(p7.hash, signedBytes, certificate.publicKey, p7.signature);
  } catch {
    signatureOk = false;
  }
  return {
    certificate,
    digestOk,
    signatureOk,
    reason: !digestOk ? 'the content digest does not match the signed digest' : !signatureOk ? 'the signature does not verify' : undefined,
  };
}
