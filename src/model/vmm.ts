/**
 * The VMM side of the model in one object: the object properties and state values the cmdlets read, where VMM
 * keeps its settings, console add-ins and database tables, and the file types of a library. The generated
 * private helpers (Get-VmmObjectModel, Get-VmmRegistryLayout, Get-VmmConsoleLayout, Get-VmmDatabaseLayout) are
 * rendered from it.
 */
import { drillDatabase, vmmDatabaseTables } from './vmm-database';
import { libraryFileTypes, vmmConsole, vmmDkm, vmmRegistry, vmmStates } from './vmm-states';

export const vmm = {
  states: vmmStates,
  registry: vmmRegistry,
  dkm: vmmDkm,
  console: vmmConsole,
  database: { tables: vmmDatabaseTables, drill: drillDatabase },
  libraryFileTypes,
} as const;

export type VmmModel = typeof vmm;
