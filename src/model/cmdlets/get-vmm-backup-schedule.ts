import type { Cmdlet } from '../types';
import { scheduleOutput } from './register-vmm-backup-schedule';

export const getVmmBackupSchedule: Cmdlet = {
  name: 'Get-VmmBackupSchedule',
  synopsis: 'Lists the backup tasks Register-VmmBackupSchedule registered, with their cadence, items, account and command.',
  description: [
    'Reads the tasks of the Task Scheduler folder \\VmmBackup\\ (Get-ScheduledTask) and returns one object per task: its cadence and the plan items it runs (from the task description the module wrote), the account and logon type of its principal, the program and arguments it starts, and its state. Tasks the module did not register (other names) are left out. Nothing is returned when no schedule is registered.',
  ],
  parameters: [],
  examples: [
    { code: 'Get-VmmBackupSchedule | Format-Table TaskName, Cadence, UserId, State', remarks: 'Shows the registered schedule.' },
    { code: "Get-VmmBackupSchedule | Where-Object Cadence -eq 'Weekly' | Select-Object -ExpandProperty Items", remarks: 'Lists the items the weekly task runs.' },
  ],
  output: scheduleOutput('One object per registered backup task.'),
  status: 'implemented',
  errors: [],
  vmmCmdlets: [],
};
