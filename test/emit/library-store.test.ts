/**
 * The library store's format, emitted from the model: valid JSON Schemas (draft 2020-12) that accept what the
 * module writes and refuse what it never writes, and the format version carried into the module as data.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const Ajv2020 = require('ajv/dist/2020').default as typeof import('ajv/dist/2020').default;
import { emitAll } from '../../src/emit';
import { emitLibraryStore, libraryStoreSchema } from '../../src/emit/library-store';
import { emitPrivateFunctions } from '../../src/emit/private-function';
import { loadModel } from '../../src/model';
import { LIBRARY_STORE_FORMAT_VERSION } from '../../src/model/library-store';

const hash = 'ab'.padEnd(64, '0');

function validator(title: string) {
  const ajv = new Ajv2020({ strict: true, strictTypes: false, allErrors: true });
  ajv.addFormat('date-time', /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/);
  return ajv.compile(libraryStoreSchema(title));
}

const manifest = {
  Format: 'VmmBackup.LibraryManifest',
  formatVersion: LIBRARY_STORE_FORMAT_VERSION,
  SetName: '20261206_020000',
  StartTime: '2026-12-06T02:00:00.0000000Z',
  EndTime: '2026-12-06T02:01:00.0000000Z',
  Shares: ['\\\\lib01\\MSSCVMMLibrary'],
  Extensions: ['.vhdx'],
  FileCount: 1,
  TotalBytes: 5,
  Digest: hash,
  Failed: [{ Share: 0, Path: 'ISO/', Error: 'Access denied' }],
  Files: [{ Share: 0, Path: "VHDs/it's [1].vhdx", Length: 5, Modified: 1764986400000, Sha256: hash }],
};

describe('library store schemas', () => {
  it('emits one schema per file kind beside the output schemas, and the format version as module data', () => {
    const paths = emitLibraryStore().map((a) => a.path);
    expect(paths).toEqual([
      'schemas/VmmBackup.LibraryManifest.schema.json',
      'schemas/VmmBackup.LibraryJournalRecord.schema.json',
      'schemas/VmmBackup.LibraryStoreLayout.schema.json',
      'schemas/VmmBackup.LibraryLock.schema.json',
      'VmmBackup/Private/Store/Get-VmmLibraryStoreFormat.ps1',
    ]);
    const data = emitLibraryStore().find((a) => a.path.endsWith('.ps1'))?.text ?? '';
    expect(data).toContain(`FormatVersion = ${LIBRARY_STORE_FORMAT_VERSION}`);
    expect(data).toContain("Path = 'objects/<xx>/<sha256>'");
  });

  it('accepts a manifest as the module writes it, and as earlier releases wrote it (Version), and refuses damaged ones', () => {
    const validate = validator('VmmBackup.LibraryManifest');
    expect(validate(manifest)).toBe(true);
    const { formatVersion: _unused, ...older } = manifest;
    expect(_unused).toBe(LIBRARY_STORE_FORMAT_VERSION);
    expect(validate({ ...older, Version: 1 })).toBe(true);
    expect(validate({ ...older, formatVersion: 1, Version: 2 })).toBe(true);
    expect(validate({ ...older, Version: 3 })).toBe(false);
    expect(validate({ ...manifest, formatVersion: 0 })).toBe(false);
    expect(validate({ ...manifest, Extra: 1 })).toBe(false);
    for (const path of ['../x.vhdx', '/x.vhdx', 'a//b', 'a/', 'a/./b', 'C:x', '']) {
      expect(validate({ ...manifest, Files: [{ ...manifest.Files[0], Path: path }] })).toBe(false);
    }
    expect(validate({ ...manifest, Files: [{ ...manifest.Files[0], Sha256: hash.toUpperCase() }] })).toBe(false);
  });

  it('accepts journal records and refuses incomplete ones', () => {
    const validate = validator('VmmBackup.LibraryJournalRecord');
    expect(validate({ s: '/srv/lib', p: 'a.vhdx', l: 1, m: 2, h: hash })).toBe(true);
    expect(validate({ s: '/srv/lib', p: 'a.vhdx', l: 1, m: 2 })).toBe(false);
    expect(validate({ s: '/srv/lib', p: 'a.vhdx', l: -1, m: 2, h: hash })).toBe(false);
  });

  it('describes every path of a destination and nothing else', () => {
    const validate = validator('VmmBackup.LibraryStoreLayout');
    const good = ['.lock', 'objects', 'objects/ab', `objects/ab/${hash}`, 'objects/tmp', `objects/tmp/${'0'.repeat(32)}.tmp`, 'sets', 'sets/20261206_020000', 'sets/20261206_020000_1/manifest.json', `sets/20261206_020000/manifest.json.${'f'.repeat(32)}.tmp`, 'sets/20261206_020000/journal.jsonl'];
    expect(validate(good)).toBe(true);
    for (const stray of ['objects/stray.bin', 'sets/latest', 'sets/20261206_020000/notes.txt', `objects/ab/${hash}.bak`]) {
      expect(validate([...good, stray])).toBe(false);
    }
  });

  it('accepts the lock record as the module writes it and refuses damaged ones', () => {
    const validate = validator('VmmBackup.LibraryLock');
    const lock = { Format: 'VmmBackup.LibraryLock', formatVersion: LIBRARY_STORE_FORMAT_VERSION, ProcessId: 4242, ComputerName: 'BACKUP01', Since: '2026-12-06T02:00:00.0000000Z' };
    expect(validate(lock)).toBe(true);
    expect(validate({ ...lock, Format: 'VmmBackup.LibraryManifest' })).toBe(false);
    expect(validate({ ...lock, ProcessId: -1 })).toBe(false);
    const { Since: _since, ...noTime } = lock;
    expect(_since).toBeDefined();
    expect(validate(noTime)).toBe(false);
  });
});

describe('the store API folder', () => {
  it('emits templates/private/Store/*.ps1 to VmmBackup/Private/Store, in path order, and the root module loads each', () => {
    const store = emitPrivateFunctions()
      .map((a) => a.path)
      .filter((p) => p.startsWith('VmmBackup/Private/Store/'));
    expect(store).toEqual(expect.arrayContaining(['VmmBackup/Private/Store/Open-VmmLibraryStore.ps1', 'VmmBackup/Private/Store/Read-VmmBackupManifest.ps1', 'VmmBackup/Private/Store/Get-VmmLibraryStoreType.ps1']));
    expect(store).toEqual([...store].sort());
    const all = emitAll(loadModel());
    const root = all.find((a) => a.path === 'VmmBackup/VmmBackup.psm1')?.text ?? '';
    for (const file of [...store, 'VmmBackup/Private/Store/Get-VmmLibraryStoreFormat.ps1']) {
      expect(root).toContain(`'${file.replace(/^VmmBackup\//, '')}'`);
      expect(all.some((a) => a.path === file)).toBe(true);
    }
    expect(emitAll(loadModel()).find((a) => a.path === 'VmmBackup/VmmBackup.psm1')?.text).toBe(root);
  });
});
