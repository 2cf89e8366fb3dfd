/** The module manifest, `VmmBackup/VmmBackup.psd1`: explicit exports, both editions, PowerShell 5.1 and up. */
import type { Model } from '../model/types';
import { Artifact, windowsText } from './artifact';
import { generatedHeader } from './header';
import { psString, psStringArray } from './powershell';
import { render } from './templates';

export function emitManifest(model: Model, dscResources: readonly string[]): Artifact {
  const m = model.module;
  const functions = [...model.cmdlets.map((c) => c.name)].sort();
  const text = render('module/VmmBackup.psd1.hbs', {
    header: generatedHeader('powershell'),
    rootModule: psString(`${m.name}.psm1`),
    version: psString(m.version),
    guid: psString(m.guid),
    author: psString(m.author),
    companyName: psString(m.companyName),
    copyright: psString(m.copyright),
    description: psString(m.description),
    functions: listLiteral(functions),
    dscResources: listLiteral([...dscResources]),
    tags: psStringArray(m.tags),
    projectUri: psString(m.projectUri),
    licenseUri: psString(m.licenseUri),
    releaseNotes: psString(m.releaseNotes),
  });
  return windowsText(`VmmBackup/${m.name}.psd1`, text);
}

function listLiteral(values: string[]): string {
  if (values.length === 0) return '@()';
  return `@(\n${values.map((v) => `        ${psString(v)}`).join('\n')}\n    )`;
}
