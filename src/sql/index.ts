/** SQL Server operations for VMM database backups (mssql/tedious): see README.md beside this file. */
export * from './connection';
export * from './backup';
export * from './errors';
export * from './statements';
export * from './encryption-guard';
