/**
 * Version 2 (SHA-256) file catalogs, the kind New-FileCatalog writes: a PKCS#7 SignedData whose content is a
 * certificate trust list (szOID_CTL) with one member per file. A member's tag is its digest; its attributes
 * are the relative path (CAT_NAMEVALUE "File") and an SpcIndirectDataContent with the file's SHA-256.
 */
import * as crypto from 'node:crypto';
import * as A from './asn1';
import { Tag } from './asn1';
import { OID } from './oids';
import { attribute, buildSignedData, parseSignedData, type IncludeChain } from './pkcs7';
import { authenticodeAttributes, spcIndirectDataContent, verifySignedData, type VerifyOptions, type VerifyResult } from './authenticode';
import type { Signer } from './keys';

/** Flat-file indirect data type used for files without a SIP. */
const SPC_CAB_DATA = '1.3.6.1.4.1.311.2.1.25';
const CATALOG_LIST_MEMBER_V2 = '1.3.6.1.4.1.311.12.1.3';

export interface CatalogEntry {
  /** Path relative to the catalog's folder, with backslashes as Windows writes them. */
  path: string;
  bytes: Buffer;
}

export interface CatalogMember {
  path: string;
  digest: Buffer;
  kind: 'sip' | 'flat';
}

/**
 * The digest a catalog records for a file: SHA-256 of its bytes. Catalog hashing treats scripts as flat
 * files (Windows' catalog subject lookup knows only PE, CAB and flat files), so a script is listed with
 * its signature block included: build the catalog after signing the scripts.
 */
export function memberDigest(name: string, bytes: Buffer): CatalogMember {
  return { path: name, kind: 'flat', digest: crypto.createHash('sha256').update(bytes).digest() };
}

function nameValue(name: string, value: string): Buffer {
  return A.seq(A.bmpString(name), A.integer(0x10010001), A.octets(Buffer.from(value + '\0', 'utf16le')));
}

function member(m: CatalogMember): Buffer {
  // SpcAttributeTypeAndOptionalValue { SPC_CAB_DATA_OBJID, SpcLink file: empty unicode SpcString }
  const indirect = spcIndirectDataContent(m.digest, 'sha256', A.seq(A.oid(SPC_CAB_DATA), Buffer.from([0xa2, 0x02, 0x80, 0x00])));
  return A.seq(
    A.octets(m.digest),
    A.setOf(
      attribute(OID.catalogNameValue, nameValue('File', m.path)),
      attribute(OID.spcIndirectData, indirect),
      attribute(OID.catalogMemberInfo2, A.seq()),
    ),
  );
}

/** The unsigned CTL (DER) for the given files. `thisUpdate` is fixed by the caller for reproducible output. */
export function buildCtl(entries: CatalogEntry[], thisUpdate: Date): Buffer {
  const members = entries.map((e) => memberDigest(e.path, e.bytes)).sort((a, b) => a.digest.compare(b.digest));
  const listId = crypto.createHash('sha256');
  for (const m of members) listId.update(m.path).update(m.digest);
  return A.seq(
    A.seq(A.oid(OID.catalogList)),
    A.octets(listId.digest().subarray(0, 16)),
    A.utcTime(thisUpdate),
    A.algorithm(CATALOG_LIST_MEMBER_V2),
    A.seq(...members.map(member)),
  );
}

/** A signed catalog file's bytes (DER). */
export function buildCatalog(entries: CatalogEntry[], signer: Signer, thisUpdate = new Date(), includeChain?: IncludeChain): Buffer {
  return buildSignedData({
    contentType: OID.ctl,
    content: buildCtl(entries, thisUpdate),
    hash: 'sha256',
    signer,
    signedAttributes: authenticodeAttributes(),
    includeChain,
  }).der;
}

/** Read the members a catalog lists. */
export function readCatalogMembers(der: Buffer): CatalogMember[] {
  const p7 = parseSignedData(der);
  if (p7.contentType !== OID.ctl) throw new A.Asn1Error('not a catalog (content is not a CTL)');
  const ctl = p7.content.expect(Tag.SEQUENCE, 'CTL');
  const subjects = ctl.children.find((c, i) => i > 0 && c.tag === Tag.SEQUENCE && c.children.every((s) => s.tag === Tag.SEQUENCE && s.child(0).tag === Tag.OCTET_STRING));
  const out: CatalogMember[] = [];
  for (const s of subjects?.children ?? []) {
    let path = '';
    let digest = s.child(0).value;
    let kind: 'sip' | 'flat' = 'flat';
    for (const attr of s.child(1).children) {
      const type = attr.child(0).oid;
      const value = attr.child(1).child(0);
      if (type === OID.catalogNameValue && value.child(0).value.equals(A.bmpString('File').subarray(2))) {
        path = value.child(2).value.toString('utf16le').replace(/\0+$/, '');
      } else if (type === OID.spcIndirectData) {
        digest = value.child(1).child(1).value;
        kind = value.child(0).child(0).oid === OID.spcSipInfo ? 'sip' : 'flat';
      }
    }
    out.push({ path, digest: Buffer.from(digest), kind });
  }
  return out;
}

export interface CatalogVerifyResult extends VerifyResult {
  /** Files whose digest differs from the catalog's, or that the catalog lacks / that are missing. */
  mismatches: string[];
}

/** Verify a catalog's signature and, when entries are given, that it lists exactly those files' digests. */
export function verifyCatalog(der: Buffer, options: VerifyOptions = {}, entries?: CatalogEntry[]): CatalogVerifyResult {
  let p7;
  try {
    p7 = parseSignedData(der);
    if (p7.contentType !== OID.ctl) throw new A.Asn1Error('content is not a CTL');
  } catch (e) {
    return { status: 'UnknownError', reason: `malformed catalog: ${(e as Error).message}`, mismatches: [] };
  }
  let result: VerifyResult;
  try {
    result = verifySignedData(p7, true, options);
  } catch (e) {
    return { status: 'UnknownError', reason: `cannot verify the signature: ${(e as Error).message}`, mismatches: [] };
  }
  const mismatches: string[] = [];
  if (entries) {
    const listed = new Map(readCatalogMembers(der).map((m) => [m.path.toLowerCase(), m]));
    for (const e of entries) {
      const m = listed.get(e.path.toLowerCase());
      if (!m) mismatches.push(`${e.path}: not in the catalog`);
      else if (!m.digest.equals(memberDigest(e.path, e.bytes).digest)) mismatches.push(`${e.path}: hash differs`);
      listed.delete(e.path.toLowerCase());
    }
    for (const m of listed.values()) mismatches.push(`${m.path}: listed but missing`);
  }
  if (result.status === 'Valid' && mismatches.length) {
    return { ...result, status: 'HashMismatch', reason: mismatches.join('; '), mismatches };
  }
  return { ...result, mismatches };
}
