/**
 * One public function per cmdlet: `VmmBackup/Public/<Verb-Noun>.ps1`, with complete comment-based help, the
 * param block from the model, and the body from templates/cmdlets/<Verb-Noun>.ps1 (or, for a planned cmdlet,
 * a clear not-implemented error).
 *
 * templates/cmdlets/<Verb-Noun>.ps1 is a complete unit, `function Verb-Noun {` + body + `}`, that can be
 * dot-sourced and debugged alone. It holds no help, attributes or param block: the model owns those, and this
 * emitter adds them around the unit's body. Pester/Module/CmdletUnits.Tests.ps1 parses every unit with
 * PowerShell's own parser and checks it against the model (parameters read and declared, error ids thrown and
 * listed).
 */
import { TYPE_TABLE } from '../model/type-table';
import { ERROR_ID_PREFIX, type Cmdlet, type Parameter } from '../model/types';
import { Artifact, windowsText } from './artifact';
import { generatedHeader } from './header';
import { psDefault, psDefaultHelp, psString } from './powershell';
import { readTemplate, render, templateExists } from './templates';


export function bodyTemplateName(cmdlet: Cmdlet): string {
  return `cmdlets/${cmdlet.name}.ps1`;
}

export function emitPublicFunction(cmdlet: Cmdlet, moduleVersion: string): Artifact {
  const body = cmdletBody(cmdlet, moduleVersion);
  const text = render('module/public-function.ps1.hbs', {
    header: generatedHeader('powershell'),
    name: cmdlet.name,
    synopsis: cmdlet.synopsis,
    description: cmdlet.description,
    parameters: cmdlet.parameters.map((p) => ({ name: p.name, help: parameterHelp(p) })),
    examples: cmdlet.examples,
    inputs: cmdlet.parameters.some((p) => p.pipeline) ? cmdlet.parameters.filter((p) => p.pipeline).map((p) => `${TYPE_TABLE[p.type].ps} (-${p.name})`).join(', ') : 'None',
    outputType: cmdlet.output.typeName,
    outputDescription: cmdlet.output.description,
    notes: [...(cmdlet.notes ?? []), ...(cmdlet.status === 'planned' ? ['Not implemented yet in this version: calling it throws a VmmBackup.NotImplemented error.'] : []), ...errorsNote(cmdlet)],
    cmdletBinding: cmdletBinding(cmdlet),
    paramBlock: paramBlock(cmdlet),
    body,
  });
  return windowsText(`VmmBackup/Public/${cmdlet.name}.ps1`, text);
}

function cmdletBody(cmdlet: Cmdlet, moduleVersion: string): string {
  if (cmdlet.status === 'implemented') {
    const name = bodyTemplateName(cmdlet);
    if (!templateExists(name)) throw new Error(`${cmdlet.name} is marked implemented but templates/${name} does not exist`);
    const progress = cmdlet.progressId !== undefined ? `    $progressId = ${cmdlet.progressId}\n` : '';
    return progress + unitBody(cmdlet.name, readTemplate(name));
  }
  if (templateExists(bodyTemplateName(cmdlet))) {
    throw new Error(`${cmdlet.name} has a body in templates/${bodyTemplateName(cmdlet)} but is marked planned: mark it implemented`);
  }
  return render('module/not-implemented.ps1.hbs', {
    message: psString(`${cmdlet.name} is not implemented in VmmBackup ${moduleVersion}. Nothing was changed. See Get-Help ${cmdlet.name} -Full and Get-VmmChecklist for what to do by hand.`),
  }).replace(/\s+$/, '');
}

/**
 * The body of a cmdlet unit: the lines between `function <Name> {` and the closing `}`. Fails, naming the file,
 * when the unit is not exactly one function named like its file, or declares what the model owns.
 */
