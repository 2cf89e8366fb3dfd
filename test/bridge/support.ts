/** Shared bits of the bridge tests: the project's pwsh and the test module. */
import * as path from 'node:path';
import { repoRoot } from '../support/paths';

export const PWSH = path.join(repoRoot, '.tools', 'pwsh', process.platform === 'win32' ? 'pwsh.exe' : 'pwsh');
export const TEST_MODULE = path.join(__dirname, 'fixtures', 'BridgeTest.psm1');

/** True while a process with this id exists. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
