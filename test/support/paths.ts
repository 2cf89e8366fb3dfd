import * as path from 'node:path';

/** The repository root. */
export const repoRoot = path.resolve(__dirname, '../..');
/** The shared reference material beside the repository (specification, VMM reference, DSC schemas). */
export const sharedDir = process.env.VMMBACKUP_SHARED ?? path.resolve(repoRoot, '../shared');
export const specPath = path.join(sharedDir, 'spec/vmm-backup-and-restore.md');
