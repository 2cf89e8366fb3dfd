/**
 * Reading a module manifest (.psd1) with PowerShell's own Import-PowerShellDataFile, so the values are
 * exactly what PowerShell sees. The path reaches pwsh through an environment variable, never inside the
 * command text.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface RequiredModule {
  name: string;
  minimumVersion?: string;
  requiredVersion?: string;
  maximumVersion?: string;
}

export interface ModuleManifest {
  /** The module name: the manifest's file name without .psd1. */
  name: string;
  version: string;
  prerelease?: string;
  guid: string;
  author: string;
  companyName: string;
  copyright: string;
  description: string;
  functions: string[];
  cmdlets: string[];
  aliases: string[];
  dscResources: string[];
  requiredModules: RequiredModule[];
  tags: string[];
  projectUri?: string;
  licenseUri?: string;
  iconUri?: string;
  releaseNotes?: string;
  requireLicenseAcceptance: boolean;
}

const repoRoot = path.resolve(__dirname, '../..');

/** pwsh: $VMMBACKUP_PWSH, the one `npm run setup` installs (.tools/pwsh/pwsh), else pwsh on PATH. */
export function findPwsh(): string {
  if (process.env.VMMBACKUP_PWSH) return process.env.VMMBACKUP_PWSH;
  const local = path.join(repoRoot, '.tools', 'pwsh', process.platform === 'win32' ? 'pwsh.exe' : 'pwsh');
  return fs.existsSync(local) ? local : 'pwsh';
}

const READ_SCRIPT =
  "$ErrorActionPreference = 'Stop'; Import-PowerShellDataFile -LiteralPath $env:VMMBACKUP_MANIFEST_PATH | ConvertTo-Json -Depth 20 -Compress";

/** The manifest's hashtable as JSON-friendly data, read by PowerShell. */
export function readPsd1(file: string): Record<string, unknown> {
  const pwsh = findPwsh();
  const r = spawnSync(pwsh, ['-NoProfile', '-NonInteractive', '-Command', READ_SCRIPT], {
    encoding: 'utf8',
    env: { ...process.env, VMMBACKUP_MANIFEST_PATH: path.resolve(file) },
    timeout: 120000,
  });
  if (r.error) throw new Error(`cannot run PowerShell (${pwsh}) to read ${file}: ${r.error.message}; run npm run setup or set VMMBACKUP_PWSH`);
  if (r.status !== 0) throw new Error(`PowerShell cannot read the manifest ${file}: ${(r.stderr || r.stdout).trim()}`);
  const value = JSON.parse(r.stdout) as unknown;
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw new Error(`${file} is not a hashtable`);
  return value as Record<string, unknown>;
}

function list(value: unknown, field: string): string[] {
  if (value === undefined || value === null) return [];
  const items = Array.isArray(value) ? value : [value];
  return items.map((x) => {
    if (typeof x !== 'string') throw new Error(`${field} must hold strings`);
    return x;
  });
}

function text(value: unknown): string | undefined {
  return value === undefined || value === null || value === '' ? undefined : String(value);
}

function exportList(data: Record<string, unknown>, field: string): string[] {
  const names = list(data[field], field);
  if (names.some((n) => n.includes('*'))) {
    throw new Error(`${field} uses a wildcard: list the names (the gallery tags each one, and PowerShell loads faster)`);
  }
  return names;
}

function requiredModules(value: unknown): RequiredModule[] {
  if (value === undefined || value === null) return [];
  const items = Array.isArray(value) ? value : [value];
  return items.map((x) => {
    if (typeof x === 'string') return { name: x };
    const spec = x as Record<string, unknown>;
    if (!spec || typeof spec.ModuleName !== 'string') throw new Error('RequiredModules: each entry needs a ModuleName');
    return {
      name: spec.ModuleName,
      minimumVersion: text(spec.ModuleVersion),
      requiredVersion: text(spec.RequiredVersion),
      maximumVersion: text(spec.MaximumVersion),
    };
  });
}

/** The fields a gallery package needs, from a manifest file; missing required ones are errors. */
export function readModuleManifest(file: string): ModuleManifest {
  const data = readPsd1(file);
  const psData = ((data.PrivateData as Record<string, unknown> | undefined)?.PSData ?? {}) as Record<string, unknown>;
  const missing = ['ModuleVersion', 'GUID', 'Author', 'Description'].filter((k) => !text(data[k]));
  if (missing.length) throw new Error(`the manifest ${file} lacks ${missing.join(', ')} (the PowerShell Gallery requires them)`);
  const require = psData.RequireLicenseAcceptance;
  return {
    name: path.basename(file).replace(/\.psd1$/i, ''),
    version: String(data.ModuleVersion),
    prerelease: text(psData.Prerelease),
    guid: String(data.GUID),
    author: String(data.Author),
    companyName: text(data.CompanyName) ?? '',
    copyright: text(data.Copyright) ?? '',
    description: String(data.Description),
    functions: exportList(data, 'FunctionsToExport'),
    cmdlets: exportList(data, 'CmdletsToExport'),
    aliases: exportList(data, 'AliasesToExport'),
    dscResources: exportList(data, 'DscResourcesToExport'),
    requiredModules: requiredModules(data.RequiredModules),
    tags: list(psData.Tags, 'PrivateData.PSData.Tags'),
    projectUri: text(psData.ProjectUri),
    licenseUri: text(psData.LicenseUri),
    iconUri: text(psData.IconUri),
    releaseNotes: text(psData.ReleaseNotes),
    requireLicenseAcceptance: require === true || String(require).toLowerCase() === 'true',
  };
}
