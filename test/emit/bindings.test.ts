import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';
import { artifactBytes } from '../../src/emit/artifact';
import { emitBindings, functionName, schemaType, typeName } from '../../src/emit/bindings';
import { GENERATED_DIR } from '../../src/emit';
import { model } from '../../src/model';
import { s } from '../../src/model/schema';

const artifacts = emitBindings(model);
const cmdlets = artifacts.find((a) => a.path === 'typescript/cmdlets.ts')!.text;

describe('emitBindings', () => {
  test('is deterministic and is what generated/typescript holds (no drift)', () => {
    const again = emitBindings(model);
    expect(again.map((a) => a.path)).toEqual(['typescript/cmdlets.ts', 'typescript/runtime.ts', 'typescript/index.ts']);
    again.forEach((a, i) => expect(a.text).toBe(artifacts[i].text));
    for (const a of artifacts) {
      const onDisk = fs.readFileSync(path.join(GENERATED_DIR, a.path));
      expect({ path: a.path, same: onDisk.equals(artifactBytes(a)) }).toEqual({ path: a.path, same: true });
    }
  });

  test('names: Verb-Noun to camelCase functions and PascalCase types', () => {
    expect(functionName('Backup-VmmDatabase')).toBe('backupVmmDatabase');
    expect(typeName('Backup-VmmVMConfiguration')).toBe('BackupVmmVMConfiguration');
  });

  test('one async function, parameter type and output type per cmdlet, with JSDoc from the help', () => {
    for (const c of model.cmdlets) {
      const fn = functionName(c.name);
      expect(cmdlets).toContain(`export async function ${fn}(session: Invoker, parameters: ${typeName(c.name)}Parameters`);
      expect(cmdlets).toContain(`session.invoke<${typeName(c.name)}Output>('${c.name}', { ...parameters }, options)`);
      expect(cmdlets).toMatch(new RegExp(`export (interface|type) ${typeName(c.name)}Parameters\\b`));
      expect(cmdlets).toContain(`export interface ${typeName(c.name)}Output {`);
      const jsdoc = cmdlets.slice(0, cmdlets.indexOf(`export async function ${fn}(`));
      expect(jsdoc.slice(jsdoc.lastIndexOf('/**'))).toContain(c.synopsis.slice(0, 40));
    }
  });

  test('schema types: enums, nullables, arrays and nested objects', () => {
    expect(schemaType(s.enum(['A', "B'c"], 'x'))).toBe("'A' | 'B\\'c'");
    expect(schemaType(s.nullable(s.integer('n')))).toBe('number | null');
    expect(schemaType(s.array(s.nullable(s.string('x')), 'list'))).toBe('Array<string | null>');
    expect(schemaType(s.object({ A: s.boolean('a') }))).toBe('{\n  /** a */\n  A: boolean;\n}');
  });

  test('parameter sets become a union of one interface per set', () => {
    expect(cmdlets).toContain('export type SwitchVmmLibraryServerParameters = SwitchVmmLibraryServerParametersReplace | SwitchVmmLibraryServerParametersSameName;');
  });
});

describe('the generated bindings type-check', () => {
  const root = path.resolve(__dirname, '../..');
  const config = ts.getParsedCommandLineOfConfigFile(path.join(root, 'tsconfig.json'), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined })!;

  function diagnostics(usage: string): string[] {
    const usagePath = path.join(root, 'test/emit/__bindings_usage__.ts');
    const host = ts.createCompilerHost(config.options);
    const getSourceFile = host.getSourceFile.bind(host);
    host.getSourceFile = (file, language) => (path.resolve(file) === usagePath ? ts.createSourceFile(file, usage, language) : getSourceFile(file, language));
    const fileExists = host.fileExists.bind(host);
    host.fileExists = (file) => path.resolve(file) === usagePath || fileExists(file);
    const program = ts.createProgram({ rootNames: [usagePath, path.join(root, 'generated/typescript/index.ts')], options: { ...config.options, noEmit: true }, host });
    return ts
      .getPreEmitDiagnostics(program)
      .map((d) => `${d.file ? path.relative(root, d.file.fileName) : ''} TS${d.code}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`);
  }

  const header = "import { backupVmmDatabase, createVmmBackupSession, getVmmRestorePlan, switchVmmLibraryServer, getVmmBackupPlan } from '../../generated/typescript';\n";

  test('correct use compiles cleanly', () => {
    const good = `${header}
export async function use(): Promise<string[]> {
  const session = createVmmBackupSession({ timeoutMs: 1000 });
  const plan = await getVmmRestorePlan(session, { Scenario: 'DifferentComputer' });
  const first: number = plan.output[0].Order;
  const cmdlet: string | null = plan.output[0].Cmdlet;
  await backupVmmDatabase(session, { Path: 'D:/b', Method: 'Sql', SqlCredential: { UserName: 'sa', Password: 'p' }, CopyOnly: true, WhatIf: true });
  await switchVmmLibraryServer(session, { ComputerName: 'lib01', SameName: true, Credential: { UserName: 'dom\\\\run', Password: 'x' }, Confirm: false });
  await getVmmBackupPlan(session);
  return [String(first), cmdlet ?? '', ...plan.warnings];
}
`;
    expect(diagnostics(good)).toEqual([]);
  });

  test('wrong use is caught: bad enum value, missing mandatory parameter, unknown output field', () => {
    const bad = `${header.replace(' switchVmmLibraryServer,', '')}
export async function use(): Promise<void> {
  const session = createVmmBackupSession();
  await getVmmRestorePlan(session, { Scenario: 'Elsewhere' });
  await backupVmmDatabase(session, { Method: 'Sql' });
  const plan = await getVmmBackupPlan(session);
  plan.output[0].NoSuchField.toString();
}
`;
    const found = diagnostics(bad);
    expect(found.every((d) => d.startsWith('test/emit/__bindings_usage__.ts'))).toBe(true);
    expect(found.join('\n')).toMatch(/'"Elsewhere"' is not assignable/);
    expect(found.join('\n')).toMatch(/Property 'Path' is missing/);
    expect(found.join('\n')).toMatch(/Property 'NoSuchField' does not exist/);
    expect(found).toHaveLength(3);
  });
});

describe('emitBindings: error ids', () => {
  test('each cmdlet has a union of the error ids it stops with, as users see them', () => {
    expect(cmdlets).toContain("export type BackupVmmDatabaseErrorId = 'VmmBackup.RootPath' | 'VmmBackup.BadDatabaseName' |");
    // An id listed with two categories appears once.
    const restore = /export type RestoreVmmDatabaseErrorId = ([^;]*);/.exec(cmdlets)![1];
    expect(restore.match(/'VmmBackup\.BadPath'/g)).toHaveLength(1);
    expect(cmdlets).toContain('export type GetVmmChecklistErrorId = never;');
  });

  test('a planned cmdlet stops with VmmBackup.NotImplemented', () => {
    const planned = { ...model.cmdlets.find((c) => c.name === 'Get-VmmChecklist')!, status: 'planned' as const };
    const text = emitBindings({ ...model, cmdlets: [planned] }).find((a) => a.path === 'typescript/cmdlets.ts')!.text;
    expect(text).toContain("export type GetVmmChecklistErrorId = 'VmmBackup.NotImplemented';");
  });
});
