/**
 * The encryption guard against servers that answer pre-login in each of the four ways: only ON and REQ let
 * anything past the pre-login leave this machine. The server here is a raw socket that answers one
 * pre-login and records every byte it receives after it.
 */
import * as net from 'node:net';
import { connectSql, preloginEncryption, VmmSqlError } from '../../src/sql';

/** A pre-login answer (TDS header + option table) with the given ENCRYPTION byte. */
function preloginAnswer(encryption: number): Buffer {
  const version = Buffer.from([16, 0, 0x03, 0xe8, 0, 0]);
  const table = Buffer.alloc(11);
  table[0] = 0x00;
  table.writeUInt16BE(11, 1);
  table.writeUInt16BE(6, 3);
  table[5] = 0x01;
  table.writeUInt16BE(17, 6);
  table.writeUInt16BE(1, 8);
  table[10] = 0xff;
  const payload = Buffer.concat([table, version, Buffer.from([encryption])]);
  const header = Buffer.from([0x04, 0x01, 0, 0, 0, 0, 1, 0]);
  header.writeUInt16BE(8 + payload.length, 2);
  return Buffer.concat([header, payload]);
}

async function serverAnswering(encryption: number): Promise<{ port: number; afterPrelogin: Buffer[]; close: () => Promise<void> }> {
  const afterPrelogin: Buffer[] = [];
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    let answered = false;
    socket.on('data', (chunk) => {
      if (!answered) {
        answered = true;
        socket.write(preloginAnswer(encryption));
      } else afterPrelogin.push(chunk);
    });
    socket.on('error', () => undefined);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as net.AddressInfo).port,
    afterPrelogin,
    close: () => {
      for (const s of sockets) s.destroy();
      return new Promise((r) => server.close(() => r()));
    },
  };
}

test('reads the ENCRYPTION option of a pre-login answer', () => {
  for (const value of [0, 1, 2, 3]) expect(preloginEncryption(preloginAnswer(value).subarray(8))).toBe(value);
  expect(preloginEncryption(Buffer.from([0xff]))).toBeUndefined();
});

test.each([
  [0x02, 'ENCRYPT_NOT_SUP', 'it answered that it does not support encryption (ENCRYPT_NOT_SUP)'],
  [0x00, 'ENCRYPT_OFF', 'it offered to encrypt the login only (ENCRYPT_OFF)'],
])('a server answering %s: EENCRYPT, and not one byte after the pre-login is sent', async (encryption, word, why) => {
  const server = await serverAnswering(encryption);
  try {
    const error = await connectSql({ server: `127.0.0.1,${server.port}`, auth: { kind: 'sql', user: 'sa', password: 'Guard-Test-Secret' }, connectTimeoutMs: 5000 }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(VmmSqlError);
    expect((error as VmmSqlError).code).toBe('EENCRYPT');
    expect((error as VmmSqlError).serverMessages).toEqual([word]);
    expect((error as VmmSqlError).message).toContain(`the server would not encrypt the connection: ${why}. Nothing was sent (no login, no query).`);
    await new Promise((r) => setTimeout(r, 200));
    expect(Buffer.concat(server.afterPrelogin).length).toBe(0);
  } finally {
    await server.close();
  }
});

test('with encryption turned off explicitly, the login goes out (in plain text) to the same server', async () => {
  const server = await serverAnswering(0x02);
  try {
    await connectSql({ server: `127.0.0.1,${server.port}`, auth: { kind: 'sql', user: 'sa', password: 'Guard-Test-Secret' }, tls: { encrypt: false }, connectTimeoutMs: 1500 }).catch(() => undefined);
    const sent = Buffer.concat(server.afterPrelogin);
    expect(sent[0]).toBe(0x10);
  } finally {
    await server.close();
  }
});
