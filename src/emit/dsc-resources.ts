/**
 * The DSC resources, from src/model/dsc:
 * - the classes, in the root module (DSC discovery and the DSC v3 PowerShell adapter read only the root
 *   module): the Reasons class (templates/dsc/reason-class.ps1.hbs), the base class
 *   (templates/dsc/VmmResourceBase.ps1), then one class per resource: templates/dsc/<Class>.ps1 is the whole
 *   class with its hand-written state logic, checked for its shape here; templates/dsc/resource-class.ps1.hbs
 *   adds what the model owns (the DscResource attribute, the properties, Get/Test/Set, Export(),
 *   GetResourceInfo(), GetSetParameters() and the comments);
 * - `VmmBackup/<Class>.dsc.adaptedResource.json`, one DSC v3 adapted resource manifest per resource, with the
 *   embedded JSON schema of its properties. They sit beside VmmBackup.psd1: DSC v3 looks for manifests in
 *   the folders of DSC_RESOURCE_PATH (or PATH) without recursing, and resolves `path` relative to the
 *   manifest, so adding the module folder to DSC_RESOURCE_PATH makes both reachable;
 * - `VmmBackup/Examples/VmmBackup.dsc.yaml` (DSC v3) and `VmmBackup/Examples/VmmBackupConfiguration.ps1`
 *   (PowerShell DSC): every resource, each with the destination its model example gives
 *   (templates/dsc/configuration.*.hbs).
 */
import * as yaml from 'js-yaml';
import type { DscPropertyModel, DscResourceModel } from '../model/dsc/types';
import { TYPE_TABLE, dscForms } from '../model/type-table';
import type { Model } from '../model/types';
import { Artifact, plainText, windowsText } from './artifact';
import { GENERATED_NOTICE, generatedHeader } from './header';
import { psString, psValue } from './powershell';
import { readTemplate, render, templateExists } from './templates';

export const ADAPTER = 'Microsoft.Adapter/PowerShell';
export const ADAPTED_MANIFEST_SCHEMA = 'https://aka.ms/dsc/schemas/v3/bundled/adaptedresource/manifest.json';
export const CONFIG_DOCUMENT_SCHEMA = 'https://aka.ms/dsc/schemas/v3/bundled/config/document.json';
export const INSTANCE_SCHEMA_DIALECT = 'https://json-schema.org/draft/2020-12/schema';

const ATTRIBUTES: Record<DscPropertyModel['role'], string> = {
  key: '[DscProperty(Key)]',
  mandatory: '[DscProperty(Mandatory)]',
  optional: '[DscProperty()]',
  read: '[DscProperty(NotConfigurable)]',
};

/** Methods the generated part of a resource class defines; the hand-written part must not. */
const GENERATED_METHODS = ['Get', 'Test', 'Set', 'Export', 'GetResourceInfo', 'GetSetParameters'];

/** Names for DscResourcesToExport, in model order. */
export function dscResourceNames(dsc: Model['dsc']): string[] {
  return dsc.resources.map((r) => r.className);
}

/** The DSC v3 type name of a resource. */
export function dscTypeName(model: Model, resource: DscResourceModel): string {
  return `${model.module.name}/${resource.className}`;
}

/** Every class, in dependency order (Reasons class, base class, resources), for the root module. */
export function emitDscClasses(model: Model): string {
  const { dsc } = model;
  const reason = render('dsc/reason-class.ps1.hbs', { reasonClass: dsc.reasonClass }).replace(/\s+$/, '');
  const base = readTemplate(`dsc/${dsc.baseClass}.ps1`).replace(/\s+$/, '');
  if (!new RegExp(`^class ${dsc.baseClass}\\b`, 'm').test(base)) throw new Error(`templates/dsc/${dsc.baseClass}.ps1 must define class ${dsc.baseClass}`);
  return [reason, base, ...dsc.resources.map((r) => emitResourceClass(model, r))].join('\n\n');
}

