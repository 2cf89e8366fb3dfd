/**
 * X.509 certificates as the signer needs them: the exact issuer and serial bytes (for IssuerAndSerialNumber),
 * validity, extended key usage, and chain building to a set of trusted roots. Signature checks use node:crypto.
 */
import { X509Certificate, type KeyObject } from 'node:crypto';
import { parse, decodeTime, Tag, type Node } from './asn1';

export class Certificate {
  readonly der: Buffer;
  readonly x509: X509Certificate;
  /** DER of the issuer Name, byte for byte as in the certificate. */
  readonly issuerRaw: Buffer;
  /** Value bytes of the serialNumber INTEGER. */
  readonly serialValue: Buffer;
  readonly notBefore: Date;
  readonly notAfter: Date;

  constructor(der: Buffer) {
    this.der = Buffer.from(der);
    const root = parse(this.der).expect(Tag.SEQUENCE, 'certificate');
    const tbs = root.child(0, 'tbsCertificate').expect(Tag.SEQUENCE, 'tbsCertificate');
    let i = 0;
    if (tbs.child(0).tag === 0xa0) i = 1;
    this.serialValue = Buffer.from(tbs.child(i, 'serialNumber').expect(Tag.INTEGER, 'serialNumber').value);
    this.issuerRaw = Buffer.from(tbs.child(i + 2, 'issuer').expect(Tag.SEQUENCE, 'issuer').raw);
    const validity: Node = tbs.child(i + 3, 'validity');
    this.notBefore = decodeTime(validity.child(0, 'notBefore'));
    this.notAfter = decodeTime(validity.child(1, 'notAfter'));
    this.x509 = new X509Certificate(this.der);
  }

  static fromPem(pem: string): Certificate[] {
    const out: Certificate[] = [];
    const re = /-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/g;
    for (let m = re.exec(pem); m; m = re.exec(pem)) out.push(new Certificate(Buffer.from(m[1], 'base64')));
    return out;
  }

  get subject(): string {
    return this.x509.subject.replace(/\n/g, ', ');
  }
  get publicKey(): KeyObject {
    return this.x509.publicKey;
  }
  /** Extended key usages, or undefined when the certificate has no EKU extension. */
  get extKeyUsage(): string[] | undefined {
    return this.x509.keyUsage;
  }
  get isCa(): boolean {
    return this.x509.ca;
  }
  get isSelfIssued(): boolean {
    return this.x509.checkIssued(this.x509);
  }
  /** Whether `issuer` issued this certificate and its signature checks out. */
  issuedBy(issuer: Certificate): boolean {
    return this.x509.checkIssued(issuer.x509) && this.x509.verify(issuer.publicKey);
  }
  validAt(t: Date): boolean {
    return validityProblem(this, t) === undefined;
  }
  equals(other: Certificate): boolean {
    return this.der.equals(other.der);
  }
  toPem(): string {
    const b64 = this.der.toString('base64').replace(/.{64}/g, '$&\n').replace(/\n$/, '');
    return `-----BEGIN CERTIFICATE-----\n${b64}\n-----END CERTIFICATE-----\n`;
  }
}

/**
 * Why a chain was refused, named after the Windows chain errors: `UntrustedRoot` (CERT_E_UNTRUSTEDROOT,
 * CERT_E_CHAINING), `NotCa` (TRUST_E_BASIC_CONSTRAINTS: a certificate that is not a CA issued the next one),
 * `Expired` and `NotYetValid` (CERT_E_EXPIRED, split by which end of the validity period was crossed),
 * `ChainTooLong`.
 */
export type ChainProblem = 'UntrustedRoot' | 'NotCa' | 'Expired' | 'NotYetValid' | 'ChainTooLong';

export interface ChainResult {
  ok: boolean;
  chain: Certificate[];
  reason?: string;
  problem?: ChainProblem;
}

/** Whether `cert` is within its validity period at `at`; if not, which end was crossed and a reason. */
export function validityProblem(cert: Certificate, at: Date, what = 'certificate'): { problem: 'Expired' | 'NotYetValid'; reason: string } | undefined {
  if (at.getTime() < cert.notBefore.getTime()) {
    return { problem: 'NotYetValid', reason: `${what} '${cert.subject}' is not valid at ${at.toISOString()} (not valid before ${cert.notBefore.toISOString()})` };
  }
  if (at.getTime() > cert.notAfter.getTime()) {
    return { problem: 'Expired', reason: `${what} '${cert.subject}' is not valid at ${at.toISOString()} (expired ${cert.notAfter.toISOString()})` };
  }
  return undefined;
}

/**
 * Build a path from `leaf` through `intermediates` to one of `roots`, checking each signature, that every
 * certificate is valid at `at`, and that every intermediate is a CA (basicConstraints cA TRUE; an end-entity
 * certificate or one without basicConstraints never issues). A leaf that is itself one of the roots is accepted.
 */
export function buildChain(leaf: Certificate, intermediates: Certificate[], roots: Certificate[], at: Date): ChainResult {
  const chain: Certificate[] = [leaf];
  let current = leaf;
  for (let depth = 0; depth < 10; depth++) {
    const invalid = validityProblem(current, at);
    if (invalid) return { ok: false, chain, ...invalid };
    if (roots.some((r) => r.equals(current))) return { ok: true, chain };
    const root = roots.find((r) => current.issuedBy(r));
    if (root) {
      const rootInvalid = validityProblem(root, at, 'root');
      if (rootInvalid) return { ok: false, chain, ...rootInvalid };
      if (depth > 0 || root !== leaf) chain.push(root);
      return { ok: true, chain };
    }
    const issuers = intermediates.filter((c) => !c.equals(current) && current.issuedBy(c));
    const next = issuers.find((c) => c.isCa);
    if (!next) {
      if (issuers.length) {
        return {
          ok: false,
          chain: [...chain, issuers[0]],
          problem: 'NotCa',
          reason: `certificate '${issuers[0].subject}' issued '${current.subject}' but is not a CA (its basicConstraints do not allow it to issue certificates)`,
        };
      }
      return {
        ok: false,
        chain,
        problem: 'UntrustedRoot',
        reason: `no trusted root for '${current.subject}' (issuer '${current.x509.issuer.replace(/\n/g, ', ')}')`,
      };
    }
    chain.push(next);
    current = next;
  }
  return { ok: false, chain, problem: 'ChainTooLong', reason: 'certificate chain too long' };
}
