/**
 * The model's procedures as PowerShell data: `VmmBackup/Private/Get-VmmProcedureData.ps1`. The plan cmdlets
 * (Get-VmmBackupPlan, Get-VmmRestorePlan, Get-VmmChecklist) read it, so the module carries the same ordered
 * plans as the runbook and the bindings, computed once in src/model/plan.ts.
 */
import { backupPlan, restorePlan } from '../model/plan';
import type { Model, Procedure, RestoreScenario } from '../model/types';
import { Artifact, windowsText } from './artifact';
import { generatedHeader } from './header';
import { psValue } from './powershell';
import { render } from './templates';

const SCENARIO_NAMES: Record<RestoreScenario, string> = {
  'same-computer': 'SameComputer',
  'different-computer': 'DifferentComputer',
  'database-only': 'DatabaseOnly',
};

export function procedureRecord(p: Procedure): Record<string, unknown> {
  return {
    Id: p.id,
    Title: p.title,
    Section: p.section,
    Kind: p.kind,
    Automated: p.runner.kind === 'cmdlet',
    Cmdlet: p.runner.kind === 'cmdlet' ? p.runner.cmdlet : (p.runner.check ?? null),
    Instructions: p.runner.kind === 'checklist' ? [...p.runner.instructions] : [],
    Cadence: p.cadence?.note ?? null,
    MaxAgeHours: p.cadence?.maxAgeHours ?? null,
    Condition: p.condition ?? null,
    After: [...p.after],
  };
}

export function emitProcedureData(model: Model): Artifact {
  // Values are rendered to PowerShell here (psValue); the template lays them out.
  const procedures = model.procedures.map((p) => psValue(procedureRecord(p)));
  const plans = [{ name: 'Backup', value: psValue(backupPlan(model).map((p) => p.id)) }];
  for (const scenario of Object.keys(SCENARIO_NAMES) as RestoreScenario[]) {
    plans.push({ name: SCENARIO_NAMES[scenario], value: psValue(restorePlan(model, scenario).map((p) => p.id)) });
  }
  const text = render('module/procedure-data.ps1.hbs', {
    header: generatedHeader('powershell'),
    procedures,
    plans,
  });
  return windowsText('VmmBackup/Private/Get-VmmProcedureData.ps1', text);
}
