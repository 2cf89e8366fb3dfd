/**
 * The root module, `VmmBackup/VmmBackup.psm1`: dot-sources the private and public functions by explicit list
 * (no directory scan, so no stray file is ever loaded), then holds the DSC resource classes, which DSC
 * discovery requires in the root module itself.
 */
import type { Model } from '../model/types';
import { Artifact, windowsText } from './artifact';
import { generatedHeader } from './header';
import { psString } from './powershell';
import { render } from './templates';

export function emitRootModule(model: Model, privateFiles: readonly string[], dscClasses: string): Artifact {
  const files = [...[...privateFiles].sort().map((f) => `Private/${f}`), ...model.cmdlets.map((c) => `Public/${c.name}.ps1`).sort()];
  const text = render('module/VmmBackup.psm1.hbs', {
    header: generatedHeader('powershell'),
    files: files.map((f) => `    ${psString(f)}`).join('\n'),
    dscClasses,
  });
  return windowsText(`VmmBackup/${model.module.name}.psm1`, text);
}
