/**
 * SQL Server data types as the TDS double writes them in result sets (COLMETADATA + ROW) and reads them in
 * RPC parameters (TYPE_INFO + value). Values are reported in a JSON-friendly form:
 *   int/smallint/tinyint/float/real → number, bigint/decimal/numeric/money → string, bit → boolean,
 *   (n)(var)char/text → string, datetime/datetime2/date/time → ISO-like string without zone
 *   ('2024-05-06T07:08:09.123'), datetimeoffset → ISO string with offset, uniqueidentifier → upper-case
 *   string, (var)binary/image → '0x' + upper-case hex.
 */

/** Latin1_General_CI_AS-style collation bytes (LCID 0x0409, sort id 52), as SQL Server announces by default. */
export const DEFAULT_COLLATION = Buffer.from([0x09, 0x04, 0xd0, 0x00, 0x34]);

export const TYPE = {
  NULL: 0x1f,
  INT1: 0x30,
  BIT: 0x32,
  INT2: 0x34,
  INT4: 0x38,
  DATETIM4: 0x3a,
  FLT4: 0x3b,
  MONEY: 0x3c,
  DATETIME: 0x3d,
  FLT8: 0x3e,
  MONEY4: 0x7a,
  INT8: 0x7f,
  GUID: 0x24,
  INTN: 0x26,
  DECIMALN: 0x6a,
  NUMERICN: 0x6c,
  BITN: 0x68,
  FLTN: 0x6d,
  MONEYN: 0x6e,
  DATETIMN: 0x6f,
  DATEN: 0x28,
  TIMEN: 0x29,
  DATETIME2N: 0x2a,
  DATETIMEOFFSETN: 0x2b,
  BIGVARBIN: 0xa5,
  BIGVARCHR: 0xa7,
  BIGBINARY: 0xad,
  BIGCHAR: 0xaf,
  NVARCHAR: 0xe7,
  NCHAR: 0xef,
  TEXT: 0x23,
  IMAGE: 0x22,
  NTEXT: 0x63,
} as const;

/** Column types a rule may use in a result set. */
export type ColumnTypeName =
  | 'int'
  | 'bigint'
  | 'smallint'
  | 'tinyint'
  | 'bit'
  | 'float'
  | 'nvarchar'
  | 'datetime'
  | 'datetime2'
  | 'date'
  | 'uniqueidentifier'
  | 'varbinary'
  | 'decimal'
  | 'numeric'
  | 'varchar'
  | 'char'
  | 'nchar';

/** A parsed column type: base name plus length (characters/bytes; 'max' → -1) or scale. */
export interface ColumnType {
  name: ColumnTypeName;
  length?: number;
  precision?: number;
  scale?: number;
}

export class TdsDataError extends Error {}

const COLUMN_TYPE_RE = /^\s*([a-z0-9]+)\s*(?:\(\s*(max|\d+)\s*(?:,\s*(\d+)\s*)?\))?\s*$/i;

/** Parses 'int', 'nvarchar(50)', 'nvarchar(max)', 'datetime2(3)', 'decimal(20,0)', 'char(1)' and so on. */
export function parseColumnType(text: string): ColumnType {
  const m = COLUMN_TYPE_RE.exec(text);
  if (!m) throw new TdsDataError(`unsupported column type '${text}'`);
  const name = m[1].toLowerCase();
  const arg = m[2]?.toLowerCase();
  if (m[3] !== undefined && name !== 'decimal' && name !== 'numeric') throw new TdsDataError(`bad type '${text}'`);
  switch (name) {
    case 'int':
    case 'bigint':
    case 'smallint':
    case 'tinyint':
    case 'bit':
    case 'float':
    case 'datetime':
    case 'date':
    case 'uniqueidentifier':
      if (arg !== undefined) throw new TdsDataError(`type '${name}' takes no argument`);
      return { name };
    case 'datetime2': {
      const scale = arg === undefined ? 7 : Number(arg);
      if (!Number.isInteger(scale) || scale < 0 || scale > 7) throw new TdsDataError(`bad datetime2 scale in '${text}'`);
      return { name, scale };
    }
    case 'decimal':
    case 'numeric': {
      const precision = arg === undefined ? 18 : Number(arg);
      const scale = m[3] === undefined ? 0 : Number(m[3]);
      if (!(precision >= 1 && precision <= 38) || scale > precision) throw new TdsDataError(`bad precision or scale in '${text}'`);
      return { name, precision, scale };
    }
    case 'nvarchar':
    case 'varbinary':
    case 'varchar':
    case 'char':
    case 'nchar': {
      const limit = name === 'nvarchar' || name === 'nchar' ? 4000 : 8000;
      const fallback = name === 'char' || name === 'nchar' ? 1 : limit;
      const length = arg === undefined ? fallback : arg === 'max' ? -1 : Number(arg);
      if (length === -1 && (name === 'char' || name === 'nchar')) throw new TdsDataError(`bad length in '${text}'`);
      if (length !== -1 && (length < 1 || length > limit)) throw new TdsDataError(`bad length in '${text}'`);
      return { name, length };
    }
    default:
      throw new TdsDataError(`unsupported column type '${text}'`);
  }
}

