/**
 * A throw-away PKI for the signing tests, made with the openssl command line in a temporary folder: a root
 * CA, a code-signing certificate, an expired one, one without the Code Signing usage, an ECDSA one, a TSA
 * certificate, and PFX files (OpenSSL 3 default AES/PBES2, and legacy 3DES).
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export interface Pki {
  dir: string;
  caPem: string;
  caKey: string;
  leafPem: string;
  leafKey: string;
  /** Leaf certificate followed by the CA certificate. */
  leafChainPem: string;
  pfxAes: string;
  pfxLegacy: string;
  /** RC2-40 certificates and 3DES key, as `openssl pkcs12 -legacy` and older Windows exports write. */
  pfxRc2: string;
  pfxPassword: string;
  expiredPem: string;
  expiredKey: string;
  noEkuPem: string;
  noEkuKey: string;
  ecPem: string;
  ecKey: string;
  tsaPem: string;
  tsaKey: string;
}

const run = (args: string[], cwd: string) => execFileSync('openssl', args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });

/** Extension sections of the issued certificates: code signing, server authentication only, time stamping. */
export const LEAF_EXTENSIONS = `[codesign]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = codeSigning
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[serverauth]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature,keyEncipherment
extendedKeyUsage = serverAuth
[tsa]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = critical,timeStamping
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
`;

/** An `openssl ca` database and ca.cnf in `dir` (serials from `serial`), with LEAF_EXTENSIONS and `extra` sections. */
export function writeCaConfig(dir: string, serial: string, extra = ''): void {
  fs.mkdirSync(path.join(dir, 'newcerts'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'index.txt'), '');
  fs.writeFileSync(path.join(dir, 'serial'), `${serial}\n`);
  fs.writeFileSync(
    path.join(dir, 'ca.cnf'),
    `[ca]
default_ca = test_ca
[test_ca]
dir = ${dir}
database = $dir/index.txt
new_certs_dir = $dir/newcerts
serial = $dir/serial
default_md = sha256
policy = any
unique_subject = no
copy_extensions = none
email_in_dn = no
[any]
commonName = supplied
${LEAF_EXTENSIONS}${extra}`,
  );
}

export function makePki(dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vmm-sign-pki-'))): Pki {
  writeCaConfig(dir, '1000');
  run(
    ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '3650', '-subj', '/CN=VmmBackup Test Root CA',
      '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign', '-addext', 'subjectKeyIdentifier=hash'],
    dir,
  );
  const issue = (name: string, ext: string, keyAlg: string[], dates: string[]) => {
    run(['req', '-new', '-newkey', ...keyAlg, '-nodes', '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=VmmBackup Test ${name}`], dir);
    run(['ca', '-batch', '-config', 'ca.cnf', '-cert', 'ca.pem', '-keyfile', 'ca.key', '-extensions', ext, '-in', `${name}.csr`, '-out', `${name}.pem`, '-notext', ...dates], dir);
  };
  issue('leaf', 'codesign', ['rsa:2048'], ['-days', '365']);
  issue('expired', 'codesign', ['rsa:2048'], ['-startdate', '20200101000000Z', '-enddate', '20210101000000Z']);
  issue('noeku', 'serverauth', ['rsa:2048'], ['-days', '365']);
  issue('ec', 'codesign', ['ec', '-pkeyopt', 'ec_paramgen_curve:P-256'], ['-days', '365']);
  issue('tsa', 'tsa', ['rsa:2048'], ['-days', '365']);
  fs.writeFileSync(path.join(dir, 'leaf-chain.pem'), fs.readFileSync(path.join(dir, 'leaf.pem'), 'utf8') + fs.readFileSync(path.join(dir, 'ca.pem'), 'utf8'));
  const pfxPassword = 'correct horse';
  run(['pkcs12', '-export', '-inkey', 'leaf.key', '-in', 'leaf.pem', '-certfile', 'ca.pem', '-out', 'leaf-aes.pfx', '-passout', `pass:${pfxPassword}`], dir);
  run(
    ['pkcs12', '-export', '-inkey', 'leaf.key', '-in', 'leaf.pem', '-certfile', 'ca.pem', '-out', 'leaf-legacy.pfx', '-passout', `pass:${pfxPassword}`,
      '-keypbe', 'PBE-SHA1-3DES', '-certpbe', 'PBE-SHA1-3DES', '-macalg', 'sha1'],
    dir,
  );
  run(['pkcs12', '-export', '-legacy', '-inkey', 'leaf.key', '-in', 'leaf.pem', '-certfile', 'ca.pem', '-out', 'leaf-rc2.pfx', '-passout', `pass:${pfxPassword}`], dir);
  const p = (f: string) => path.join(dir, f);
  return {
    dir,
    caPem: p('ca.pem'),
    caKey: p('ca.key'),
    leafPem: p('leaf.pem'),
    leafKey: p('leaf.key'),
    leafChainPem: p('leaf-chain.pem'),
    pfxAes: p('leaf-aes.pfx'),
    pfxLegacy: p('leaf-legacy.pfx'),
    pfxRc2: p('leaf-rc2.pfx'),
    pfxPassword,
    expiredPem: p('expired.pem'),
    expiredKey: p('expired.key'),
    noEkuPem: p('noeku.pem'),
    noEkuKey: p('noeku.key'),
    ecPem: p('ec.pem'),
    ecKey: p('ec.key'),
    tsaPem: p('tsa.pem'),
    tsaKey: p('tsa.key'),
  };
}
