/**
 * Microsoft's published signatures of the VMM cmdlets the module may call (reference/vmm-cmdlets.json, vendored
 * byte-identical from the shared reference). This is the contract the Pester stubs are generated from and the
 * model validates its cmdlet calls against: a parameter the real cmdlet lacks is an error here, not on a server.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export type PipelineBinding = 'ByValue' | 'ByPropertyName';

/** One parameter as it appears in one parameter set. */
export interface VmmSetParameter {
  readonly name: string;
  /** VMM type name as published (`Host`, `ServerConnection`, `String`, `String[]`, ...). */
  readonly type: string;
  readonly mandatory: boolean;
  /** 0-based position; null = named only. */
  readonly position: number | null;
  readonly pipeline: readonly PipelineBinding[];
}

export interface VmmParameterSet {
  /** The syntax line as published. */
  readonly syntax: string;
  readonly parameters: readonly VmmSetParameter[];
}

/** A parameter over all its sets. */
export interface VmmParameterInfo {
  readonly type: string;
  readonly aliases: readonly string[];
}

export interface VmmCmdlet {
  readonly synopsis: string;
  /** Path of the documentation page in Microsoft's docs repository. */
  readonly doc: string;
  readonly outputs: readonly string[];
  /** The cmdlet takes -WhatIf/-Confirm (they are not listed among its parameters). */
  readonly supportsShouldProcess: boolean;
  /** The set marked (Default), or the only set; null where the page marks none. */
  readonly defaultParameterSet: string | null;
  /** By set name; `__AllParameterSets` where the page names no set. */
  readonly parameterSets: Readonly<Record<string, VmmParameterSet>>;
  readonly parameters: Readonly<Record<string, VmmParameterInfo>>;
}

export interface VmmReference {
  readonly about: string;
  /** The PowerShell module that holds the cmdlets (`VirtualMachineManager`). */
  readonly module: string;
  /** Cmdlets the module needs that the reference could not transcribe. */
  readonly missing: readonly unknown[];
  /** Enumerations among the published types besides the VMM ones (taken as unchecked values by the stubs). */
  readonly enumTypes?: readonly string[];
  readonly cmdlets: Readonly<Record<string, VmmCmdlet>>;
}

/** The set name PowerShell uses when a cmdlet declares no parameter set. */
export const ALL_PARAMETER_SETS = '__AllParameterSets';

/** Where the vendored copy lives. */
export const VMM_REFERENCE_PATH = path.join(__dirname, 'reference', 'vmm-cmdlets.json');

/** The Windows ScheduledTasks cmdlets the schedule cmdlets call, in the same shape. */
export const SCHEDULED_TASKS_REFERENCE_PATH = path.join(__dirname, 'reference', 'scheduledtasks-cmdlets.json');

const IDENTIFIER = /^[A-Za-z][A-Za-z0-9]*$/;
const CMDLET_NAME = /^[A-Za-z]+-[A-Za-z0-9]+$/;

/** Reads the reference as it is; validateVmmReference (run by loadModel) checks it. */
export function readVmmReference(file: string = VMM_REFERENCE_PATH): VmmReference {
  return JSON.parse(fs.readFileSync(file, 'utf8')) as VmmReference;
}

/** Reads and checks the reference (a malformed entry throws, naming the cmdlet and parameter). */
export function loadVmmReference(file: string = VMM_REFERENCE_PATH): VmmReference {
  const ref = readVmmReference(file);
  validateVmmReference(ref);
  return ref;
}

/**
 * Structural checks the emitters rely on: names are plain identifiers, every parameter of a set is described
 * in `parameters` with the same type, every described parameter is in some set, the default set exists, and
 * no two parameters of one set share a position.
 */