// ---------------------------------------------------------------------------------------------------------
// Calendar arithmetic (proleptic Gregorian, years 1..9999) without Date's two-digit-year pitfalls.

export function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468; // days since 1970-01-01
}

export function civilFromDays(z0: number): [number, number, number] {
  const z = z0 + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp + (mp < 10 ? 3 : -9);
  return [m <= 2 ? yoe + era * 400 + 1 : yoe + era * 400, m, d];
}

const EPOCH_0001 = daysFromCivil(1, 1, 1);
const EPOCH_1900 = daysFromCivil(1900, 1, 1);
const TICKS_PER_DAY = 864_000_000_000n; // 100 ns ticks

/** A date and time of day without zone: days since 1970-01-01 and 100 ns ticks since midnight. */
interface Moment {
  days: number;
  ticks: bigint;
}

const DATETIME_TEXT_RE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,7}))?)?)?$/;

function toMoment(value: unknown, what: string): Moment {
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw new TdsDataError(`${what}: invalid Date`);
    const ms = value.getTime();
    const days = Math.floor(ms / 86_400_000);
    return { days, ticks: BigInt(ms - days * 86_400_000) * 10_000n };
  }
  if (typeof value === 'string') {
    const m = DATETIME_TEXT_RE.exec(value.trim());
    if (m) {
      const frac = (m[7] ?? '').padEnd(7, '0');
      const ticks =
        ((BigInt(Number(m[4] ?? 0)) * 60n + BigInt(Number(m[5] ?? 0))) * 60n + BigInt(Number(m[6] ?? 0))) * 10_000_000n +
        BigInt(Number(frac));
      return { days: daysFromCivil(Number(m[1]), Number(m[2]), Number(m[3])), ticks };
    }
    const parsed = new Date(value);
    if (!Number.isNaN(parsed.getTime())) return toMoment(parsed, what);
  }
  throw new TdsDataError(`${what}: expected a Date or an ISO date/time string, got ${JSON.stringify(value)}`);
}

function pad(n: number | bigint, width: number): string {
  return String(n).padStart(width, '0');
}

function formatMoment(days: number, ticks: bigint | null, fractionDigits: number): string {
  const [y, mo, d] = civilFromDays(days);
  const date = `${pad(y, 4)}-${pad(mo, 2)}-${pad(d, 2)}`;
  if (ticks === null) return date;
  return `${date}T${formatTime(ticks, fractionDigits)}`;
}

function formatTime(ticks: bigint, fractionDigits: number): string {
  const totalSeconds = ticks / 10_000_000n;
  const frac = ticks % 10_000_000n;
  const h = totalSeconds / 3600n;
  const mi = (totalSeconds / 60n) % 60n;
  const s = totalSeconds % 60n;
  const base = `${pad(h, 2)}:${pad(mi, 2)}:${pad(s, 2)}`;
  if (fractionDigits <= 0) return base;
  return `${base}.${pad(frac, 7).slice(0, fractionDigits)}`;
}

// ---------------------------------------------------------------------------------------------------------
// GUIDs: the first three groups are little-endian on the wire.

const GUID_RE = /^\{?([0-9a-f]{8})-?([0-9a-f]{4})-?([0-9a-f]{4})-?([0-9a-f]{4})-?([0-9a-f]{12})\}?$/i;

