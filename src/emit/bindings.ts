/**
 * TypeScript bindings of the module, `typescript/*.ts`, printed with ts-morph from the model: per cmdlet an
 * interface of its parameters (a union per parameter set), an interface of its output object (from the
 * output JSON Schema) and an async function that runs it through the bridge (`backupVmmDatabase(session,
 * {...})`), with JSDoc from the help text. `runtime.ts` wires the bridge to the module and its schemas.
 */
import { IndentationText, NewLineKind, Project, QuoteKind, VariableDeclarationKind, type JSDocStructure, type OptionalKind, type PropertySignatureStructure, type SourceFile } from 'ts-morph';
import type { JsonSchema } from '../model/schema';
import { TYPE_TABLE } from '../model/type-table';
import { ERROR_ID_PREFIX, type Cmdlet, type Model, type Parameter } from '../model/types';
import { Artifact, plainText } from './artifact';
import { generatedHeader } from './header';
import { psDefault } from './powershell';

const BRIDGE = '../../src/bridge';


/** `Backup-VmmDatabase` → `backupVmmDatabase`. */
export function functionName(cmdlet: string): string {
  const pascal = typeName(cmdlet);
  return pascal.charAt(0).toLowerCase() + pascal.slice(1);
}

/** `Backup-VmmDatabase` → `BackupVmmDatabase`. */
export function typeName(cmdlet: string): string {
  return cmdlet
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
}

