/** Data-type edge cases of the TDS double, checked by encoding a value and decoding it back. */
import {
  bytesToGuid, civilFromDays, daysFromCivil, encodeTypeInfo, encodeValue, guidToBytes, parseColumnType, Reader,
  readTypeInfo, readValue,
} from './types';

/** Encodes a value as a result column, then reads it back as if it were an RPC parameter of the same type. */
function roundTrip(type: string, value: unknown): unknown {
  const t = parseColumnType(type);
  const r = new Reader(Buffer.concat([encodeTypeInfo(t), encodeValue(t, value, 'test')]));
  const info = readTypeInfo(r);
  const decoded = readValue(r, info);
  expect(r.remaining).toBe(0);
  return decoded;
}

describe('TDS double data types', () => {
  test('calendar arithmetic is exact from 0001-01-01 to 9999-12-31', () => {
    for (const [y, m, d] of [[1, 1, 1], [1600, 2, 29], [1900, 1, 1], [1970, 1, 1], [2000, 2, 29], [2024, 12, 31], [9999, 12, 31]]) {
      expect(civilFromDays(daysFromCivil(y, m, d))).toEqual([y, m, d]);
    }
    expect(daysFromCivil(1970, 1, 1)).toBe(0);
    expect(daysFromCivil(2000, 3, 1) - daysFromCivil(2000, 2, 28)).toBe(2);
    expect(daysFromCivil(1900, 3, 1) - daysFromCivil(1900, 2, 28)).toBe(1);
  });

  test('datetime keeps 1/300 s precision and rounds .999 up to the next day, as SQL Server does', () => {
    expect(roundTrip('datetime', '2024-05-06T07:08:09.123')).toBe('2024-05-06T07:08:09.123');
    expect(roundTrip('datetime', '2024-05-06T07:08:09.997')).toBe('2024-05-06T07:08:09.997');
    expect(roundTrip('datetime', '2024-12-31T23:59:59.999')).toBe('2025-01-01T00:00:00.000');
    expect(roundTrip('datetime', new Date(Date.UTC(1753, 0, 1)))).toBe('1753-01-01T00:00:00.000');
  });

  test('datetime2 keeps its scale; date keeps the day', () => {
    expect(roundTrip('datetime2', '0001-01-01T00:00:00')).toBe('0001-01-01T00:00:00.0000000');
    expect(roundTrip('datetime2', '9999-12-31T23:59:59.9999999')).toBe('9999-12-31T23:59:59.9999999');
    expect(roundTrip('datetime2(3)', '2024-05-06T07:08:09.1234')).toBe('2024-05-06T07:08:09.123');
    expect(roundTrip('datetime2(3)', '2024-05-06T07:08:09.1235')).toBe('2024-05-06T07:08:09.124');
    expect(roundTrip('datetime2(0)', '2024-12-31T23:59:59.5')).toBe('2025-01-01T00:00:00');
    expect(roundTrip('datetime2(0)', '2024-05-06 07:08:09')).toBe('2024-05-06T07:08:09');
    expect(roundTrip('date', '2024-02-29')).toBe('2024-02-29');
  });

  test('integers keep their full range; bigint travels as text', () => {
    expect(roundTrip('int', 2147483647)).toBe(2147483647);
    expect(roundTrip('tinyint', 255)).toBe(255);
    expect(roundTrip('smallint', -32768)).toBe(-32768);
    expect(roundTrip('bigint', 9223372036854775807n)).toBe('9223372036854775807');
    expect(() => roundTrip('int', 2147483648)).toThrow(/out of range/);
    expect(() => roundTrip('tinyint', -1)).toThrow(/out of range/);
    expect(() => roundTrip('int', 1.5)).toThrow(/expected an integer/);
  });

  test('GUIDs use the mixed-endian wire layout', () => {
    const bytes = guidToBytes('6F9619FF-8B86-D011-B42D-00C04FC964FF');
    expect(bytes.toString('hex')).toBe('ff19966f868b11d0b42d00c04fc964ff');
    expect(bytesToGuid(bytes)).toBe('6F9619FF-8B86-D011-B42D-00C04FC964FF');
    expect(roundTrip('uniqueidentifier', '{6f9619ff-8b86-d011-b42d-00c04fc964ff}')).toBe('6F9619FF-8B86-D011-B42D-00C04FC964FF');
    expect(() => guidToBytes('not-a-guid')).toThrow(/bad GUID/);
  });

  test('strings and binaries, bounded and max (PLP), with nulls', () => {
    expect(roundTrip('nvarchar(5)', 'héllo')).toBe('héllo');
    expect(() => roundTrip('nvarchar(5)', 'toolong')).toThrow(/longer than nvarchar\(5\)/);
    expect(roundTrip('nvarchar(max)', 'z'.repeat(70000))).toBe('z'.repeat(70000));
    expect(roundTrip('nvarchar(max)', '')).toBe('');
    expect(roundTrip('nvarchar(max)', null)).toBeNull();
    expect(roundTrip('nvarchar', null)).toBeNull();
    expect(roundTrip('varbinary(4)', [1, 2, 255])).toBe('0x0102FF');
    expect(roundTrip('varbinary(max)', '0xABCD')).toBe('0xABCD');
    expect(() => roundTrip('varbinary(2)', '0x010203')).toThrow(/longer than varbinary\(2\)/);
    expect(roundTrip('bit', false)).toBe(false);
    expect(roundTrip('float', -0.125)).toBe(-0.125);
    expect(roundTrip('int', null)).toBeNull();
  });

  test('decimal/numeric round to their scale and check their precision', () => {
    expect(roundTrip('numeric(20,0)', '18446744073709551615')).toBe('18446744073709551615');
    expect(roundTrip('decimal(9,2)', 1234.565)).toBe('1234.57');
    expect(roundTrip('decimal(9,2)', '-0.004')).toBe('0.00');
    expect(roundTrip('decimal(9,2)', '-0.005')).toBe('-0.01');
    expect(roundTrip('decimal(38,10)', 1234567890123456789012345678n)).toBe('1234567890123456789012345678.0000000000');
    expect(() => roundTrip('decimal(38,10)', 12345678901234567890123456789n)).toThrow(/does not fit/);
    expect(roundTrip('decimal', 42)).toBe('42');
    expect(() => roundTrip('decimal(5,2)', 1000)).toThrow(/does not fit decimal\(5,2\)/);
    expect(() => roundTrip('decimal(5,2)', 'abc')).toThrow(/is not a decimal/);
  });

  test('char, varchar and nchar: Latin-1 text, padded fixed lengths, max as PLP', () => {
    expect(roundTrip('char(1)', 'D')).toBe('D');
    expect(roundTrip('char(4)', 'L')).toBe('L   ');
    expect(roundTrip('nchar(3)', 'é')).toBe('é  ');
    expect(roundTrip('varchar(20)', 'Café')).toBe('Café');
    expect(roundTrip('varchar(max)', 'q'.repeat(9000))).toBe('q'.repeat(9000));
    expect(roundTrip('varchar(5)', null)).toBeNull();
    expect(() => roundTrip('varchar(5)', '✓')).toThrow(/Latin-1/);
    expect(() => roundTrip('char(1)', 'DL')).toThrow(/longer than char\(1\)/);
  });

  test('column type names are parsed strictly', () => {
    expect(parseColumnType('NVARCHAR(MAX)')).toEqual({ name: 'nvarchar', length: -1 });
    expect(parseColumnType('datetime2')).toEqual({ name: 'datetime2', scale: 7 });
    expect(() => parseColumnType('nvarchar(4001)')).toThrow(/bad length/);
    expect(() => parseColumnType('datetime2(8)')).toThrow(/bad datetime2 scale/);
    expect(() => parseColumnType('int(4)')).toThrow(/takes no argument/);
    expect(() => parseColumnType('xml')).toThrow(/unsupported column type/);
    expect(parseColumnType('numeric(20, 0)')).toEqual({ name: 'numeric', precision: 20, scale: 0 });
    expect(() => parseColumnType('decimal(5,6)')).toThrow(/bad precision or scale/);
    expect(() => parseColumnType('char(max)')).toThrow(/bad length/);
    expect(() => parseColumnType('int(1,2)')).toThrow(/bad type/);
  });
});
