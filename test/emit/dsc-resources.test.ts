/**
 * The DSC v3 artifacts against DSC's own schemas (reference copies in ../shared/reference/dsc), with Ajv's
 * draft 2020-12 build.
 *
 * The adapted resource manifest schema is given only as its YAML source, with placeholders. It is resolved
 * here the way DSC's build publishes it: <HOST>/<PREFIX>/<VERSION> become
 * https://raw.githubusercontent.com/PowerShell/DSC/main/schemas/v3, and the .yaml ids and references become
 * the published .json ones. Of what it references, resourceType.json and semver.json are taken from the
 * bundled resource manifest schema. Two referenced schemas are not among the reference files and are
 * supplied here: definitions/resourceCapabilities.json (an array of the capability names DSC documents) and
 * adaptedresource/manifest.schema.json, derived from the bundled resource manifest's manifest.schema.json
 * with only the `embedded` form allowed (adapted resources take embedded schemas only) and its references to
 * non-2020-12 meta-schemas dropped. The VS Code-only keywords of the source are declared as annotations, and
 * strictTypes is off because DSC's own config document schema leaves some "items" without "type".
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as yaml from 'js-yaml';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const Ajv2020 = require('ajv/dist/2020').default as typeof import('ajv/dist/2020').default;
import { emitAll } from '../../src/emit';
import { artifactBytes } from '../../src/emit/artifact';
import { ADAPTER, adaptedResourceManifest, classMembers, configurationDocument, dscResourceNames, emitDscClasses, instanceSchema } from '../../src/emit/dsc-resources';
import { readTemplate } from '../../src/emit/templates';
import { dscModel } from '../../src/model/dsc';
import { model } from '../../src/model';
import { repoRoot, sharedDir } from '../support/paths';

const DSC = path.join(sharedDir, 'reference/dsc');
const BASE = 'https://raw.githubusercontent.com/PowerShell/DSC/main/schemas/v3';
type Json = Record<string, unknown>;

function newAjv() {
  const ajv = new Ajv2020({ strict: true, strictTypes: false, allErrors: true });
  ajv.addVocabulary(['markdownDescription', 'markdownEnumDescriptions', 'defaultSnippets', 'patternErrorMessage', 'deprecationMessage']);
  ajv.addFormat('uri', (s: string) => /^[a-z][a-z0-9+.-]*:/i.test(s) && !/\s/.test(s));
  ajv.addFormat('uri-reference', (s: string) => !/\s/.test(s));
  ajv.addFormat('date-time', (s: string) => /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(s));
  return ajv;
}

/** The adapted resource manifest schema, resolved from its YAML source as described above. */
function adaptedManifestValidator() {
  const source = fs
    .readFileSync(path.join(DSC, 'src.adaptedresource.manifest.yaml'), 'utf8')
    .replace(/<HOST>/g, 'https://raw.githubusercontent.com')
    .replace(/<PREFIX>/g, 'PowerShell/DSC/main/schemas')
    .replace(/<VERSION>/g, 'v3');
  const schema = yaml.load(source) as Json;
  const fixRefs = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(fixRefs);
    if (node && typeof node === 'object') {
      return Object.fromEntries(
        Object.entries(node as Json).map(([k, v]) => [k, (k === '$ref' || k === '$id') && typeof v === 'string' ? v.replace(/\.yaml$/, '.json') : fixRefs(v)]),
      );
    }
    return node;
  };
  const resolved = fixRefs(schema) as Json;
  expect(resolved.$id).toBe(`${BASE}/adaptedresource/manifest.json`);

  const bundle = JSON.parse(fs.readFileSync(path.join(DSC, 'v3.bundled.resource.manifest.json'), 'utf8')) as { $defs: Record<string, Json> };
  const defs = bundle.$defs;
  const instanceSchemaDef = JSON.parse(JSON.stringify(defs[`${BASE}/resource/manifest.schema.json`])) as Json & { properties: Record<string, Json> };
  delete instanceSchemaDef.oneOf;
  delete instanceSchemaDef.examples;
  delete instanceSchemaDef.properties.command;
  const embeddedProperties = (instanceSchemaDef.properties.embedded as { properties: Record<string, Json> }).properties;
  delete (embeddedProperties.properties as Json).unevaluatedProperties;
  Object.assign(instanceSchemaDef, { $id: `${BASE}/adaptedresource/manifest.schema.json`, required: ['embedded'] });

  const ajv = newAjv();
  ajv.addSchema(defs[`${BASE}/definitions/resourceType.json`]);
  ajv.addSchema(defs[`${BASE}/definitions/semver.json`]);
  ajv.addSchema({
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: `${BASE}/definitions/resourceCapabilities.json`,
    type: 'array',
    minItems: 1,
    uniqueItems: true,
    items: { type: 'string', enum: ['get', 'set', 'setHandlesExist', 'whatIf', 'test', 'delete', 'export', 'resolve'] },
  });
  ajv.addSchema(instanceSchemaDef);
  return ajv.compile(resolved);
}

const artifacts = emitAll(model);
const byPath = new Map(artifacts.map((a) => [a.path, a]));

