/** The scripted behaviour of the TDS double: rules, their validation, and the statement log. */
import { ColumnType, encodeTypeInfo, encodeValue, parseColumnType, TdsDataError } from './types';

export interface RuleColumn {
  name: string;
  /** 'int', 'bigint', 'smallint', 'tinyint', 'bit', 'float', 'decimal[(p[,s])]', 'numeric[(p[,s])]', 'nvarchar[(n|max)]',
   * 'nchar[(n)]', 'varchar[(n|max)]', 'char[(n)]', 'datetime', 'datetime2[(s)]', 'date', 'uniqueidentifier', 'varbinary[(n|max)]' */
  type: string;
}

export interface RuleResultSet {
  columns: RuleColumn[];
  rows: unknown[][];
}

export interface RuleMessage {
  number?: number;
  text: string;
  state?: number;
  /** 0..10 (an INFO token); default 0. */
  class?: number;
  /** Wait this long before sending the message (everything before it is flushed to the client first). */
  delayMs?: number;
}

export interface RuleError {
  number: number;
  state?: number;
  /** Severity; default 16. 20 and above also closes the connection, as SQL Server does. */
  class?: number;
  message: string;
}

export interface Rule {
  /** RegExp, or a regular expression source (matched case-insensitively unless `flags` says otherwise). */
  match: string | RegExp;
  /** Flags for a string `match`; default 'i'. */
  flags?: string;
  /**
   * The rule applies only when the request binds these values (by parameter name, with or without '@', in the
   * log's value forms: numbers, text for bigint/decimal/dates, '0x…' for binary; a Date matches a datetime's text).
   */
  parameters?: Record<string, unknown>;
  resultSets?: RuleResultSet[];
  messages?: RuleMessage[];
  error?: RuleError;
  /** Several errors in one answer, in order (SQL Server's BACKUP sends e.g. 3201 then 3013); `error`, if also given, comes last. */
  errors?: RuleError[];
  /** Rows affected reported for a statement without result sets (DONE with the count bit). */
  rowsAffected?: number;
  /** Wait before answering (an attention from the client ends the wait). */
  delayMs?: number;
  /** 'before': close the connection without answering; 'mid-result': send part of the answer, then close. */
  dropConnection?: 'before' | 'mid-result';
  /** Values of the request's output parameters (by name, with or without '@'); unnamed ones come back null. RPC only. */
  outputs?: Record<string, unknown>;
  /** The procedure's return status (RETURNSTATUS), default 0. RPC only. */
  returnStatus?: number;
  /** Apply the rule this many times only, then skip it (default: always). */
  times?: number;
}

export interface LoggedParameter {
  name: string;
  /** Base SQL type name as decoded from TYPE_INFO: int, bigint, nvarchar, datetime2, … */
  type: string;
  /** The type with its length/scale, e.g. nvarchar(4000), datetime2(7), decimal(18,2). */
  declaredAs: string;
  value: unknown;
  output?: boolean;
}

export interface LoggedStatement {
  /** 'transaction': a transaction manager request (BeginTransaction/Commit/Rollback/Save), answered without rules. */
  kind: 'batch' | 'rpc' | 'transaction';
  /** Batch text; for sp_executesql the @stmt text; for other procedures the procedure name; for transaction
   * requests 'BEGIN TRANSACTION', 'COMMIT TRANSACTION', 'ROLLBACK TRANSACTION' or 'SAVE TRANSACTION name'. */
  sql: string;
  /** The procedure of an RPC: 'sp_executesql' or the name the client sent. */
  procedure?: string;
  /** sp_executesql's @params declaration text. */
  declaration?: string;
  /** Parameters as decoded (without sp_executesql's @stmt and @params). */
  parameters: LoggedParameter[];
  /** Index of the rule that answered, or absent when no rule matched. */
  rule?: number;
  /** True when no rule matched (the client got error 50999). */
  unmatched?: true;
  /** Which connection sent it (1, 2, … in accept order). */
  connection: number;
}

/** Error number sent for a statement no rule matches. */
export const UNMATCHED_ERROR_NUMBER = 50999;

interface PreparedColumn {
  name: string;
  type: ColumnType;
  typeInfo: Buffer;
}

export interface PreparedResultSet {
  columns: PreparedColumn[];
  rows: Buffer[]; // encoded ROW bodies (without the ROW token byte)
}

export interface PreparedRule {
  index: number;
  source: Rule;
  regex: RegExp;
  resultSets: PreparedResultSet[];
  remaining: number;
}

export class RuleValidationError extends Error {}

