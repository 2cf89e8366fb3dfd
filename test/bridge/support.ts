/** Shared bits of the bridge tests: the project's pwsh and the test module. */
import * as fs from 'node:fs';
import * as path from 'node:path';

export { PWSH } from '../support/pwsh';
export const TEST_MODULE = path.join(__dirname, 'fixtures', 'BridgeTest.psm1');

/** True while a process with this id runs (a zombie waiting for its parent to reap it does not count). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return true;
  }
}

/** Waits up to `ms` for the process to end; true when it did. */
export async function endsWithin(pid: number, ms: number): Promise<boolean> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (!isAlive(pid)) return true;
    await new Promise((r) => setTimeout(r, 25));
  }
  return !isAlive(pid);
}
