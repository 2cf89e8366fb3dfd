/**
 * PKCS#12 (PFX) reading with node:crypto: the MAC check (which is how a wrong password is told apart), PBES2
 * (PBKDF2 + AES-CBC, OpenSSL 3's default) and the legacy PKCS#12 PBE schemes (3DES through node:crypto; RC2,
 * which OpenSSL 3 only has in its legacy provider, through node-forge's RC2). The key comes out as PKCS#8 DER,
 * so RSA and EC keys are handled alike.
 */
import * as crypto from 'node:crypto';
import forge from 'node-forge';
import { berToDer, parse, Tag, type Node } from './asn1';
import { OID, hashFromOid, type HashName } from './oids';

export class Pkcs12Error extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'Pkcs12Error';
  }
}

export interface Pkcs12Contents {
  /** PKCS#8 PrivateKeyInfo DER of every key found. */
  keys: Buffer[];
  /** DER of every X.509 certificate found, in file order. */
  certificates: Buffer[];
}

const BLOCK: Record<HashName, number> = { sha1: 64, sha256: 64, sha384: 128, sha512: 128 };

function bmpPassword(password: string): Buffer {
  if (password === '') return Buffer.alloc(0);
  const b = Buffer.from(password + '\0', 'utf16le');
  b.swap16();
  return b;
}

/** RFC 7292 appendix B key derivation (id 1: key, 2: IV, 3: MAC key). */
export function pkcs12Kdf(password: Buffer, salt: Buffer, id: number, iterations: number, n: number, hash: HashName): Buffer {
  const v = BLOCK[hash];
  const u = crypto.createHash(hash).digest().length;
  const D = Buffer.alloc(v, id);
  const fill = (src: Buffer) => {
    const len = v * Math.ceil(src.length / v);
    const out = Buffer.alloc(len);
    for (let i = 0; i < len; i++) out[i] = src[i % src.length];
    return out;
  };
  const S = salt.length ? fill(salt) : Buffer.alloc(0);
  const P = password.length ? fill(password) : Buffer.alloc(0);
  const I = Buffer.concat([S, P]);
  const chunks: Buffer[] = [];
  for (let produced = 0; produced < n; produced += u) {
    let A = crypto.createHash(hash).update(D).update(I).digest();
    for (let r = 1; r < iterations; r++) A = crypto.createHash(hash).update(A).digest();
    chunks.push(A);
    const B = fill(A);
    for (let j = 0; j < I.length; j += v) {
      let carry = 1;
      for (let k = v - 1; k >= 0; k--) {
        const sum = I[j + k] + B[k] + carry;
        I[j + k] = sum & 0xff;
        carry = sum >> 8;
      }
    }
  }
  return Buffer.concat(chunks).subarray(0, n);
}

const AES: Record<string, string> = {
  [OID.aes128Cbc]: 'aes-128-cbc',
  [OID.aes192Cbc]: 'aes-192-cbc',
  [OID.aes256Cbc]: 'aes-256-cbc',
  [OID.desEde3Cbc]: 'des-ede3-cbc',
};
const PRF: Record<string, HashName> = {
  [OID.hmacWithSHA1]: 'sha1',
  [OID.hmacWithSHA256]: 'sha256',
  [OID.hmacWithSHA384]: 'sha384',
  [OID.hmacWithSHA512]: 'sha512',
};

function decipher(name: string, key: Buffer, iv: Buffer, data: Buffer): Buffer {
  try {
    const d = crypto.createDecipheriv(name, key, iv);
    return Buffer.concat([d.update(data), d.final()]);
  } catch {
    throw new Pkcs12Error('decryption failed (wrong password?)');
  }
}

