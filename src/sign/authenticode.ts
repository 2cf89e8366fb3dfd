/**
 * Authenticode for script files: SpcIndirectDataContent with the PowerShell SpcSipInfo, signing, time
 * stamping, removal, and verification with Windows-style statuses.
 */
import * as crypto from 'node:crypto';
import * as A from './asn1';
import { Tag } from './asn1';
import { OID, HASH_OID, hashFromOid, type HashName } from './oids';
import { attribute, buildSignedData, checkSigner, parseSignedData, withUnsignedAttributes, type IncludeChain, type ParsedSignedData } from './pkcs7';
import { encodeBlock, normaliseScript, sipHashInput, splitScript, ScriptError, type CommentStyle } from './script';
import { buildChain, validityProblem, type Certificate, type ChainProblem } from './x509';
import { requestTimestamp, verifyTimestamp } from './timestamp';
import type { Signer } from './keys';

/** The PowerShell SIP's GUID {603BCC1F-4B59-4E08-B724-D2C6297EF351}, in its little-endian byte form. */
export const POWERSHELL_SIP_GUID = Buffer.from('1fcc3b60594b084eb724d2c6297ef351', 'hex');

export function spcSipInfo(): Buffer {
  return A.seq(A.integer(65536), A.octets(POWERSHELL_SIP_GUID), ...[0, 0, 0, 0, 0].map((n) => A.integer(n)));
}

export function spcIndirectDataContent(digest: Buffer, hash: HashName, data: Buffer = A.seq(A.oid(OID.spcSipInfo), spcSipInfo())): Buffer {
  return A.seq(data, A.seq(A.algorithm(HASH_OID[hash]), A.octets(digest)));
}

/** Signed attributes Authenticode adds besides content type and message digest. */
export function authenticodeAttributes(): Buffer[] {
  return [
    attribute(OID.spcSpOpusInfo, A.seq()),
    attribute(OID.spcStatementType, A.seq(A.oid(OID.spcIndividualCodeSigning))),
  ];
}

export interface SignOptions {
  hash?: HashName;
  /** RFC 3161 time-stamp server URL. */
  timestampUrl?: string;
  /** Certificates to embed: 'signer', 'notroot' (default, as Windows), or 'all'. */
  includeChain?: IncludeChain;
}

export interface SignedScript {
  bytes: Buffer;
  /** Normalisations applied before signing. */
  changes: string[];
}

/** Sign a script's bytes (an existing signature is replaced). The content is normalised first. */
export async function signScript(bytes: Buffer, style: CommentStyle, signer: Signer, options: SignOptions = {}, name = 'file'): Promise<SignedScript> {
  const hash = options.hash ?? 'sha256';
  const { content } = splitScript(bytes, style);
  const { bytes: normal, changes } = normaliseScript(content, name);
  const parts = splitScript(normal, style);
  if (parts.block) throw new ScriptError(`${name}: the content holds a signature header line of its own`);
  const digest = crypto.createHash(hash).update(sipHashInput(normal, parts.encoding)).digest();
  const { der, signature } = buildSignedData({
    contentType: OID.spcIndirectData,
    content: spcIndirectDataContent(digest, hash),
    hash,
    signer,
    signedAttributes: authenticodeAttributes(),
    includeChain: options.includeChain,
  });
  let p7der = der;
  if (options.timestampUrl) {
    const token = await requestTimestamp(options.timestampUrl, signature, hash);
    p7der = withUnsignedAttributes(parseSignedData(der), [attribute(OID.rfc3161CounterSignature, token)]);
  }
  return { bytes: Buffer.concat([normal, encodeBlock(p7der, style, parts.encoding)]), changes };
}

/** The file without its signature block: the exact bytes that were signed. */
export function removeSignature(bytes: Buffer, style: CommentStyle): Buffer {
  return Buffer.from(splitScript(bytes, style).content);
}

export type SignatureStatus = 'Valid' | 'HashMismatch' | 'NotSigned' | 'NotTrusted' | 'UnknownError';

/**
 * Which certificate check refused a signature: a chain problem (see `ChainProblem`), or `WrongUsage`
 * (CERT_E_WRONG_USAGE: the signer certificate lacks the Code Signing extended key usage).
 */
export type CertificateProblem = ChainProblem | 'WrongUsage';

export interface VerifyResult {
  status: SignatureStatus;
  reason?: string;
  /** Set when a certificate check refused the signature: which one. */
  problem?: CertificateProblem;
  signer?: string;
  hash?: HashName;
  timestamp?: Date;
  timestampSigner?: string;
}

export interface VerifyOptions {
  /** Trusted roots; without them the chain is not checked (status reports the signature only). */
  roots?: Certificate[];
  /** Trusted roots for time-stamp certificates (default: `roots`). */
  tsaRoots?: Certificate[];
  /** Time at which to check validity when the signature has no time stamp (default: now). */
  now?: Date;
}

