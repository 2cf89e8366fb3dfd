/** Finding the PowerShell executable: an explicit path, a project-local `.tools/pwsh/pwsh`, else PATH. */
import * as fs from 'node:fs';
import * as path from 'node:path';

export type PowerShellEdition = 'core' | 'desktop';

export interface LocateOptions {
  /** Path of the executable; wins over everything else. */
  readonly pwshPath?: string;
  /** `desktop` asks for Windows PowerShell (`powershell.exe`, Windows only); `core` (default) for pwsh. */
  readonly edition?: PowerShellEdition;
  /** Folders to search upwards from for `.tools/pwsh/pwsh` (default: the working directory and this package). */
  readonly searchFrom?: readonly string[];
}

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, process.platform === 'win32' ? fs.constants.F_OK : fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/** `.tools/pwsh/pwsh[.exe]` in `start` or one of its parents. */
export function findProjectPwsh(start: string): string | undefined {
  const exe = process.platform === 'win32' ? 'pwsh.exe' : 'pwsh';
  let dir = path.resolve(start);
  for (;;) {
    const candidate = path.join(dir, '.tools', 'pwsh', exe);
    if (isExecutable(candidate)) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/** The first `name` on PATH (with PATHEXT on Windows). */
export function findOnPath(name: string): string | undefined {
  const exts = process.platform === 'win32' ? (process.env.PATHEXT ?? '.EXE').split(';').filter(Boolean) : [''];
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    for (const ext of exts) {
      const candidate = path.join(dir, name.toLowerCase().endsWith(ext.toLowerCase()) ? name : name + ext);
      if (isExecutable(candidate)) return candidate;
    }
  }
  return undefined;
}

/** The PowerShell executable to start, or an Error saying what was looked for. */
export function locatePowerShell(options: LocateOptions = {}): string {
  if (options.pwshPath) {
    if (!isExecutable(options.pwshPath)) throw new Error(`PowerShell was not found at ${options.pwshPath}`);
    return options.pwshPath;
  }
  if (options.edition === 'desktop') {
    if (process.platform !== 'win32') throw new Error('Windows PowerShell (powershell.exe) exists only on Windows; use edition "core" (pwsh)');
    const found = findOnPath('powershell.exe');
    if (!found) throw new Error('powershell.exe is not on PATH');
    return found;
  }
  for (const start of options.searchFrom ?? [process.cwd(), __dirname]) {
    const found = findProjectPwsh(start);
    if (found) return found;
  }
  const onPath = findOnPath('pwsh');
  if (onPath) return onPath;
  throw new Error('PowerShell 7 (pwsh) was not found: install it (npm run setup puts it in .tools/pwsh), put it on PATH, or pass pwshPath');
}
