/**
 * The tables of the VMM database (VirtualManagerDB) the restore drill reads, in one place. A restored copy counts
 * as a VMM database only when each of these tables exists in its dbo schema; the drill reports the row count of
 * each as evidence (how many VMM servers, hosts, virtual machines and library objects the backup holds).
 *
 * The names come from the VMM database as Microsoft's support articles and public troubleshooting scripts
 * query it (VMM 2012 to 2025 keep them). If a VMM release renames one, correct it here: the generated module
 * (the private helper Get-VmmDatabaseLayout, generated from this file) and its tests take every name from this
 * list. Only the drill reads these tables, and only in its scratch copy.
 */
export interface VmmDatabaseTable {
  /** Table name in the dbo schema. */
  readonly table: string;
  /** The column name of its row count in the drill's check (and in the evidence). */
  readonly count: string;
  /** What its rows are. */
  readonly holds: string;
}

export const vmmDatabaseTables: readonly VmmDatabaseTable[] = [
  { table: 'tbl_VMM_Server', count: 'VmmServers', holds: 'the VMM management servers of the installation' },
  { table: 'tbl_ADHC_Host', count: 'Hosts', holds: 'the virtualization hosts VMM manages' },
  { table: 'tbl_WLC_VObject', count: 'VirtualMachines', holds: 'the virtual objects (virtual machines and templates) VMM knows' },
  { table: 'tbl_WLC_PhysicalObject', count: 'LibraryObjects', holds: 'the physical library objects (virtual hard disks, ISO images, scripts) of the library' },
] as const;

/**
 * The name of a scratch database: `<database>_drill_<yyyyMMddHHmmss>`. Any database whose name ends with this
 * suffix pattern is taken for a drill's leftover and dropped by the next drill (T-SQL LIKE pattern).
 */
export const drillDatabase = {
  suffix: '_drill_',
  stampFormat: 'yyyyMMddHHmmss',
  leftoverPattern: '%[_]drill[_][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]',
} as const;
