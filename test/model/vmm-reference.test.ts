import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  VMM_REFERENCE_PATH,
  VmmReference,
  checkCall,
  classifyVmmType,
  hasCmdlet,
  hasParameter,
  loadVmmReference,
  resolveParameter,
  validateVmmReference,
  vmmCmdletNames,
  vmmObjectTypes,
} from '../../src/model/vmm-reference';

const repoRoot = path.resolve(__dirname, '..', '..');
const ref = loadVmmReference();

function clone(): { -readonly [K in keyof VmmReference]: VmmReference[K] } {
  return JSON.parse(fs.readFileSync(VMM_REFERENCE_PATH, 'utf8'));
}

describe('VMM reference (contract)', () => {
  it('is byte-identical to the shared reference', () => {
    const vendored = fs.readFileSync(path.join(repoRoot, 'src/model/reference/vmm-cmdlets.json'));
    const shared = fs.readFileSync(path.resolve(repoRoot, '..', 'shared', 'reference', 'vmm-cmdlets.json'));
    expect(vendored.equals(shared)).toBe(true);
  });

  it('loads the cmdlets the module calls', () => {
    const names = vmmCmdletNames(ref);
    expect(names).toEqual([...names].sort());
    expect(names).toEqual(expect.arrayContaining(['Backup-SCVMMServer', 'Get-SCVMMServer', 'Register-SCVMMManagedComputer', 'Remove-SCVMHost']));
    expect(ref.module).toBe('VirtualMachineManager');
  });

  it('rejects a set parameter missing from "parameters"', () => {
    const bad = clone();
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    delete (bad.cmdlets['Backup-SCVMMServer'].parameters as any).Path;
    expect(() => validateVmmReference(bad)).toThrow(/Backup-SCVMMServer -Path .*missing from "parameters"/);
  });

  it('rejects two parameters at one position and an unknown default set', () => {
    const twice = clone();
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const params = twice.cmdlets['Backup-SCVMMServer'].parameterSets.__AllParameterSets.parameters as any[];
    params[0].position = 0;
    params[1].position = 0;
    expect(() => validateVmmReference(twice)).toThrow(/position 0 also taken/);
    const noDefault = clone();
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    (noDefault.cmdlets['Get-SCJob'] as any).defaultParameterSet = 'Nope';
    expect(() => validateVmmReference(noDefault)).toThrow(/default parameter set Nope/);
  });

  it('answers hasParameter by name and alias, case-insensitively, with -WhatIf only where ShouldProcess is supported', () => {
    expect(hasCmdlet(ref, 'backup-scvmmserver')).toBe(true);
    expect(hasCmdlet(ref, 'Restore-SCVMMServer')).toBe(false);
    expect(hasParameter(ref, 'Backup-SCVMMServer', 'Path')).toBe(true);
    expect(hasParameter(ref, 'Backup-SCVMMServer', '-path')).toBe(true);
    expect(hasParameter(ref, 'Backup-SCVMMServer', 'Destination')).toBe(false);
    expect(resolveParameter(ref, 'Get-SCVMMServer', 'Port')).toBe('TCPPort');
    expect(hasParameter(ref, 'Remove-SCVMHost', 'WhatIf')).toBe(true);
    expect(hasParameter(ref, 'Backup-SCVMMServer', 'WhatIf')).toBe(false);
    expect(hasParameter(ref, 'No-Such', 'Path')).toBe(false);
  });

  it('checks calls the way the binder resolves parameter sets', () => {
    expect(checkCall(ref, 'Backup-SCVMMServer', ['Path', 'VMMServer'])).toEqual({ ok: true, parameterSets: ['__AllParameterSets'], errors: [] });
    expect(checkCall(ref, 'Backup-SCVMMServer', ['VMMServer']).errors.join()).toMatch(/needs -Path/);
    expect(checkCall(ref, 'Remove-SCVMHost', ['VMHost', 'Force']).parameterSets).toEqual(['ForceRemoval']);
    const mixed = checkCall(ref, 'Remove-SCVMHost', ['VMHost', 'Force', 'Credential']);
    expect(mixed.ok).toBe(false);
    expect(mixed.errors.join()).toMatch(/no parameter set takes/);
    expect(checkCall(ref, 'Get-SCJob', ['All', 'Newest']).ok).toBe(false);
    expect(checkCall(ref, 'Get-SCJob', ['Name']).parameterSets).toEqual(['NewestJobs', 'AllJobs', 'RunningJobs']);
    expect(checkCall(ref, 'Backup-SCVMMServer', ['Path', 'Bogus']).errors).toEqual(['Backup-SCVMMServer has no parameter -Bogus']);
  });

  it('classifies published types', () => {
    expect(classifyVmmType('String[]')).toEqual({ kind: 'dotnet', dotnet: 'string[]', array: true });
    expect(classifyVmmType('SwitchParameter').dotnet).toBe('switch');
    expect(classifyVmmType('Host')).toEqual({ kind: 'vmm-object', element: 'Host', array: false });
    expect(classifyVmmType('BootDevice[]')).toEqual({ kind: 'vmm-enum', element: 'BootDevice', array: true });
    expect(classifyVmmType('VMMCredential').kind).toBe('vmm-credential');
    expect(() => classifyVmmType('Foo<Bar>')).toThrow(/unknown type/);
    // every published type is classified
    for (const cmdlet of Object.values(ref.cmdlets)) {
      for (const info of Object.values(cmdlet.parameters)) expect(() => classifyVmmType(info.type)).not.toThrow();
    }
    expect(vmmObjectTypes(ref)).toEqual(expect.arrayContaining(['Host', 'ServerConnection', 'VM', 'VMMManagedComputer']));
    expect(vmmObjectTypes(ref)).not.toContain('String');
  });
});