export function validateVmmReference(ref: VmmReference): void {
  if (!ref || typeof ref !== 'object' || !ref.cmdlets || typeof ref.cmdlets !== 'object') {
    throw new Error('VMM reference: no "cmdlets" object');
  }
  if (typeof ref.module !== 'string' || !IDENTIFIER.test(ref.module)) throw new Error('VMM reference: bad "module"');
  for (const [name, cmdlet] of Object.entries(ref.cmdlets)) {
    const where = `VMM reference ${name}`;
    if (!CMDLET_NAME.test(name)) throw new Error(`${where}: not a Verb-Noun cmdlet name`);
    const sets = Object.entries(cmdlet.parameterSets ?? {});
    if (sets.length === 0) throw new Error(`${where}: no parameter set`);
    if (cmdlet.defaultParameterSet !== null && !(cmdlet.defaultParameterSet in cmdlet.parameterSets)) {
      throw new Error(`${where}: default parameter set ${cmdlet.defaultParameterSet} is not one of its sets`);
    }
    if (sets.length > 1 && sets.some(([setName]) => setName === ALL_PARAMETER_SETS)) {
      throw new Error(`${where}: ${ALL_PARAMETER_SETS} next to named sets`);
    }
    const used = new Set<string>();
    for (const [setName, set] of sets) {
      if (setName !== ALL_PARAMETER_SETS && !IDENTIFIER.test(setName)) throw new Error(`${where}: bad set name ${setName}`);
      const positions = new Map<number, string>();
      const seen = new Set<string>();
      for (const p of set.parameters) {
        const at = `${where} -${p.name} (set ${setName})`;
        if (!IDENTIFIER.test(p.name)) throw new Error(`${at}: bad parameter name`);
        if (seen.has(p.name.toLowerCase())) throw new Error(`${at}: listed twice`);
        seen.add(p.name.toLowerCase());
        const info = cmdlet.parameters[p.name];
        if (!info) throw new Error(`${at}: missing from "parameters"`);
        if (info.type !== p.type) throw new Error(`${at}: type ${p.type} differs from ${info.type}`);
        if (p.position !== null) {
          if (!Number.isInteger(p.position) || p.position < 0) throw new Error(`${at}: bad position`);
          const other = positions.get(p.position);
          if (other) throw new Error(`${at}: position ${p.position} also taken by -${other}`);
          positions.set(p.position, p.name);
        }
        for (const binding of p.pipeline) {
          if (binding !== 'ByValue' && binding !== 'ByPropertyName') throw new Error(`${at}: bad pipeline binding ${binding}`);
        }
        used.add(p.name);
      }
    }
    for (const [paramName, info] of Object.entries(cmdlet.parameters)) {
      if (!used.has(paramName)) throw new Error(`${where} -${paramName}: in no parameter set`);
      for (const alias of info.aliases) {
        if (!IDENTIFIER.test(alias)) throw new Error(`${where} -${paramName}: bad alias ${alias}`);
      }
    }
  }
}

/** Cmdlet names, sorted. */
export function vmmCmdletNames(ref: VmmReference): string[] {
  return Object.keys(ref.cmdlets).sort();
}

function findCmdlet(ref: VmmReference, cmdlet: string): [string, VmmCmdlet] | undefined {
  const key = Object.keys(ref.cmdlets).find((k) => k.toLowerCase() === cmdlet.toLowerCase());
  return key === undefined ? undefined : [key, ref.cmdlets[key]];
}

export function hasCmdlet(ref: VmmReference, cmdlet: string): boolean {
  return findCmdlet(ref, cmdlet) !== undefined;
}

/** The parameter's published name for a name or alias (case-insensitive, as PowerShell binds), or undefined. */
export function resolveParameter(ref: VmmReference, cmdlet: string, parameter: string): string | undefined {
  const found = findCmdlet(ref, cmdlet);
  if (!found) return undefined;
  const wanted = parameter.replace(/^-/, '').toLowerCase();
  for (const [name, info] of Object.entries(found[1].parameters)) {
    if (name.toLowerCase() === wanted || info.aliases.some((a) => a.toLowerCase() === wanted)) return name;
  }
  if (found[1].supportsShouldProcess && (wanted === 'whatif' || wanted === 'confirm')) {
    return wanted === 'whatif' ? 'WhatIf' : 'Confirm';
  }
  return undefined;
}

/** Whether the cmdlet takes the parameter (by name or alias; -WhatIf/-Confirm where it supports ShouldProcess). */
export function hasParameter(ref: VmmReference, cmdlet: string, parameter: string): boolean {
  return resolveParameter(ref, cmdlet, parameter) !== undefined;
}

export interface CallCheck {
  readonly ok: boolean;
  /** The parameter sets the call fits (empty when it fits none). */
  readonly parameterSets: string[];
  readonly errors: string[];
}

/**
 * Checks a call by its named parameters, as PowerShell's binder would without pipeline input: every
 * parameter exists, and some one set holds them all and gets all its mandatory parameters.
 */
