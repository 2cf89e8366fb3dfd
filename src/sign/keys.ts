/**
 * The signing identity: a private key, its code-signing certificate and the rest of the chain, loaded from a
 * PFX or from PEM files, and checked before anything is signed (key matches certificate, Code Signing EKU,
 * validity now).
 */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import { Certificate } from './x509';
import { OID } from './oids';
import { readPkcs12 } from './pkcs12';

export class SigningError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SigningError';
  }
}

export interface Signer {
  key: crypto.KeyObject;
  certificate: Certificate;
  /** Other certificates to embed (intermediates, optionally the root), signer excluded. */
  chain: Certificate[];
}

function spki(k: crypto.KeyObject): Buffer {
  return k.export({ type: 'spki', format: 'der' });
}

/** Pick the certificate whose public key matches `key` and check it can sign code at `now`. */
export function makeSigner(key: crypto.KeyObject, certs: Certificate[], now = new Date()): Signer {
  const pub = spki(crypto.createPublicKey(key));
  const certificate = certs.find((c) => spki(c.publicKey).equals(pub));
  if (!certificate) throw new SigningError('no certificate matches the private key');
  checkCodeSigning(certificate, now);
  const chain = certs.filter((c) => c !== certificate && !c.equals(certificate));
  return { key, certificate, chain };
}

export function checkCodeSigning(cert: Certificate, now = new Date()): void {
  const eku = cert.extKeyUsage;
  if (!eku || !eku.includes(OID.ekuCodeSigning)) {
    throw new SigningError(
      `certificate '${cert.subject}' is not a code-signing certificate (it lacks the Code Signing extended key usage ${OID.ekuCodeSigning})`,
    );
  }
  if (now < cert.notBefore) {
    throw new SigningError(`certificate '${cert.subject}' is not valid yet (valid from ${cert.notBefore.toISOString()})`);
  }
  if (now > cert.notAfter) {
    throw new SigningError(`certificate '${cert.subject}' has expired (valid until ${cert.notAfter.toISOString()})`);
  }
}

/** Load a signer from a PFX/PKCS#12 file. */
export function loadPfx(file: string, password: string, now = new Date()): Signer {
  const contents = readPkcs12(fs.readFileSync(file), password);
  if (contents.keys.length === 0) throw new SigningError(`${file} holds no private key`);
  const certs = contents.certificates.map((d) => new Certificate(d));
  const key = crypto.createPrivateKey({ key: contents.keys[0], format: 'der', type: 'pkcs8' });
  return makeSigner(key, certs, now);
}

/** Load a signer from a PEM private key and a PEM file holding the certificate (and optionally its chain). */
export function loadPem(certFile: string, keyFile: string, password?: string, now = new Date()): Signer {
  const certs = Certificate.fromPem(fs.readFileSync(certFile, 'utf8'));
  if (certs.length === 0) throw new SigningError(`${certFile} holds no PEM certificate`);
  let key: crypto.KeyObject;
  try {
    key = crypto.createPrivateKey({ key: fs.readFileSync(keyFile, 'utf8'), passphrase: password });
  } catch (e) {
    throw new SigningError(`cannot read the private key in ${keyFile}: ${(e as Error).message}`);
  }
  return makeSigner(key, certs, now);
}

/** Load every PEM certificate in a file (a CA bundle). */
export function loadCertificates(file: string): Certificate[] {
  const text = fs.readFileSync(file, 'utf8');
  const certs = Certificate.fromPem(text);
  if (certs.length === 0) throw new SigningError(`${file} holds no PEM certificate`);
  return certs;
}