export function guidToBytes(text: string): Buffer {
  const m = GUID_RE.exec(text.trim());
  if (!m) throw new TdsDataError(`uniqueidentifier: bad GUID ${JSON.stringify(text)}`);
  const b = Buffer.from(m.slice(1).join(''), 'hex');
  return Buffer.concat([Buffer.from(b.subarray(0, 4)).reverse(), Buffer.from(b.subarray(4, 6)).reverse(),
    Buffer.from(b.subarray(6, 8)).reverse(), b.subarray(8)]);
}

export function bytesToGuid(b: Buffer): string {
  const h = Buffer.concat([Buffer.from(b.subarray(0, 4)).reverse(), Buffer.from(b.subarray(4, 6)).reverse(),
    Buffer.from(b.subarray(6, 8)).reverse(), b.subarray(8, 16)]).toString('hex').toUpperCase();
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

function toBinary(value: unknown, what: string): Buffer {
  if (Buffer.isBuffer(value)) return value;
  if (value instanceof Uint8Array) return Buffer.from(value);
  if (Array.isArray(value) && value.every((v) => Number.isInteger(v) && v >= 0 && v <= 255)) return Buffer.from(value as number[]);
  if (typeof value === 'string' && /^0x([0-9a-f]{2})*$/i.test(value)) return Buffer.from(value.slice(2), 'hex');
  throw new TdsDataError(`${what}: expected a Buffer, byte array or '0x…' hex string`);
}

// ---------------------------------------------------------------------------------------------------------
// Result-set encoding.

function timeBytesForScale(scale: number): number {
  return scale <= 2 ? 3 : scale <= 4 ? 4 : 5;
}

/** TYPE_INFO of a result column. */
export function encodeTypeInfo(t: ColumnType): Buffer {
  switch (t.name) {
    case 'int': return Buffer.from([TYPE.INTN, 4]);
    case 'bigint': return Buffer.from([TYPE.INTN, 8]);
    case 'smallint': return Buffer.from([TYPE.INTN, 2]);
    case 'tinyint': return Buffer.from([TYPE.INTN, 1]);
    case 'bit': return Buffer.from([TYPE.BITN, 1]);
    case 'float': return Buffer.from([TYPE.FLTN, 8]);
    case 'datetime': return Buffer.from([TYPE.DATETIMN, 8]);
    case 'date': return Buffer.from([TYPE.DATEN]);
    case 'datetime2': return Buffer.from([TYPE.DATETIME2N, t.scale ?? 7]);
    case 'uniqueidentifier': return Buffer.from([TYPE.GUID, 16]);
    case 'nvarchar': {
      const b = Buffer.alloc(8);
      b[0] = TYPE.NVARCHAR;
      b.writeUInt16LE(t.length === -1 ? 0xffff : (t.length ?? 4000) * 2, 1);
      DEFAULT_COLLATION.copy(b, 3);
      return b;
    }
    case 'varbinary': {
      const b = Buffer.alloc(3);
      b[0] = TYPE.BIGVARBIN;
      b.writeUInt16LE(t.length === -1 ? 0xffff : (t.length ?? 8000), 1);
      return b;
    }
    case 'decimal':
    case 'numeric':
      return Buffer.from([t.name === 'decimal' ? TYPE.DECIMALN : TYPE.NUMERICN, decimalBytes(t.precision ?? 18), t.precision ?? 18, t.scale ?? 0]);
    case 'varchar':
    case 'char':
    case 'nchar': {
      const b = Buffer.alloc(8);
      b[0] = t.name === 'varchar' ? TYPE.BIGVARCHR : t.name === 'char' ? TYPE.BIGCHAR : TYPE.NCHAR;
      const bytes = t.length === -1 ? 0xffff : (t.length ?? 1) * (t.name === 'nchar' ? 2 : 1);
      b.writeUInt16LE(bytes, 1);
      DEFAULT_COLLATION.copy(b, 3);
      return b;
    }
  }
}

/** Value bytes (sign included) of a decimal of this precision. */
function decimalBytes(precision: number): number {
  return precision <= 9 ? 5 : precision <= 19 ? 9 : precision <= 28 ? 13 : 17;
}

const DECIMAL_TEXT_RE = /^\s*([+-])?(\d*)(?:\.(\d*))?\s*$/;

/** The value scaled to an integer (rounded half away from zero at the scale), as SQL Server converts. */
function toScaledDecimal(value: unknown, scale: number, precision: number, what: string): bigint {
  let text: string;
  if (typeof value === 'bigint') text = value.toString();
  else if (typeof value === 'number' && Number.isFinite(value) && Math.abs(value) < 1e21) text = value.toFixed(Math.min(scale + 1, 100));
  else if (typeof value === 'string') text = value;
  else throw new TdsDataError(`${what}: expected a number or decimal text`);
  const m = DECIMAL_TEXT_RE.exec(text);
  if (!m || (m[2] === '' && (m[3] ?? '') === '')) throw new TdsDataError(`${what}: ${JSON.stringify(text)} is not a decimal`);
  const fraction = (m[3] ?? '').padEnd(scale + 1, '0');
  let scaled = BigInt((m[2] || '0') + fraction.slice(0, scale));
  if (Number(fraction[scale]) >= 5) scaled += 1n;
  if (scaled.toString().length > precision) throw new TdsDataError(`${what}: ${text} does not fit decimal(${precision},${scale})`);
  return m[1] === '-' ? -scaled : scaled;
}

function singleByteText(value: unknown, what: string): Buffer {
  if (typeof value !== 'string') throw new TdsDataError(`${what}: expected a string`);
  if ([...value].some((c) => (c.codePointAt(0) ?? 0) > 0xff)) throw new TdsDataError(`${what}: varchar/char values must be Latin-1 text (use nvarchar)`);
  return Buffer.from(value, 'latin1');
}

function ushortLength(data: Buffer | null): Buffer {
  if (data === null) return Buffer.from([0xff, 0xff]);
  const len = Buffer.alloc(2);
  len.writeUInt16LE(data.length);
  return Buffer.concat([len, data]);
}

function plp(data: Buffer | null): Buffer {
  if (data === null) return Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]);
  const head = Buffer.alloc(8);
  head.writeBigUInt64LE(BigInt(data.length));
  const parts: Buffer[] = [head];
  if (data.length > 0) {
    const len = Buffer.alloc(4);
    len.writeUInt32LE(data.length);
    parts.push(len, data);
  }
  parts.push(Buffer.alloc(4)); // terminator
  return Buffer.concat(parts);
}

