/**
 * The DSC resources, from src/model/dsc:
 * - the classes, in the root module (DSC discovery and the DSC v3 PowerShell adapter read only the root
 *   module): the Reasons class, the base class (templates/dsc/VmmResourceBase.ps1), then one class per
 *   resource whose properties, Get/Test/Set, GetResourceInfo() and GetSetParameters() are generated and whose
 *   state logic comes verbatim from templates/dsc/<Class>.ps1;
 * - `VmmBackup/<Class>.dsc.adaptedResource.json`, one DSC v3 adapted resource manifest per resource, with the
 *   embedded JSON schema of its properties. They sit beside VmmBackup.psd1: DSC v3 looks for manifests in
 *   the folders of DSC_RESOURCE_PATH (or PATH) without recursing, and resolves `path` relative to the
 *   manifest, so adding the module folder to DSC_RESOURCE_PATH makes both reachable;
 * - `VmmBackup/Examples/VmmBackup.dsc.yaml` (DSC v3) and `VmmBackup/Examples/VmmBackupConfiguration.ps1`
 *   (PowerShell DSC): every resource, each with a destination of its own.
 */
import * as yaml from 'js-yaml';
import type { DscModel, DscPropertyModel, DscPropertyType, DscResourceModel } from '../model/dsc/types';
import type { Model } from '../model/types';
import { vmmRegistry } from '../model/vmm-states';
import { Artifact, plainText, windowsText } from './artifact';
import { GENERATED_NOTICE, generatedHeader } from './header';
import { psString, psValue } from './powershell';
import { readTemplate, templateExists } from './templates';

export const ADAPTER = 'Microsoft.Adapter/PowerShell';
export const ADAPTED_MANIFEST_SCHEMA = 'https://aka.ms/dsc/schemas/v3/bundled/adaptedresource/manifest.json';
export const CONFIG_DOCUMENT_SCHEMA = 'https://aka.ms/dsc/schemas/v3/bundled/config/document.json';
export const INSTANCE_SCHEMA_DIALECT = 'https://json-schema.org/draft/2020-12/schema';
/** Root of the example paths: a folder on a backup file server (not a share root, which is refused). */
const EXAMPLE_ROOT = '\\\\backup01\\vmm\\VMM01';

const PS_TYPES: Record<DscPropertyType, string> = {
  string: '[string]',
  'string[]': '[string[]]',
  int: '[Nullable[int]]',
  bool: '[Nullable[bool]]',
  datetime: '[Nullable[datetime]]',
  pscredential: '[PSCredential]',
};

const ATTRIBUTES: Record<DscPropertyModel['role'], string> = {
  key: '[DscProperty(Key)]',
  mandatory: '[DscProperty(Mandatory)]',
  optional: '[DscProperty()]',
  read: '[DscProperty(NotConfigurable)]',
};

/** Names for DscResourcesToExport, in model order. */
export function dscResourceNames(dsc: DscModel): string[] {
  return dsc.resources.map((r) => r.className);
}

/** The DSC v3 type name of a resource. */
export function dscTypeName(model: Model, resource: DscResourceModel): string {
  return `${model.module.name}/${resource.className}`;
}

/** Every class, in dependency order (Reasons class, base class, resources), for the root module. */
export function emitDscClasses(model: Model, dsc: DscModel): string {
  const reason = [
    '# One reason an instance is not in the desired state (Azure Machine Configuration reads it from Get()):',
    '# Code is <resource>:<resource>:<property>, Phrase says what is wrong in a sentence.',
    `class ${dsc.reasonClass}`,
    '{',
    '    [DscProperty()]',
    '    [string] $Code',
    '',
    '    [DscProperty()]',
    '    [string] $Phrase',
    '}',
  ].join('\n');
  const base = readTemplate(`dsc/${dsc.baseClass}.ps1`).replace(/\s+$/, '');
  if (!new RegExp(`^class ${dsc.baseClass}\\b`, 'm').test(base)) throw new Error(`templates/dsc/${dsc.baseClass}.ps1 must define class ${dsc.baseClass}`);
  return [reason, base, ...dsc.resources.map((r) => emitResourceClass(model, dsc, r))].join('\n\n');
}

