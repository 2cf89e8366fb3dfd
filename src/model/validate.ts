/**
 * Consistency rules of the model. Each returns problems as sentences; an empty list means the model holds.
 */
import { validateDscModel } from './dsc';
import { valueProblems } from './type-table';
import { ERROR_CATEGORIES, type Cmdlet, type Model, type Procedure } from './types';
import type { VmmModel } from './vmm';
import { type VmmReference, validateVmmReference } from './vmm-reference';

/** Verbs PowerShell approves (Get-Verb) that the module may use. */
export const APPROVED_VERBS = new Set([
  'Add', 'Backup', 'Clear', 'Compare', 'Convert', 'ConvertFrom', 'ConvertTo', 'Copy', 'Export', 'Find', 'Get', 'Import', 'Initialize',
  'Install', 'Invoke', 'Measure', 'New', 'Register', 'Remove', 'Repair', 'Reset', 'Resolve', 'Restore', 'Save', 'Set', 'Start', 'Stop',
  'Switch', 'Sync', 'Test', 'Update', 'Unregister', 'Write', 'Read', 'Select', 'Show', 'Watch', 'Wait', 'Use', 'Uninstall', 'Submit',
]);

/** Verbs that only read: every other verb must support ShouldProcess. */
export const READ_ONLY_VERBS = new Set(['Get', 'Test', 'Compare', 'Find', 'Measure', 'Resolve', 'Read', 'Select', 'Show', 'Watch', 'Wait']);

/** Every part of the model root: procedures, cmdlets, DSC resources, VMM layouts and the references. */
export function validateModel(model: Model): string[] {
  return [
    ...validateReference('VMM', model.reference.vmm),
    ...validateReference('ScheduledTasks', model.reference.scheduledTasks),
    ...validateProcedures(model.procedures, model.cmdlets),
    ...validateCmdlets(model.cmdlets, model.reference.vmm),
    ...validateDscModel(model.dsc, model),
    ...validateVmm(model.vmm),
  ];
}

function validateReference(name: string, reference: VmmReference): string[] {
  try {
    validateVmmReference(reference);
    return [];
  } catch (error) {
    return [`the ${name} cmdlet reference is malformed: ${(error as Error).message}`];
  }
}

/** The VMM layouts: names are non-empty, registry keys absolute, and the drill's leftover pattern matches its names. */
export function validateVmm(vmm: VmmModel): string[] {
  const problems: string[] = [];
  const strings = (where: string, value: unknown): void => {
    if (typeof value === 'string') {
      if (value.trim() === '' || value !== value.trim()) problems.push(`VMM layout ${where} is empty or has surrounding blanks`);
    } else if (Array.isArray(value)) {
      if (value.length === 0) problems.push(`VMM layout ${where} is an empty list`);
      value.forEach((v, i) => strings(`${where}[${i}]`, v));
    } else if (value && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) strings(`${where}.${k}`, v);
    } else problems.push(`VMM layout ${where} is not a name`);
  };
  strings('vmm', vmm);
  for (const [name, key] of [['registry.settingsKey', vmm.registry.settingsKey], ['registry.setupKey', vmm.registry.setupKey], ['console.setupKey', vmm.console.setupKey]] as const) {
    if (!/^HKEY_LOCAL_MACHINE\\[^\\]/.test(key) || key.endsWith('\\')) problems.push(`VMM layout ${name} is not a key under HKEY_LOCAL_MACHINE`);
  }
  const tables = new Set<string>();
  const counts = new Set<string>();
  for (const t of vmm.database.tables) {
    if (!/^tbl_[A-Za-z0-9_]+$/.test(t.table)) problems.push(`VMM database table ${t.table} is not a VMM table name`);
    if (!/^[A-Za-z][A-Za-z0-9]*$/.test(t.count)) problems.push(`VMM database table ${t.table}: count name ${t.count} is not an identifier`);
    if (tables.has(t.table)) problems.push(`VMM database table ${t.table} is listed twice`);
    if (counts.has(t.count)) problems.push(`VMM database count name ${t.count} is used twice`);
    tables.add(t.table);
    counts.add(t.count);
  }
  // A scratch database is <database><suffix><stamp>: the leftover pattern must match exactly those names.
  const drill = vmm.database.drill;
  const expected = `%${drill.suffix.replace(/_/g, '[_]')}${'[0-9]'.repeat(drill.stampFormat.length)}`;
  if (drill.leftoverPattern !== expected) problems.push(`VMM drill leftover pattern ${drill.leftoverPattern} does not match the names <database>${drill.suffix}<${drill.stampFormat}> (expected ${expected})`);
  return problems;
}

