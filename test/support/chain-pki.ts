/**
 * Certificate chains for the chain-policy tests, made with the openssl command line (ECDSA P-256 keys, so the
 * whole set takes about a second): a root CA, a proper intermediate CA, certificates that must never act as
 * issuers (an end-entity certificate with basicConstraints cA FALSE, one without basicConstraints), an expired
 * intermediate, a root that has expired, signers with no Code Signing usage, a leaf that is not valid yet, a short-lived leaf, and a TSA.
 */
import { execFileSync } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Certificate, type Signer } from '../../src/sign';
import { writeCaConfig } from './pki';

export interface ChainPki {
  dir: string;
  rootPem: string;
  tsaPem: string;
  tsaKey: string;
  /** A code-signing leaf under a CA intermediate: the control that must verify. */
  good: Signer;
  /** Leaf with extendedKeyUsage serverAuth only. */
  serverAuthOnly: Signer;
  /** Leaf without any extendedKeyUsage extension. */
  noEkuExtension: Signer;
  /** Leaf issued by an end-entity certificate (basicConstraints critical, cA FALSE). */
  viaEndEntity: Signer;
  /** Leaf issued by a certificate that has no basicConstraints extension. */
  viaNoBasicConstraints: Signer;
  /** Leaf (valid now) issued by an intermediate CA that expired in 2021. */
  viaExpiredIntermediate: Signer;
  /** A self-signed root CA that expired in 2021, as a PEM file to trust. */
  expiredRootPem: string;
  /** Leaf (valid now) issued by that expired root. */
  viaExpiredRoot: Signer;
  /** Leaf valid from tomorrow for 30 days. */
  notYetValid: Signer;
  /** Leaf valid from an hour ago until tomorrow. */
  shortLived: Signer;
}

/** Sections beside pki.ts' LEAF_EXTENSIONS: a CA, a leaf without EKU, and two certificates that must not issue. */
const EXTENSIONS = `[subca]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[noeku]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
[endentity_issuer]
basicConstraints = critical,CA:FALSE
extendedKeyUsage = codeSigning
[nobc_issuer]
extendedKeyUsage = codeSigning
`;

/** openssl ca's date form, YYYYMMDDHHMMSSZ. */
const stamp = (d: Date) => d.toISOString().replace(/[-:T]/g, '').replace(/\.\d+Z$/, 'Z');

export function makeChainPki(dir: string): ChainPki {
  writeCaConfig(dir, '2000', EXTENSIONS);
  const run = (args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];
  run(['req', '-x509', ...ec, '-keyout', 'root.key', '-out', 'root.pem', '-days', '3650', '-subj', '/CN=Chain Test Root CA',
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign', '-addext', 'subjectKeyIdentifier=hash']);
  const now = Date.now();
  const hour = 3600_000;
  const day = 24 * hour;
  const issue = (name: string, issuer: string, ext: string, from: Date, to: Date) => {
    run(['req', '-new', ...ec, '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=Chain Test ${name}`]);
    run(['ca', '-batch', '-config', 'ca.cnf', '-cert', `${issuer}.pem`, '-keyfile', `${issuer}.key`, '-extensions', ext, '-in', `${name}.csr`,
      '-out', `${name}.pem`, '-notext', '-startdate', stamp(from), '-enddate', stamp(to)]);
  };
  const usual: [Date, Date] = [new Date(now - day), new Date(now + 365 * day)];
  issue('intermediate', 'root', 'subca', ...usual);
  issue('good', 'intermediate', 'codesign', ...usual);
  issue('serverauth', 'root', 'serverauth', ...usual);
  issue('noeku', 'root', 'noeku', ...usual);
  issue('endentity', 'root', 'endentity_issuer', ...usual);
  issue('via-endentity', 'endentity', 'codesign', ...usual);
  issue('nobc', 'root', 'nobc_issuer', ...usual);
  issue('via-nobc', 'nobc', 'codesign', ...usual);
  issue('expired-intermediate', 'root', 'subca', new Date('2020-01-01T00:00:00Z'), new Date('2021-01-01T00:00:00Z'));
  issue('via-expired', 'expired-intermediate', 'codesign', ...usual);
  // A root of its own that expired in 2021: openssl ca -selfsign takes the validity dates that req -x509 does not.
  run(['req', '-new', ...ec, '-keyout', 'expired-root.key', '-out', 'expired-root.csr', '-subj', '/CN=Chain Test expired-root']);
  run(['ca', '-batch', '-config', 'ca.cnf', '-selfsign', '-keyfile', 'expired-root.key', '-extensions', 'subca', '-in', 'expired-root.csr',
    '-out', 'expired-root.pem', '-notext', '-startdate', '20200101000000Z', '-enddate', '20210101000000Z']);
  issue('via-expired-root', 'expired-root', 'codesign', ...usual);
  issue('future', 'root', 'codesign', new Date(now + day), new Date(now + 30 * day));
  issue('shortlived', 'root', 'codesign', new Date(now - hour), new Date(now + day));
  issue('tsa', 'root', 'tsa', ...usual);
  const cert = (name: string) => Certificate.fromPem(fs.readFileSync(path.join(dir, `${name}.pem`), 'utf8'))[0];
  // Signers are assembled directly, without the signing-side checks, so the verifier alone has to refuse them.
  const signer = (name: string, ...chain: string[]): Signer => ({
    key: crypto.createPrivateKey(fs.readFileSync(path.join(dir, `${name}.key`), 'utf8')),
    certificate: cert(name),
    chain: chain.map(cert),
  });
  return {
    dir,
    rootPem: path.join(dir, 'root.pem'),
    tsaPem: path.join(dir, 'tsa.pem'),
    tsaKey: path.join(dir, 'tsa.key'),
    good: signer('good', 'intermediate'),
    serverAuthOnly: signer('serverauth'),
    noEkuExtension: signer('noeku'),
    viaEndEntity: signer('via-endentity', 'endentity'),
    viaNoBasicConstraints: signer('via-nobc', 'nobc'),
    viaExpiredIntermediate: signer('via-expired', 'expired-intermediate'),
    expiredRootPem: path.join(dir, 'expired-root.pem'),
    viaExpiredRoot: signer('via-expired-root'),
    notYetValid: signer('future'),
    shortLived: signer('shortlived'),
  };
}
