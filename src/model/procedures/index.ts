import type { Procedure } from '../types';
import { backupProcedures } from './backup';
import { checkProcedures } from './checks';
import { drillProcedures } from './drill';
import { postRestoreProcedures } from './post-restore';
import { restoreProcedures } from './restore';

/** Every procedure, in plan order: backups, checks, restores, post-restore tasks. */
export const procedures: readonly Procedure[] = [...backupProcedures, ...checkProcedures, ...drillProcedures, ...restoreProcedures, ...postRestoreProcedures];
export { proseOnlySections } from './prose-only';