/** Validates rules and encodes their result sets once, so a bad rule fails when it is set, not mid-test. */
export function prepareRules(rules: readonly Rule[]): PreparedRule[] {
  if (!Array.isArray(rules as unknown)) throw new RuleValidationError('rules must be an array');
  return rules.map((rule, index) => {
    const where = `rule ${index}`;
    if (!rule || (typeof rule.match !== 'string' && !(rule.match instanceof RegExp))) {
      throw new RuleValidationError(`${where}: 'match' must be a string or RegExp`);
    }
    let regex: RegExp;
    try {
      regex = typeof rule.match === 'string' ? new RegExp(rule.match, rule.flags ?? 'i') : rule.match;
    } catch (e) {
      throw new RuleValidationError(`${where}: bad regular expression: ${(e as Error).message}`);
    }
    if (rule.dropConnection !== undefined && rule.dropConnection !== 'before' && rule.dropConnection !== 'mid-result') {
      throw new RuleValidationError(`${where}: dropConnection must be 'before' or 'mid-result'`);
    }
    for (const m of rule.messages ?? []) {
      if (typeof m.text !== 'string') throw new RuleValidationError(`${where}: every message needs a text`);
      if ((m.class ?? 0) > 10) throw new RuleValidationError(`${where}: message class must be 0..10 (use 'error' for errors)`);
    }
    if (rule.parameters !== undefined && (rule.parameters === null || typeof rule.parameters !== 'object' || Array.isArray(rule.parameters))) {
      throw new RuleValidationError(`${where}: parameters must be an object of parameter name → value`);
    }
    if (rule.outputs !== undefined && (rule.outputs === null || typeof rule.outputs !== 'object' || Array.isArray(rule.outputs))) {
      throw new RuleValidationError(`${where}: outputs must be an object of parameter name → value`);
    }
    if (rule.returnStatus !== undefined && !Number.isInteger(rule.returnStatus)) throw new RuleValidationError(`${where}: returnStatus must be an integer`);
    if (rule.errors !== undefined && !Array.isArray(rule.errors)) throw new RuleValidationError(`${where}: errors must be an array`);
    for (const e of [...(rule.errors ?? []), ...(rule.error ? [rule.error] : [])]) {
      if (!e || !Number.isInteger(e.number) || typeof e.message !== 'string') throw new RuleValidationError(`${where}: error needs a number and a message`);
      if (e.class !== undefined && (e.class < 11 || e.class > 25)) throw new RuleValidationError(`${where}: error class must be 11..25`);
    }
    const resultSets = (rule.resultSets ?? []).map((rs, si) => {
      if (!Array.isArray(rs.columns) || rs.columns.length === 0) throw new RuleValidationError(`${where} result set ${si}: needs columns`);
      const columns = rs.columns.map((c) => {
        try {
          const type = parseColumnType(c.type);
          return { name: String(c.name ?? ''), type, typeInfo: encodeTypeInfo(type) };
        } catch (e) {
          throw new RuleValidationError(`${where} result set ${si} column ${c.name}: ${(e as Error).message}`);
        }
      });
      const rows = (rs.rows ?? []).map((row, ri) => {
        if (!Array.isArray(row) || row.length !== columns.length) {
          throw new RuleValidationError(`${where} result set ${si} row ${ri}: expected ${columns.length} values`);
        }
        try {
          return Buffer.concat(row.map((v, ci) => encodeValue(columns[ci].type, v, `column ${columns[ci].name}`)));
        } catch (e) {
          if (e instanceof TdsDataError) throw new RuleValidationError(`${where} result set ${si} row ${ri}: ${e.message}`);
          throw e;
        }
      });
      return { columns, rows };
    });
    return { index, source: rule, regex, resultSets, remaining: rule.times ?? Infinity };
  });
}

function sameValue(actual: unknown, expected: unknown): boolean {
  if (expected instanceof Date) return typeof actual === 'string' && actual.startsWith(expected.toISOString().slice(0, 23));
  if (typeof expected === 'bigint') return actual === expected.toString();
  if (typeof expected === 'string' && typeof actual === 'string' && /^0x/i.test(expected)) return actual.toUpperCase() === expected.toUpperCase();
  if (typeof expected === 'number' && typeof actual === 'string') return actual === String(expected);
  if (typeof expected === 'string' && typeof actual === 'string' && /^\d{4}-\d\d-\d\dT/.test(expected) && /^\d{4}-\d\d-\d\dT/.test(actual)) {
    const trim = (t: string): string => t.replace(/(\.\d*?)0+$/, '$1').replace(/\.$/, '');
    return trim(actual) === trim(expected); // '…09.1230000' matches '…09.123'
  }
  return JSON.stringify(actual) === JSON.stringify(expected);
}

function parametersMatch(wanted: Record<string, unknown> | undefined, parameters: readonly LoggedParameter[]): boolean {
  if (!wanted) return true;
  return Object.entries(wanted).every(([name, expected]) => {
    const key = name.startsWith('@') ? name : `@${name}`;
    const p = parameters.find((x) => x.name.toLowerCase() === key.toLowerCase());
    return p !== undefined && sameValue(p.value, expected);
  });
}

export function findRule(rules: PreparedRule[], sql: string, parameters: readonly LoggedParameter[] = []): PreparedRule | undefined {
  for (const rule of rules) {
    if (rule.remaining <= 0) continue;
    rule.regex.lastIndex = 0;
    if (rule.regex.test(sql) && parametersMatch(rule.source.parameters, parameters)) {
      rule.remaining -= 1;
      return rule;
    }
  }
  return undefined;
}

const BUILTIN_RULES = prepareRules([
  { match: '^$', resultSets: [{ columns: [{ name: '', type: 'int' }], rows: [[1]] }] },
  { match: '^$' },
]);

/**
 * Statements clients send on their own, answered when no rule matches them and kept out of the statement log:
 *  - a batch made only of SET options (tedious sends `set textsize …`, `set quoted_identifier on`, … after login)
 *    → DONE;
 *  - `SELECT 1` as a batch or through sp_executesql without parameters (the mssql pool validates each
 *    connection it hands out with it) → one row with the value 1.
 */
export function builtinRule(statement: { kind: 'batch' | 'rpc'; sql: string; procedure?: string; parameters: unknown[] }): PreparedRule | undefined {
  const plain = statement.kind === 'batch' || (statement.procedure === 'sp_executesql' && statement.parameters.length === 0);
  if (!plain) return undefined;
  const text = statement.sql.trim();
  if (/^select\s+1\s*;?$/i.test(text)) return BUILTIN_RULES[0];
  if (statement.kind !== 'batch') return undefined;
  const statements = text.split(/[;\r\n]+/).map((s) => s.trim()).filter(Boolean);
  if (statements.length > 0 && statements.every((s) => /^set\s+[a-z_]+(\s+[a-z0-9_]+)*$/i.test(s))) return BUILTIN_RULES[1];
  return undefined;
}
