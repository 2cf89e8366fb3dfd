/**
 * The double never crashes on malformed input: for each message of a small corpus it either answers (an ERROR
 * token, connection kept) or closes the connection, and afterwards it still serves a real client.
 */
import sql from 'mssql';
import { startTdsServer, TdsServer } from './index';
import { allHeaders, hasError, login7Payload, packet, preloginPayload, RawClient, sqlBatchPayload } from './raw-client';

const PASSWORD = 'Malformed-Corpus-1';

function rpcExecuteSql(statement: string, declaration: string, value: number): Buffer {
  const nvarchar = (name: string, text: string): Buffer => {
    const data = Buffer.from(text, 'utf16le');
    const head = Buffer.alloc(1 + name.length * 2 + 1 + 1 + 2 + 5 + 2);
    let o = head.writeUInt8(name.length, 0);
    o += head.write(name, o, 'utf16le');
    o = head.writeUInt8(0, o);
    o = head.writeUInt8(0xe7, o);
    o = head.writeUInt16LE(8000, o);
    o += Buffer.from([0x09, 0x04, 0xd0, 0x00, 0x34]).copy(head, o);
    head.writeUInt16LE(data.length, o);
    return Buffer.concat([head, data]);
  };
  const intParam = Buffer.concat([Buffer.from([2]), Buffer.from('@a', 'utf16le'), Buffer.from([0, 0x26, 4, 4]), Buffer.alloc(4)]);
  intParam.writeInt32LE(value, intParam.length - 4);
  return Buffer.concat([
    allHeaders(), Buffer.from([0xff, 0xff, 10, 0, 0, 0]),
    nvarchar('', statement), nvarchar('', declaration), intParam,
  ]);
}

