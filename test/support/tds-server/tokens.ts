/** TDS packet and token constants and the writers of the tokens the double sends (MS-TDS 2.2.4 – 2.2.7). */

export const PACKET = {
  SQL_BATCH: 0x01,
  RPC: 0x03,
  TABULAR_RESULT: 0x04,
  ATTENTION: 0x06,
  BULK_LOAD: 0x07,
  TRANSACTION_MANAGER: 0x0e,
  LOGIN7: 0x10,
  SSPI: 0x11,
  PRELOGIN: 0x12,
} as const;

export const STATUS_EOM = 0x01;
export const STATUS_IGNORE = 0x02;
export const HEADER_LENGTH = 8;

export const TOKEN = {
  COLMETADATA: 0x81,
  ERROR: 0xaa,
  INFO: 0xab,
  LOGINACK: 0xad,
  FEATUREEXTACK: 0xae,
  ROW: 0xd1,
  ENVCHANGE: 0xe3,
  RETURNSTATUS: 0x79,
  RETURNVALUE: 0xac,
  DONE: 0xfd,
  DONEPROC: 0xfe,
  DONEINPROC: 0xff,
} as const;

export const DONE_STATUS = {
  FINAL: 0x00,
  MORE: 0x01,
  ERROR: 0x02,
  INXACT: 0x04,
  COUNT: 0x10,
  ATTN: 0x20,
  SRVERROR: 0x100,
} as const;

/** TDS 7.4 as written in LOGINACK (big-endian there, little-endian in LOGIN7). */
export const TDS_7_4 = 0x74000004;

export const SERVER_NAME = 'TDSDOUBLE';

export function bVarchar(text: string): Buffer {
  const data = Buffer.from(text, 'utf16le');
  if (text.length > 255) throw new RangeError('B_VARCHAR longer than 255 characters');
  return Buffer.concat([Buffer.from([text.length]), data]);
}

export function usVarchar(text: string): Buffer {
  const data = Buffer.from(text, 'utf16le');
  const len = Buffer.alloc(2);
  len.writeUInt16LE(Math.min(text.length, 0xffff));
  return Buffer.concat([len, data.subarray(0, 0xffff * 2)]);
}

function withUShortLength(token: number, body: Buffer): Buffer {
  const head = Buffer.alloc(3);
  head[0] = token;
  head.writeUInt16LE(body.length, 1);
  return Buffer.concat([head, body]);
}

export function envChangeString(type: number, newValue: string, oldValue: string): Buffer {
  return withUShortLength(TOKEN.ENVCHANGE, Buffer.concat([Buffer.from([type]), bVarchar(newValue), bVarchar(oldValue)]));
}

export function envChangeBytes(type: number, newValue: Buffer, oldValue: Buffer): Buffer {
  return withUShortLength(TOKEN.ENVCHANGE, Buffer.concat([
    Buffer.from([type, newValue.length]), newValue, Buffer.from([oldValue.length]), oldValue,
  ]));
}

export function loginAck(progName: string, version: [number, number, number]): Buffer {
  const tds = Buffer.alloc(5);
  tds[0] = 1; // SQL_TSQL interface
  tds.writeUInt32BE(TDS_7_4, 1);
  const ver = Buffer.from([version[0], version[1], (version[2] >> 8) & 0xff, version[2] & 0xff]);
  return withUShortLength(TOKEN.LOGINACK, Buffer.concat([tds, bVarchar(progName), ver]));
}

/** An empty FEATUREEXTACK (terminator only): no requested feature is acknowledged. */
export function featureExtAckEmpty(): Buffer {
  return Buffer.from([TOKEN.FEATUREEXTACK, 0xff]);
}

export interface MessageFields {
  number: number;
  state: number;
  class: number;
  message: string;
  procName?: string;
  lineNumber?: number;
}

/** ERROR (class > 10) or INFO (class ≤ 10) token. */
export function messageToken(m: MessageFields): Buffer {
  const head = Buffer.alloc(6);
  head.writeInt32LE(m.number, 0);
  head[4] = m.state & 0xff;
  head[5] = m.class & 0xff;
  const line = Buffer.alloc(4);
  line.writeInt32LE(m.lineNumber ?? 1);
  const body = Buffer.concat([head, usVarchar(m.message), bVarchar(SERVER_NAME), bVarchar(m.procName ?? ''), line]);
  return withUShortLength(m.class > 10 ? TOKEN.ERROR : TOKEN.INFO, body);
}

export function doneToken(token: number, status: number, curCmd: number, rowCount: number | bigint): Buffer {
  const b = Buffer.alloc(13);
  b[0] = token;
  b.writeUInt16LE(status, 1);
  b.writeUInt16LE(curCmd, 3);
  b.writeBigUInt64LE(BigInt(rowCount), 5);
  return b;
}

export function returnStatus(value: number): Buffer {
  const b = Buffer.alloc(5);
  b[0] = TOKEN.RETURNSTATUS;
  b.writeInt32LE(value, 1);
  return b;
}

/** Splits one message into packets of at most `packetSize` bytes; only the last of a final message has EOM. */
export function packetize(type: number, payload: Buffer, packetSize: number, final: boolean, nextId: () => number, spid = 0): Buffer[] {
  const room = packetSize - HEADER_LENGTH;
  const packets: Buffer[] = [];
  let offset = 0;
  do {
    const chunk = payload.subarray(offset, offset + room);
    offset += chunk.length;
    const last = offset >= payload.length;
    const head = Buffer.alloc(HEADER_LENGTH);
    head[0] = type;
    head[1] = last && final ? STATUS_EOM : 0;
    head.writeUInt16BE(HEADER_LENGTH + chunk.length, 2);
    head.writeUInt16BE(spid, 4);
    head[6] = nextId();
    head[7] = 0;
    packets.push(Buffer.concat([head, chunk]));
  } while (offset < payload.length);
  return packets;
}