function emitResourceClass(model: Model, dsc: DscModel, r: DscResourceModel): string {
  const bodyName = `dsc/${r.className}.ps1`;
  if (!templateExists(bodyName)) throw new Error(`templates/${bodyName} is missing: it holds the state logic of ${r.className}`);
  const body = readTemplate(bodyName).replace(/\s+$/, '');
  for (const method of ['GetCurrentState', 'Modify']) {
    if (!new RegExp(`^    hidden \\[[a-z]+\\] ${method}\\(`, 'm').test(body)) throw new Error(`templates/${bodyName} must implement hidden ${method}()`);
  }
  if (/^\s*\[DscProperty/m.test(body)) throw new Error(`templates/${bodyName} must not declare DSC properties: they come from the model`);
  const procedure = model.procedures.find((p) => p.id === r.procedure);
  const lines: string[] = [];
  lines.push(`# ${r.description}`);
  lines.push(`# Enforces procedure ${r.procedure}${procedure ? ` (${procedure.title})` : ''}; Set() runs ${r.cmdlet}.`);
  lines.push('[DscResource()]');
  lines.push(`class ${r.className} : ${dsc.baseClass}`);
  lines.push('{');
  for (const p of r.properties) {
    lines.push(...commentLines(p.description, '    '));
    lines.push(`    ${ATTRIBUTES[p.role]}`);
    // Allowed values as ValidateSet: PowerShell DSC writes them as the ValueMap of the MOF schema.
    if (p.set) lines.push(`    [ValidateSet(${p.set.map((v) => psString(v)).join(', ')})]`);
    lines.push(`    ${PS_TYPES[p.type]} $${p.name}`);
    lines.push('');
  }
  lines.push('    # Why the instance is not in the desired state: one entry per difference (empty when it is).');
  lines.push('    [DscProperty(NotConfigurable)]');
  lines.push(`    [${dsc.reasonClass}[]] $Reasons`);
  lines.push('');
  lines.push(`    [${r.className}] Get()`, '    {', `        return ([${dsc.baseClass}] $this).Get()`, '    }', '');
  lines.push('    [bool] Test()', '    {', `        return ([${dsc.baseClass}] $this).Test()`, '    }', '');
  lines.push('    [void] Set()', '    {', `        ([${dsc.baseClass}] $this).Set()`, '    }', '');
  if (r.export) {
    lines.push('    # Export without a filter (DSC v3: dsc resource export), as the PowerShell adapter calls it.');
    lines.push(`    static [${r.className}[]] Export()`, '    {', `        return [${r.className}[]]@(([${r.className}]::new()).ExportInstances($null))`, '    }', '');
    lines.push('    # Export with a filter: the properties given in the filter instance.');
    lines.push(`    static [${r.className}[]] Export([${r.className}] $filter)`, '    {', `        return [${r.className}[]]@($filter.ExportInstances($filter))`, '    }', '');
  }
  lines.push(...resourceInfo(model, dsc, r), '');
  lines.push(...setParameters(model, r), '');
  lines.push(body);
  lines.push('}');
  return lines.join('\n');
}

function commentLines(text: string, indent: string): string[] {
  const words = text.split(/\s+/).filter(Boolean);
  const out: string[] = [];
  let line = '';
  for (const w of words) {
    if (line && indent.length + 2 + line.length + 1 + w.length > 110) {
      out.push(`${indent}# ${line}`);
      line = w;
    } else line = line ? `${line} ${w}` : w;
  }
  if (line) out.push(`${indent}# ${line}`);
  return out;
}

function resourceInfo(model: Model, dsc: DscModel, r: DscResourceModel): string[] {
  const key = r.properties.find((p) => p.role === 'key');
  const rules: string[] = [];
  for (const p of r.properties) {
    if (p.range) rules.push(`                ${p.name} = @{ Range = @(${p.range[0]}, ${p.range[1]}) }`);
    if (p.set) rules.push(`                ${p.name} = @{ Set = ${psValue([...p.set])} }`);
  }
  const out = [
    '    # From the model: the cmdlet Set() runs, the procedure enforced, property rules, VMM constants.',
    '    hidden [hashtable] GetResourceInfo()',
    '    {',
    '        return @{',
    `            Cmdlet      = ${psString(r.cmdlet)}`,
    `            Procedure   = ${psString(r.procedure)}`,
    `            KeyProperty = ${psString(key ? key.name : '')}`,
    `            SettingsKey = ${psString(vmmRegistry.settingsKey)}`,
    `            SqlSubkey   = ${psString(vmmRegistry.sqlSubkey)}`,
  ];
  if (rules.length > 0) out.push('            Rules       = @{', ...rules, '            }');
  else out.push('            Rules       = @{}');
  if (r.export) out.push(`            Export      = ${psString(r.export)}`);
  const checked = [...(r.covers ?? []).map((c) => dsc.resources.find((x) => x.className === c)?.procedure ?? ''), ...(r.checks ?? [])];
  if (checked.length > 0) {
    // The items the resource checks, in the order of the backup plan, each with its cadence.
    const order = model.procedures.map((p) => p.id);
    checked.sort((a, b) => order.indexOf(a) - order.indexOf(b));
    out.push('            Items       = @(');
    for (const id of checked) {
      const procedure = model.procedures.find((p) => p.id === id);
      out.push(`                @{ Procedure = ${psString(id)}; Title = ${psString(procedure?.title ?? id)}; MaxAgeHours = ${psValue(procedure?.cadence?.maxAgeHours ?? null)} }`);
    }
    out.push('            )');
  }
  out.push('        }', '    }');
  return out;
}

function setParameters(model: Model, r: DscResourceModel): string[] {
  const cmdlet = model.cmdlets.find((c) => c.name === r.cmdlet);
  const out = [
    `    # The parameters of ${r.cmdlet} from the desired properties (passed by splatting, never as text).`,
    '    hidden [hashtable] GetSetParameters([hashtable] $desired)',
    '    {',
    '        $parameters = @{}',
  ];
  for (const p of r.properties) {
    if (!p.parameter) continue;
    const parameterType = cmdlet?.parameters.find((x) => x.name === p.parameter)?.type;
    let value = `$desired[${psString(p.name)}]`;
    if (parameterType === 'switch') value = `[switch][bool]${value}`;
    else if (p.type === 'pscredential') value = `[PSCredential]${value}`;
    else if (p.type === 'string[]') value = `[string[]]@(${value})`;
    else if (p.type === 'int') value = `[int]${value}`;
    else if (p.type === 'bool') value = `[bool]${value}`;
    out.push(`        if ($desired.ContainsKey(${psString(p.name)})) {`, `            $parameters[${psString(p.parameter)}] = ${value}`, '        }');
  }
  out.push('        return $parameters', '    }');
  return out;
}

// ---------------------------------------------------------------- DSC v3

/** JSON schema of one property's value. */
export function propertySchema(p: DscPropertyModel): Record<string, unknown> {
  const nullable = (t: string) => [t, 'null'];
  let schema: Record<string, unknown>;
  switch (p.type) {
    case 'string':
      schema = { type: p.role === 'key' || p.role === 'mandatory' ? 'string' : nullable('string') };
      if (p.set) schema.enum = [...p.set, ...(p.role === 'key' || p.role === 'mandatory' ? [] : [null])];
      break;
    case 'string[]':
      schema = { type: nullable('array'), items: { type: 'string' } };
      break;
    case 'int':
      schema = { type: nullable('integer') };
      if (p.range && p.role !== 'read') Object.assign(schema, { minimum: p.range[0], maximum: p.range[1] });
      break;
    case 'bool':
      schema = { type: nullable('boolean') };
      break;
    case 'datetime':
      schema = { type: nullable('string'), format: 'date-time' };
      break;
    case 'pscredential':
      // What the PowerShell adapter turns into a PSCredential: { username, password } (or a secureObject).
      schema = { type: nullable('object'), writeOnly: true, properties: { username: { type: 'string' }, password: { type: 'string' }, secureObject: { type: 'object' } } };
      break;
  }
  if (p.role === 'key' || p.role === 'mandatory') schema.minLength = 1;
  return { title: p.name, description: p.description, ...schema, ...(p.role === 'read' ? { readOnly: true } : {}) };
}

/** The embedded instance schema of a resource: its properties, Reasons included, closed. */
export function instanceSchema(dsc: DscModel, r: DscResourceModel): Record<string, unknown> {
  const properties: Record<string, unknown> = {};
  for (const p of r.properties) properties[p.name] = propertySchema(p);
  properties.Reasons = {
    title: 'Reasons',
    description: 'Why the instance is not in the desired state, one entry per difference; empty when it is. Returned by Get().',
    type: ['array', 'null'],
    readOnly: true,
    items: {
      title: dsc.reasonClass,
      type: 'object',
      properties: {
        Code: { type: 'string', pattern: `^${r.className}:${r.className}:[A-Za-z][A-Za-z0-9]*$`, description: '<resource>:<resource>:<property>' },
        Phrase: { type: 'string', minLength: 1, description: 'What is wrong, in a sentence.' },
      },
      required: ['Code', 'Phrase'],
      additionalProperties: false,
    },
  };
  return {
    $schema: INSTANCE_SCHEMA_DIALECT,
    $comment: GENERATED_NOTICE,
    title: r.className,
    description: r.description,
    type: 'object',
    required: r.properties.filter((p) => p.role === 'key' || p.role === 'mandatory').map((p) => p.name),
    additionalProperties: false,
    properties,
  };
}

export function adaptedResourceManifest(model: Model, dsc: DscModel, r: DscResourceModel): Record<string, unknown> {
  return {
    $schema: ADAPTED_MANIFEST_SCHEMA,
    type: dscTypeName(model, r),
    kind: 'resource',
    version: model.module.version,
    capabilities: ['get', 'set', 'test', ...(r.export ? ['export'] : [])],
    description: r.description,
    author: model.module.author,
    tags: ['VMM', 'Backup', 'PowerShell'],
    requireAdapter: ADAPTER,
    path: `${model.module.name}.psd1`,
    schema: { embedded: instanceSchema(dsc, r) },
  };
}

/** Instance name in the example documents (the DSC v3 dependsOn pattern allows letters, digits and spaces). */
function exampleName(r: DscResourceModel): string {
  return r.example.name;
}

/**
 * Example properties: each resource has a destination of its own. The plan checks only what Invoke-VmmBackup
 * writes under its own Destination, so the single resources' backups never stand in for the plan's.
 */
export function exampleProperties(r: DscResourceModel): Record<string, unknown> {
  const byResource: Record<string, Record<string, unknown>> = {
    VmmDatabaseBackup: { Path: `${EXAMPLE_ROOT}\\Database` },
    VmmRegistryBackup: { Path: `${EXAMPLE_ROOT}\\Registry` },
    VmmLibraryBackup: { Destination: `${EXAMPLE_ROOT}\\Library` },
    VmmBackupPlan: { Destination: `${EXAMPLE_ROOT}\\Plan` },
  };
  return { ...r.example.properties, ...(byResource[r.className] ?? {}) };
}

export function configurationDocument(model: Model, dsc: DscModel): Record<string, unknown> {
  const resources = dsc.resources.map((r) => {
    const instance: Record<string, unknown> = { name: exampleName(r), type: dscTypeName(model, r) };
    instance.properties = exampleProperties(r);
    return instance;
  });
  return { $schema: CONFIG_DOCUMENT_SCHEMA, resources };
}

function emitConfigurationDocument(model: Model, dsc: DscModel): Artifact {
  const header = [
    generatedHeader('yaml'),
    '#',
    '# Enforces VMM backups with DSC v3, through the PowerShell adapter (Microsoft.Adapter/PowerShell): a verified',
    '# database backup, a sound registry export and an intact library set, each in its own folder, and the whole backup',
    '# plan under a destination of its own (Invoke-VmmBackup runs only the items that are missing, failed or too old).',
    '# Before use: put the VmmBackup module on PSModulePath and its folder on DSC_RESOURCE_PATH (or PATH) so DSC finds',
    '# the *.dsc.adaptedResource.json manifests; adjust the paths (absolute, not root directories). `set` fails when',
    '# any backup fails.',
    '#',
    '#   dsc config test --file VmmBackup.dsc.yaml',
    '#   dsc config set --file VmmBackup.dsc.yaml',
  ].join('\n');
  const body = yaml.dump(configurationDocument(model, dsc), { lineWidth: 120, noRefs: true, quotingType: "'" });
  return plainText(`${model.module.name}/Examples/VmmBackup.dsc.yaml`, `${header}\n${body}`);
}

function emitPowerShellConfiguration(model: Model, dsc: DscModel): Artifact {
  const lines: string[] = [
    generatedHeader('powershell'),
    '<#',
    '.SYNOPSIS',
    '    PowerShell DSC configuration that enforces the whole VMM backup state with the VmmBackup DSC resources.',
    '.DESCRIPTION',
    '    A verified database backup, a sound registry export and an intact library set, each in its own folder and',
    '    no older than MaxAgeHours; and the whole backup plan (VmmBackupPlan) under a destination of its own, where',
    '    Invoke-VmmBackup runs only the items that are missing, failed or too old. Adjust the paths: absolute, not',
    '    root directories, and SQL Server must reach the database folder. A resource whose backup fails fails.',
    '.PARAMETER NodeName',
    '    The VMM management servers to configure.',
    '.EXAMPLE',
    '    . .\\VmmBackupConfiguration.ps1',
    '    VmmBackupConfiguration -NodeName VMM01 -OutputPath C:\\Dsc\\VmmBackup',
    '    Start-DscConfiguration -Path C:\\Dsc\\VmmBackup -Wait -Verbose',
    '#>',
    'Configuration VmmBackupConfiguration',
    '{',
    '    param',
    '    (',
    '        [Parameter()]',
    '        [string[]] $NodeName = @(\'localhost\')',
    '    )',
    '',
    `    Import-DscResource -ModuleName ${psString(model.module.name)} -ModuleVersion ${psString(model.module.version)}`,
    '',
    '    Node $NodeName',
    '    {',
  ];
  const blockName = (r: DscResourceModel) => r.className.replace(/^Vmm/, '');
  dsc.resources.forEach((r, index) => {
    if (index > 0) lines.push('');
    lines.push(`        ${r.className} ${blockName(r)}`, '        {');
    const properties = exampleProperties(r);
    const entries: [string, string][] = Object.entries(properties).map(([k, v]) => [k, psValue(v)]);
    const width = Math.max(...entries.map(([k]) => k.length));
    for (const [k, v] of entries) lines.push(`            ${k.padEnd(width)} = ${v}`);
    lines.push('        }');
  });
  lines.push('    }', '}');
  return windowsText(`${model.module.name}/Examples/VmmBackupConfiguration.ps1`, lines.join('\n'));
}

/** Adapted resource manifests and the examples. */
export function emitDscArtifacts(model: Model, dsc: DscModel): Artifact[] {
  return [
    ...dsc.resources.map((r) =>
      plainText(`${model.module.name}/${r.className}.dsc.adaptedResource.json`, JSON.stringify(adaptedResourceManifest(model, dsc, r), null, 2)),
    ),
    emitConfigurationDocument(model, dsc),
    emitPowerShellConfiguration(model, dsc),
  ];
}
