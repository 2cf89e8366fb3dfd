import type { Cmdlet } from '../types';
import { scheduleOutput } from './register-vmm-backup-schedule';

export const unregisterVmmBackupSchedule: Cmdlet = {
  name: 'Unregister-VmmBackupSchedule',
  synopsis: 'Removes the backup tasks Register-VmmBackupSchedule registered, and no other task.',
  description: [
    'Unregisters the module\'s tasks ("VmmBackup Daily", "VmmBackup Weekly") from the Task Scheduler folder \\VmmBackup\\; any other task, in that folder or elsewhere, is left alone. Backup sets already written are not touched.',
  ],
  parameters: [
    { name: 'Cadence', type: 'string[]', help: 'Only the tasks of these cadences; all of the module\'s tasks when omitted.', validate: { set: ['Daily', 'Weekly'] } },
  ],
  examples: [
    { code: 'Unregister-VmmBackupSchedule', remarks: 'Removes the daily and weekly backup tasks.' },
    { code: 'Unregister-VmmBackupSchedule -Cadence Weekly -WhatIf', remarks: 'Shows which task would be removed, and removes nothing.' },
  ],
  shouldProcess: { impact: 'High' },
  output: scheduleOutput('One object per task removed (State Removed).'),
  status: 'implemented',
  errors: [],
  vmmCmdlets: [],
};
