import type { Cmdlet } from '../types';
import { s } from '../schema';

/** The Task Scheduler folder that holds the module's tasks, and nothing else. */
export const SCHEDULE_TASK_PATH = '\\VmmBackup\\';

export const backupScheduleSchema = s.object({
  TaskName: s.string('Name of the scheduled task ("VmmBackup Daily", "VmmBackup Weekly").'),
  TaskPath: s.string('Task Scheduler folder of the module (\\VmmBackup\\).'),
  Cadence: s.enum(['Daily', 'Weekly'], 'How often the task runs.'),
  Items: s.array(s.string('Procedure id.'), 'The backup plan items the task runs (Get-VmmBackupPlan).'),
  UserId: s.nullable(s.string('Account the task runs as.')),
  LogonType: s.nullable(s.string('Logon type of the task principal (Password for a gMSA, ServiceAccount for SYSTEM).')),
  Execute: s.nullable(s.string('Program the task starts.')),
  Arguments: s.nullable(s.string('Its arguments: the Invoke-VmmBackup call (never a password).')),
  State: s.string('Task state as Task Scheduler reports it (Ready, Disabled, Running, ...); Removed after Unregister-VmmBackupSchedule.'),
});

const scheduleOutput = (description: string) => ({
  typeName: 'VmmBackup.BackupSchedule',
  description,
  schema: backupScheduleSchema,
});
export { scheduleOutput };

export const registerVmmBackupSchedule: Cmdlet = {
  name: 'Register-VmmBackupSchedule',
  synopsis: 'Registers the backup plan with the Windows Task Scheduler: one task per cadence, each running Invoke-VmmBackup for its items.',
  description: [
    'Reads the backup plan (Get-VmmBackupPlan) and groups the automated backup items by cadence: items that must not be older than a day run in the task "VmmBackup Daily", the others (system state, registry settings) in "VmmBackup Weekly". Each task runs Windows PowerShell with Invoke-VmmBackup -Destination <Destination> and -Skip for the items of the other cadence, so a run writes only its own items (and the checks of the set it wrote); the process exits with 1 when an item failed, so Task Scheduler shows the run as failed.',
    'The tasks live in the Task Scheduler folder \\VmmBackup\\, which holds only the module\'s tasks. Registering again updates the same two tasks (Register-ScheduledTask -Force replaces the definition): there is never more than one set.',
    'Account: -UserId names the account the tasks run as. A group managed service account (gMSA, name ending in $) is the usual choice: the task principal gets LogonType Password, with which Task Scheduler fetches the gMSA password from Active Directory itself, so no password is given, stored in the task arguments, written or logged. NT AUTHORITY\\SYSTEM (or LocalSystem) runs as the computer account (LogonType ServiceAccount). Any other account would need its password stored in the task, which this cmdlet refuses. The account needs the rights Invoke-VmmBackup needs (VMM administrator, sysadmin or db_backupoperator on the VMM database, write access to the destination); on the computer, the gMSA must be allowed to retrieve its password (PrincipalsAllowedToRetrieveManagedPassword) and to log on as a batch job.',
    'The module must be installed for the account (Import-Module VmmBackup must find it, e.g. under Program Files\\WindowsPowerShell\\Modules); under an AllSigned execution policy its signature is checked as for any import.',
  ],
  parameters: [
    { name: 'Destination', type: 'string', mandatory: true, position: 0, help: 'Root folder of the backup sets, passed to Invoke-VmmBackup -Destination (a UNC path for a gMSA, which has no mapped drives).', validate: { notNullOrEmpty: true, pattern: '^[^"\\r\\n]+$' } },
    { name: 'UserId', type: 'string', mandatory: true, help: 'Account the tasks run as: a gMSA (DOMAIN\\name$) or NT AUTHORITY\\SYSTEM. No password is ever asked for or stored.', validate: { notNullOrEmpty: true, pattern: '^[^"\\r\\n]+$' } },
    { name: 'At', type: 'datetime', help: 'Time of day the tasks start (the date part is ignored by the daily and weekly triggers). Default 01:00.', default: '01:00' },
    { name: 'DaysOfWeek', type: 'string[]', help: 'Days the weekly task runs. Default Sunday.', default: ['Sunday'], validate: { set: ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'] } },
    { name: 'SystemStateTarget', type: 'string', help: 'Passed to the weekly run as Invoke-VmmBackup -SystemStateTarget; without it the system state item is Skipped in every run (a warning says so).', validate: { notNullOrEmpty: true, pattern: '^[^"\\r\\n]+$' } },
    { name: 'KeepLibrarySets', type: 'int', help: 'Passed to the daily run as Invoke-VmmBackup -KeepLibrarySets.', validate: { range: [1, 3650] } },
  ],
  examples: [
    { code: "Register-VmmBackupSchedule -Destination \\\\backup01\\vmm -UserId 'CONTOSO\\svc-vmmbackup$' -SystemStateTarget \\\\backup01\\systemstate", remarks: 'Registers the daily and weekly tasks under a gMSA; no password is involved.' },
    { code: "Register-VmmBackupSchedule -Destination \\\\backup01\\vmm -UserId 'CONTOSO\\svc-vmmbackup$' -At '23:30' -DaysOfWeek Saturday -WhatIf", remarks: 'Shows which tasks would be registered or updated, and registers nothing.' },
  ],
  shouldProcess: { impact: 'Medium' },
  output: scheduleOutput('One object per task registered or updated.'),
  status: 'implemented',
  errors: [{ id: 'ScheduleAccount', category: 'InvalidArgument' }],
  vmmCmdlets: [],
};
