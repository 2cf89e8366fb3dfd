import { model } from '../../src/model';
import type { Cmdlet, Model, Procedure } from '../../src/model/types';
import { validateModel } from '../../src/model/validate';

const withProcedures = (procedures: Procedure[]): Model => ({ ...model, procedures });
const withCmdlets = (cmdlets: Cmdlet[]): Model => ({ ...model, cmdlets });
const database = model.procedures.find((p) => p.id === 'restore.database')!;
const backupDb = model.cmdlets.find((c) => c.name === 'Backup-VmmDatabase')!;

describe('validateModel', () => {
  it('accepts the model', () => {
    expect(validateModel(model)).toEqual([]);
  });

  it('rejects a duplicate procedure id', () => {
    expect(validateModel(withProcedures([...model.procedures, database]))).toContain('procedure id restore.database is used twice');
  });

  it('rejects a runner naming a cmdlet the model lacks', () => {
    const p: Procedure = { ...database, id: 'restore.ghost', runner: { kind: 'cmdlet', cmdlet: 'Restore-Ghost' } };
    expect(validateModel(withProcedures([...model.procedures, p]))).toContain('procedure restore.ghost names cmdlet Restore-Ghost, which the model lacks');
  });

  it('rejects an ordering cycle', () => {
    const procedures = model.procedures.map((p) => (p.id === 'restore.plan' ? { ...p, after: ['restore.database'] } : p));
    expect(validateModel(withProcedures(procedures)).some((m) => m.startsWith('ordering constraints form a cycle'))).toBe(true);
  });

  it('requires every restore step to come after the database restore', () => {
    const procedures = model.procedures.map((p) => (p.id === 'restore.registry' ? { ...p, after: ['restore.plan'] } : p));
    expect(validateModel(withProcedures(procedures))).toContain('restore.registry must come after restore.database (the database is restored first)');
  });

  it('rejects a checklist item without instructions', () => {
    const procedures = model.procedures.map((p) => (p.id === 'backup.credentials' ? { ...p, runner: { kind: 'checklist' as const, instructions: [] } } : p));
    expect(validateModel(withProcedures(procedures))).toContain('checklist procedure backup.credentials has no instructions');
  });

  it('rejects an unapproved verb, and a state-changing cmdlet without ShouldProcess', () => {
    const bad: Cmdlet = { ...backupDb, name: 'Make-VmmThing', shouldProcess: undefined };
    const problems = validateModel(withCmdlets([...model.cmdlets, bad]));
    expect(problems).toContain('cmdlet Make-VmmThing uses the unapproved verb Make');
    expect(problems).toContain('cmdlet Make-VmmThing changes state (Make) but has no shouldProcess');
  });

  it('rejects a VMM cmdlet the published reference lacks', () => {
    const bad: Cmdlet = { ...backupDb, vmmCmdlets: ['Get-SCInvented'] };
    const cmdlets = model.cmdlets.map((c) => (c.name === backupDb.name ? bad : c));
    expect(validateModel(withCmdlets(cmdlets))).toContain('cmdlet Backup-VmmDatabase calls Get-SCInvented, which the published VMM reference lacks');
  });

  it('rejects a parameter without help, and a common parameter', () => {
    const bad: Cmdlet = { ...backupDb, parameters: [...backupDb.parameters, { name: 'WhatIf', type: 'switch', help: '' }] };
    const problems = validateModel(withCmdlets(model.cmdlets.map((c) => (c.name === backupDb.name ? bad : c))));
    expect(problems).toContain('parameter Backup-VmmDatabase -WhatIf has no help');
    expect(problems).toContain('parameter Backup-VmmDatabase -WhatIf is a common parameter');
  });

  it('rejects a default that does not fit its type, its allowed values or its range', () => {
    const method = backupDb.parameters.find((p) => p.name === 'Method')!;
    const timeout = backupDb.parameters.find((p) => p.name === 'ConnectTimeout')!;
    const bad: Cmdlet = {
      ...backupDb,
      parameters: backupDb.parameters.map((p) => (p === method ? { ...p, default: 'Tape' } : p === timeout ? { ...p, default: '15' } : p)),
    };
    const problems = validateModel(withCmdlets(model.cmdlets.map((c) => (c.name === backupDb.name ? bad : c))));
    expect(problems).toContain('parameter Backup-VmmDatabase -Method: the default Tape is not an allowed value');
    expect(problems).toContain('parameter Backup-VmmDatabase -ConnectTimeout: the default "15" does not fit type int');
    const outOfRange: Cmdlet = { ...backupDb, parameters: backupDb.parameters.map((p) => (p === timeout ? { ...p, default: -1 } : p)) };
    expect(validateModel(withCmdlets(model.cmdlets.map((c) => (c.name === backupDb.name ? outOfRange : c))))).toContain(
      'parameter Backup-VmmDatabase -ConnectTimeout: the default -1 is out of range',
    );
  });

  it('validates the VMM layouts and the references as parts of the one model', () => {
    const vmm = model.vmm;
    const badLayouts = {
      ...vmm,
      registry: { ...vmm.registry, settingsKey: 'SOFTWARE\\Microsoft' },
      console: { ...vmm.console, installPathValue: ' ' },
      database: { ...vmm.database, drill: { ...vmm.database.drill, suffix: '_test_' } },
    } as unknown as Model['vmm'];
    const problems = validateModel({ ...model, vmm: badLayouts });
    expect(problems).toContain('VMM layout registry.settingsKey is not a key under HKEY_LOCAL_MACHINE');
    expect(problems).toContain('VMM layout vmm.console.installPathValue is empty or has surrounding blanks');
    expect(problems.some((p) => p.startsWith('VMM drill leftover pattern'))).toBe(true);
    const reference = { ...model.reference.vmm, module: 'not a module' };
    expect(validateModel({ ...model, reference: { ...model.reference, vmm: reference } })).toContain('the VMM cmdlet reference is malformed: VMM reference: bad "module"');
  });
});