/** Text safe inside a JSDoc comment. */
function doc(text: string): string {
  return text.replace(/\*\//g, '*\\/').replace(/\r\n/g, '\n');
}

function literal(value: string | number | boolean | null): string {
  return typeof value === 'string' ? `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'` : String(value);
}

function parameterType(p: Parameter): string {
  const set = p.validate?.set;
  if (set && set.length > 0 && (p.type === 'string' || p.type === 'string[]')) {
    const union = set.map(literal).join(' | ');
    return p.type === 'string' ? union : `Array<${union}>`;
  }
  return TYPE_TABLE[p.type].ts;
}

function parameterDoc(p: Parameter, cmdlet: Cmdlet): string {
  const notes: string[] = [doc(p.help)];
  if (p.default !== undefined) notes.push(`Default (PowerShell): \`${doc(psDefault(p.type, p.default))}\`.`);
  if (p.validate?.range) notes.push(`Range: ${p.validate.range[0]} to ${p.validate.range[1]}.`);
  if (p.validate?.pattern) notes.push(`Pattern: \`${doc(p.validate.pattern)}\`.`);
  if (p.validate?.count) notes.push(`Items: ${p.validate.count[0]} to ${p.validate.count[1]}.`);
  if (p.type === 'datetime') notes.push('A Date is sent as its ISO 8601 text.');
  if (p.type === 'timespan') notes.push('A time span as PowerShell reads it, e.g. `01:30:00` or `2.00:00:00`.');
  if (p.type === 'pscredential' || p.type === 'securestring') notes.push('Sent to PowerShell as data on standard input; never logged or returned.');
  if (p.mandatory && p.sets && p.sets.length < parameterSets(cmdlet).length) notes.push(`Mandatory in parameter set ${p.sets.join(', ')}.`);
  return notes.join('\n\n');
}

function property(p: Parameter, cmdlet: Cmdlet, required: boolean): OptionalKind<PropertySignatureStructure> {
  return { name: p.name, type: parameterType(p), hasQuestionToken: !required, docs: [{ description: parameterDoc(p, cmdlet) }] };
}

function parameterSets(cmdlet: Cmdlet): string[] {
  const sets: string[] = [];
  for (const p of cmdlet.parameters) for (const s of p.sets ?? []) if (!sets.includes(s)) sets.push(s);
  return sets;
}

function commonParameters(cmdlet: Cmdlet): OptionalKind<PropertySignatureStructure>[] {
  if (!cmdlet.shouldProcess) return [];
  const confirm =
    cmdlet.shouldProcess.impact === 'High'
      ? 'Prompt before each change. The cmdlet has ConfirmImpact High and the bridge has no one to answer a prompt: pass `false` to run it.'
      : 'Prompt before each change; the bridge has no one to answer a prompt, so leave it unset or `false`.';
  return [
    { name: 'WhatIf', type: 'boolean', hasQuestionToken: true, docs: [{ description: 'Report what would change and change nothing (-WhatIf).' }] },
    { name: 'Confirm', type: 'boolean', hasQuestionToken: true, docs: [{ description: confirm }] },
  ];
}

/** TypeScript type of a JSON Schema (the subset src/model/schema.ts builds), indented for nesting. */
export function schemaType(schema: JsonSchema, indent = ''): string {
  const types = schema.type === undefined ? [] : Array.isArray(schema.type) ? schema.type : [schema.type];
  const nullable = types.includes('null');
  const base = types.filter((t) => t !== 'null');
  let text: string;
  if (schema.enum && schema.enum.length > 0) {
    text = schema.enum.filter((v) => v !== null).map(literal).join(' | ');
  } else if (base.length === 1 && base[0] === 'object' && schema.properties) {
    const inner = indent + '  ';
    const required = new Set(schema.required ?? []);
    const lines = Object.entries(schema.properties).map(([name, sub]) => {
      const comment = sub.description ? `${inner}/** ${doc(sub.description)} */\n` : '';
      return `${comment}${inner}${name}${required.has(name) ? '' : '?'}: ${schemaType(sub, inner)};`;
    });
    text = `{\n${lines.join('\n')}\n${indent}}`;
  } else if (base.length === 1 && base[0] === 'array') {
    const item = schema.items ? schemaType(schema.items, indent) : 'unknown';
    text = /[|{]/.test(item) ? `Array<${item}>` : `${item}[]`;
  } else if (base.length === 1) {
    text = { string: 'string', integer: 'number', number: 'number', boolean: 'boolean', object: 'Record<string, unknown>', array: 'unknown[]', null: 'null' }[base[0]];
  } else {
    text = 'unknown';
  }
  return nullable && text !== 'unknown' ? `${text} | null` : text;
}

function outputProperties(cmdlet: Cmdlet): OptionalKind<PropertySignatureStructure>[] {
  const schema = cmdlet.output.schema;
  const required = new Set(schema.required ?? []);
  return Object.entries(schema.properties ?? {}).map(([name, sub]) => ({
    name,
    type: schemaType(sub),
    hasQuestionToken: !required.has(name),
    docs: sub.description ? [{ description: doc(sub.description) + (sub.format === 'date-time' && !sub.description.includes('ISO 8601') ? ' (ISO 8601 text)' : '') }] : undefined,
  }));
}

function functionDocs(cmdlet: Cmdlet): OptionalKind<JSDocStructure> {
  const paragraphs = [doc(cmdlet.synopsis), ...cmdlet.description.map(doc)];
  paragraphs.push(
    `Runs \`${cmdlet.name}\` of the VmmBackup module through the bridge; every output object is validated against \`generated/schemas/${cmdlet.name}.output.schema.json\` (\`${cmdlet.output.typeName}\`).`,
  );
  if (cmdlet.status === 'planned') paragraphs.push('Not implemented yet in this version of the module: the call rejects with a PowerShellError whose FullyQualifiedErrorId starts with `VmmBackup.NotImplemented`.');
  for (const note of cmdlet.notes ?? []) paragraphs.push(doc(note));
  const tags = [
    { tagName: 'param', text: 'session A PowerShellSession or SessionPool that imported the module (see createVmmBackupSession).' },
    { tagName: 'param', text: `parameters Parameters of ${cmdlet.name}, named as in PowerShell.` },
    { tagName: 'param', text: 'options Timeout, an AbortSignal (`signal`: stops the command in PowerShell), -ErrorAction and -Verbose for this call.' },
    { tagName: 'returns', text: `The ${cmdlet.output.typeName} objects written (always an array) and the warnings, information and progress of the call.` },
    ...cmdlet.examples.map((e) => ({ tagName: 'example', text: `PowerShell: ${doc(e.code)}\n${doc(e.remarks)}` })),
  ];
  return { description: paragraphs.join('\n\n'), tags };
}

function addCmdlet(file: SourceFile, cmdlet: Cmdlet): void {
  const name = typeName(cmdlet.name);
  const parametersName = `${name}Parameters`;
  const outputName = `${name}Output`;
  const sets = parameterSets(cmdlet);
  const common = commonParameters(cmdlet);
  if (cmdlet.parameters.length === 0 && common.length === 0) {
    file.addTypeAlias({ name: parametersName, isExported: true, type: 'Record<string, never>', docs: [{ description: `\`${cmdlet.name}\` takes no parameters.` }] });
  } else if (sets.length <= 1) {
    file.addInterface({
      name: parametersName,
      isExported: true,
      docs: [{ description: `Parameters of \`${cmdlet.name}\`.` }],
      properties: [...cmdlet.parameters.map((p) => property(p, cmdlet, p.mandatory === true)), ...common],
    });
  } else {
    for (const set of sets) {
      file.addInterface({
        name: `${parametersName}${typeName(set)}`,
        isExported: true,
        docs: [{ description: `Parameters of \`${cmdlet.name}\`, parameter set ${set}.` }],
        properties: [
          ...cmdlet.parameters.filter((p) => !p.sets || p.sets.includes(set)).map((p) => property(p, cmdlet, p.mandatory === true)),
          ...common,
        ],
      });
    }
    file.addTypeAlias({
      name: parametersName,
      isExported: true,
      type: sets.map((s) => `${parametersName}${typeName(s)}`).join(' | '),
      docs: [{ description: `Parameters of \`${cmdlet.name}\`: one of its parameter sets.` }],
    });
  }
  file.addInterface({
    name: outputName,
    isExported: true,
    docs: [{ description: `\`${cmdlet.output.typeName}\`: ${doc(cmdlet.output.description)}` }],
    properties: outputProperties(cmdlet),
  });
  const errorIds = [...new Set([...cmdlet.errors.map((e) => e.id), ...(cmdlet.status === 'planned' ? ['NotImplemented'] : [])])].map((id) => `${ERROR_ID_PREFIX}${id}`);
  file.addTypeAlias({
    name: `${name}ErrorId`,
    isExported: true,
    type: errorIds.length > 0 ? errorIds.map(literal).join(' | ') : 'never',
    docs: [{ description: `The error ids \`${cmdlet.name}\` stops with: a PowerShellError's fullyQualifiedErrorId is \`<id>,${cmdlet.name}\`.` }],
  });
  const anyRequired = cmdlet.parameters.some((p) => p.mandatory && (!p.sets || sets.length <= 1 || p.sets.length === sets.length)) || sets.length > 1;
  file.addFunction({
    name: functionName(cmdlet.name),
    isExported: true,
    isAsync: true,
    docs: [functionDocs(cmdlet)],
    parameters: [
      { name: 'session', type: 'Invoker' },
      anyRequired ? { name: 'parameters', type: parametersName } : { name: 'parameters', type: parametersName, initializer: '{}' },
      { name: 'options', type: 'CallOptions', initializer: '{}' },
    ],
    returnType: `Promise<InvokeResult<${outputName}>>`,
    statements: [`return session.invoke<${outputName}>(${literal(cmdlet.name)}, { ...parameters }, options);`],
  });
}

function newProject(): Project {
  return new Project({
    useInMemoryFileSystem: true,
    manipulationSettings: { indentationText: IndentationText.TwoSpaces, quoteKind: QuoteKind.Single, newLineKind: NewLineKind.LineFeed },
  });
}

/** The printed file under the generated header and a file comment (added here: ts-morph puts imports first). */
function print(file: SourceFile, about: string): string {
  const body = file.getFullText().replace(/\n{3,}/g, '\n\n').trim();
  return `${generatedHeader('typescript')}\n/** ${about} */\n${body}\n`;
}

function emitCmdlets(model: Model): Artifact {
  const project = newProject();
  const file = project.createSourceFile('cmdlets.ts', '');
  file.addImportDeclaration({ moduleSpecifier: BRIDGE, isTypeOnly: true, namedImports: ['CallOptions', 'CredentialInput', 'InvokeResult', 'Invoker'] });
  for (const cmdlet of [...model.cmdlets].sort((a, b) => (a.name < b.name ? -1 : 1))) addCmdlet(file, cmdlet);
  return plainText('typescript/cmdlets.ts', print(file, `Typed functions for every cmdlet of the ${model.module.name} module, run through the PowerShell bridge.`));
}

function emitRuntime(model: Model): Artifact {
  const project = newProject();
  const file = project.createSourceFile('runtime.ts', '');
  file.addImportDeclaration({ moduleSpecifier: 'node:fs', namespaceImport: 'fs' });
  file.addImportDeclaration({ moduleSpecifier: 'node:path', namespaceImport: 'path' });
  file.addImportDeclaration({ moduleSpecifier: BRIDGE, namedImports: ['PowerShellSession', 'SessionPool', 'type PoolOptions', 'type SessionOptions'] });
  const names = [...model.cmdlets.map((c) => c.name)].sort();
  const constant = (name: string, initializer: string, description?: string, isExported = true) =>
    file.addVariableStatement({
      isExported,
      declarationKind: VariableDeclarationKind.Const,
      declarations: [{ name, initializer }],
      docs: description ? [{ description }] : undefined,
    });
  constant('MODULE_MANIFEST', `path.resolve(__dirname, '../${model.module.name}/${model.module.name}.psd1')`, 'The module manifest that sessions import.');
  constant('SCHEMA_DIR', "path.resolve(__dirname, '../schemas')", 'Folder of the output JSON Schemas, `<Cmdlet>.output.schema.json`.');
  constant('CMDLETS', `[\n${names.map((n) => `  ${literal(n)},`).join('\n')}\n] as const`, `Every cmdlet of the module (version ${model.module.version}).`);
  file.addTypeAlias({ name: 'CmdletName', isExported: true, type: '(typeof CMDLETS)[number]' });
  constant('schemas', 'new Map<string, object>()', undefined, false);
  file.addFunction({
    name: 'cmdletName',
    isExported: true,
    docs: [{ description: 'The cmdlet of the module with this name (PowerShell names are case-insensitive), or undefined.' }],
    parameters: [{ name: 'name', type: 'string' }],
    returnType: 'CmdletName | undefined',
    statements: ['const lower = name.toLowerCase();', 'return CMDLETS.find((c) => c.toLowerCase() === lower);'],
  });
  file.addFunction({
    name: 'outputSchema',
    isExported: true,
    docs: [{ description: 'The JSON Schema of one output object of a cmdlet of the module (the bridge\'s schema resolver), or undefined for any other command.' }],
    parameters: [{ name: 'command', type: 'string' }],
    returnType: 'object | undefined',
    statements: [
      'const name = cmdletName(command);',
      'if (!name) return undefined;',
      'let schema = schemas.get(name);',
      [
        'if (!schema) {',
        "  schema = JSON.parse(fs.readFileSync(path.join(SCHEMA_DIR, `${name}.output.schema.json`), 'utf8')) as object;",
        '  schemas.set(name, schema);',
        '}',
        'return schema;',
      ].join('\n'),
    ],
  });
  // Only the module's public cmdlets run (decided before anything runs), each with its output schema; no
  // script-running command, whatever the options say.
  const wiring =
    '{ ...options, requireSchema: true, allowScript: false, allowedCommands: [...CMDLETS], modules: [MODULE_MANIFEST, ...(options.modules ?? [])], schemaResolver: outputSchema }';
  file.addFunction({
    name: 'createVmmBackupSession',
    isExported: true,
    docs: [{ description: 'A PowerShell session with the module imported that runs only the module\'s cmdlets (any other command is refused before anything runs) and validates every result against its output schema.' }],
    parameters: [{ name: 'options', type: 'SessionOptions', initializer: '{}' }],
    returnType: 'PowerShellSession',
    statements: [`return new PowerShellSession(${wiring});`],
  });
  file.addFunction({
    name: 'createVmmBackupPool',
    isExported: true,
    docs: [{ description: 'A pool of such sessions (`size`, default 2).' }],
    parameters: [{ name: 'options', type: 'PoolOptions', initializer: '{}' }],
    returnType: 'SessionPool',
    statements: [`return new SessionPool(${wiring});`],
  });
  return plainText('typescript/runtime.ts', print(file, 'Wires the general bridge to this module: the manifest to import and the output schema of each cmdlet.'));
}

function emitIndex(): Artifact {
  return plainText(
    'typescript/index.ts',
    [
      generatedHeader('typescript'),
      '/** Typed bindings of the VmmBackup module: one function per cmdlet, and the session wiring. */',
      "export * from './cmdlets';",
      "export * from './runtime';",
      '',
    ].join('\n'),
  );
}

export function emitBindings(model: Model): Artifact[] {
  return [emitCmdlets(model), emitRuntime(model), emitIndex()];
}
