/** The DSC resource model and its consistency rules against the rest of the model. */
import { dscForms, valueProblems } from '../type-table';
import type { Model } from '../types';
import { dscModel } from './resources';
import type { DscExampleValue, DscModel, DscPropertyType } from './types';

export { dscModel };
export type * from './types';

/** Problems as sentences; empty when the DSC model agrees with itself and with the procedures and cmdlets. */
export function validateDscModel(dsc: DscModel, model: Model): string[] {
  const problems: string[] = [];
  const classNames = new Set<string>();
  const identifier = /^[A-Za-z][A-Za-z0-9]*$/;
  for (const name of [dsc.reasonClass, dsc.baseClass]) {
    if (!identifier.test(name) || !name.startsWith(model.module.name.slice(0, 3))) problems.push(`class ${name} must be an identifier prefixed like the module`);
  }
  for (const r of dsc.resources) {
    const where = `DSC resource ${r.className}`;
    if (classNames.has(r.className)) problems.push(`${where} is defined twice`);
    classNames.add(r.className);
    if (!identifier.test(r.className)) problems.push(`${where} is not a valid class name`);
    const procedure = model.procedures.find((p) => p.id === r.procedure);
    if (!procedure) problems.push(`${where} enforces procedure ${r.procedure}, which the model lacks`);
    else if (procedure.runner.kind !== 'cmdlet' || procedure.runner.cmdlet !== r.cmdlet) problems.push(`${where} runs ${r.cmdlet}, but procedure ${r.procedure} is run by another runner`);
    const cmdlet = model.cmdlets.find((c) => c.name === r.cmdlet);
    if (!cmdlet) problems.push(`${where} runs ${r.cmdlet}, which the model lacks`);
    const names = new Set<string>();
    for (const p of r.properties) {
      if (names.has(p.name.toLowerCase())) problems.push(`${where} has property ${p.name} twice`);
      names.add(p.name.toLowerCase());
      if (!identifier.test(p.name) || p.name === 'Reasons') problems.push(`${where} property ${p.name} is not allowed (Reasons is added to every resource)`);
      if (!p.description) problems.push(`${where} property ${p.name} has no description`);
      if (p.set && p.type !== 'string') problems.push(`${where} property ${p.name}: allowed values need a string property`);
      if (p.range && p.type !== 'int') problems.push(`${where} property ${p.name}: a range needs an int property`);
      if (p.parameter) {
        if (p.role === 'read') problems.push(`${where} property ${p.name} is read-only but passed to ${r.cmdlet}`);
        const parameter = cmdlet?.parameters.find((x) => x.name === p.parameter);
        if (cmdlet && !parameter) problems.push(`${where} property ${p.name} is passed to ${r.cmdlet} -${p.parameter}, which it lacks`);
        if (parameter && !dscForms(p.type).passesTo.includes(parameter.type)) problems.push(`${where} property ${p.name} (${p.type}) does not fit ${r.cmdlet} -${p.parameter} (${parameter.type})`);
      }
    }
    const keys = r.properties.filter((p) => p.role === 'key');
    if (keys.length !== 1) problems.push(`${where} must have exactly one key property (has ${keys.length})`);
    if (keys.some((k) => k.type !== 'string')) problems.push(`${where} key must be a string`);
    // Every mandatory parameter of the cmdlet must come from a property, or Set() could not call it.
    for (const parameter of cmdlet?.parameters.filter((x) => x.mandatory) ?? []) {
      if (!r.properties.some((p) => p.parameter === parameter.name && (p.role === 'key' || p.role === 'mandatory'))) {
        problems.push(`${where}: ${r.cmdlet} -${parameter.name} is mandatory but no key or mandatory property supplies it`);
      }
    }
    for (const id of r.checks ?? []) {
      if (!model.procedures.some((p) => p.id === id)) problems.push(`${where} checks procedure ${id}, which the model lacks`);
    }
    if (r.export === 'given' && keys.length !== 1) problems.push(`${where} exports the instance its key names, so it needs one key`);
    for (const covered of r.covers ?? []) {
      if (!dsc.resources.some((x) => x.className === covered && x !== r)) problems.push(`${where} covers ${covered}, which is not another DSC resource`);
    }
    for (const [name, value] of Object.entries(r.example.properties)) {
      const p = r.properties.find((x) => x.name === name);
      if (!p) problems.push(`${where} example sets ${name}, which it lacks`);
      else if (p.role === 'read') problems.push(`${where} example sets read-only ${name}`);
      else if (!exampleFits(p.type, value)) problems.push(`${where} example value of ${name} is not a ${p.type}`);
    }
    for (const p of r.properties.filter((x) => x.role === 'key' || x.role === 'mandatory')) {
      if (!(p.name in r.example.properties)) problems.push(`${where} example lacks ${p.role} property ${p.name}`);
    }
  }
  // Each example has a destination of its own: a resource checks only its own folder, so no example folder may
  // be another's or lie inside another's (the single resources' backups never stand in for the plan's).
  const folders = dsc.resources.flatMap((r) => {
    const key = r.properties.find((p) => p.role === 'key');
    const value = key ? r.example.properties[key.name] : undefined;
    return typeof value === 'string' ? [{ className: r.className, folder: value.toLowerCase().replace(/\\+$/, '') }] : [];
  });
  for (const a of folders) {
    for (const b of folders) {
      if (a !== b && (a.folder === b.folder || a.folder.startsWith(`${b.folder}\\`))) problems.push(`DSC resource ${a.className} example folder is, or is inside, the example folder of ${b.className}`);
    }
  }
  return problems;
}

function exampleFits(type: DscPropertyType, value: DscExampleValue): boolean {
  return valueProblems(type, value).length === 0;
}
