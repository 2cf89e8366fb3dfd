/**
 * Private helpers: every templates/private/<Name>.ps1 becomes `VmmBackup/Private/<Name>.ps1`, stamped, and
 * every templates/private/<Folder>/<Name>.ps1 (a subsystem's own functions, e.g. Store/ for the library store)
 * becomes `VmmBackup/Private/<Folder>/<Name>.ps1`. They hold one function each, named like the file. The
 * order is by path, so the output (and the root module's load list) does not depend on the file system.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Artifact, windowsText } from './artifact';
import { generatedHeader } from './header';
import { TEMPLATES_DIR, listTemplates, readTemplate } from './templates';

/** The folders of templates/private that hold a subsystem's private functions, sorted. */
export function privateSubfolders(): string[] {
  const dir = path.join(TEMPLATES_DIR, 'private');
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();
}

export function emitPrivateFunctions(): Artifact[] {
  const names = [...listTemplates('private', '.ps1'), ...privateSubfolders().flatMap((folder) => listTemplates(`private/${folder}`, '.ps1'))];
  return names.map((name) => {
    const relative = name.replace(/^private\//, '');
    const file = path.posix.basename(relative);
    const text = `${generatedHeader('powershell')}\n${readTemplate(name).replace(/\s+$/, '')}\n`;
    const functionName = file.replace(/\.ps1$/, '');
    if (!new RegExp(`^function ${functionName.replace(/-/g, '\\-')}\\b`, 'm').test(text)) {
      throw new Error(`templates/${name} must define function ${functionName}`);
    }
    return windowsText(`VmmBackup/Private/${relative}`, text);
  });
}