function withByteLen(data: Buffer): Buffer {
  return Buffer.concat([Buffer.from([data.length]), data]);
}

function intValue(value: unknown, what: string, bytes: number): Buffer {
  const n = typeof value === 'bigint' ? value : typeof value === 'number' && Number.isInteger(value) ? BigInt(value)
    : typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? BigInt(value.trim()) : undefined;
  if (n === undefined) throw new TdsDataError(`${what}: expected an integer, got ${JSON.stringify(String(value))}`);
  const b = Buffer.alloc(bytes);
  const bits = BigInt(bytes * 8);
  const [min, max] = bytes === 1 ? [0n, 255n] : [-(1n << (bits - 1n)), (1n << (bits - 1n)) - 1n];
  if (n < min || n > max) throw new TdsDataError(`${what}: ${n} is out of range`);
  if (bytes === 1) b.writeUInt8(Number(n));
  else if (bytes === 2) b.writeInt16LE(Number(n));
  else if (bytes === 4) b.writeInt32LE(Number(n));
  else b.writeBigInt64LE(n);
  return b;
}

/** The ROW bytes of one value of a column (null allowed for every type). */
export function encodeValue(t: ColumnType, value: unknown, what: string): Buffer {
  const isNull = value === null || value === undefined;
  switch (t.name) {
    case 'int':
    case 'bigint':
    case 'smallint':
    case 'tinyint': {
      if (isNull) return Buffer.from([0]);
      const size = { int: 4, bigint: 8, smallint: 2, tinyint: 1 }[t.name];
      return withByteLen(intValue(value, what, size));
    }
    case 'bit':
      if (isNull) return Buffer.from([0]);
      if (typeof value !== 'boolean' && value !== 0 && value !== 1) throw new TdsDataError(`${what}: expected a boolean`);
      return Buffer.from([1, value ? 1 : 0]);
    case 'float': {
      if (isNull) return Buffer.from([0]);
      if (typeof value !== 'number') throw new TdsDataError(`${what}: expected a number`);
      const b = Buffer.alloc(9);
      b[0] = 8;
      b.writeDoubleLE(value, 1);
      return b;
    }
    case 'datetime': {
      if (isNull) return Buffer.from([0]);
      const m = toMoment(value, what);
      let days = m.days - EPOCH_1900;
      let ticks300 = Number((m.ticks * 300n + 5_000_000n) / 10_000_000n);
      if (ticks300 >= 300 * 86400) { ticks300 -= 300 * 86400; days += 1; }
      const b = Buffer.alloc(9);
      b[0] = 8;
      b.writeInt32LE(days, 1);
      b.writeUInt32LE(ticks300, 5);
      return b;
    }
    case 'date': {
      if (isNull) return Buffer.from([0]);
      const m = toMoment(value, what);
      const b = Buffer.alloc(4);
      b[0] = 3;
      b.writeUIntLE(m.days - EPOCH_0001, 1, 3);
      return b;
    }
    case 'datetime2': {
      if (isNull) return Buffer.from([0]);
      const scale = t.scale ?? 7;
      const m = toMoment(value, what);
      const unit = 10n ** BigInt(7 - scale);
      let units = (m.ticks + unit / 2n) / unit; // rounded to the scale, as SQL Server converts
      let days = m.days;
      if (units * unit >= TICKS_PER_DAY) { units = 0n; days += 1; }
      const timeBytes = timeBytesForScale(scale);
      const b = Buffer.alloc(1 + timeBytes + 3);
      b[0] = timeBytes + 3;
      b.writeUIntLE(Number(units), 1, timeBytes);
      b.writeUIntLE(days - EPOCH_0001, 1 + timeBytes, 3);
      return b;
    }
    case 'uniqueidentifier':
      if (isNull) return Buffer.from([0]);
      if (typeof value !== 'string') throw new TdsDataError(`${what}: expected a GUID string`);
      return withByteLen(guidToBytes(value));
    case 'nvarchar': {
      if (!isNull && typeof value !== 'string') throw new TdsDataError(`${what}: expected a string`);
      const data = isNull ? null : Buffer.from(value as string, 'utf16le');
      if (t.length === -1) return plp(data);
      if (data === null) return Buffer.from([0xff, 0xff]);
      if (data.length > (t.length ?? 4000) * 2) throw new TdsDataError(`${what}: string longer than nvarchar(${t.length})`);
      const len = Buffer.alloc(2);
      len.writeUInt16LE(data.length);
      return Buffer.concat([len, data]);
    }
    case 'decimal':
    case 'numeric': {
      if (isNull) return Buffer.from([0]);
      const precision = t.precision ?? 18;
      const scaled = toScaledDecimal(value, t.scale ?? 0, precision, what);
      const size = decimalBytes(precision);
      const b = Buffer.alloc(1 + size);
      b[0] = size;
      b[1] = scaled < 0n ? 0 : 1;
      let magnitude = scaled < 0n ? -scaled : scaled;
      for (let i = 2; i < b.length; i++) { b[i] = Number(magnitude & 0xffn); magnitude >>= 8n; }
      return b;
    }
    case 'varchar': {
      const data = isNull ? null : singleByteText(value, what);
      if (t.length === -1) return plp(data);
      if (data && data.length > (t.length ?? 8000)) throw new TdsDataError(`${what}: string longer than varchar(${t.length})`);
      return ushortLength(data);
    }
    case 'char':
    case 'nchar': {
      if (isNull) return ushortLength(null);
      const length = t.length ?? 1;
      if (typeof value !== 'string') throw new TdsDataError(`${what}: expected a string`);
      if (value.length > length) throw new TdsDataError(`${what}: string longer than ${t.name}(${length})`);
      const padded = value.padEnd(length, ' ');
      return ushortLength(t.name === 'char' ? singleByteText(padded, what) : Buffer.from(padded, 'utf16le'));
    }
    case 'varbinary': {
      const data = isNull ? null : toBinary(value, what);
      if (t.length === -1) return plp(data);
      if (data === null) return Buffer.from([0xff, 0xff]);
      if (data.length > (t.length ?? 8000)) throw new TdsDataError(`${what}: value longer than varbinary(${t.length})`);
      const len = Buffer.alloc(2);
      len.writeUInt16LE(data.length);
      return Buffer.concat([len, data]);
    }
  }
}

