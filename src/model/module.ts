import type { ModuleInfo } from './types';

/** Identity of the emitted PowerShell module. The GUID never changes between versions. */
export const moduleInfo: ModuleInfo = {
  name: 'VmmBackup',
  version: '0.1.0',
  guid: '6b7f3f0e-5d55-4c1e-9a8e-2f4f6c1d9b10',
  author: 'vmm-backup contributors',
  companyName: 'vmm-backup',
  copyright: '(c) vmm-backup contributors. MIT License.',
  description:
    'Backs up and restores System Center Virtual Machine Manager (VMM) as Microsoft documents it: the VMM database, registry settings, library shares, inventory and the rest of the backup plan, with checks and checklists for every step that cannot be automated, and DSC resources that keep backups fresh.',
  tags: ['VMM', 'SCVMM', 'SystemCenter', 'Backup', 'Restore', 'DSC', 'DisasterRecovery', 'PSEdition_Desktop', 'PSEdition_Core', 'Windows'],
  projectUri: 'https://github.com/vmm-backup/vmm-backup',
  licenseUri: 'https://github.com/vmm-backup/vmm-backup/blob/main/LICENSE',
  releaseNotes: 'First release: the procedure model, the generated module skeleton and the QA suite.',
};
