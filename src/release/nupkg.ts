/**
 * A PowerShell Gallery package (.nupkg) of a module folder, laid out as Publish-Module (PowerShellGet)
 * makes it through `nuget pack`: `<id>.nuspec`, the module files at the package root, `_rels/.rels`,
 * `package/services/metadata/core-properties/<id>.psmdcp` and `[Content_Types].xml`. The nuspec comes from
 * the module manifest, with the tags PowerShellGet adds (PSModule, PSIncludes_*, PSFunction_*, PSCommand_*,
 * PSDscResource_*). Everything that NuGet would make random (part and relationship ids) is derived from the
 * content, and every entry carries one time stamp, so a package is reproducible byte for byte.
 */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ModuleManifest, RequiredModule } from './manifest';
import { writeZip, type ZipInput } from './zip';

export const NUSPEC_NAMESPACE = 'http://schemas.microsoft.com/packaging/2011/08/nuspec.xsd';
const RELS_TYPE = 'application/vnd.openxmlformats-package.relationships+xml';
const CORE_TYPE = 'application/vnd.openxmlformats-package.core-properties+xml';
const OCTET = 'application/octet';

/** Escape text for an XML element or attribute. */
export function xmlEscape(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

/** NuGet's normalized version: at least three parts, a zero fourth part dropped, leading zeros removed. */
export function normalizeVersion(version: string, prerelease?: string): string {
  if (!/^\d+(\.\d+){1,3}$/.test(version)) throw new Error(`'${version}' is not a module version (major.minor[.build[.revision]])`);
  const parts = version.split('.').map((p) => String(Number(p)));
  while (parts.length < 3) parts.push('0');
  if (parts.length === 4 && parts[3] === '0') parts.pop();
  if (prerelease !== undefined) {
    const pre = prerelease.replace(/^-/, '');
    if (!/^[0-9A-Za-z]+$/.test(pre)) throw new Error(`the prerelease label '${prerelease}' must be letters and digits only (PowerShellGet rule)`);
    return `${parts.join('.')}-${pre}`;
  }
  return parts.join('.');
}

/** Tags as PowerShellGet's Publish-Module writes them: the manifest's, then PSModule and the command tags. */
export function galleryTags(m: ModuleManifest): string[] {
  const tags = [...m.tags, 'PSModule'];
  if (m.cmdlets.length) tags.push('PSIncludes_Cmdlet', ...m.cmdlets.map((c) => `PSCmdlet_${c}`));
  if (m.functions.length) tags.push('PSIncludes_Function', ...m.functions.map((f) => `PSFunction_${f}`));
  tags.push(...[...m.cmdlets, ...m.functions, ...m.aliases].map((c) => `PSCommand_${c}`));
  if (m.dscResources.length) tags.push('PSIncludes_DscResource', ...m.dscResources.map((d) => `PSDscResource_${d}`));
  for (const t of tags) if (/\s/.test(t)) throw new Error(`the tag '${t}' contains white space (NuGet tags are separated by spaces)`);
  return tags;
}

/** A NuGet version range for a RequiredModules entry, as PowerShellGet writes it. */
export function dependencyRange(r: RequiredModule): string | undefined {
  if (r.requiredVersion) return `[${r.requiredVersion}]`;
  if (r.minimumVersion && r.maximumVersion) return `[${r.minimumVersion},${r.maximumVersion}]`;
  if (r.maximumVersion) return `(,${r.maximumVersion}]`;
  return r.minimumVersion;
}

/** The .nuspec XML for a manifest. */
export function buildNuspec(m: ModuleManifest): string {
  const e = (tag: string, value: string | undefined) => (value === undefined ? [] : [`    <${tag}>${xmlEscape(value)}</${tag}>`]);
  const deps = m.requiredModules.map((r) => {
    const range = dependencyRange(r);
    return `      <dependency id="${xmlEscape(r.name)}"${range ? ` version="${xmlEscape(range)}"` : ''} />`;
  });
  const lines = [
    '<?xml version="1.0" encoding="utf-8"?>',
    `<package xmlns="${NUSPEC_NAMESPACE}">`,
    '  <metadata>',
    ...e('id', m.name),
    ...e('version', normalizeVersion(m.version, m.prerelease)),
    ...e('authors', m.author),
    ...e('owners', m.companyName || m.author),
    ...e('requireLicenseAcceptance', m.requireLicenseAcceptance ? 'true' : 'false'),
    ...e('licenseUrl', m.licenseUri),
    ...e('projectUrl', m.projectUri),
    ...e('iconUrl', m.iconUri),
    ...e('description', m.description),
    ...e('releaseNotes', m.releaseNotes),
    ...e('copyright', m.copyright || undefined),
    ...e('tags', galleryTags(m).join(' ')),
    ...(deps.length ? ['    <dependencies>', ...deps, '    </dependencies>'] : []),
    '  </metadata>',
    '</package>',
    '',
  ];
  return lines.join('\r\n');
}

/** A package part name: each path segment percent-encoded as an OPC part URI wants it. */
export function partName(relative: string): string {
  return relative
    .split(/[\\/]/)
    .map((s) => encodeURIComponent(s))
    .join('/');
}

const hex = (data: string | Buffer, n: number) => crypto.createHash('sha256').update(data).digest('hex').slice(0, n);

export interface PackageFile {
  /** Path relative to the module folder, '/' separated. */
  path: string;
  data: Buffer;
}

/** Files of a module folder, sorted by ordinal path; dot files and folders are left out (as nuget pack does). */
export function moduleFiles(dir: string): PackageFile[] {
  const out: PackageFile[] = [];
  const walk = (rel: string) => {
    for (const entry of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      if (entry.name.startsWith('.')) continue;
      const child = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(child);
      else if (entry.isFile()) out.push({ path: child, data: fs.readFileSync(path.join(dir, child)) });
      else throw new Error(`${child} is neither a file nor a folder (links are not packed)`);
    }
  };
  walk('');
  return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

export interface BuiltPackage {
  fileName: string;
  bytes: Buffer;
  nuspec: string;
  entries: string[];
}

/** Build the .nupkg bytes for a manifest and the module's files. */
export function buildNupkg(m: ModuleManifest, files: PackageFile[], modified: Date, tool = 'vmm-backup'): BuiltPackage {
  const version = normalizeVersion(m.version, m.prerelease);
  const nuspecName = `${m.name}.nuspec`;
  const reserved = new Set([nuspecName.toLowerCase(), '[content_types].xml']);
  for (const f of files) {
    const lower = f.path.toLowerCase();
    if (reserved.has(lower) || lower.startsWith('_rels/') || lower.startsWith('package/')) {
      throw new Error(`the module file '${f.path}' collides with a name the package format reserves`);
    }
  }
  const nuspec = buildNuspec(m);
  const coreId = hex(nuspec, 32);
  const corePath = `package/services/metadata/core-properties/${coreId}.psmdcp`;
  const psmdcp =
    '<?xml version="1.0" encoding="utf-8"?>' +
    '<coreProperties xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" ' +
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns="http://schemas.openxmlformats.org/package/2006/metadata/core-properties">' +
    `<dc:creator>${xmlEscape(m.author)}</dc:creator>` +
    `<dc:description>${xmlEscape(m.description)}</dc:description>` +
    `<dc:identifier>${xmlEscape(m.name)}</dc:identifier>` +
    `<version>${xmlEscape(version)}</version>` +
    `<keywords>${xmlEscape(galleryTags(m).join(' '))}</keywords>` +
    `<lastModifiedBy>${xmlEscape(tool)}</lastModifiedBy>` +
    '</coreProperties>';
  const rels =
    '<?xml version="1.0" encoding="utf-8"?>' +
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
    `<Relationship Type="http://schemas.microsoft.com/packaging/2010/07/manifest" Target="/${xmlEscape(partName(nuspecName))}" Id="R${hex('manifest' + nuspec, 16).toUpperCase()}" />` +
    `<Relationship Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="/${corePath}" Id="R${hex('core' + psmdcp, 16).toUpperCase()}" />` +
    '</Relationships>';

  const contentParts = [nuspecName, ...files.map((f) => f.path)];
  const defaults = new Map<string, string>([['rels', RELS_TYPE], ['psmdcp', CORE_TYPE]]);
  const overrides: string[] = [];
  for (const p of contentParts) {
    const base = p.split('/').pop() ?? p;
    const dot = base.lastIndexOf('.');
    if (dot <= 0 || dot === base.length - 1) {
      overrides.push(`<Override PartName="/${xmlEscape(partName(p))}" ContentType="${OCTET}" />`);
      continue;
    }
    const ext = base.slice(dot + 1);
    if (![...defaults.keys()].some((k) => k.toLowerCase() === ext.toLowerCase())) defaults.set(ext, OCTET);
  }
  const contentTypes =
    '<?xml version="1.0" encoding="utf-8"?>' +
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
    [...defaults].map(([ext, type]) => `<Default Extension="${xmlEscape(ext)}" ContentType="${type}" />`).join('') +
    overrides.join('') +
    '</Types>';

  const entries: ZipInput[] = [
    { name: partName(nuspecName), data: Buffer.from(nuspec, 'utf8') },
    ...files.map((f) => ({ name: partName(f.path), data: f.data })),
    { name: '_rels/.rels', data: Buffer.from(rels, 'utf8') },
    { name: corePath, data: Buffer.from(psmdcp, 'utf8') },
    { name: '[Content_Types].xml', data: Buffer.from(contentTypes, 'utf8') },
  ];
  return {
    fileName: `${m.name}.${version}.nupkg`,
    bytes: writeZip(entries, modified),
    nuspec,
    entries: entries.map((x) => x.name),
  };
}