/** Read the SpcIndirectDataContent: the PowerShell SIP info and the digest it carries. */
export function readIndirectData(p7: ParsedSignedData): { hash: HashName; digest: Buffer } {
  if (p7.contentType !== OID.spcIndirectData) throw new ScriptError('the signature is not Authenticode (SpcIndirectData)');
  const idc = p7.content.expect(Tag.SEQUENCE, 'SpcIndirectDataContent');
  if (idc.children.length !== 2) throw new ScriptError('malformed SpcIndirectDataContent');
  const data = idc.child(0);
  if (data.child(0).oid !== OID.spcSipInfo || !data.child(1).raw.equals(spcSipInfo()) || data.children.length !== 2) {
    throw new ScriptError('the signature is not for the PowerShell SIP');
  }
  const di = idc.child(1);
  const hash = hashFromOid(di.child(0).child(0).oid);
  if (!hash) throw new ScriptError('unsupported digest in SpcIndirectDataContent');
  return { hash, digest: di.child(1).expect(Tag.OCTET_STRING, 'digest').value };
}

/**
 * Verify a signed PKCS#7 (Authenticode or catalog) whose content digest has already been compared:
 * signer, signature, optional time stamp, and chain. Shared by scripts and catalogs.
 */
export function verifySignedData(p7: ParsedSignedData, contentDigestOk: boolean, options: VerifyOptions): VerifyResult {
  if (p7.version !== 1n || p7.signerVersion !== 1n) return { status: 'UnknownError', reason: 'unsupported SignedData version' };
  const check = checkSigner(p7);
  const signer = check.certificate?.subject;
  if (!check.certificate) return { status: 'UnknownError', reason: check.reason, hash: p7.hash };
  if (!contentDigestOk) return { status: 'HashMismatch', reason: 'the file content does not match the signed hash', signer, hash: p7.hash };
  if (!check.digestOk || !check.signatureOk) return { status: 'HashMismatch', reason: check.reason, signer, hash: p7.hash };
  const result: VerifyResult = { status: 'Valid', signer, hash: p7.hash };
  let at = options.now ?? new Date();
  for (const attr of p7.unsignedAttributes) {
    if (attr.oid !== OID.rfc3161CounterSignature) continue;
    if (attr.values.length !== 1) return { ...result, status: 'UnknownError', reason: 'malformed time-stamp attribute' };
    const ts = verifyTimestamp(attr.values[0], p7.signature, options.tsaRoots ?? options.roots);
    if (!ts.ok) return { ...result, status: 'UnknownError', reason: ts.reason };
    result.timestamp = ts.genTime;
    result.timestampSigner = ts.signer?.subject;
    at = ts.genTime!;
  }
  const eku = check.certificate.extKeyUsage;
  if (!eku || !eku.includes(OID.ekuCodeSigning)) {
    return { ...result, status: 'UnknownError', problem: 'WrongUsage', reason: 'the signer certificate lacks the Code Signing usage' };
  }
  if (options.roots) {
    const chain = buildChain(check.certificate, p7.certificates, options.roots, at);
    if (!chain.ok) return { ...result, status: 'NotTrusted', problem: chain.problem, reason: chain.reason };
  } else {
    const invalid = validityProblem(check.certificate, at, 'the signer certificate');
    if (invalid) return { ...result, status: 'UnknownError', ...invalid };
  }
  return result;
}

/** Verify a script file's bytes. */
export function verifyScript(bytes: Buffer, style: CommentStyle, options: VerifyOptions = {}): VerifyResult {
  if (bytes.length < 4) return { status: 'UnknownError', reason: 'the file is shorter than 4 bytes' };
  const parts = splitScript(bytes, style);
  if (!parts.block) return { status: 'NotSigned', reason: 'the file has no signature block' };
  if (!parts.signature) return { status: 'UnknownError', reason: `malformed signature block: ${parts.blockError}` };
  let p7: ParsedSignedData;
  let indirect: { hash: HashName; digest: Buffer };
  try {
    p7 = parseSignedData(parts.signature);
    indirect = readIndirectData(p7);
  } catch (e) {
    return { status: 'UnknownError', reason: `malformed signature: ${(e as Error).message}` };
  }
  if (indirect.hash !== p7.hash) return { status: 'UnknownError', reason: 'the content and signer digest algorithms differ' };
  const actual = crypto.createHash(indirect.hash).update(sipHashInput(parts.content, parts.encoding)).digest();
  try {
    return verifySignedData(p7, actual.equals(indirect.digest), options);
  } catch (e) {
    return { status: 'UnknownError', reason: `cannot verify the signature: ${(e as Error).message}` };
  }
}
