/**
 * Pester stubs of the VMM module, generated from Microsoft's published cmdlet signatures (the VMM reference):
 * `stubs/VirtualMachineManager/VirtualMachineManager.psm1` and `.psd1`. One advanced function per cmdlet with
 * the real parameter names, aliases, sets, mandatory/positional parameters and pipeline bindings, so a call the
 * real cmdlet rejects fails in tests. VMM object types are taken as objects with PSTypeName `VmmStub.<type>`,
 * which also lets PowerShell pick the right parameter for pipeline input when several take objects by value.
 */
import { Artifact, windowsText } from './artifact';
import { generatedHeader } from './header';
import { psString } from './powershell';
import { render } from './templates';
import {
  ALL_PARAMETER_SETS,
  VmmCmdlet,
  VmmReference,
  VmmSetParameter,
  classifyVmmType,
  validateVmmReference,
  vmmCmdletNames,
} from '../model/vmm-reference';

/** The helper functions the stub module exports next to the stubbed cmdlets. */
export const VMM_STUB_HELPERS = ['Get-VmmStubCall', 'New-VmmStubObject', 'Reset-VmmStub', 'Set-VmmStubBehavior'] as const;

/** Fixed so the manifest is deterministic; only identifies the stub module. */
const STUB_MODULE_GUID = '3f0c2a7e-5b1d-4c8e-9a64-7d2e1b9c0f53';
const STUB_MODULE_VERSION = '1.0.0';

/** Text safe inside a <# ... #> comment, on one line. */
function commentText(value: string): string {
  return value.replace(/\s+/g, ' ').replace(/#>/g, '# >').replace(/<#/g, '< #').trim();
}

interface ParameterView {
  name: string;
  attributes: string[];
}

interface CmdletView {
  name: string;
  synopsis: string;
  doc: string;
  cmdletBinding: string;
  defaultOutput: string;
  parameters: ParameterView[];
}

function parameterAttribute(setName: string | null, p: VmmSetParameter): string {
  const args: string[] = [];
  if (setName !== null) args.push(`ParameterSetName = ${psString(setName)}`);
  if (p.mandatory) args.push('Mandatory = $true');
  if (p.position !== null) args.push(`Position = ${p.position}`);
  if (p.pipeline.includes('ByValue')) args.push('ValueFromPipeline = $true');
  if (p.pipeline.includes('ByPropertyName')) args.push('ValueFromPipelineByPropertyName = $true');
  return `[Parameter(${args.join(', ')})]`;
}

/** Type constraint and validation lines of one parameter. */
function typeAttributes(cmdletName: string, name: string, type: string): string[] {
  const t = classifyVmmType(type);
  switch (t.kind) {
    case 'dotnet':
      return [`[${t.dotnet}]`];
    case 'vmm-enum':
      return [t.array ? '[object[]]' : '[object]'];
    case 'vmm-credential':
      return [
        `[ValidateScript({ Test-VmmStubCredential -Value $_ -ParameterName ${psString(name)} })]`,
        t.array ? '[object[]]' : '[object]',
      ];
    case 'vmm-object':
      if (t.array) {
        return [
          `[ValidateScript({ Test-VmmStubShape -Value $_ -TypeName ${psString(t.element ?? '')} -ParameterName ${psString(name)} })]`,
          '[object[]]',
        ];
      }
      return [`[PSTypeName(${psString(`VmmStub.${t.element}`)})]`, '[object]'];
  }
  throw new Error(`${cmdletName} -${name}: unhandled type ${type}`);
}

/**
 * A parameter taking any object by value would swallow pipeline input meant for the others (PowerShell binds
 * the first match): refuse to emit such a stub rather than emit one that binds differently from VMM.
 */
function assertPipelineUnambiguous(cmdletName: string, cmdlet: VmmCmdlet): void {
  for (const [setName, set] of Object.entries(cmdlet.parameterSets)) {
    const byValue = set.parameters.filter((p) => p.pipeline.includes('ByValue'));
    if (byValue.length < 2) continue;
    for (const p of byValue) {
      const kind = classifyVmmType(p.type).kind;
      if (kind === 'vmm-enum') {
        throw new Error(`${cmdletName} -${p.name} (set ${setName}): an unchecked object taken by value next to other pipeline parameters`);
      }
    }
  }
}

function cmdletView(name: string, cmdlet: VmmCmdlet): CmdletView {
  assertPipelineUnambiguous(name, cmdlet);
  const sets = Object.entries(cmdlet.parameterSets);
  const single = sets.length === 1 && sets[0][0] === ALL_PARAMETER_SETS;
  const binding: string[] = [];
  if (!single && cmdlet.defaultParameterSet !== null) binding.push(`DefaultParameterSetName = ${psString(cmdlet.defaultParameterSet)}`);
  // No automatic positions: only the published positional parameters are positional.
  binding.push('PositionalBinding = $false');
  if (cmdlet.supportsShouldProcess) binding.push('SupportsShouldProcess = $true');

  const parameters: ParameterView[] = Object.entries(cmdlet.parameters).map(([paramName, info]) => {
    const attributes: string[] = [];
    for (const [setName, set] of sets) {
      const p = set.parameters.find((q) => q.name === paramName);
      if (p) attributes.push(parameterAttribute(single ? null : setName, p));
    }
    if (info.aliases.length > 0) attributes.push(`[Alias(${info.aliases.map(psString).join(', ')})]`);
    attributes.push(...typeAttributes(name, paramName, info.type));
    return { name: paramName, attributes };
  });

  return {
    name,
    synopsis: commentText(cmdlet.synopsis),
    doc: commentText(cmdlet.doc),
    cmdletBinding: binding.join(', '),
    defaultOutput: name === 'Get-SCVMMServer' ? 'a VmmStub.ServerConnection' : '',
    parameters,
  };
}

/** The stub module of the reference's VMM module, as artifacts under `stubs/<module>/`. */
export function emitVmmStubs(ref: VmmReference): Artifact[] {
  validateVmmReference(ref);
  const names = vmmCmdletNames(ref);
  const cmdlets = names.map((n) => cmdletView(n, ref.cmdlets[n]));
  const exportedNames = [...names, ...VMM_STUB_HELPERS].sort();
  const view = {
    header: generatedHeader('powershell'),
    moduleName: ref.module,
    moduleVersion: STUB_MODULE_VERSION,
    guid: STUB_MODULE_GUID,
    cmdlets,
    exports: exportedNames,
  };
  const dir = `stubs/${ref.module}`;
  return [
    windowsText(`${dir}/${ref.module}.psm1`, render('stubs/VirtualMachineManager.psm1.hbs', view)),
    windowsText(`${dir}/${ref.module}.psd1`, render('stubs/VirtualMachineManager.psd1.hbs', view)),
  ];
}
