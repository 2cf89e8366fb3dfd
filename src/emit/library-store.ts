/**
 * The library store's on-disk format, from src/model/library-store.ts: one JSON Schema per file kind beside
 * the output schemas (`schemas/VmmBackup.Library*.schema.json`), and the format as module data
 * (`VmmBackup/Private/Store/Get-VmmLibraryStoreFormat.ps1`) so that the module writes and checks the same version.
 */
import { LIBRARY_STORE_FORMAT_VERSION, libraryStoreLayout, libraryStoreSchemas } from '../model/library-store';
import { Artifact, plainText, windowsText } from './artifact';
import { generatedHeader } from './header';
import { psValue } from './powershell';

export function libraryStoreSchema(title: string): object {
  const entry = libraryStoreSchemas.find((e) => e.title === title);
  if (!entry) throw new Error(`no library store schema ${title}`);
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: `https://vmm-backup/schemas/${entry.file}`,
    title: entry.title,
    ...entry.schema,
    description: `${entry.schema.description ?? ''} Store format ${LIBRARY_STORE_FORMAT_VERSION}. (Generated from the vmm-backup model; do not edit.)`,
  };
}

export function emitLibraryStore(): Artifact[] {
  const schemas = libraryStoreSchemas.map((e) => plainText(`schemas/${e.file}`, JSON.stringify(libraryStoreSchema(e.title), null, 2)));
  const layout = libraryStoreLayout.map((e) => `            ${psValue({ Path: e.path, Pattern: e.pattern, Kind: e.kind })}`).join('\n');
  const data = [
    generatedHeader('powershell'),
    'function Get-VmmLibraryStoreFormat {',
    '    <#',
    '    .SYNOPSIS',
    '        The on-disk format of a library backup destination, as data: the store format version this module',
    '        writes (and the highest it reads), and the layout (relative path patterns).',
    '    #>',
    '    [CmdletBinding()]',
    '    [OutputType([hashtable])]',
    '    param()',
    '',
    '    @{',
    `        FormatVersion = ${LIBRARY_STORE_FORMAT_VERSION}`,
    '        Layout        = @(',
    layout,
    '        )',
    '    }',
    '}',
  ].join('\n');
  return [...schemas, windowsText('VmmBackup/Private/Store/Get-VmmLibraryStoreFormat.ps1', data)];
}