describe('TDS double on malformed input', () => {
  let server: TdsServer;
  const connectionErrors: string[] = [];

  beforeAll(async () => {
    server = await startTdsServer({
      password: PASSWORD,
      rules: [{ match: '^SELECT @a$', resultSets: [{ columns: [{ name: 'a', type: 'int' }], rows: [[1]] }] }],
      onConnectionError: (_id, err) => connectionErrors.push(err.message),
    });
  });

  afterAll(async () => {
    await server.stop();
  });

  /** Sends the bytes on a fresh connection (after `prefix` messages) and reports how the server reacted. */
  async function reaction(bytes: Buffer, opts: { login?: boolean; thenClose?: boolean } = {}): Promise<'closed' | 'answered' | 'silent'> {
    const c = await RawClient.connect(server.port);
    try {
      if (opts.login) await c.login('sa', PASSWORD);
      c.send(bytes);
      const answer = await c.readMessage(400);
      if (answer) return 'answered';
      return c.closed ? 'closed' : 'silent';
    } finally {
      c.close();
    }
  }

  const preloginCorpus: [string, Buffer, 'closed' | 'silent'][] = [
    ['packet length 0', Buffer.from([0x12, 1, 0, 0, 0, 0, 1, 0]), 'closed'],
    ['packet length shorter than its header', Buffer.from([0x12, 1, 0, 7, 0, 0, 1, 0]), 'closed'],
    ['packet length beyond 32 KiB', packet(0x12, Buffer.alloc(16), 1, 40000), 'closed'],
    ['truncated packet (declares 100 bytes, sends 20)', packet(0x12, Buffer.alloc(12), 1, 100), 'silent'],
    ['PRELOGIN option pointing outside the message', packet(0x12, Buffer.from([0x00, 0x01, 0x00, 0x00, 0x06, 0xff])), 'closed'],
    ['PRELOGIN option table without terminator', packet(0x12, Buffer.from([0x00, 0x00, 0x05])), 'closed'],
    ['TLS ClientHello instead of PRELOGIN', Buffer.from('160301020001000200', 'hex'), 'closed'],
    ['LOGIN7 before PRELOGIN', packet(0x10, login7Payload('sa', PASSWORD)), 'closed'],
    ['SQL batch before login', packet(0x01, sqlBatchPayload('SELECT 1')), 'closed'],
    ['unknown packet type', packet(0x99, Buffer.alloc(4)), 'closed'],
    ['pseudo-random garbage', Buffer.from(Array.from({ length: 300 }, (_, i) => (i * 97 + 13) & 0xff)), 'closed'],
  ];

  test.each(preloginCorpus)('before login: %s', async (_name, bytes, expected) => {
    expect(await reaction(bytes)).toBe(expected);
  });

  test('before login: a LOGIN7 shorter than its fixed part, or with fields outside it, closes the connection', async () => {
    const bad = login7Payload('sa', PASSWORD);
    bad.writeUInt16LE(60000, 40); // user name offset far outside
    const lying = login7Payload('sa', PASSWORD);
    lying.writeUInt32LE(100000, 0); // length field beyond the message
    for (const payload of [Buffer.alloc(50), bad, lying]) {
      const c = await RawClient.connect(server.port);
      c.send(packet(0x12, preloginPayload()));
      expect(await c.readMessage()).not.toBeNull();
      c.send(packet(0x10, payload));
      expect(await c.readMessage(400)).toBeNull();
      expect(c.closed).toBe(true);
      c.close();
    }
  });

  test('the raw client logs in (so the corpus below reaches the statement parser)', async () => {
    const c = await RawClient.connect(server.port);
    const ack = await c.login('sa', PASSWORD);
    expect(ack.includes(0xad)).toBe(true); // LOGINACK
    expect(hasError(ack, 18456)).toBe(false);
    c.close();
    const wrong = await RawClient.connect(server.port);
    expect(hasError(await wrong.login('sa', 'nope'), 18456)).toBe(true);
    expect(await wrong.waitClosed()).toBe(true);
  });

  const afterLoginCorpus: [string, Buffer, 'closed' | 'answered'][] = [
    ['SQL batch whose ALL_HEADERS length exceeds the message', packet(0x01, Buffer.from([0xff, 0xff, 0, 0, 0x41, 0])), 'answered'],
    ['SQL batch with an odd byte count', packet(0x01, Buffer.concat([allHeaders(), Buffer.from([0x41])])), 'answered'],
    ['RPC with an unsupported parameter type (TVP)', packet(0x03, Buffer.concat([allHeaders(), Buffer.from([0xff, 0xff, 10, 0, 0, 0, 0, 0, 0xf3, 0, 0])])), 'answered'],
    ['RPC whose PLP value is shorter than announced', packet(0x03, Buffer.concat([allHeaders(), Buffer.from([0xff, 0xff, 10, 0, 0, 0, 0, 0, 0xe7, 0xff, 0xff, 9, 4, 0xd0, 0, 0x34,
      10, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0x41, 0, 0, 0, 0, 0])])), 'answered'],
    ['RPC without any parameter to sp_executesql', packet(0x03, Buffer.concat([allHeaders(), Buffer.from([0xff, 0xff, 10, 0, 0, 0])])), 'answered'],
    ['continuation packet of another type', Buffer.concat([packet(0x01, sqlBatchPayload('SELECT'), 0), packet(0x03, Buffer.alloc(4))]), 'closed'],
    ['unknown packet type', packet(0x42, Buffer.alloc(10)), 'closed'],
    ['bulk load (not supported)', packet(0x07, Buffer.alloc(10)), 'closed'],
  ];

  test.each(afterLoginCorpus)('after login: %s', async (_name, bytes, expected) => {
    expect(await reaction(bytes, { login: true })).toBe(expected);
  });

  test('after login: an answered malformed statement carries error 8009 and the connection keeps working', async () => {
    const c = await RawClient.connect(server.port);
    await c.login('sa', PASSWORD);
    c.send(packet(0x03, Buffer.concat([allHeaders(), Buffer.from([0xff, 0xff, 10, 0, 0, 0, 0, 0, 0xf3])])));
    const answer = await c.readMessage();
    expect(answer && hasError(answer.payload, 8009)).toBe(true);
    c.send(packet(0x03, rpcExecuteSql('SELECT @a', '@a int', 5)));
    const good = await c.readMessage();
    expect(good).not.toBeNull();
    expect(good!.payload[0]).toBe(0x81); // COLMETADATA
    c.close();
  });

  test('after login: a message ended with the IGNORE bit is not executed but answered with a DONE', async () => {
    const c = await RawClient.connect(server.port);
    await c.login('sa', PASSWORD);
    const before = server.log.length;
    c.send(Buffer.concat([packet(0x01, sqlBatchPayload('DROP DATABASE x'), 0), packet(0x01, Buffer.alloc(0), 0x03)]));
    const answer = await c.readMessage();
    expect(answer?.payload[0]).toBe(0xfd);
    expect(answer?.payload.readUInt16LE(1)).toBe(0);
    expect(server.log.length).toBe(before);
    c.close();
  });

  test('after login: every truncation of a valid sp_executesql request is answered, never crashes', async () => {
    const full = rpcExecuteSql('SELECT @a', '@a int', 5);
    const c = await RawClient.connect(server.port);
    await c.login('sa', PASSWORD);
    const before = server.log.length;
    let errors = 0;
    for (let cut = 0; cut < full.length; cut++) {
      c.send(packet(0x03, full.subarray(0, cut)));
      const answer = await c.readMessage();
      expect(answer).not.toBeNull();
      if (hasError(answer!.payload, 8009)) errors++;
    }
    expect(errors).toBeGreaterThan(full.length - 10);
    expect(c.closed).toBe(false);
    c.close();
    // Cuts at a parameter boundary parse as valid requests with fewer parameters; only those reach the log.
    expect(server.log.length - before).toBeLessThanOrEqual(3);
  });

  test('a message larger than 16 MiB closes the connection', async () => {
    const c = await RawClient.connect(server.port);
    await c.login('sa', PASSWORD);
    const chunk = packet(0x01, Buffer.alloc(32000), 0);
    const many = Buffer.concat(Array.from({ length: 540 }, () => chunk));
    c.send(many);
    expect(await c.waitClosed(5000)).toBe(true);
  });

  test('after the corpus the server still serves a real client', async () => {
    const pool = new sql.ConnectionPool({
      server: '127.0.0.1', port: server.port, user: 'sa', password: PASSWORD,
      options: { encrypt: false, trustServerCertificate: true }, pool: { max: 1 },
    });
    await pool.connect();
    try {
      const result = await pool.request().input('a', sql.Int, 1).query('SELECT @a');
      expect(result.recordset).toEqual([{ a: 1 }]);
    } finally {
      await pool.close();
    }
    expect(connectionErrors.length).toBeGreaterThan(5);
  });
});
