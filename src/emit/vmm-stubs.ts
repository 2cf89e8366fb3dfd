/**
 * Pester stubs of the VMM module, generated from Microsoft's published cmdlet signatures (the VMM reference):
 * `stubs/VirtualMachineManager/VirtualMachineManager.psm1` and `.psd1`. One advanced function per cmdlet with
 * the real parameter names, aliases, sets, mandatory/positional parameters and pipeline bindings, so a call the
 * real cmdlet rejects fails in tests. VMM object types are taken as objects with PSTypeName `VmmStub.<type>`,
 * which also lets PowerShell pick the right parameter for pipeline input when several take objects by value.
 */
import { Artifact, windowsText } from './artifact';
import { generatedHeader } from './header';
import { attributeView, psString, type AttributeView, type NamedArgument } from './powershell';
import { registerPartial, render } from './templates';
import {
  ALL_PARAMETER_SETS,
  VmmCmdlet,
  VmmReference,
  VmmSetParameter,
  classifyVmmType,
  validateVmmReference,
  vmmCmdletNames,
} from '../model/vmm-reference';

/** The helper functions a stub module exports next to the stubbed cmdlets, named with its prefix. */
export function stubHelpers(prefix: string): string[] {
  return [`Get-${prefix}StubCall`, `New-${prefix}StubObject`, `Reset-${prefix}Stub`, `Set-${prefix}StubBehavior`];
}

/** The helper functions the VMM stub module exports next to the stubbed cmdlets. */
export const VMM_STUB_HELPERS = stubHelpers('Vmm');

/**
 * How one stub module differs from another: its helpers' prefix (so two stub modules load side by side),
 * the product named in help, the reference file it comes from, its manifest GUID (fixed, so the manifest is
 * deterministic) and the template of its default behaviours (`templates/stubs/<module>.defaults.ps1.hbs`).
 */
export interface StubModuleOptions {
  readonly prefix: string;
  readonly productName: string;
  /** Where the real cmdlets run, for "Not for use on ...". */
  readonly product: string;
  readonly referenceFile: string;
  readonly guid: string;
  /** Cmdlet name → the text "(... by default)" of its help, for stubs that return something by default. */
  readonly defaultOutputs?: Readonly<Record<string, string>>;
}

export const VMM_STUB_OPTIONS: StubModuleOptions = {
  prefix: 'Vmm',
  productName: 'VMM',
  product: 'a VMM server',
  referenceFile: 'vmm-cmdlets.json',
  guid: '3f0c2a7e-5b1d-4c8e-9a64-7d2e1b9c0f53',
  defaultOutputs: { 'Get-SCVMMServer': 'a VmmStub.ServerConnection' },
};

/** The Windows ScheduledTasks module, which the schedule cmdlets call: its stubs keep tasks in memory. */
export const SCHEDULED_TASKS_STUB_OPTIONS: StubModuleOptions = {
  prefix: 'Task',
  productName: 'ScheduledTasks',
  product: 'Windows (the real module ships with it)',
  referenceFile: 'scheduledtasks-cmdlets.json',
  guid: '8d4f6b2a-1c3e-4f5a-9b7d-2e6c0a4f8b91',
  defaultOutputs: {
    'New-ScheduledTaskAction': 'a TaskStub.CimInstance with the bound parameters',
    'New-ScheduledTaskPrincipal': 'a TaskStub.CimInstance with the bound parameters',
    'New-ScheduledTaskSettingsSet': 'a TaskStub.CimInstance with the bound parameters',
    'New-ScheduledTaskTrigger': 'a TaskStub.CimInstance with the bound parameters',
    'Register-ScheduledTask': 'the task, kept in an in-memory store',
    'Get-ScheduledTask': 'the stored tasks that match',
    'Unregister-ScheduledTask': 'nothing; the task leaves the store',
  },
};

const STUB_MODULE_VERSION = '1.0.0';

