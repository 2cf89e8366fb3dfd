/** Post-restore tasks: "Post-restore tasks" through "Review add-ins, driver packages, and certificates". */
import type { Procedure } from '../types';

const S = {
  overview: 'Post-restore tasks',
  alwaysOn: 'Configure AlwaysOn Availability Groups',
  wap: 'Reinstall Windows Azure Pack',
  consoles: 'Install additional VMM consoles',
  templates: 'Update virtual machine templates',
  hrm: 'Restore Windows Azure Hyper-V Recovery Manager',
  review: 'Review add-ins, driver packages, and certificates',
} as const;

const both = ['same-computer', 'different-computer'] as const;
const afterRestore = ['restore.database'];

export const postRestoreProcedures: readonly Procedure[] = [
  {
    id: 'post-restore.checks',
    title: 'Run the post-restore checks',
    section: S.overview,
    kind: 'post-restore',
    summary: 'Test-VmmPostRestore runs every post-restore check below and gives the fix for each.',
    runner: { kind: 'cmdlet', cmdlet: 'Test-VmmPostRestore' },
    relies: [],
    after: afterRestore,
    scenarios: both,
  },
  {
    id: 'post-restore.alwayson',
    title: 'Re-add the VMM database to its AlwaysOn availability group',
    section: S.alwaysOn,
    kind: 'post-restore',
    summary: 'A database restored on the primary replica is no longer in its availability group.',
    condition: 'The VMM database was configured with SQL Server AlwaysOn Availability Groups.',
    runner: {
      kind: 'checklist',
      check: 'Test-VmmPostRestore',
      instructions: [
        'On the primary replica, set the VMM database to the FULL recovery model and take a full and a log backup.',
        'Add the database to the availability group (ALTER AVAILABILITY GROUP [<group>] ADD DATABASE [<database>]).',
        'On each secondary replica, restore the full and log backups WITH NORECOVERY and join the database (ALTER DATABASE [<database>] SET HADR AVAILABILITY GROUP = [<group>]).',
        'Check in the availability group dashboard that every replica is synchronized.',
      ],
    },
    relies: [{ kind: 'sql-server', name: 'ALTER AVAILABILITY GROUP' }],
    after: afterRestore,
    scenarios: ['same-computer', 'different-computer', 'database-only'],
  },
  {
    id: 'post-restore.wap',
    title: 'Reinstall Windows Azure Pack',
    section: S.wap,
    kind: 'post-restore',
    summary: 'If WAP supported tenants through VMM, reinstall it after the restore.',
    condition: 'Windows Azure Pack was deployed to support tenants through VMM.',
    runner: {
      kind: 'checklist',
      check: 'Test-VmmPostRestore',
      instructions: [
        'Reinstall Windows Azure Pack for Windows Server and its Service Provider Foundation endpoint for VMM.',
        'Re-register the VMM server with Service Provider Foundation and check that tenants see their clouds.',
      ],
    },
    relies: [{ kind: 'third-party', name: 'Windows Azure Pack' }],
    after: afterRestore,
    scenarios: both,
  },
  {
    id: 'post-restore.consoles',
    title: 'Reinstall VMM consoles on replaced servers',
    section: S.consoles,
    kind: 'post-restore',
    summary: 'Servers that hosted a VMM console and were replaced need the console again.',
    condition: 'Servers on which VMM consoles were installed were replaced.',
    runner: {
      kind: 'checklist',
      check: 'Test-VmmPostRestore',
      instructions: ['On each replaced server that had the VMM console, run VMM Setup and install the VMM console only.', 'Connect each console to the restored VMM management server.'],
    },
    relies: [{ kind: 'windows', name: 'VMM Setup' }],
    after: afterRestore,
    scenarios: both,
  },
  {
    id: 'post-restore.vm-templates',
    title: 'Update VM templates so each names its operating-system disk',
    section: S.templates,
    kind: 'post-restore',
    summary: 'Every restored VM template must correctly specify the virtual hard disk that contains the operating system.',
    runner: {
      kind: 'checklist',
      check: 'Test-VmmPostRestore',
      instructions: [
        'Run Test-VmmPostRestore to list the VM templates whose operating-system disk is missing or wrong.',
        'In the VMM console, open the Library workspace, expand Templates, and click VM Templates.',
        'In the Templates pane, right-click each listed template, click Properties, open the Hardware Configuration page, and select the virtual hard disk that contains the operating system.',
      ],
    },
    relies: [
      { kind: 'vmm-cmdlet', name: 'Get-SCVMTemplate' },
      { kind: 'vmm-cmdlet', name: 'Get-SCVirtualHardDisk' },
    ],
    after: afterRestore,
    scenarios: both,
  },
  {
    id: 'post-restore.hrm-provider',
    title: 'Restore the Hyper-V Recovery Manager (Azure Site Recovery) provider',
    section: S.hrm,
    kind: 'post-restore',
    summary: 'If Hyper-V Recovery Manager was used, its provider on the VMM server must be restored.',
    condition: 'Windows Azure Hyper-V Recovery Manager (Azure Site Recovery) is implemented.',
    runner: {
      kind: 'checklist',
      check: 'Test-VmmPostRestore',
      instructions: [
        'Download the registration key of the vault in the Azure portal (Site Recovery vault > Prepare infrastructure).',
        'Install the Azure Site Recovery Provider on the VMM server and register it to the vault with that key.',
        'Check in the portal that the VMM server is connected and the clouds are protected again.',
      ],
    },
    relies: [{ kind: 'third-party', name: 'Azure Site Recovery Provider' }],
    after: afterRestore,
    scenarios: both,
  },
  {
    id: 'post-restore.addins',
    title: 'Restore non-Microsoft UI add-ins and applications',
    section: S.review,
    kind: 'post-restore',
    summary: 'Each add-in or non-Microsoft application follows its vendor\'s restore guidelines.',
    runner: {
      kind: 'checklist',
      check: 'Test-VmmPostRestore',
      instructions: ['For each console add-in and non-Microsoft application recorded in the backup plan, follow its vendor\'s restore guidelines.', 'Import each add-in again in the VMM console (Settings > Import Console Add-in) if it is missing.'],
    },
    relies: [{ kind: 'third-party', name: 'add-in vendors' }],
    after: afterRestore,
    scenarios: both,
  },
  {
    id: 'post-restore.driver-packages',
    title: 'Re-add driver packages that were not discovered',
    section: S.review,
    kind: 'post-restore',
    summary: 'Driver packages in the library may not be discovered correctly after a restore; remove and re-add them.',
    runner: {
      kind: 'checklist',
      check: 'Test-VmmPostRestore',
      instructions: [
        'Run Test-VmmPostRestore to list driver packages VMM no longer finds.',
        'For each, remove it from the library and copy its folder back onto the library share, then refresh the share so VMM discovers it again.',
      ],
    },
    relies: [{ kind: 'vmm-cmdlet', name: 'Get-SCDriverPackage' }],
    after: afterRestore,
    scenarios: both,
  },
  {
    id: 'post-restore.certificates',
    title: 'Update VMM-related certificates on hosts',
    section: S.review,
    kind: 'post-restore',
    summary: 'Certificates on hosts that relate to VMM must name the new VMM management server.',
    runner: {
      kind: 'checklist',
      check: 'Test-VmmPostRestore',
      instructions: [
        'Run Test-VmmPostRestore to list hosts whose VMM certificate does not match the VMM management server.',
        'On each listed host, refresh the host in VMM (or reassociate it) so VMM issues a certificate for the new management server, and remove the old certificate.',
      ],
    },
    relies: [{ kind: 'vmm-cmdlet', name: 'Get-SCVMHost' }],
    after: afterRestore,
    scenarios: ['different-computer'],
  },
];