// ---------------------------------------------------------------------------------------------------------
// RPC parameter decoding.

export class ProtocolError extends Error {}

/** A bounds-checked little-endian reader over one message; every overrun throws ProtocolError. */
export class Reader {
  constructor(readonly buf: Buffer, public pos = 0) {}

  need(n: number): void {
    if (n < 0 || this.pos + n > this.buf.length) throw new ProtocolError(`message truncated at byte ${this.pos} (needs ${n} more)`);
  }
  get remaining(): number { return this.buf.length - this.pos; }
  u8(): number { this.need(1); return this.buf[this.pos++]; }
  u16(): number { this.need(2); const v = this.buf.readUInt16LE(this.pos); this.pos += 2; return v; }
  u32(): number { this.need(4); const v = this.buf.readUInt32LE(this.pos); this.pos += 4; return v; }
  u64(): bigint { this.need(8); const v = this.buf.readBigUInt64LE(this.pos); this.pos += 8; return v; }
  bytes(n: number): Buffer { this.need(n); const v = this.buf.subarray(this.pos, this.pos + n); this.pos += n; return v; }
  ucs2(chars: number): string {
    const b = this.bytes(chars * 2);
    return b.toString('utf16le');
  }
}

/** A decoded TYPE_INFO. */
export interface TypeInfo {
  id: number;
  name: string;
  maxLength?: number;
  precision?: number;
  scale?: number;
  collation?: Buffer;
}