export function validateProcedures(procedures: readonly Procedure[], cmdlets: readonly Cmdlet[]): string[] {
  const problems: string[] = [];
  const ids = new Set<string>();
  const cmdletNames = new Set(cmdlets.map((c) => c.name));
  for (const p of procedures) {
    if (ids.has(p.id)) problems.push(`procedure id ${p.id} is used twice`);
    ids.add(p.id);
    if (!p.id.startsWith(`${p.kind}.`)) problems.push(`procedure ${p.id} must start with its kind "${p.kind}."`);
    if (p.runner.kind === 'cmdlet' && !cmdletNames.has(p.runner.cmdlet)) problems.push(`procedure ${p.id} names cmdlet ${p.runner.cmdlet}, which the model lacks`);
    if (p.runner.kind === 'cmdlet') for (const c of p.runner.before ?? []) if (!cmdletNames.has(c)) problems.push(`procedure ${p.id} runs cmdlet ${c} first, which the model lacks`);
    if (p.runner.kind === 'checklist') {
      if (p.runner.instructions.length === 0) problems.push(`checklist procedure ${p.id} has no instructions`);
      if (p.runner.check && !cmdletNames.has(p.runner.check)) problems.push(`procedure ${p.id} names check cmdlet ${p.runner.check}, which the model lacks`);
    }
    if ((p.kind === 'restore' || p.kind === 'post-restore') && !p.scenarios?.length) problems.push(`${p.kind} procedure ${p.id} names no scenario`);
  }
  for (const p of procedures) {
    for (const dep of p.after) if (!ids.has(dep)) problems.push(`procedure ${p.id} runs after ${dep}, which does not exist`);
  }
  const cycle = findCycle(procedures);
  if (cycle) problems.push(`ordering constraints form a cycle: ${cycle.join(' -> ')}`);
  // The specification: "If the VMM database must be restored, restore it first."
  const byId = new Map(procedures.map((p) => [p.id, p]));
  for (const p of procedures) {
    if ((p.kind === 'restore' || p.kind === 'post-restore') && p.id !== 'restore.database' && p.id !== 'restore.plan') {
      if (!dependsOn(p, 'restore.database', byId)) problems.push(`${p.id} must come after restore.database (the database is restored first)`);
    }
  }
  return problems;
}