describe('DSC v3 adapted resource manifests', () => {
  const validate = adaptedManifestValidator();

  it('are emitted beside the module manifest, one per resource, and validate against the adapted resource manifest schema', () => {
    for (const r of dscModel.resources) {
      const artifact = byPath.get(`VmmBackup/${r.className}.dsc.adaptedResource.json`);
      expect(artifact).toBeDefined();
      const manifest = JSON.parse(artifact!.text) as Json;
      const ok = validate(manifest);
      expect(validate.errors ?? []).toEqual([]);
      expect(ok).toBe(true);
      expect(manifest).toMatchObject({ type: `VmmBackup/${r.className}`, kind: 'resource', requireAdapter: ADAPTER, path: 'VmmBackup.psd1' });
      // export only where the class has a static Export() (the resources whose model says what it returns).
      expect(manifest.capabilities).toEqual(r.export ? ['get', 'set', 'test', 'export'] : ['get', 'set', 'test']);
      // DSC resolves `path` relative to the manifest: the module manifest must be there.
      expect(byPath.has(path.posix.join(path.posix.dirname(artifact!.path), manifest.path as string))).toBe(true);
    }
  });

  it('are rejected by the schema when a required field is missing or wrong (the check can fail)', () => {
    const good = adaptedResourceManifest(model, dscModel.resources[0]);
    for (const bad of [
      { ...good, requireAdapter: undefined },
      { ...good, kind: 'adapter' },
      { ...good, version: '1.0' },
      { ...good, capabilities: ['get', 'fly'] },
      { ...good, schema: { command: { executable: 'pwsh' } } },
      { ...good, type: 'VmmBackup' },
    ]) {
      expect(validate(JSON.parse(JSON.stringify(bad)))).toBe(false);
    }
  });

  it('embed instance schemas that accept the example instances and refuse unknown or mistyped properties', () => {
    const ajv = newAjv();
    for (const r of dscModel.resources) {
      const check = ajv.compile(instanceSchema(model, r));
      expect(check(r.example.properties)).toBe(true);
      const key = r.properties.find((p) => p.role === 'key')!.name;
      expect(check({ ...r.example.properties, Unknown: 1 })).toBe(false);
      expect(check({ ...r.example.properties, MaxAgeHours: '24' })).toBe(false);
      expect(check({ ...r.example.properties, MaxAgeHours: 0 })).toBe(false);
      expect(check({ ...r.example.properties, MaxAgeHours: null })).toBe(true);
      const withoutKey: Json = { ...r.example.properties };
      delete withoutKey[key];
      expect(check(withoutKey)).toBe(false);
      // What Get() returns: Reasons with exactly Code (resource:resource:property) and Phrase.
      const reason = { Code: `${r.className}:${r.className}:MaxAgeHours`, Phrase: 'The newest backup is 30 hours old.' };
      expect(check({ ...r.example.properties, Reasons: [reason] })).toBe(true);
      expect(check({ ...r.example.properties, Reasons: [{ ...reason, Code: 'MaxAgeHours' }] })).toBe(false);
      expect(check({ ...r.example.properties, Reasons: [{ ...reason, Extra: 1 }] })).toBe(false);
    }
  });
});

describe('DSC v3 example configuration document', () => {
  const artifact = byPath.get('VmmBackup/Examples/VmmBackup.dsc.yaml')!;
  const document = yaml.load(artifact.text) as { resources: { name: string; type: string; dependsOn?: string[]; properties: Json }[] };

  it('validates against the bundled configuration document schema', () => {
    const schema = JSON.parse(fs.readFileSync(path.join(DSC, 'v3.bundled.config.document.json'), 'utf8')) as Json;
    const validate = newAjv().compile(schema);
    const ok = validate(document);
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
    expect(validate({ ...document, resources: [{ name: 'x', type: 'not a type' }] })).toBe(false);
  });

  it('declares every resource, with properties valid for its manifest, each with a destination of its own', () => {
    expect(document).toEqual(configurationDocument(model));
    expect(document.resources.map((r) => r.type)).toEqual(dscResourceNames(dscModel).map((n) => `VmmBackup/${n}`));
    const ajv = newAjv();
    const destinations: string[] = [];
    for (const instance of document.resources) {
      const manifest = JSON.parse(byPath.get(`VmmBackup/${instance.type.split('/')[1]}.dsc.adaptedResource.json`)!.text) as { schema: { embedded: Json } };
      const check = ajv.compile(manifest.schema.embedded);
      expect(check(instance.properties)).toBe(true);
      expect(instance.dependsOn).toBeUndefined();
      destinations.push(String(instance.properties.Path ?? instance.properties.Destination));
    }
    // The plan must never count the single resources' backups as its own: no destination is, or holds, another.
    expect(new Set(destinations).size).toBe(destinations.length);
    for (const a of destinations) for (const b of destinations) if (a !== b) expect(a.startsWith(`${b}\\`)).toBe(false);
  });
});

