/**
 * The on-disk format of a library backup destination (Backup-VmmLibraryShare), defined once: its layout, the
 * manifest that commits a set, the journal of an unfinished set and the lock. The module reads and writes it
 * only through its store API (templates/private/Store: Open-VmmLibraryStore, Open-/Complete-VmmLibrarySet, the
 * compiled Manifest, engines and listing of Get-VmmLibraryStoreType), its version
 * reaches the module as data (Get-VmmLibraryStoreFormat), and generated/schemas holds one JSON Schema per
 * file kind, against which the Pester tests check real destinations.
 */
import { JsonSchema, s } from './schema';

/**
 * The store format written by this module, one number for the layout, the manifest (its fields and digest),
 * the journal and the lock. A manifest states it as `formatVersion`; a reader refuses a higher one with a clear
 * error (a newer module wrote it). Earlier releases wrote `Version` instead (1: the digest covers shares, files
 * and failures; 2: every field), some with `formatVersion: 1` beside it: their `Version` is their format, so
 * format 1 and 2 manifests of those releases still read.
 */
export const LIBRARY_STORE_FORMAT_VERSION = 2;

export interface StoreLayoutEntry {
  /** The path relative to the destination, with placeholders in angle brackets. */
  readonly path: string;
  /** The same as a regular expression over the relative path (forward slashes). */
  readonly pattern: string;
  readonly kind: 'file' | 'folder';
  readonly description: string;
}

const SET_NAME = '[0-9]{8}_[0-9]{6}(_[0-9]+)?';
const SHA256 = '[0-9a-f]{64}';

export const libraryStoreLayout: readonly StoreLayoutEntry[] = [
  { path: '.lock', pattern: '^\\.lock$', kind: 'file', description: 'Held open without sharing by the one backup writing here (the system releases it when the process ends, even killed): the open handle is the lock. Its content (schema VmmBackup.LibraryLock) names the last writer, for a person looking at a busy destination; it decides nothing.' },
  { path: 'objects', pattern: '^objects$', kind: 'folder', description: 'File contents, one file per distinct content, shared by every set.' },
  { path: 'objects/<xx>', pattern: '^objects/[0-9a-f]{2}$', kind: 'folder', description: 'The objects whose SHA-256 starts with the two hex digits xx.' },
  { path: 'objects/<xx>/<sha256>', pattern: '^objects/[0-9a-f]{2}/[0-9a-f]{64}$', kind: 'file', description: 'A file content, named by its SHA-256 (lowercase hex), in the folder of its first two digits; written once, under a temporary name in objects/tmp, then renamed.' },
  { path: 'objects/tmp', pattern: '^objects/tmp$', kind: 'folder', description: 'Copies in progress; whatever a run finds here was left by an interrupted run and is deleted. Never part of a set.' },
  { path: 'objects/tmp/<guid>.tmp', pattern: '^objects/tmp/[0-9a-f]{32}\\.tmp$', kind: 'file', description: 'One copy in progress.' },
  { path: 'sets', pattern: '^sets$', kind: 'folder', description: 'The backup sets, one folder each, named by their start time (UTC of the writer\'s clock), oldest first by name.' },
  { path: 'sets/<set>', pattern: `^sets/${SET_NAME}$`, kind: 'folder', description: 'A backup set: complete when it holds manifest.json, unfinished (resumable) when it holds only journal.jsonl.' },
  { path: 'sets/<set>/manifest.json', pattern: `^sets/${SET_NAME}/manifest\\.json$`, kind: 'file', description: 'The manifest (schema VmmBackup.LibraryManifest): written last, under a temporary name, flushed, then renamed; the rename commits the set.' },
  { path: 'sets/<set>/manifest.json.<guid>.tmp', pattern: `^sets/${SET_NAME}/manifest\\.json\\.[0-9a-f]{32}\\.tmp$`, kind: 'file', description: 'A manifest being written; never read.' },
  { path: 'sets/<set>/journal.jsonl', pattern: `^sets/${SET_NAME}/journal\\.jsonl$`, kind: 'file', description: 'The files an unfinished run has stored (schema VmmBackup.LibraryJournalRecord per line, UTF-8, each line ended by LF; a last line without LF was cut by an interruption and is ignored). Deleted once the manifest is committed.' },
];

const fileEntry = s.object(
  {
    Share: s.integer('Index of the share in Shares.', 0),
    Path: { type: 'string', minLength: 1, pattern: '^(?!/)(?![A-Za-z]:)(?!.*//)(?!.*/$)(?!(.*/)?\\.{1,2}(/|$))[^\\u0000]+$', description: 'Path relative to the share, with / separators; no empty, . or .. segment.' },
    Length: s.integer('Size in bytes.', 0),
    Modified: { type: 'integer', description: 'Last write time of the source, in Unix milliseconds (UTC), rounded down.' },
    Sha256: { type: 'string', pattern: `^${SHA256}$`, description: 'SHA-256 of the content (lowercase hex); the object objects/<xx>/<sha256>.' },
  },
  'One file of the set.',
);

const failedEntry = s.object(
  {
    Share: s.integer('Index of the share in Shares.', 0),
    Path: s.string('Path relative to the share (a folder ends with /).'),
    Error: s.string('Why it is not in the set (unreadable, changed while it was copied, ...).'),
  },
  'A file or folder that could not be backed up: the set is then not Good.',
);