const FIXED: Record<number, [string, number]> = {
  [TYPE.NULL]: ['null', 0], [TYPE.INT1]: ['tinyint', 1], [TYPE.BIT]: ['bit', 1], [TYPE.INT2]: ['smallint', 2],
  [TYPE.INT4]: ['int', 4], [TYPE.DATETIM4]: ['smalldatetime', 4], [TYPE.FLT4]: ['real', 4], [TYPE.MONEY]: ['money', 8],
  [TYPE.DATETIME]: ['datetime', 8], [TYPE.FLT8]: ['float', 8], [TYPE.MONEY4]: ['smallmoney', 4], [TYPE.INT8]: ['bigint', 8],
};

export function readTypeInfo(r: Reader): TypeInfo {
  const id = r.u8();
  const fixed = FIXED[id];
  if (fixed) return { id, name: fixed[0], maxLength: fixed[1] };
  switch (id) {
    case TYPE.GUID: return { id, name: 'uniqueidentifier', maxLength: r.u8() };
    case TYPE.INTN: {
      const maxLength = r.u8();
      const name = { 1: 'tinyint', 2: 'smallint', 4: 'int', 8: 'bigint' }[maxLength];
      if (!name) throw new ProtocolError(`bad INTN length ${maxLength}`);
      return { id, name, maxLength };
    }
    case TYPE.BITN: return { id, name: 'bit', maxLength: r.u8() };
    case TYPE.FLTN: { const maxLength = r.u8(); return { id, name: maxLength === 4 ? 'real' : 'float', maxLength }; }
    case TYPE.MONEYN: { const maxLength = r.u8(); return { id, name: maxLength === 4 ? 'smallmoney' : 'money', maxLength }; }
    case TYPE.DATETIMN: { const maxLength = r.u8(); return { id, name: maxLength === 4 ? 'smalldatetime' : 'datetime', maxLength }; }
    case TYPE.DECIMALN:
    case TYPE.NUMERICN: {
      const maxLength = r.u8();
      const precision = r.u8();
      const scale = r.u8();
      return { id, name: id === TYPE.DECIMALN ? 'decimal' : 'numeric', maxLength, precision, scale };
    }
    case TYPE.DATEN: return { id, name: 'date' };
    case TYPE.TIMEN: return { id, name: 'time', scale: r.u8() };
    case TYPE.DATETIME2N: return { id, name: 'datetime2', scale: r.u8() };
    case TYPE.DATETIMEOFFSETN: return { id, name: 'datetimeoffset', scale: r.u8() };
    case TYPE.BIGVARBIN: return { id, name: 'varbinary', maxLength: r.u16() };
    case TYPE.BIGBINARY: return { id, name: 'binary', maxLength: r.u16() };
    case TYPE.BIGVARCHR: return { id, name: 'varchar', maxLength: r.u16(), collation: r.bytes(5) };
    case TYPE.BIGCHAR: return { id, name: 'char', maxLength: r.u16(), collation: r.bytes(5) };
    case TYPE.NVARCHAR: return { id, name: 'nvarchar', maxLength: r.u16(), collation: r.bytes(5) };
    case TYPE.NCHAR: return { id, name: 'nchar', maxLength: r.u16(), collation: r.bytes(5) };
    case TYPE.TEXT: return { id, name: 'text', maxLength: r.u32(), collation: r.bytes(5) };
    case TYPE.NTEXT: return { id, name: 'ntext', maxLength: r.u32(), collation: r.bytes(5) };
    case TYPE.IMAGE: return { id, name: 'image', maxLength: r.u32() };
    default:
      throw new ProtocolError(`unsupported parameter type 0x${id.toString(16).padStart(2, '0')}`);
  }
}