describe('PowerShell classes and module manifest', () => {
  it('puts every class in the root module, resources deriving from the base, with nullable value types and Reasons', () => {
    const classes = emitDscClasses(model);
    const psm1 = byPath.get('VmmBackup/VmmBackup.psm1')!.text;
    expect(psm1).toContain(classes);
    expect(psm1.indexOf('class VmmReason')).toBeLessThan(psm1.indexOf('class VmmResourceBase'));
    for (const r of dscModel.resources) {
      expect(classes).toMatch(new RegExp(`\\[DscResource\\(\\)\\]\\nclass ${r.className} : VmmResourceBase\\n`));
      expect(classes).toContain(`    [${r.className}] Get()`);
    }
    expect(classes).toContain('    [DscProperty()]\n    [Nullable[int]] $MaxAgeHours');
    expect(classes).toContain('    [DscProperty(NotConfigurable)]\n    [Nullable[int]] $AgeHours');
    expect(classes).toContain("    [DscProperty()]\n    [ValidateSet('Auto', 'Vmm', 'Sql')]\n    [string] $Method");
    expect(classes).toContain('    [DscProperty()]\n    [PSCredential] $SqlCredential');
    expect(classes).toContain('    static [VmmLibraryBackup[]] Export()\n');
    expect(classes).toContain('    static [VmmBackupPlan[]] Export([VmmBackupPlan] $filter)\n');
    expect(classes).not.toContain('static [VmmDatabaseBackup[]] Export');
    expect(classes).toContain('    [DscProperty(NotConfigurable)]\n    [VmmReason[]] $Reasons');
    expect(classes).not.toMatch(/\?\?|\?\.|\s&&\s|\s\|\|\s/);
  });

  it('lists the resources in DscResourcesToExport', () => {
    const psd1 = byPath.get('VmmBackup/VmmBackup.psd1')!.text;
    const list = /DscResourcesToExport = @\(([^)]*)\)/.exec(psd1)![1];
    expect(list.match(/'[^']+'/g)).toEqual(dscResourceNames(dscModel).map((n) => `'${n}'`));
  });

  it('is what generated/ holds (regenerated and committed)', () => {
    const mine = artifacts.filter((a) => /\.dsc\.|Examples\/|Private\/[A-Za-z]+-VmmDsc/.test(a.path));
    // One manifest per resource, the examples (2), and every hand-written DSC helper in templates/private.
    const dscHelpers = fs.readdirSync(path.join(repoRoot, 'templates', 'private')).filter((f) => /^[A-Za-z]+-VmmDsc.*\.ps1$/.test(f));
    expect(dscHelpers.length).toBeGreaterThan(0);
    expect(mine.length).toBe(dscModel.resources.length + 2 + dscHelpers.length);
    for (const a of mine) {
      const onDisk = fs.readFileSync(path.join(repoRoot, 'generated', a.path));
      expect([a.path, onDisk.equals(artifactBytes(a))]).toEqual([a.path, true]);
    }
  });
});

describe('hand-written resource classes (templates/dsc/<Class>.ps1)', () => {
  const members = ['    hidden [hashtable] GetCurrentState([hashtable] $desired)', '    {', '        return @{}', '    }', '', '    hidden [void] Modify([hashtable] $desired, [hashtable] $current, [object[]] $differences)', '    {', '    }'];
  const unit = (head: string, body: string[] = members) => [head, '{', ...body, '}', ''].join('\n');

  it('are whole classes whose members the generated class holds verbatim, after what the model owns', () => {
    const classes = emitDscClasses(model);
    for (const r of dscModel.resources) {
      const own = classMembers(readTemplate(`dsc/${r.className}.ps1`), r.className, r.className, 'VmmResourceBase');
      expect(classes).toContain(`    hidden [hashtable] GetSetParameters([hashtable] $desired)`);
      expect(classes).toContain(`${own}\n}`);
    }
  });

  it('accept a whole class after a comment and return its members', () => {
    expect(classMembers(`<#\n  note\n#>\n${unit('class VmmX : VmmResourceBase')}`, 'x', 'VmmX', 'VmmResourceBase')).toBe(members.join('\n'));
  });

  it('refuse a fragment, another name or base, a second class, DSC attributes and generated members', () => {
    const check = (text: string) => () => classMembers(text, 'x', 'VmmX', 'VmmResourceBase');
    expect(check(members.join('\n'))).toThrow(/must be one whole class/);
    expect(check(unit('class VmmY : VmmResourceBase'))).toThrow(/defines class VmmY; it must be VmmX/);
    expect(check(unit('class VmmX : Other'))).toThrow(/must derive from VmmResourceBase/);
    expect(check(unit('class VmmX : VmmResourceBase', [...members, '}', '', 'class VmmZ', '{']))).toThrow(/must be indented/);
    expect(check(unit('class VmmX : VmmResourceBase', members.slice(0, 4)))).toThrow(/must implement hidden Modify\(\)/);
    expect(check(unit('class VmmX : VmmResourceBase', ['    [DscProperty(Key)]', '    [string] $Path', ...members]))).toThrow(/must not declare DSC attributes/);
    expect(check(unit('class VmmX : VmmResourceBase', [...members, '    hidden [hashtable] GetResourceInfo()', '    {', '    }']))).toThrow(/must not define GetResourceInfo\(\)/);
  });
});