export function validateCmdlets(cmdlets: readonly Cmdlet[], reference: VmmReference): string[] {
  const problems: string[] = [];
  const names = new Set<string>();
  for (const c of cmdlets) {
    if (names.has(c.name)) problems.push(`cmdlet ${c.name} is defined twice`);
    names.add(c.name);
    const [verb, noun, ...rest] = c.name.split('-');
    if (!verb || !noun || rest.length > 0) problems.push(`cmdlet ${c.name} is not Verb-Noun`);
    if (verb && !APPROVED_VERBS.has(verb)) problems.push(`cmdlet ${c.name} uses the unapproved verb ${verb}`);
    if (verb && !READ_ONLY_VERBS.has(verb) && !c.shouldProcess) problems.push(`cmdlet ${c.name} changes state (${verb}) but has no shouldProcess`);
    if (c.examples.length === 0) problems.push(`cmdlet ${c.name} has no example`);
    if (!c.synopsis || c.description.length === 0) problems.push(`cmdlet ${c.name} lacks a synopsis or description`);
    const params = new Set<string>();
    for (const p of c.parameters) {
      if (params.has(p.name.toLowerCase())) problems.push(`cmdlet ${c.name} has parameter ${p.name} twice`);
      params.add(p.name.toLowerCase());
      if (!p.help) problems.push(`parameter ${c.name} -${p.name} has no help`);
      if (['WhatIf', 'Confirm', 'Verbose', 'Debug', 'ErrorAction'].includes(p.name)) problems.push(`parameter ${c.name} -${p.name} is a common parameter`);
      if (p.default !== undefined) {
        for (const problem of valueProblems(p.type, p.default)) problems.push(`parameter ${c.name} -${p.name}: ${problem}`);
        const values = typeof p.default === 'string' ? [p.default] : Array.isArray(p.default) ? p.default : [];
        const set = p.validate?.set;
        if (set) for (const v of values) if (!set.includes(v)) problems.push(`parameter ${c.name} -${p.name}: the default ${v} is not an allowed value`);
        const range = p.validate?.range;
        if (range && typeof p.default === 'number' && (p.default < range[0] || p.default > range[1])) problems.push(`parameter ${c.name} -${p.name}: the default ${p.default} is out of range`);
        if (p.mandatory) problems.push(`parameter ${c.name} -${p.name} is mandatory and has a default`);
      }
    }
    if (c.output.schema.type !== 'object') problems.push(`cmdlet ${c.name} output schema is not an object`);
    if (!c.output.typeName.startsWith('VmmBackup.')) problems.push(`cmdlet ${c.name} output type ${c.output.typeName} is not VmmBackup.*`);
    for (const v of c.vmmCmdlets) {
      if (!reference.cmdlets[v]) problems.push(`cmdlet ${c.name} calls ${v}, which the published VMM reference lacks`);
    }
    const errors = new Set<string>();
    for (const e of c.errors) {
      if (!/^[A-Z][A-Za-z0-9]*$/.test(e.id)) problems.push(`cmdlet ${c.name} lists the error id '${e.id}', which is not a short PascalCase id (Stop-VmmCommand adds the VmmBackup. prefix)`);
      if (!(ERROR_CATEGORIES as readonly string[]).includes(e.category)) problems.push(`cmdlet ${c.name} lists the error ${e.id} with '${e.category}', which is not an ErrorCategory`);
      const key = `${e.id} ${e.category}${e.nonTerminating ? ' written' : ''}`;
      if (errors.has(key)) problems.push(`cmdlet ${c.name} lists the error ${e.id} (${e.category}) twice`);
      errors.add(key);
    }
  }
  return [...problems, ...validateProgressIds(cmdlets)];
}

/** Progress ids are unique and at least 2 apart (a cmdlet may show a nested bar as its id + 1). */
export function validateProgressIds(cmdlets: readonly Cmdlet[]): string[] {
  const problems: string[] = [];
  const withIds = cmdlets.filter((c) => c.progressId !== undefined).sort((a, b) => a.progressId! - b.progressId!);
  for (const c of withIds) if (!Number.isInteger(c.progressId) || c.progressId! < 1) problems.push(`cmdlet ${c.name} has the progress id ${c.progressId}, which is not a positive integer`);
  for (let i = 1; i < withIds.length; i++) {
    const [a, b] = [withIds[i - 1], withIds[i]];
    if (b.progressId! - a.progressId! < 2) problems.push(`cmdlets ${a.name} and ${b.name} have the progress ids ${a.progressId} and ${b.progressId}; each needs its own id and the one after it`);
  }
  return problems;
}

function dependsOn(p: Procedure, target: string, byId: Map<string, Procedure>, seen = new Set<string>()): boolean {
  for (const dep of p.after) {
    if (dep === target) return true;
    if (seen.has(dep)) continue;
    seen.add(dep);
    const next = byId.get(dep);
    if (next && dependsOn(next, target, byId, seen)) return true;
  }
  return false;
}

function findCycle(procedures: readonly Procedure[]): string[] | undefined {
  const byId = new Map(procedures.map((p) => [p.id, p]));
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const visit = (id: string): string[] | undefined => {
    if (state.get(id) === 'done') return undefined;
    if (state.get(id) === 'visiting') return [...stack.slice(stack.indexOf(id)), id];
    state.set(id, 'visiting');
    stack.push(id);
    for (const dep of byId.get(id)?.after ?? []) {
      const found = visit(dep);
      if (found) return found;
    }
    stack.pop();
    state.set(id, 'done');
    return undefined;
  };
  for (const p of procedures) {
    const found = visit(p.id);
    if (found) return found;
  }
  return undefined;
}
