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
import { attributeView, psDefault, psDefaultHelp, psString, type AttributeView, type NamedArgument } from './powershell';
import { readTemplate, registerPartial, render, templateExists } from './templates';


export function bodyTemplateName(cmdlet: Cmdlet): string {
  return `cmdlets/${cmdlet.name}.ps1`;
}

export function emitPublicFunction(cmdlet: Cmdlet, moduleVersion: string): Artifact {
  registerPartial('attribute', 'module/_attribute.ps1.hbs');
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
    binding: cmdletBinding(cmdlet),
    declarations: cmdlet.parameters.map(declaration),
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

function cmdletBinding(cmdlet: Cmdlet): NamedArgument[] {
  const named: NamedArgument[] = [];
  if (cmdlet.shouldProcess) named.push({ key: 'SupportsShouldProcess', value: '$true' }, { key: 'ConfirmImpact', value: psString(cmdlet.shouldProcess.impact) });
  if (cmdlet.defaultParameterSet) named.push({ key: 'DefaultParameterSetName', value: psString(cmdlet.defaultParameterSet) });
  return named;
}

/** What the template needs to declare a parameter: its attributes, PowerShell type, name and default. */
function declaration(p: Parameter): { attributes: AttributeView[]; type: string; name: string; default: string | null } {
  const attributes: AttributeView[] = [];
  for (const set of p.sets ?? [undefined]) {
    const named: NamedArgument[] = [];
    if (p.mandatory) named.push({ key: 'Mandatory', value: '$true' });
    if (p.position !== undefined) named.push({ key: 'Position', value: String(p.position) });
    if (p.pipeline === 'value' || p.pipeline === 'both') named.push({ key: 'ValueFromPipeline', value: '$true' });
    if (p.pipeline === 'property-name' || p.pipeline === 'both') named.push({ key: 'ValueFromPipelineByPropertyName', value: '$true' });
    if (set) named.push({ key: 'ParameterSetName', value: psString(set) });
    attributes.push(attributeView('Parameter', named));
  }
  if (p.aliases?.length) attributes.push(attributeView('Alias', [], p.aliases.map(psString)));
  const v = p.validate;
  if (v?.notNullOrEmpty) attributes.push(attributeView('ValidateNotNullOrEmpty'));
  if (v?.set) attributes.push(attributeView('ValidateSet', [], v.set.map(psString)));
  if (v?.range) attributes.push(attributeView('ValidateRange', [], v.range.map(String)));
  if (v?.count) attributes.push(attributeView('ValidateCount', [], v.count.map(String)));
  if (v?.pattern) attributes.push(attributeView('ValidatePattern', [], [psString(v.pattern)]));
  if (p.type === 'pscredential') attributes.push(attributeView('System.Management.Automation.Credential'));
  return { attributes, type: TYPE_TABLE[p.type].ps, name: p.name, default: p.default !== undefined ? psDefault(p.type, p.default) : null };
}