/** Decrypt data protected by a PBES2 or PKCS#12 PBE AlgorithmIdentifier. */
export function pbeDecrypt(alg: Node, data: Buffer, password: string): Buffer {
  const algOid = alg.child(0).oid;
  if (algOid === OID.pbes2) {
    const params = alg.child(1, 'PBES2 parameters');
    const kdf = params.child(0, 'key derivation');
    if (kdf.child(0).oid !== OID.pbkdf2) throw new Pkcs12Error(`unsupported key derivation ${kdf.child(0).oid}`);
    const kp = kdf.child(1);
    const salt = kp.child(0).expect(Tag.OCTET_STRING, 'PBKDF2 salt').value;
    const iterations = Number(kp.child(1).integer);
    let prf: HashName = 'sha1';
    let keyLength: number | undefined;
    for (const extra of kp.children.slice(2)) {
      if (extra.tag === Tag.INTEGER) keyLength = Number(extra.integer);
      else if (extra.tag === Tag.SEQUENCE) {
        const p = PRF[extra.child(0).oid];
        if (!p) throw new Pkcs12Error(`unsupported PBKDF2 PRF ${extra.child(0).oid}`);
        prf = p;
      }
    }
    const enc = params.child(1, 'encryption scheme');
    const cipher = AES[enc.child(0).oid];
    if (!cipher) throw new Pkcs12Error(`unsupported PBES2 cipher ${enc.child(0).oid}`);
    const iv = enc.child(1).expect(Tag.OCTET_STRING, 'IV').value;
    const len = keyLength ?? crypto.getCipherInfo(cipher)!.keyLength!;
    const key = crypto.pbkdf2Sync(Buffer.from(password, 'utf8'), salt, iterations, len, prf);
    return decipher(cipher, key, iv, data);
  }
  const params = alg.child(1, 'PBE parameters');
  const salt = params.child(0).expect(Tag.OCTET_STRING, 'salt').value;
  const iterations = Number(params.child(1).integer);
  const pw = bmpPassword(password);
  if (algOid === OID.pbeSha1With3KeyTripleDes || algOid === OID.pbeSha1With2KeyTripleDes) {
    let key = pkcs12Kdf(pw, salt, 1, iterations, 24, 'sha1');
    if (algOid === OID.pbeSha1With2KeyTripleDes) key = Buffer.concat([key.subarray(0, 16), key.subarray(0, 8)]);
    const iv = pkcs12Kdf(pw, salt, 2, iterations, 8, 'sha1');
    return decipher('des-ede3-cbc', key, iv, data);
  }
  if (algOid === OID.pbeSha1With40BitRc2 || algOid === OID.pbeSha1With128BitRc2) {
    const keyLen = algOid === OID.pbeSha1With40BitRc2 ? 5 : 16;
    const key = pkcs12Kdf(pw, salt, 1, iterations, keyLen, 'sha1');
    const iv = pkcs12Kdf(pw, salt, 2, iterations, 8, 'sha1');
    const c = forge.rc2.createDecryptionCipher(forge.util.createBuffer(key.toString('binary')), keyLen * 8);
    c.start(forge.util.createBuffer(iv.toString('binary')));
    c.update(forge.util.createBuffer(data.toString('binary')));
    if (!c.finish()) throw new Pkcs12Error('decryption failed (wrong password?)');
    return Buffer.from(c.output.getBytes(), 'binary');
  }
  throw new Pkcs12Error(`unsupported encryption algorithm ${algOid}`);
}

function checkMac(macData: Node, authSafe: Buffer, password: string): void {
  const digestInfo = macData.child(0);
  const hash = hashFromOid(digestInfo.child(0).child(0).oid);
  if (!hash) throw new Pkcs12Error(`unsupported MAC digest ${digestInfo.child(0).child(0).oid}`);
  const expected = digestInfo.child(1).expect(Tag.OCTET_STRING, 'MAC').value;
  const salt = macData.child(1).expect(Tag.OCTET_STRING, 'MAC salt').value;
  const iterations = macData.children[2] ? Number(macData.child(2).integer) : 1;
  const len = crypto.createHash(hash).digest().length;
  // OpenSSL encodes an empty password as a lone NUL pair, other tools as nothing: accept either.
  const candidates = password === '' ? [Buffer.from([0, 0]), Buffer.alloc(0)] : [bmpPassword(password)];
  for (const pw of candidates) {
    const key = pkcs12Kdf(pw, salt, 3, iterations, len, hash);
    const mac = crypto.createHmac(hash, key).update(authSafe).digest();
    if (mac.length === expected.length && crypto.timingSafeEqual(mac, expected)) return;
  }
  throw new Pkcs12Error('wrong password for the PFX file (its integrity check failed)');
}

function contentOctets(contentInfo: Node): Buffer {
  if (contentInfo.child(0).oid !== OID.data) throw new Pkcs12Error('expected a data ContentInfo');
  return contentInfo.child(1).child(0).expect(Tag.OCTET_STRING, 'data').value;
}

/** Read a PFX file. Throws Pkcs12Error with a clear message for a wrong password or unsupported content. */
export function readPkcs12(pfx: Buffer, password: string): Pkcs12Contents {
  let root: Node;
  try {
    root = parse(berToDer(pfx));
    if (root.child(0).integer !== 3n) throw new Pkcs12Error('not a version 3 PFX');
  } catch (e) {
    if (e instanceof Pkcs12Error) throw e;
    throw new Pkcs12Error(`not a PKCS#12 file: ${(e as Error).message}`);
  }
  const authSafe = contentOctets(root.child(1, 'authSafe'));
  const macData = root.children[2];
  if (macData) checkMac(macData, authSafe, password);
  const out: Pkcs12Contents = { keys: [], certificates: [] };
  for (const ci of parse(berToDer(authSafe)).children) {
    const type = ci.child(0).oid;
    let safeContents: Buffer;
    if (type === OID.data) safeContents = contentOctets(ci);
    else if (type === OID.encryptedData) {
      const eci = ci.child(1).child(0).child(1, 'encryptedContentInfo');
      const encrypted = eci.child(2, 'encryptedContent');
      safeContents = pbeDecrypt(eci.child(1), encrypted.value, password);
    } else throw new Pkcs12Error(`unsupported PFX content type ${type}`);
    for (const bag of parse(berToDer(safeContents)).children) {
      const bagId = bag.child(0).oid;
      const value = bag.child(1).child(0);
      if (bagId === OID.certBag) {
        if (value.child(0).oid === OID.x509Certificate) {
          out.certificates.push(Buffer.from(value.child(1).child(0).expect(Tag.OCTET_STRING, 'certificate').value));
        }
      } else if (bagId === OID.keyBag) {
        out.keys.push(Buffer.from(value.raw));
      } else if (bagId === OID.pkcs8ShroudedKeyBag) {
        const plain = pbeDecrypt(value.child(0), value.child(1).expect(Tag.OCTET_STRING, 'encrypted key').value, password);
        parse(plain);
        out.keys.push(plain);
      }
    }
  }
  return out;
}