function readPlp(r: Reader): Buffer | null {
  const total = r.u64();
  if (total === 0xffffffffffffffffn) return null;
  const parts: Buffer[] = [];
  for (;;) {
    const len = r.u32();
    if (len === 0) break;
    parts.push(r.bytes(len));
  }
  const data = Buffer.concat(parts);
  if (total !== 0xfffffffffffffffen && BigInt(data.length) !== total) throw new ProtocolError('PLP length mismatch');
  return data;
}

function decodeDecimal(data: Buffer, scale: number): string {
  const sign = data[0] === 1 ? '' : '-';
  let n = 0n;
  for (let i = data.length - 1; i >= 1; i--) n = (n << 8n) | BigInt(data[i]);
  const digits = n.toString().padStart(scale + 1, '0');
  const whole = digits.slice(0, digits.length - scale);
  return sign + (scale > 0 ? `${whole}.${digits.slice(digits.length - scale)}` : whole);
}

function decodeMoney(data: Buffer): string {
  const n = data.length === 4 ? BigInt(data.readInt32LE(0)) : (BigInt(data.readInt32LE(0)) << 32n) | BigInt(data.readUInt32LE(4));
  const neg = n < 0n;
  const abs = (neg ? -n : n).toString().padStart(5, '0');
  return `${neg ? '-' : ''}${abs.slice(0, -4)}.${abs.slice(-4)}`;
}

