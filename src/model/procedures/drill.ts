/** The restore drill: the specification's warning that a backup counts only when it can be restored, practised. */
import type { Procedure } from '../types';

export const drillProcedures: readonly Procedure[] = [
  {
    id: 'check.restore-drill',
    title: 'Prove the backups by restoring them (restore drill)',
    section: 'Create and implement a backup plan',
    kind: 'check',
    summary:
      'Restore the newest backup set away from production: the database under a scratch name on a drill SQL Server (RESTORE, DBCC CHECKDB, the VMM tables, then DROP), the library into a scratch folder verified byte for byte against its manifest, the registry exports parsed and compared with the live settings, the inventory snapshot compared with VMM. The drill measures the recovery point (the backup\'s age) and the recovery time (how long the restore took), and records its result beside the set.',
    runner: { kind: 'cmdlet', cmdlet: 'Invoke-VmmRestoreDrill' },
    relies: [
      { kind: 'sql-server', name: 'RESTORE DATABASE' },
      { kind: 'sql-server', name: 'DBCC CHECKDB' },
    ],
    after: ['check.backup-set'],
    cadence: { every: 'week', maxAgeHours: 168, note: 'Weekly, and after any change to the backup plan, the SQL Server or the library.' },
  },
];
