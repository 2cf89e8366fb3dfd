/** Public entry point of the TDS double: see README.md beside this file. */
export { startTdsServer, DEFAULT_USER, DEFAULT_PASSWORD, parseRpc, parseSqlBatch } from './server';
export type { TdsServer, TdsServerOptions, LoggedLogin } from './server';
export { UNMATCHED_ERROR_NUMBER, prepareRules } from './rules';
export type { Rule, RuleColumn, RuleResultSet, RuleMessage, RuleError, LoggedStatement, LoggedParameter } from './rules';