export function unitBody(name: string, text: string): string {
  const where = `templates/cmdlets/${name}.ps1`;
  const lines = text.replace(/\s+$/, '').split('\n');
  if (lines[0] !== `function ${name} {`) {
    throw new Error(`${where} must start with the line "function ${name} {" (one function, named like the file), not "${lines[0]}"`);
  }
  if (lines.length < 3 || lines[lines.length - 1] !== '}') {
    throw new Error(`${where} must end with a line holding only "}" that closes function ${name}`);
  }
  const body = lines.slice(1, -1);
  body.forEach((line, index) => {
    if (/^\S/.test(line)) {
      throw new Error(`${where}:${index + 2}: the body of function ${name} is indented 4 spaces; a line at column 0 ("${line}") means a second definition or an unclosed function`);
    }
    if (/^ {4}(param\s*\(|\[(CmdletBinding|OutputType|Parameter|Alias)\b)/i.test(line)) {
      throw new Error(`${where}:${index + 2}: function ${name} declares "${line.trim()}"; the model (src/model/cmdlets) owns the param block and attributes, and the generator adds them`);
    }
  });
  return body.join('\n').replace(/\s+$/, '');
}

/** The help note listing the errors the cmdlet stops with: each id as users see it, with its categories. */
function errorsNote(cmdlet: Cmdlet): string[] {
  const note = (what: string, errors: Cmdlet['errors']): string[] => {
    if (errors.length === 0) return [];
    const categories = new Map<string, string[]>();
    for (const e of errors) categories.set(e.id, [...(categories.get(e.id) ?? []), e.category]);
    const list = [...categories].map(([id, cats]) => `${ERROR_ID_PREFIX}${id} (${cats.join(', ')})`).join('; ');
    return [`Errors it ${what} (FullyQualifiedErrorId '<id>,${cmdlet.name}', category): ${list}.`];
  };
  return [...note('stops with', cmdlet.errors.filter((e) => !e.nonTerminating)), ...note('writes and goes on', cmdlet.errors.filter((e) => e.nonTerminating))];
}

function parameterHelp(p: Parameter): string {
  const extra: string[] = [];
  if (p.validate?.set) extra.push(`Allowed values: ${p.validate.set.join(', ')}.`);
  if (p.default !== undefined && p.type !== 'switch') extra.push(`Default: ${psDefaultHelp(p.type, p.default)}.`);
  return [p.help, ...extra].join(' ');
}

function cmdletBinding(cmdlet: Cmdlet): string {
  const args: string[] = [];
  if (cmdlet.shouldProcess) args.push('SupportsShouldProcess = $true', `ConfirmImpact = ${psString(cmdlet.shouldProcess.impact)}`);
  if (cmdlet.defaultParameterSet) args.push(`DefaultParameterSetName = ${psString(cmdlet.defaultParameterSet)}`);
  return `[CmdletBinding(${args.join(', ')})]`;
}

function paramBlock(cmdlet: Cmdlet): string {
  if (cmdlet.parameters.length === 0) return '    param()';
  const blocks = cmdlet.parameters.map((p) => {
    const lines: string[] = [];
    for (const set of p.sets ?? [undefined]) {
      const args: string[] = [];
      if (p.mandatory) args.push('Mandatory = $true');
      if (p.position !== undefined) args.push(`Position = ${p.position}`);
      if (p.pipeline === 'value' || p.pipeline === 'both') args.push('ValueFromPipeline = $true');
      if (p.pipeline === 'property-name' || p.pipeline === 'both') args.push('ValueFromPipelineByPropertyName = $true');
      if (set) args.push(`ParameterSetName = ${psString(set)}`);
      lines.push(`[Parameter(${args.join(', ')})]`);
    }
    if (p.aliases?.length) lines.push(`[Alias(${p.aliases.map(psString).join(', ')})]`);
    const v = p.validate;
    if (v?.notNullOrEmpty) lines.push('[ValidateNotNullOrEmpty()]');
    if (v?.set) lines.push(`[ValidateSet(${v.set.map(psString).join(', ')})]`);
    if (v?.range) lines.push(`[ValidateRange(${v.range[0]}, ${v.range[1]})]`);
    if (v?.count) lines.push(`[ValidateCount(${v.count[0]}, ${v.count[1]})]`);
    if (v?.pattern) lines.push(`[ValidatePattern(${psString(v.pattern)})]`);
    if (p.type === 'pscredential') lines.push('[System.Management.Automation.Credential()]');
    const def = p.default !== undefined ? ` = ${psDefault(p.type, p.default)}` : '';
    lines.push(`[${TYPE_TABLE[p.type].ps}] $${p.name}${def}`);
    return lines.map((l) => `        ${l}`).join('\n');
  });
  return `    param(\n${blocks.join(',\n\n')}\n    )`;
}