describe('validateModel: errors and progress ids', () => {
  it('refuses a progress id used twice or next to another (a cmdlet may show a nested bar as its id + 1)', () => {
    const drill = model.cmdlets.find((c) => c.name === 'Invoke-VmmRestoreDrill')!;
    const twin: Cmdlet = { ...backupDb, progressId: drill.progressId };
    const neighbour: Cmdlet = { ...backupDb, progressId: drill.progressId! + 1 };
    const others = model.cmdlets.filter((c) => c.name !== 'Backup-VmmDatabase');
    expect(validateModel(withCmdlets([...others, twin]))).toContain(`cmdlets Invoke-VmmRestoreDrill and Backup-VmmDatabase have the progress ids ${drill.progressId} and ${drill.progressId}; each needs its own id and the one after it`);
    expect(validateModel(withCmdlets([...others, neighbour]))).toContain(`cmdlets Invoke-VmmRestoreDrill and Backup-VmmDatabase have the progress ids ${drill.progressId} and ${drill.progressId! + 1}; each needs its own id and the one after it`);
  });

  it('every progress id of the model is unique', () => {
    const ids = model.cmdlets.flatMap((c) => (c.progressId === undefined ? [] : [c.progressId]));
    expect(ids.length).toBeGreaterThanOrEqual(7);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('refuses an error id with the prefix, an unknown category and a pair listed twice', () => {
    const bad = { ...backupDb, errors: [{ id: 'VmmBackup.RootPath', category: 'InvalidArgument' }, { id: 'Busy', category: 'Busy' }, { id: 'Gone', category: 'ObjectNotFound' }, { id: 'Gone', category: 'ObjectNotFound' }] } as unknown as Cmdlet;
    const problems = validateModel(withCmdlets([...model.cmdlets.filter((c) => c.name !== 'Backup-VmmDatabase'), bad]));
    expect(problems).toContain("cmdlet Backup-VmmDatabase lists the error id 'VmmBackup.RootPath', which is not a short PascalCase id (Stop-VmmCommand adds the VmmBackup. prefix)");
    expect(problems).toContain("cmdlet Backup-VmmDatabase lists the error Busy with 'Busy', which is not an ErrorCategory");
    expect(problems).toContain('cmdlet Backup-VmmDatabase lists the error Gone (ObjectNotFound) twice');
  });
});