/** The members of the hand-written resource class templates/dsc/<Class>.ps1, checked by classMembers(). */
export function handWrittenMembers(model: Model, r: DscResourceModel): string {
  const name = `dsc/${r.className}.ps1`;
  if (!templateExists(name)) throw new Error(`templates/${name} is missing: it holds the class ${r.className} with its state logic`);
  return classMembers(readTemplate(name), `templates/${name}`, r.className, model.dsc.baseClass);
}

/**
 * The members of a whole resource class, checked for its shape: one class `class <Class> : <Base>` (after an
 * optional comment) whose braces open and close at the start of a line, every line between them indented,
 * GetCurrentState() and Modify() among its members, and neither a DSC attribute nor a member the generator adds.
 */
export function classMembers(text: string, where: string, className: string, baseClass: string): string {
  const unit = /^(?:\s*(?:<#[\s\S]*?#>|#[^\n]*))*\s*class ([A-Za-z][A-Za-z0-9]*) : ([A-Za-z][A-Za-z0-9]*)\n\{\n([\s\S]*?)\n\}\s*$/.exec(text.replace(/\r\n/g, '\n'));
  if (!unit) throw new Error(`${where} must be one whole class: class ${className} : ${baseClass} { ... }, braces at the start of their lines`);
  const [, name, base, members] = unit;
  if (name !== className) throw new Error(`${where} defines class ${name}; it must be ${className}`);
  if (base !== baseClass) throw new Error(`${where}: ${className} must derive from ${baseClass}`);
  if (/^\S/m.test(members)) throw new Error(`${where}: every line of the class body must be indented (a second class or a stray brace?)`);
  for (const method of ['GetCurrentState', 'Modify']) {
    if (!new RegExp(`^    hidden \\[[a-z]+\\] ${method}\\(`, 'm').test(members)) throw new Error(`${where} must implement hidden ${method}()`);
  }
  if (/^\s*\[Dsc(?:Property|Resource)/m.test(members)) throw new Error(`${where} must not declare DSC attributes or properties: they come from the model`);
  for (const method of GENERATED_METHODS) {
    if (new RegExp(`^    (?:hidden |static )*\\[[A-Za-z\\[\\]]+\\] ${method}\\(`, 'm').test(members)) throw new Error(`${where} must not define ${method}(): it is generated`);
  }
  return members.replace(/\s+$/, '');
}

function emitResourceClass(model: Model, r: DscResourceModel): string {
  const { dsc } = model;
  const procedure = model.procedures.find((p) => p.id === r.procedure);
  const cmdlet = model.cmdlets.find((c) => c.name === r.cmdlet);
  const checked = [...(r.covers ?? []).map((c) => dsc.resources.find((x) => x.className === c)?.procedure ?? ''), ...(r.checks ?? [])];
  // The items the resource checks, in the order of the backup plan, each with its cadence.
  const order = model.procedures.map((p) => p.id);
  checked.sort((a, b) => order.indexOf(a) - order.indexOf(b));
  return render('dsc/resource-class.ps1.hbs', {
    description: r.description,
    procedure: r.procedure,
    procedureTitle: procedure?.title ?? '',
    cmdlet: r.cmdlet,
    className: r.className,
    baseClass: dsc.baseClass,
    reasonClass: dsc.reasonClass,
    properties: r.properties.map((p) => ({
      name: p.name,
      description: p.description,
      attribute: ATTRIBUTES[p.role],
      // Allowed values as ValidateSet: PowerShell DSC writes them as the ValueMap of the MOF schema.
      validateSet: p.set ? p.set.map(psString).join(', ') : '',
      type: dscForms(p.type).ps,
    })),
    export: r.export ?? '',
    keyProperty: r.properties.find((p) => p.role === 'key')?.name ?? '',
    settingsKey: model.vmm.registry.settingsKey,
    sqlSubkey: model.vmm.registry.sqlSubkey,
    rules: r.properties.flatMap((p) => [
      ...(p.range ? [{ name: p.name, rule: `Range = ${psValue([...p.range])}` }] : []),
      ...(p.set ? [{ name: p.name, rule: `Set = ${psValue([...p.set])}` }] : []),
    ]),
    items: checked.map((id) => {
      const p = model.procedures.find((x) => x.id === id);
      return { procedure: id, title: p?.title ?? id, maxAgeHours: psValue(p?.cadence?.maxAgeHours ?? null) };
    }),
    setParameters: r.properties
      .filter((p) => p.parameter)
      .map((p) => {
        const value = `$desired[${psString(p.name)}]`;
        const parameterType = cmdlet?.parameters.find((x) => x.name === p.parameter)?.type;
        return { property: p.name, parameter: p.parameter, value: parameterType === 'switch' ? `[switch][bool]${value}` : dscForms(p.type).setCast.replace('%s', value) };
      }),
    members: handWrittenMembers(model, r),
  }).replace(/\s+$/, '');
}

// ---------------------------------------------------------------- DSC v3

/**
 * JSON schema of one property's value: the type table's schema of its type, nullable unless the property is a
 * key or mandatory (a property left null is unmanaged), with its allowed values and range.
 */
export function propertySchema(p: DscPropertyModel): Record<string, unknown> {
  const required = p.role === 'key' || p.role === 'mandatory';
  const { type, ...rest } = TYPE_TABLE[p.type].json;
  const schema: Record<string, unknown> = { type: required ? type : [type, 'null'], ...rest };
  if (p.set) schema.enum = [...p.set, ...(required ? [] : [null])];
  if (p.range && p.role !== 'read') Object.assign(schema, { minimum: p.range[0], maximum: p.range[1] });
  if (required) schema.minLength = 1;
  return { title: p.name, description: p.description, ...schema, ...(p.role === 'read' ? { readOnly: true } : {}) };
}

/** The embedded instance schema of a resource: its properties, Reasons included, closed. */
export function instanceSchema(model: Model, r: DscResourceModel): Record<string, unknown> {
  const properties: Record<string, unknown> = {};
  for (const p of r.properties) properties[p.name] = propertySchema(p);
  properties.Reasons = {
    title: 'Reasons',
    description: 'Why the instance is not in the desired state, one entry per difference; empty when it is. Returned by Get().',
    type: ['array', 'null'],
    readOnly: true,
    items: {
      title: model.dsc.reasonClass,
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

export function adaptedResourceManifest(model: Model, r: DscResourceModel): Record<string, unknown> {
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
    schema: { embedded: instanceSchema(model, r) },
  };
}

export function configurationDocument(model: Model): Record<string, unknown> {
  const resources = model.dsc.resources.map((r) => ({ name: r.example.name, type: dscTypeName(model, r), properties: { ...r.example.properties } }));
  return { $schema: CONFIG_DOCUMENT_SCHEMA, resources };
}

function emitConfigurationDocument(model: Model): Artifact {
  const body = yaml.dump(configurationDocument(model), { lineWidth: 120, noRefs: true, quotingType: "'" });
  const text = render('dsc/configuration.dsc.yaml.hbs', { header: generatedHeader('yaml'), body: body.replace(/\s+$/, '') });
  return plainText(`${model.module.name}/Examples/VmmBackup.dsc.yaml`, text);
}

function emitPowerShellConfiguration(model: Model): Artifact {
  const resources = model.dsc.resources.map((r) => {
    const entries = Object.entries(r.example.properties);
    const width = Math.max(...entries.map(([k]) => k.length));
    return { className: r.className, blockName: r.className.replace(/^Vmm/, ''), properties: entries.map(([k, v]) => ({ key: k.padEnd(width), value: psValue(v) })) };
  });
  const text = render('dsc/configuration.ps1.hbs', { header: generatedHeader('powershell'), moduleName: model.module.name, moduleVersion: model.module.version, resources });
  return windowsText(`${model.module.name}/Examples/VmmBackupConfiguration.ps1`, text);
}

/** Adapted resource manifests and the examples. */
export function emitDscArtifacts(model: Model): Artifact[] {
  return [
    ...model.dsc.resources.map((r) =>
      plainText(`${model.module.name}/${r.className}.dsc.adaptedResource.json`, JSON.stringify(adaptedResourceManifest(model, r), null, 2)),
    ),
    emitConfigurationDocument(model),
    emitPowerShellConfiguration(model),
  ];
}
