/**
 * Private helpers: every templates/private/<Name>.ps1 becomes `VmmBackup/Private/<Name>.ps1`, stamped.
 * They hold one function each, named like the file.
 */
import * as path from 'node:path';
import { Artifact, windowsText } from './artifact';
import { generatedHeader } from './header';
import { listTemplates, readTemplate } from './templates';

export function emitPrivateFunctions(): Artifact[] {
  return listTemplates('private', '.ps1').map((name) => {
    const file = path.posix.basename(name);
    const text = `${generatedHeader('powershell')}\n${readTemplate(name).replace(/\s+$/, '')}\n`;
    const functionName = file.replace(/\.ps1$/, '');
    if (!new RegExp(`^function ${functionName.replace(/-/g, '\\-')}\\b`, 'm').test(text)) {
      throw new Error(`templates/${name} must define function ${functionName}`);
    }
    return windowsText(`VmmBackup/Private/${file}`, text);
  });
}
