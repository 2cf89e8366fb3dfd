/** Every cmdlet of the module, one file each. Order here is the order of help and listings. */
import type { Cmdlet } from '../types';
import { backupVmmDatabase } from './backup-vmm-database';
import { backupVmmLibraryShare } from './backup-vmm-library-share';
import { backupVmmRegistrySetting } from './backup-vmm-registry-setting';
import { backupVmmSystemState } from './backup-vmm-system-state';
import { backupVmmVMConfiguration } from './backup-vmm-vm-configuration';
import { compareVmmInventory } from './compare-vmm-inventory';
import { exportVmmInventory } from './export-vmm-inventory';
import { getVmmBackupPlan } from './get-vmm-backup-plan';
import { getVmmBackupSchedule } from './get-vmm-backup-schedule';
import { getVmmChecklist } from './get-vmm-checklist';
import { getVmmCheckpointReport } from './get-vmm-checkpoint-report';
import { getVmmCloudProtection } from './get-vmm-cloud-protection';
import { getVmmDkmConfiguration } from './get-vmm-dkm-configuration';
import { getVmmLocalInventory } from './get-vmm-local-inventory';
import { getVmmRestorePlan } from './get-vmm-restore-plan';
import { invokeVmmBackup } from './invoke-vmm-backup';
import { invokeVmmRestoreDrill } from './invoke-vmm-restore-drill';
import { registerVmmBackupSchedule } from './register-vmm-backup-schedule';
import { repairVmmHostAssociation } from './repair-vmm-host-association';
import { resetVmmPerimeterHostPassword } from './reset-vmm-perimeter-host-password';
import { restoreVmmDatabase } from './restore-vmm-database';
import { restoreVmmLibraryShare } from './restore-vmm-library-share';
import { restoreVmmRegistrySetting } from './restore-vmm-registry-setting';
import { switchVmmLibraryServer } from './switch-vmm-library-server';
import { syncVmmInventory } from './sync-vmm-inventory';
import { testVmmBackup } from './test-vmm-backup';
import { testVmmPostRestore } from './test-vmm-post-restore';
import { unregisterVmmBackupSchedule } from './unregister-vmm-backup-schedule';

export const cmdlets: readonly Cmdlet[] = [
  backupVmmDatabase,
  backupVmmLibraryShare,
  backupVmmRegistrySetting,
  backupVmmSystemState,
  backupVmmVMConfiguration,
  compareVmmInventory,
  exportVmmInventory,
  getVmmBackupPlan,
  getVmmBackupSchedule,
  getVmmChecklist,
  getVmmCheckpointReport,
  getVmmCloudProtection,
  getVmmDkmConfiguration,
  getVmmLocalInventory,
  getVmmRestorePlan,
  invokeVmmBackup,
  invokeVmmRestoreDrill,
  registerVmmBackupSchedule,
  repairVmmHostAssociation,
  resetVmmPerimeterHostPassword,
  restoreVmmDatabase,
  restoreVmmLibraryShare,
  restoreVmmRegistrySetting,
  switchVmmLibraryServer,
  syncVmmInventory,
  testVmmBackup,
  testVmmPostRestore,
  unregisterVmmBackupSchedule,
];
