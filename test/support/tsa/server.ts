/**
 * A real RFC 3161 time-stamp authority for tests: a node http server on 127.0.0.1 that hands each
 * application/timestamp-query body to `openssl ts -reply` and returns its reply. It stops with close().
 */
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';
import type { AddressInfo } from 'node:net';

export interface Tsa {
  url: string;
  requests: number;
  close(): Promise<void>;
}

export interface TsaOptions {
  dir: string;
  signerPem: string;
  signerKey: string;
  /** CA certificate(s) to include in the token (optional). */
  chainPem?: string;
}

export async function startTsa(options: TsaOptions): Promise<Tsa> {
  const dir = path.join(options.dir, 'tsa-work');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'serial'), '01\n');
  const cnf = path.join(dir, 'tsa.cnf');
  fs.writeFileSync(
    cnf,
    `[tsa]
default_tsa = tsa_config
[tsa_config]
dir = ${dir}
serial = $dir/serial
crypto_device = builtin
signer_cert = ${options.signerPem}
signer_key = ${options.signerKey}
signer_digest = sha256
default_policy = 1.2.3.4.1
other_policies = 1.2.3.4.5
digests = sha256, sha384, sha512
accuracy = secs:1
ordering = no
tsa_name = no
ess_cert_id_chain = no
ess_cert_id_alg = sha256
${options.chainPem ? `certs = ${options.chainPem}\n` : ''}`,
  );
  let seq = 0;
  const state = { requests: 0 };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      state.requests++;
      const n = ++seq;
      const query = path.join(dir, `q${n}.tsq`);
      const reply = path.join(dir, `r${n}.tsr`);
      fs.writeFileSync(query, Buffer.concat(chunks));
      execFile('openssl', ['ts', '-reply', '-config', cnf, '-queryfile', query, '-out', reply], (err, _out, stderr) => {
        if (err) {
          res.writeHead(500, { 'Content-Type': 'text/plain' });
          res.end(String(stderr));
          return;
        }
        res.writeHead(200, { 'Content-Type': 'application/timestamp-reply' });
        res.end(fs.readFileSync(reply));
        fs.rmSync(query, { force: true });
        fs.rmSync(reply, { force: true });
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/tsa`,
    get requests() {
      return state.requests;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