/** Decodes the bytes of a non-null value of a fixed- or byte-length type. */
function decodeScalar(t: TypeInfo, data: Buffer): unknown {
  const need = (n: number): void => { if (data.length !== n) throw new ProtocolError(`${t.name}: bad value length ${data.length}`); };
  switch (t.name) {
    case 'tinyint': need(1); return data.readUInt8(0);
    case 'smallint': need(2); return data.readInt16LE(0);
    case 'int': need(4); return data.readInt32LE(0);
    case 'bigint': need(8); return data.readBigInt64LE(0).toString();
    case 'bit': need(1); return data[0] !== 0;
    case 'real': need(4); return data.readFloatLE(0);
    case 'float': need(8); return data.readDoubleLE(0);
    case 'money': need(8); return decodeMoney(data);
    case 'smallmoney': need(4); return decodeMoney(data);
    case 'uniqueidentifier': need(16); return bytesToGuid(data);
    case 'decimal':
    case 'numeric':
      if (data.length < 2) throw new ProtocolError('decimal: value too short');
      return decodeDecimal(data, t.scale ?? 0);
    case 'datetime': {
      need(8);
      const ticks = (BigInt(data.readUInt32LE(4)) * 10_000_000n + 150n) / 300n;
      const rounded = ((ticks + 5000n) / 10000n) * 10000n; // to milliseconds, as SQL Server shows them
      return formatMoment(EPOCH_1900 + data.readInt32LE(0), rounded, 3);
    }
    case 'smalldatetime': need(4); return formatMoment(EPOCH_1900 + data.readUInt16LE(0), BigInt(data.readUInt16LE(2)) * 600_000_000n, 0);
    case 'date': need(3); return formatMoment(EPOCH_0001 + data.readUIntLE(0, 3), null, 0);
    case 'time':
    case 'datetime2':
    case 'datetimeoffset': {
      const scale = t.scale ?? 7;
      if (scale > 7) throw new ProtocolError(`${t.name}: bad scale ${scale}`);
      const tb = timeBytesForScale(scale);
      const extra = t.name === 'time' ? 0 : t.name === 'datetime2' ? 3 : 5;
      need(tb + extra);
      const ticks = BigInt(data.readUIntLE(0, tb)) * 10n ** BigInt(7 - scale);
      if (ticks >= TICKS_PER_DAY) throw new ProtocolError(`${t.name}: time out of range`);
      if (t.name === 'time') return formatTime(ticks, scale);
      const days = EPOCH_0001 + data.readUIntLE(tb, 3);
      if (t.name === 'datetime2') return formatMoment(days, ticks, scale);
      const offset = data.readInt16LE(tb + 3);
      const local = BigInt(days) * TICKS_PER_DAY + ticks + BigInt(offset) * 600_000_000n;
      const localDays = Number(local / TICKS_PER_DAY);
      const sign = offset < 0 ? '-' : '+';
      const abs = Math.abs(offset);
      return `${formatMoment(localDays, local - BigInt(localDays) * TICKS_PER_DAY, scale)}${sign}${pad(Math.floor(abs / 60), 2)}:${pad(abs % 60, 2)}`;
    }
    default:
      throw new ProtocolError(`cannot decode ${t.name}`);
  }
}

function decodeBytes(t: TypeInfo, data: Buffer): unknown {
  switch (t.name) {
    case 'nvarchar':
    case 'nchar':
    case 'ntext':
      if (data.length % 2 !== 0) throw new ProtocolError(`${t.name}: odd byte count`);
      return data.toString('utf16le');
    case 'varchar':
    case 'char':
    case 'text':
      return data.toString('latin1');
    default:
      return `0x${data.toString('hex').toUpperCase()}`;
  }
}

/** Reads the value (TYPE_VARBYTE) that follows a TYPE_INFO in an RPC parameter. */
export function readValue(r: Reader, t: TypeInfo): unknown {
  const fixed = FIXED[t.id];
  if (fixed) return t.name === 'null' ? null : decodeScalar(t, r.bytes(fixed[1]));
  switch (t.id) {
    case TYPE.BIGVARBIN:
    case TYPE.BIGBINARY:
    case TYPE.BIGVARCHR:
    case TYPE.BIGCHAR:
    case TYPE.NVARCHAR:
    case TYPE.NCHAR: {
      if (t.maxLength === 0xffff) {
        const data = readPlp(r);
        return data === null ? null : decodeBytes(t, data);
      }
      const len = r.u16();
      return len === 0xffff ? null : decodeBytes(t, r.bytes(len));
    }
    case TYPE.TEXT:
    case TYPE.NTEXT:
    case TYPE.IMAGE: {
      const len = r.u32();
      return len === 0xffffffff ? null : decodeBytes(t, r.bytes(len));
    }
    default: {
      const len = r.u8();
      return len === 0 ? null : decodeScalar(t, r.bytes(len));
    }
  }
}

/** A short SQL-like spelling of a decoded TYPE_INFO, e.g. nvarchar(4000), datetime2(7), decimal(18,2). */
export function typeInfoDeclaration(t: TypeInfo): string {
  switch (t.name) {
    case 'nvarchar':
    case 'nchar':
      return `${t.name}(${t.maxLength === 0xffff ? 'max' : (t.maxLength ?? 0) / 2})`;
    case 'varchar':
    case 'char':
    case 'varbinary':
    case 'binary':
      return `${t.name}(${t.maxLength === 0xffff ? 'max' : t.maxLength})`;
    case 'decimal':
    case 'numeric':
      return `${t.name}(${t.precision},${t.scale})`;
    case 'time':
    case 'datetime2':
    case 'datetimeoffset':
      return `${t.name}(${t.scale})`;
    default:
      return t.name;
  }
}
