import * as path from 'node:path';
import { repoRoot } from './paths';

/** The project's PowerShell 7 (`npm run setup` installs it into .tools/). */
export const PWSH = path.join(repoRoot, '.tools', 'pwsh', process.platform === 'win32' ? 'pwsh.exe' : 'pwsh');
