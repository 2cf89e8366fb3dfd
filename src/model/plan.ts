/**
 * Ordered plans derived from the model: the backup plan, and the restore plan of each scenario. Order follows
 * the procedures' `after` constraints; among procedures free to go, the model's own order decides, so the
 * result is stable.
 */
import type { Model, Procedure, RestoreScenario } from './types';

export function orderProcedures(procedures: readonly Procedure[]): Procedure[] {
  const included = new Set(procedures.map((p) => p.id));
  const placed = new Set<string>();
  const result: Procedure[] = [];
  const pending = [...procedures];
  while (pending.length > 0) {
    const index = pending.findIndex((p) => p.after.every((dep) => placed.has(dep) || !included.has(dep)));
    if (index < 0) throw new Error(`cannot order procedures: ${pending.map((p) => p.id).join(', ')} wait on each other`);
    const [next] = pending.splice(index, 1);
    result.push(next);
    placed.add(next.id);
  }
  return result;
}

/** Backup procedures and checks, in order. */
export function backupPlan(model: Model): Procedure[] {
  return orderProcedures(model.procedures.filter((p) => p.kind === 'backup' || p.kind === 'check'));
}

/** Restore and post-restore procedures that apply to the scenario, in order (the database first). */
export function restorePlan(model: Model, scenario: RestoreScenario): Procedure[] {
  return orderProcedures(
    model.procedures.filter((p) => (p.kind === 'restore' || p.kind === 'post-restore') && (p.scenarios ?? []).includes(scenario)),
  );
}

/** Procedures an operator performs by hand. */
export function checklist(model: Model): Procedure[] {
  return model.procedures.filter((p) => p.runner.kind === 'checklist');
}

/** Human wording of a cadence. */
export function describeCadence(p: Procedure): string | null {
  return p.cadence ? p.cadence.note : null;
}