export const libraryManifestSchema: JsonSchema = {
  type: 'object',
  description: 'sets/<set>/manifest.json: the commit record of one library backup set.',
  properties: {
    Format: { type: 'string', enum: ['VmmBackup.LibraryManifest'], description: 'The kind of file.' },
    formatVersion: { type: 'integer', minimum: 1, description: `The store format (layout, manifest fields and digest, journal, lock) this set was written in: ${LIBRARY_STORE_FORMAT_VERSION} today. A reader refuses a higher one.` },
    Version: { type: 'integer', enum: [1, 2], description: 'Written by earlier releases instead of formatVersion (or beside formatVersion 1): their store format. Never written now.' },
    SetName: { type: 'string', pattern: `^${SET_NAME}$`, description: 'The set folder\'s name.' },
    StartTime: s.dateTime('When the backup started (UTC, round-trip format).'),
    EndTime: s.dateTime('When the backup finished (UTC, round-trip format).'),
    Shares: s.array(s.string('A share path, as given or listed by VMM.'), 'The shares backed up; entries refer to them by index.'),
    Extensions: s.array({ type: 'string', pattern: '^\\.[^./\\\\*?]+$', description: 'An extension, lowercase, with its dot.' }, 'The extensions the backup was limited to (empty: every file).'),
    FileCount: s.integer('The number of entries in Files.', 0),
    TotalBytes: s.integer('The sum of the files\' lengths.', 0),
    Digest: { type: 'string', pattern: `^${SHA256}$`, description: 'SHA-256 of the canonical text of the manifest (see Get-VmmBackupManifestDigest): a damaged or edited manifest does not match it.' },
    Failed: s.array(failedEntry, 'What could not be backed up.'),
    Files: s.array(fileEntry, 'Every file of the set, ordered by share index then path (ordinal).'),
  },
  required: ['Format', 'SetName', 'StartTime', 'EndTime', 'Shares', 'Extensions', 'FileCount', 'TotalBytes', 'Digest', 'Failed', 'Files'],
  additionalProperties: false,
};

export const libraryJournalRecordSchema: JsonSchema = {
  type: 'object',
  description: 'One line of sets/<set>/journal.jsonl: a file an unfinished run has stored (its object is in place before the line is written). A later run of the same set takes it without copying again when the source still has this size and time.',
  properties: {
    s: s.string('The share path (as in the manifest\'s Shares).'),
    p: { type: 'string', minLength: 1, description: 'Path relative to the share, with / separators.' },
    l: s.integer('Size in bytes.', 0),
    m: { type: 'integer', description: 'Last write time of the source, in Unix milliseconds (UTC), rounded down.' },
    h: { type: 'string', pattern: `^${SHA256}$`, description: 'SHA-256 of the content (lowercase hex).' },
  },
  required: ['s', 'p', 'l', 'm', 'h'],
  additionalProperties: false,
};

export const libraryLockSchema: JsonSchema = {
  type: 'object',
  description: '.lock of a library backup destination: the writer that took the lock last (rewritten by each writer once it holds the lock). The lock itself is the open handle; this record only tells who holds or held it.',
  properties: {
    Format: { type: 'string', enum: ['VmmBackup.LibraryLock'], description: 'The kind of file.' },
    formatVersion: { type: 'integer', minimum: 1, description: 'The store format of the writer.' },
    ProcessId: s.integer('The process id of the writer.', 0),
    ComputerName: { type: 'string', minLength: 1, description: 'The computer the writer runs on.' },
    Since: s.dateTime('When the writer took the lock (UTC, round-trip format).'),
  },
  required: ['Format', 'formatVersion', 'ProcessId', 'ComputerName', 'Since'],
  additionalProperties: false,
};

/** Every relative path under a destination (forward slashes) matches one entry of the layout. */
export const libraryStoreLayoutSchema: JsonSchema = {
  type: 'array',
  description: `The listing of a library backup destination: every file and folder under it, as a path relative to it with / separators. Layout:\n${libraryStoreLayout.map((e) => `  ${e.path} (${e.kind}): ${e.description}`).join('\n')}`,
  items: { type: 'string', pattern: libraryStoreLayout.map((e) => `(${e.pattern})`).join('|'), description: 'A path relative to the destination.' },
};

/** The schemas emitted to generated/schemas, by title. */
export const libraryStoreSchemas: readonly { readonly title: string; readonly file: string; readonly schema: JsonSchema }[] = [
  { title: 'VmmBackup.LibraryManifest', file: 'VmmBackup.LibraryManifest.schema.json', schema: libraryManifestSchema },
  { title: 'VmmBackup.LibraryJournalRecord', file: 'VmmBackup.LibraryJournalRecord.schema.json', schema: libraryJournalRecordSchema },
  { title: 'VmmBackup.LibraryStoreLayout', file: 'VmmBackup.LibraryStoreLayout.schema.json', schema: libraryStoreLayoutSchema },
  { title: 'VmmBackup.LibraryLock', file: 'VmmBackup.LibraryLock.schema.json', schema: libraryLockSchema },
];
