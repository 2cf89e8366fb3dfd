/**
 * The VMM states and layouts of the model as PowerShell data: `VmmBackup/Private/Get-VmmObjectModel.ps1`,
 * `Get-VmmRegistryLayout.ps1`, `Get-VmmConsoleLayout.ps1` and `Get-VmmDatabaseLayout.ps1`, each rendered from
 * templates/module/<Name>.ps1.hbs (the function and its help) with a hashtable of the model's values. The
 * cmdlets read every VMM property name, state value, registry key and table name through them.
 */
import type { Model } from '../model/types';
import { Artifact, windowsText } from './artifact';
import { generatedHeader } from './header';
import { psHashtable } from './powershell';
import { render } from './templates';

/** Words PowerShell code spells in capitals. */
const ACRONYMS = new Set(['VM']);

/** `nameProperty` → `NameProperty`, `recoveryVmProperty` → `RecoveryVMProperty`. */
function pascal(key: string): string {
  return key
    .split(/(?=[A-Z])/)
    .map((word) => (ACRONYMS.has(word.toUpperCase()) ? word.toUpperCase() : word.charAt(0).toUpperCase() + word.slice(1)))
    .join('');
}

/** A model object with its keys in PowerShell style, nested objects too. */
export function psKeys(value: object): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [pascal(k), typeof v === 'object' && v !== null && !Array.isArray(v) ? psKeys(v as object) : v]),
  );
}

/** The data of each generated helper, by function name. */
export function vmmLayoutData(model: Model): Record<string, Record<string, unknown>> {
  const { vmm } = model;
  return {
    'Get-VmmObjectModel': { ...psKeys(vmm.states), SettingsKey: vmm.registry.settingsKey, Dkm: psKeys(vmm.dkm) },
    'Get-VmmRegistryLayout': psKeys(vmm.registry),
    'Get-VmmConsoleLayout': psKeys(vmm.console),
    'Get-VmmDatabaseLayout': {
      Tables: vmm.database.tables.map((t) => ({ Table: t.table, Count: t.count })),
      DrillSuffix: vmm.database.drill.suffix,
      StampFormat: vmm.database.drill.stampFormat,
      LeftoverPattern: vmm.database.drill.leftoverPattern,
    },
  };
}

export function emitVmmLayouts(model: Model): Artifact[] {
  return Object.entries(vmmLayoutData(model)).map(([name, data]) =>
    windowsText(`VmmBackup/Private/${name}.ps1`, render(`module/${name}.ps1.hbs`, { header: generatedHeader('powershell'), data: psHashtable(data, '    ') })),
  );
}
