/** The generated bindings against the real module, through real pwsh, with output validation on. */
import { BridgeRefusedError, BridgeValidationError, PowerShellError, PowerShellSession } from '../../src/bridge';
import { model } from '../../src/model';
import { backupPlan, restorePlan } from '../../src/model/plan';
import { createVmmBackupSession, getVmmBackupPlan, getVmmChecklist, getVmmRestorePlan, MODULE_MANIFEST, outputSchema } from '../../generated/typescript';
import { PWSH } from './support';

let session: PowerShellSession;
beforeAll(async () => {
  session = createVmmBackupSession({ pwshPath: PWSH, timeoutMs: 30_000 });
  await session.start();
});
afterAll(() => session.dispose());

test('Get-VmmBackupPlan: validated items, in the order of the model', async () => {
  const result = await getVmmBackupPlan(session);
  expect(result.output.map((i) => i.Id)).toEqual(backupPlan(model).map((p) => p.id));
  expect(result.output.map((i) => i.Order)).toEqual(result.output.map((_, n) => n + 1));
  const automated = await getVmmBackupPlan(session, { Automated: true });
  expect(automated.output.length).toBeGreaterThan(0);
  expect(automated.output.every((i) => i.Automated)).toBe(true);
  expect(automated.output.length).toBeLessThan(result.output.length);
});

test.each([
  ['SameComputer', 'same-computer'],
  ['DifferentComputer', 'different-computer'],
  ['DatabaseOnly', 'database-only'],
] as const)('Get-VmmRestorePlan -Scenario %s matches the model', async (scenario, key) => {
  const result = await getVmmRestorePlan(session, { Scenario: scenario });
  expect(result.output.map((i) => i.Id)).toEqual(restorePlan(model, key).map((p) => p.id));
});

test('Get-VmmChecklist: only manual items, each with instructions', async () => {
  const result = await getVmmChecklist(session, { Kind: 'post-restore' });
  expect(result.output.length).toBeGreaterThan(0);
  for (const item of result.output) {
    expect(item.Automated).toBe(false);
    expect(item.Kind).toBe('post-restore');
    expect(item.Instructions.length).toBeGreaterThan(0);
  }
});

test('a parameter PowerShell refuses maps to its validation error', async () => {
  const error = await getVmmRestorePlan(session, { Scenario: 'Elsewhere' as never }).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(PowerShellError);
  expect((error as PowerShellError).fullyQualifiedErrorId).toBe('ParameterArgumentValidationError,Get-VmmRestorePlan');
  expect((error as PowerShellError).category).toBe('InvalidData');
});

test('output that breaks the schema the model emits is rejected, naming the field', async () => {
  const strict = new PowerShellSession({
    pwshPath: PWSH,
    modules: [MODULE_MANIFEST],
    schemaResolver: (command) => {
      const schema = outputSchema(command) as { properties: Record<string, object> };
      return { ...schema, properties: { ...schema.properties, Order: { type: 'string' } } };
    },
  });
  try {
    const error = await getVmmBackupPlan(strict).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BridgeValidationError);
    expect((error as BridgeValidationError).field).toBe('output[0].Order');
  } finally {
    await strict.dispose();
  }
});

test('a session for the module refuses, before running, any command that is not one of its cmdlets', async () => {
  const starts = session.starts;
  const error = await session.invoke('Get-Date').catch((e: unknown) => e);
  expect(error).toBeInstanceOf(BridgeRefusedError);
  expect((error as BridgeRefusedError).message).toContain("'Get-Date' is not one of the commands this session allows");
  expect(session.starts).toBe(starts);
});
