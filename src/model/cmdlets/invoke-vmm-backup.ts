import type { Cmdlet } from '../types';
import { s } from '../schema';
import { states, vmmServerParameter, when } from './common';
import { fanOutDescription, fanOutExamples, fanOutParameters, withComputerName } from './fan-out';

export const invokeVmmBackup: Cmdlet = {
  name: 'Invoke-VmmBackup',
  synopsis: 'Runs the whole backup plan into one backup set and reports each item.',
  description: [
    'Runs every automated item of Get-VmmBackupPlan (database, registry settings, library shares, inventory, VM configuration files, system state when a target is given) into dated folders under -Destination, and reports the manual items as ActionRequired with their instructions. One failing item does not stop the others.',
    'Layout: <Destination>\\<yyyyMMdd_HHmmss>\\database (Backup-VmmDatabase), registry (Backup-VmmRegistrySetting), inventory (Export-VmmInventory), vmconfig (Backup-VmmVMConfiguration), and backup-set.json, written last under a temporary name then renamed, with the result of every item, the SHA-256 of every file of the set and the library set used. The library goes to <Destination>\\library (Backup-VmmLibraryShare), shared by all runs so each run copies only what changed. The system state goes to -SystemStateTarget. Test-VmmBackup reads this layout.',
    'Results: backup items are Succeeded or Failed (an error, or a cmdlet not implemented in this version, fails only its item); check.backup-set runs Test-VmmBackup on the new set (an item skipped on purpose is not counted against it); items no cmdlet performs, and reviews that are not part of a backup run, are ActionRequired with what the operator must do; items named in -Skip, and the system state without -SystemStateTarget, are Skipped. The backup.plan row sums up the run and is Failed when any item failed; every result also carries RunState, the state of the whole run, and a warning names the failed items. Each item\'s folder (database, registry, inventory, vmconfig) is created before its cmdlet runs, since a backup program such as SQL Server\'s BACKUP TO DISK does not create folders.',
    ...fanOutDescription('-Destination is split per server: each server runs the plan into <Destination>\\<server>. A server that fails gives one Failed item (Id fanout.server) with the reason, besides the error.'),
  ],
  parameters: [
    { name: 'Destination', type: 'string', mandatory: true, position: 0, help: 'Root folder of the backup sets (not a root directory).', validate: { notNullOrEmpty: true } },
    { name: 'SystemStateTarget', type: 'string', help: 'Volume or share for the system state backup; the item is skipped when omitted.' },
    { name: 'Skip', type: 'string[]', help: 'Procedure ids to skip (see Get-VmmBackupPlan); an id that is not in the backup plan is refused.' },
    {
      name: 'KeepLibrarySets',
      type: 'int',
      help: 'Passed to Backup-VmmLibraryShare as -KeepSets: keep the newest this many good library sets under <Destination>\\library and remove older ones and the stored files only they used. Only good sets count (complete and verified, with files from every share, nothing unreadable, not under half the files or bytes of the good set before), and a run that backed up nothing from a share removes nothing. Nothing is removed when omitted. An older backup set whose library set was removed reports that library set as missing.',
      validate: { range: [1, 3650] },
    },
    vmmServerParameter,
    ...fanOutParameters,
  ],
  defaultParameterSet: 'Local',
  examples: [
    { code: 'Invoke-VmmBackup -Destination \\\\backup01\\vmm -SystemStateTarget E:', remarks: 'Runs the whole plan.' },
    { code: 'Invoke-VmmBackup -Destination \\\\backup01\\vmm -SystemStateTarget E: -KeepLibrarySets 14', remarks: 'Runs the whole plan and keeps only the 14 newest library backup sets (and the stored files they use).' },
    { code: "Invoke-VmmBackup -Destination D:\\VmmBackup -Skip backup.library | Where-Object State -in 'Failed', 'ActionRequired'", remarks: 'Runs the plan without the library copy and shows what failed or needs the operator.' },
    ...fanOutExamples('Invoke-VmmBackup', '-Destination \\\\backup01\\vmm'),
  ],
  shouldProcess: { impact: 'Medium' },
  output: {
    typeName: 'VmmBackup.PlanRunItem',
    description: 'One object per plan item.',
    schema: withComputerName(s.object({
      Id: s.string('Procedure id.'),
      Title: s.string('What was done.'),
      State: s.enum(states.run, 'Result.'),
      RunState: s.enum(['Succeeded', 'Failed'] as const, 'State of the whole run, the same on every result: Failed when any item failed (or the set could not be committed), else Succeeded.'),
      Output: s.nullable(s.string('File or folder written.')),
      Message: s.nullable(s.string('Error, or what the operator must do.')),
      StartTime: when.started,
      EndTime: when.finished,
    })),
  },
  status: 'implemented',
  errors: [
    { id: 'UnknownPlanItem', category: 'InvalidArgument' },
    { id: 'RootDestination', category: 'InvalidArgument' },
    { id: 'DestinationUnreachable', category: 'WriteError' },
  ],
  vmmCmdlets: [],
  progressId: 4100,
};
