import { dscModel, validateDscModel } from '../../src/model/dsc';
import type { DscModel, DscResourceModel } from '../../src/model/dsc';
import { loadModel, model } from '../../src/model';
import { validateModel } from '../../src/model/validate';

/** A copy of the DSC model with one resource changed. */
function withResource(className: string, change: (r: DscResourceModel) => DscResourceModel): DscModel {
  return { ...dscModel, resources: dscModel.resources.map((r) => (r.className === className ? change(r) : r)) };
}

describe('DSC resource model', () => {
  it('is consistent with the procedures and cmdlets', () => {
    expect(validateDscModel(dscModel, model)).toEqual([]);
    expect(loadModel().dsc).toBe(dscModel);
  });

  it('has the resources the module promises, each enforcing an automated backup procedure with its cmdlet', () => {
    expect(dscModel.resources.map((r) => r.className)).toEqual(['VmmDatabaseBackup', 'VmmRegistryBackup', 'VmmLibraryBackup', 'VmmBackupPlan']);
    for (const r of dscModel.resources) {
      const procedure = model.procedures.find((p) => p.id === r.procedure)!;
      expect(procedure.kind).toBe('backup');
      expect(procedure.runner).toEqual({ kind: 'cmdlet', cmdlet: r.cmdlet });
    }
    const keys = Object.fromEntries(dscModel.resources.map((r) => [r.className, r.properties.find((p) => p.role === 'key')!.name]));
    expect(keys).toEqual({ VmmDatabaseBackup: 'Path', VmmRegistryBackup: 'Path', VmmLibraryBackup: 'Destination', VmmBackupPlan: 'Destination' });
  });

  it('gives every resource an optional integer MaxAgeHours (the desired value) and a read-only AgeHours (the age)', () => {
    for (const r of dscModel.resources) {
      expect(r.properties.some((p) => p.name === 'MaxAgeHours' && p.type === 'int' && p.role === 'optional')).toBe(true);
      expect(r.properties.some((p) => p.name === 'AgeHours' && p.type === 'int' && p.role === 'read')).toBe(true);
    }
  });

  it('has the plan check every automated backup item of Invoke-VmmBackup', () => {
    const plan = dscModel.resources.find((r) => r.className === 'VmmBackupPlan')!;
    const covered = (plan.covers ?? []).map((c) => dscModel.resources.find((r) => r.className === c)!.procedure);
    expect([...covered, ...(plan.checks ?? [])].sort()).toEqual(['backup.database', 'backup.inventory', 'backup.library', 'backup.registry', 'backup.system-state', 'backup.vm-configuration']);
    const badCheck = withResource('VmmBackupPlan', (r) => ({ ...r, checks: ['backup.nothing'] }));
    expect(validateDscModel(badCheck, model)).toContain('DSC resource VmmBackupPlan checks procedure backup.nothing, which the model lacks');
  });

  it('reports a resource with two keys, an unknown procedure, a parameter its cmdlet lacks or whose type differs', () => {
    const twoKeys = withResource('VmmRegistryBackup', (r) => ({ ...r, properties: r.properties.map((p) => (p.name === 'MaxAgeHours' ? { ...p, role: 'key' as const } : p)) }));
    expect(validateDscModel(twoKeys, model)).toContain('DSC resource VmmRegistryBackup must have exactly one key property (has 2)');
    const badProcedure = withResource('VmmRegistryBackup', (r) => ({ ...r, procedure: 'backup.nothing' }));
    expect(validateDscModel(badProcedure, model)).toContain('DSC resource VmmRegistryBackup enforces procedure backup.nothing, which the model lacks');
    const badParameter = withResource('VmmRegistryBackup', (r) => ({ ...r, properties: r.properties.map((p) => (p.name === 'IncludeSql' ? { ...p, parameter: 'WithSql' } : p)) }));
    expect(validateDscModel(badParameter, model)).toContain('DSC resource VmmRegistryBackup property IncludeSql is passed to Backup-VmmRegistrySetting -WithSql, which it lacks');
    const badType = withResource('VmmRegistryBackup', (r) => ({ ...r, properties: r.properties.map((p) => (p.name === 'IncludeSql' ? { ...p, type: 'string' as const } : p)) }));
    expect(validateDscModel(badType, model)).toContain('DSC resource VmmRegistryBackup property IncludeSql (string) does not fit Backup-VmmRegistrySetting -IncludeSql (switch)');
  });

  it('reports a mandatory cmdlet parameter no property supplies, a Reasons property, and bad examples', () => {
    const noPath = withResource('VmmRegistryBackup', (r) => ({ ...r, properties: r.properties.map((p) => (p.name === 'Path' ? { ...p, parameter: undefined } : p)) }));
    expect(validateDscModel(noPath, model)).toContain('DSC resource VmmRegistryBackup: Backup-VmmRegistrySetting -Path is mandatory but no key or mandatory property supplies it');
    const reasons = withResource('VmmRegistryBackup', (r) => ({ ...r, properties: [...r.properties, { name: 'Reasons', type: 'string' as const, role: 'read' as const, description: 'x' }] }));
    expect(validateDscModel(reasons, model).join('\n')).toMatch(/property Reasons is not allowed/);
    const badExample = withResource('VmmRegistryBackup', (r) => ({ ...r, example: { name: 'x', properties: { Path: 'D:\\x', MaxAgeHours: 'soon', Verified: true, Nope: 1 } } }));
    expect(validateDscModel(badExample, model)).toEqual(
      expect.arrayContaining([
        'DSC resource VmmRegistryBackup example value of MaxAgeHours is not a int',
        'DSC resource VmmRegistryBackup example sets read-only Verified',
        'DSC resource VmmRegistryBackup example sets Nope, which it lacks',
      ]),
    );
    const badCover = withResource('VmmBackupPlan', (r) => ({ ...r, covers: ['VmmNothing'] }));
    expect(validateDscModel(badCover, model)).toContain('DSC resource VmmBackupPlan covers VmmNothing, which is not another DSC resource');
    const sharedFolder = withResource('VmmDatabaseBackup', (r) => ({ ...r, example: { ...r.example, properties: { ...r.example.properties, Path: '\\\\backup01\\vmm\\VMM01\\Plan\\Database' } } }));
    expect(validateDscModel(sharedFolder, model)).toContain('DSC resource VmmDatabaseBackup example folder is, or is inside, the example folder of VmmBackupPlan');
    // The model root validates its DSC part: loadModel() would refuse it.
    expect(validateModel({ ...model, dsc: badCover })).toContain('DSC resource VmmBackupPlan covers VmmNothing, which is not another DSC resource');
  });
});
