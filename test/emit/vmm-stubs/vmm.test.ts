import * as fs from 'node:fs';
import { artifactBytes } from '../../../src/emit/artifact';
import { GENERATED_NOTICE } from '../../../src/emit/header';
import { VMM_STUB_HELPERS, emitVmmStubs } from '../../../src/emit/vmm-stubs';
import { VMM_REFERENCE_PATH, VmmReference, loadVmmReference, vmmCmdletNames } from '../../../src/model/vmm-reference';

const ref = loadVmmReference();
const [psm1, psd1] = emitVmmStubs(ref);

/** The text of one stub function, from its `function` line to the next one. */
function functionText(name: string): string {
  const start = psm1.text.indexOf(`\nfunction ${name} {\n`);
  expect(start).toBeGreaterThan(0);
  const next = psm1.text.indexOf('\nfunction ', start + 1);
  const end = psm1.text.indexOf('\nExport-ModuleMember', start);
  return psm1.text.slice(start, next > 0 ? next : end);
}

function mutable(): VmmReference {
  return JSON.parse(fs.readFileSync(VMM_REFERENCE_PATH, 'utf8'));
}

describe('emitVmmStubs', () => {
  it('writes the module and its manifest under stubs/VirtualMachineManager as Windows text', () => {
    expect([psm1.path, psd1.path]).toEqual([
      'stubs/VirtualMachineManager/VirtualMachineManager.psm1',
      'stubs/VirtualMachineManager/VirtualMachineManager.psd1',
    ]);
    for (const a of [psm1, psd1]) {
      const bytes = artifactBytes(a);
      expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      const text = bytes.subarray(3).toString('utf8');
      expect(text.split('\r\n')[0]).toBe(`# ${GENERATED_NOTICE}`);
      expect(text.replace(/\r\n/g, '')).not.toMatch(/\n/);
    }
  });

  it('is deterministic', () => {
    const again = emitVmmStubs(loadVmmReference());
    expect(again.map((a) => artifactBytes(a).toString('base64'))).toEqual([psm1, psd1].map((a) => artifactBytes(a).toString('base64')));
  });

  it('has one stub per cmdlet, with every published parameter and alias, exported by the manifest', () => {
    const names = vmmCmdletNames(ref);
    expect(names.length).toBeGreaterThan(20);
    const declared = [...psm1.text.matchAll(/^function ([A-Za-z]+-[A-Za-z0-9]+) \{$/gm)].map((m) => m[1]);
    expect(declared.filter((n) => !(VMM_STUB_HELPERS as readonly string[]).includes(n) && /-SC/.test(n)).sort()).toEqual(names);
    for (const name of names) {
      const body = functionText(name);
      for (const [param, info] of Object.entries(ref.cmdlets[name].parameters)) {
        expect(body).toMatch(new RegExp(`\\n {8}\\$${param}(,|\\n)`));
        for (const alias of info.aliases) expect(body).toContain(`'${alias}'`);
      }
      expect(body.includes('SupportsShouldProcess = $true')).toBe(ref.cmdlets[name].supportsShouldProcess);
      expect(psd1.text).toContain(`'${name}'`);
    }
    for (const helper of VMM_STUB_HELPERS) expect(psd1.text).toContain(`'${helper}'`);
  });

  it('renders sets, positions, pipeline bindings and VMM types as published', () => {
    const backup = functionText('Backup-SCVMMServer');
    expect(backup).toContain('[CmdletBinding(PositionalBinding = $false)]');
    expect(backup).toContain("[Parameter(Mandatory = $true)]\n        [string]\n        $Path");
    expect(backup).toContain("[Parameter(ValueFromPipeline = $true)]\n        [PSTypeName('VmmStub.ServerConnection')]\n        [object]\n        $VMMServer");
    const removeHost = functionText('Remove-SCVMHost');
    expect(removeHost).toContain("DefaultParameterSetName = 'NormalRemoval'");
    expect(removeHost).toContain("[Parameter(ParameterSetName = 'NormalRemoval', Mandatory = $true, Position = 0, ValueFromPipeline = $true)]");
    expect(removeHost).toContain("[Parameter(ParameterSetName = 'ForceRemoval')]\n        [switch]\n        $Force");
    expect(removeHost).toContain("Test-VmmStubCredential -Value $_ -ParameterName 'Credential'");
    expect(functionText('Get-SCVMMServer')).toContain("[Alias('Port')]\n        [int]\n        $TCPPort");
    expect(functionText('Set-SCVMTemplate')).toContain('[object[]]\n        $BootOrder');
  });

  it('checks arrays of VMM objects element by element', () => {
    const r = mutable();
    const cmdlet = r.cmdlets['Read-SCVMHost'];
    (cmdlet.parameters.VMHost as { type: string }).type = 'Host[]';
    for (const set of Object.values(cmdlet.parameterSets)) {
      for (const p of set.parameters) if (p.name === 'VMHost') (p as { type: string }).type = 'Host[]';
    }
    const text = emitVmmStubs(r)[0].text;
    expect(text).toContain("[ValidateScript({ Test-VmmStubShape -Value $_ -TypeName 'Host' -ParameterName 'VMHost' })]\n        [object[]]\n        $VMHost");
  });

  it('refuses an unchecked object taken by value next to other pipeline parameters', () => {
    const r = mutable();
    const p = r.cmdlets['Backup-SCVMMServer'].parameterSets.__AllParameterSets.parameters.find((q) => q.name === 'JobVariable') as unknown as {
      type: string;
      pipeline: string[];
    };
    p.type = 'CheckpointType';
    p.pipeline = ['ByValue'];
    (r.cmdlets['Backup-SCVMMServer'].parameters.JobVariable as { type: string }).type = 'CheckpointType';
    expect(() => emitVmmStubs(r)).toThrow(/Backup-SCVMMServer -JobVariable .*unchecked object/);
  });
});
