/** Checks: warnings of the specification that apply at all times. */
import type { Procedure } from '../types';

export const checkProcedures: readonly Procedure[] = [
  {
    id: 'check.checkpoints-not-backups',
    title: 'Do not use checkpoints for disaster recovery',
    section: 'Back up and restore VMM',
    kind: 'check',
    summary: 'Checkpoints do not duplicate disk contents nor copy data to a separate volume; use them only as a temporary rollback point, and use a backup application for recovery.',
    runner: { kind: 'cmdlet', cmdlet: 'Get-VmmCheckpointReport' },
    relies: [{ kind: 'vmm-cmdlet', name: 'Get-SCVMCheckpoint' }],
    after: [],
    cadence: { every: 'week', note: 'Review weekly.' },
    warning: "Don't use checkpoints for disaster recovery.",
  },
  {
    id: 'check.backup-set',
    title: 'Verify the latest backup set',
    section: 'Create and implement a backup plan',
    kind: 'check',
    summary: 'A backup counts only when it can be restored: check manifests, hashes, .reg files and the database backup header, and freshness.',
    runner: { kind: 'cmdlet', cmdlet: 'Test-VmmBackup' },
    relies: [],
    after: ['backup.plan'],
    cadence: { every: 'day', maxAgeHours: 24, note: 'After every backup run.' },
  },
  {
    id: 'check.manual-items',
    title: 'Review the checklist items no cmdlet performs',
    section: 'Create and implement a backup plan',
    kind: 'check',
    summary: 'Get-VmmChecklist lists every manual item of the plan with its instructions.',
    runner: { kind: 'cmdlet', cmdlet: 'Get-VmmChecklist' },
    relies: [],
    after: [],
    cadence: { every: 'month', note: 'Monthly.' },
  },
];