export function checkCall(ref: VmmReference, cmdlet: string, parameters: readonly string[]): CallCheck {
  const found = findCmdlet(ref, cmdlet);
  if (!found) return { ok: false, parameterSets: [], errors: [`${cmdlet} is not in the VMM reference`] };
  const [name, info] = found;
  const errors: string[] = [];
  const resolved: string[] = [];
  for (const p of parameters) {
    const r = resolveParameter(ref, name, p);
    if (r === undefined) errors.push(`${name} has no parameter -${p.replace(/^-/, '')}`);
    else if (r !== 'WhatIf' && r !== 'Confirm') resolved.push(r);
  }
  if (errors.length > 0) return { ok: false, parameterSets: [], errors };
  const fits: string[] = [];
  const gaps: string[] = [];
  for (const [setName, set] of Object.entries(info.parameterSets)) {
    const names = new Set(set.parameters.map((p) => p.name));
    const foreign = resolved.filter((p) => !names.has(p));
    const missing = set.parameters.filter((p) => p.mandatory && !resolved.includes(p.name)).map((p) => p.name);
    if (foreign.length === 0 && missing.length === 0) fits.push(setName);
    else if (foreign.length === 0) gaps.push(`set ${setName} also needs -${missing.join(', -')}`);
  }
  if (fits.length === 0) {
    errors.push(
      gaps.length > 0
        ? `${name}: ${gaps.join('; ')}`
        : `${name}: no parameter set takes -${resolved.join(', -')} together`,
    );
  }
  return { ok: errors.length === 0, parameterSets: fits, errors };
}

/**
 * How a published type is taken off a VMM server:
 * - `dotnet`: a .NET type that exists everywhere (kept as is);
 * - `vmm-object`: a VMM object type (Host, VM, ServerConnection, ...) - taken as an object whose PSTypeNames
 *   hold `VmmStub.<type>`;
 * - `vmm-enum`: a VMM enumeration - taken as an object (its names, given as strings, are not checked);
 * - `vmm-credential`: VMMCredential, which VMM converts from a PSCredential or a Run As account.
 */
export type VmmTypeKind = 'dotnet' | 'vmm-object' | 'vmm-enum' | 'vmm-credential';

export interface VmmTypeInfo {
  readonly kind: VmmTypeKind;
  /** For `dotnet`: the PowerShell type literal without brackets, e.g. `string[]`. */
  readonly dotnet?: string;
  /** For `vmm-object`/`vmm-enum`: the element type name, e.g. `Host` for `Host` or `Host[]`. */
  readonly element?: string;
  readonly array: boolean;
}

/** Published .NET type names and their PowerShell spelling. */
export const DOTNET_TYPES: Readonly<Record<string, string>> = {
  String: 'string',
  'String[]': 'string[]',
  Int32: 'int',
  'Int32[]': 'int[]',
  Int64: 'long',
  UInt16: 'uint16',
  UInt32: 'uint32',
  UInt64: 'uint64',
  Byte: 'byte',
  Boolean: 'bool',
  Guid: 'guid',
  'Guid[]': 'guid[]',
  DateTime: 'datetime',
  SwitchParameter: 'switch',
  PSCredential: 'System.Management.Automation.PSCredential',
  Hashtable: 'hashtable',
  TimeSpan: 'timespan',
  'DayOfWeek[]': 'System.DayOfWeek[]',
  'System.Collections.Generic.List`1[System.String]': 'System.Collections.Generic.List[string]',
  'System.Collections.Generic.Dictionary`2[System.String,System.String]': 'System.Collections.Generic.Dictionary[string,string]',
};

/**
 * VMM enumerations among the published types. Easy to extend: a type missing here is treated as a VMM object,
 * which only ever makes a stub stricter.
 */
export const VMM_ENUM_TYPES: readonly string[] = [
  'BootDevice',
  'CheckpointType',
  'MigrationAuthProtocolType',
  'MigrationPerformanceOptionType',
  'OutOfBandManagementType',
  'Profile',
];

export const VMM_CREDENTIAL_TYPE = 'VMMCredential';

export function classifyVmmType(type: string, enums: readonly string[] = []): VmmTypeInfo {
  const dotnet = DOTNET_TYPES[type];
  if (dotnet !== undefined) return { kind: 'dotnet', dotnet, array: type.endsWith('[]') };
  const array = type.endsWith('[]');
  const element = array ? type.slice(0, -2) : type;
  if (!IDENTIFIER.test(element)) throw new Error(`VMM reference: unknown type ${type}`);
  if (element === VMM_CREDENTIAL_TYPE) return { kind: 'vmm-credential', element, array };
  if (VMM_ENUM_TYPES.includes(element) || enums.includes(element)) return { kind: 'vmm-enum', element, array };
  return { kind: 'vmm-object', element, array };
}

/** Every VMM object type a parameter of the reference takes, sorted. */
export function vmmObjectTypes(ref: VmmReference): string[] {
  const types = new Set<string>();
  for (const cmdlet of Object.values(ref.cmdlets)) {
    for (const info of Object.values(cmdlet.parameters)) {
      const t = classifyVmmType(info.type);
      if (t.kind === 'vmm-object' && t.element) types.add(t.element);
    }
  }
  return [...types].sort();
}