/** Text safe inside a <# ... #> comment, on one line. */
function commentText(value: string): string {
  return value.replace(/\s+/g, ' ').replace(/#>/g, '# >').replace(/<#/g, '< #').trim();
}

interface ParameterView {
  name: string;
  attributes: AttributeView[];
  type: string;
}

interface CmdletView {
  name: string;
  synopsis: string;
  doc: string;
  binding: NamedArgument[];
  defaultOutput: string;
  parameters: ParameterView[];
}

function parameterAttribute(setName: string | null, p: VmmSetParameter): AttributeView {
  const named: NamedArgument[] = [];
  if (setName !== null) named.push({ key: 'ParameterSetName', value: psString(setName) });
  if (p.mandatory) named.push({ key: 'Mandatory', value: '$true' });
  if (p.position !== null) named.push({ key: 'Position', value: String(p.position) });
  if (p.pipeline.includes('ByValue')) named.push({ key: 'ValueFromPipeline', value: '$true' });
  if (p.pipeline.includes('ByPropertyName')) named.push({ key: 'ValueFromPipelineByPropertyName', value: '$true' });
  return attributeView('Parameter', named);
}

/** Type constraint and validation of one parameter. */
function typeAttributes(cmdletName: string, name: string, type: string, options: StubModuleOptions, enums: readonly string[]): { attributes: AttributeView[]; type: string } {
  const t = classifyVmmType(type, enums);
  const object = t.array ? 'object[]' : 'object';
  switch (t.kind) {
    case 'dotnet':
      if (t.dotnet === undefined) break;
      return { attributes: [], type: t.dotnet };
    case 'vmm-enum':
      return { attributes: [], type: object };
    case 'vmm-credential':
      return { attributes: [attributeView('ValidateScript', [], [`{ Test-${options.prefix}StubCredential -Value $_ -ParameterName ${psString(name)} }`])], type: object };
    case 'vmm-object':
      if (t.array) {
        return { attributes: [attributeView('ValidateScript', [], [`{ Test-${options.prefix}StubShape -Value $_ -TypeName ${psString(t.element ?? '')} -ParameterName ${psString(name)} }`])], type: object };
      }
      return { attributes: [attributeView('PSTypeName', [], [psString(`${options.prefix}Stub.${t.element}`)])], type: object };
  }
  throw new Error(`${cmdletName} -${name}: unhandled type ${type}`);
}

/**
 * A parameter taking any object by value would swallow pipeline input meant for the others (PowerShell binds
 * the first match): refuse to emit such a stub rather than emit one that binds differently from VMM.
 */
function assertPipelineUnambiguous(cmdletName: string, cmdlet: VmmCmdlet, enums: readonly string[]): void {
  for (const [setName, set] of Object.entries(cmdlet.parameterSets)) {
    const byValue = set.parameters.filter((p) => p.pipeline.includes('ByValue'));
    if (byValue.length < 2) continue;
    for (const p of byValue) {
      const kind = classifyVmmType(p.type, enums).kind;
      if (kind === 'vmm-enum') {
        throw new Error(`${cmdletName} -${p.name} (set ${setName}): an unchecked object taken by value next to other pipeline parameters`);
      }
    }
  }
}

function cmdletView(name: string, cmdlet: VmmCmdlet, options: StubModuleOptions, enums: readonly string[]): CmdletView {
  assertPipelineUnambiguous(name, cmdlet, enums);
  const sets = Object.entries(cmdlet.parameterSets);
  const single = sets.length === 1 && sets[0][0] === ALL_PARAMETER_SETS;
  const binding: NamedArgument[] = [];
  if (!single && cmdlet.defaultParameterSet !== null) binding.push({ key: 'DefaultParameterSetName', value: psString(cmdlet.defaultParameterSet) });
  // No automatic positions: only the published positional parameters are positional.
  binding.push({ key: 'PositionalBinding', value: '$false' });
  if (cmdlet.supportsShouldProcess) binding.push({ key: 'SupportsShouldProcess', value: '$true' });

  const parameters: ParameterView[] = Object.entries(cmdlet.parameters).map(([paramName, info]) => {
    const attributes: AttributeView[] = [];
    for (const [setName, set] of sets) {
      const p = set.parameters.find((q) => q.name === paramName);
      if (p) attributes.push(parameterAttribute(single ? null : setName, p));
    }
    if (info.aliases.length > 0) attributes.push(attributeView('Alias', [], info.aliases.map(psString)));
    const typed = typeAttributes(name, paramName, info.type, options, enums);
    return { name: paramName, attributes: [...attributes, ...typed.attributes], type: typed.type };
  });

  return {
    name,
    synopsis: commentText(cmdlet.synopsis),
    doc: commentText(cmdlet.doc),
    binding,
    defaultOutput: options.defaultOutputs?.[name] ?? '',
    parameters,
  };
}

/** The stub module of a reference's PowerShell module, as artifacts under `stubs/<module>/`. */
export function emitStubModule(ref: VmmReference, options: StubModuleOptions): Artifact[] {
  validateVmmReference(ref);
  registerPartial('attribute', 'module/_attribute.ps1.hbs');
  const enums = ref.enumTypes ?? [];
  const names = vmmCmdletNames(ref);
  const cmdlets = names.map((n) => cmdletView(n, ref.cmdlets[n], options, enums));
  const exportedNames = [...names, ...stubHelpers(options.prefix)].sort();
  const common = {
    prefix: options.prefix,
    productName: options.productName,
    product: options.product,
    referenceFile: options.referenceFile,
  };
  const view = {
    ...common,
    header: generatedHeader('powershell'),
    moduleName: ref.module,
    moduleVersion: STUB_MODULE_VERSION,
    guid: options.guid,
    cmdlets,
    exports: exportedNames,
    defaultBehaviors: render(`stubs/${ref.module}.defaults.ps1.hbs`, common).replace(/\n+$/, ''),
  };
  const dir = `stubs/${ref.module}`;
  return [
    windowsText(`${dir}/${ref.module}.psm1`, render('stubs/VirtualMachineManager.psm1.hbs', view)),
    windowsText(`${dir}/${ref.module}.psd1`, render('stubs/VirtualMachineManager.psd1.hbs', view)),
  ];
}

/** The stub module of the VMM reference. */
export function emitVmmStubs(ref: VmmReference): Artifact[] {
  return emitStubModule(ref, VMM_STUB_OPTIONS);
}
