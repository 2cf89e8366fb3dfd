import { model } from '../../src/model';
import { backupPlan, orderProcedures, restorePlan } from '../../src/model/plan';
import { RESTORE_SCENARIOS } from '../../src/model/types';

describe('plans', () => {
  it.each(RESTORE_SCENARIOS)('restore plan %s restores the database before anything else it restores', (scenario) => {
    const ids = restorePlan(model, scenario).map((p) => p.id);
    expect(ids.indexOf('restore.database')).toBeGreaterThanOrEqual(0);
    for (const id of ids) {
      if (id !== 'restore.plan' && id !== 'restore.database') expect(ids.indexOf(id)).toBeGreaterThan(ids.indexOf('restore.database'));
    }
  });

  it.each(RESTORE_SCENARIOS)('restore plan %s honours every ordering constraint', (scenario) => {
    const ids = restorePlan(model, scenario).map((p) => p.id);
    for (const p of restorePlan(model, scenario)) {
      for (const dep of p.after) if (ids.includes(dep)) expect(ids.indexOf(dep)).toBeLessThan(ids.indexOf(p.id));
    }
  });

  it('restores on a different computer with host reassociation, and only there', () => {
    expect(restorePlan(model, 'different-computer').map((p) => p.id)).toContain('restore.reassociate-hosts');
    expect(restorePlan(model, 'same-computer').map((p) => p.id)).not.toContain('restore.reassociate-hosts');
    expect(restorePlan(model, 'same-computer').map((p) => p.id)).toContain('restore.system-state');
  });

  it('backup plan holds every backup and check procedure', () => {
    const expected = model.procedures.filter((p) => p.kind === 'backup' || p.kind === 'check').length;
    expect(backupPlan(model)).toHaveLength(expected);
  });

  it('refuses to order procedures that wait on each other', () => {
    const [a, b] = model.procedures;
    expect(() => orderProcedures([{ ...a, after: [b.id] }, { ...b, after: [a.id] }])).toThrow(/wait on each other/);
  });
});
