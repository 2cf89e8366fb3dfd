import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { GENERATED_RECORD } from '../../src/emit/write';
import { emitAll, emitEverything, generate } from '../../src/emit';
import { artifactBytes } from '../../src/emit/artifact';
import { GENERATED_NOTICE } from '../../src/emit/header';
import { model } from '../../src/model';

describe('emitAll', () => {
  const artifacts = emitAll(model);

  it('is deterministic: the same model gives the same bytes', async () => {
    const first = await emitEverything(model);
    const again = await emitEverything(model);
    expect(again.length).toBeGreaterThan(artifacts.length);
    again.forEach((a, i) => expect(artifactBytes(a).equals(artifactBytes(first[i]))).toBe(true));
    expect(emitAll(model).map((a) => a.path)).toEqual(artifacts.map((a) => a.path));
  });

  it('stamps every file as generated', () => {
    for (const a of artifacts) {
      if (a.path.endsWith('.json')) expect(a.text).toContain('do not edit');
      else expect(a.text.split('\n').slice(0, 2).join('\n')).toContain(GENERATED_NOTICE);
    }
  });

  it('writes every PowerShell file as CRLF with a BOM', () => {
    for (const a of artifacts.filter((x) => /\.(ps1|psm1|psd1|txt)$/.test(x.path))) {
      expect([a.path, a.encoding, a.eol]).toEqual([a.path, 'utf8-bom', 'crlf']);
    }
  });

  it('emits one public function per cmdlet and exports exactly those', () => {
    const publics = artifacts.filter((a) => a.path.startsWith('VmmBackup/Public/')).map((a) => path.posix.basename(a.path, '.ps1'));
    expect(publics.sort()).toEqual(model.cmdlets.map((c) => c.name).sort());
    const manifest = artifacts.find((a) => a.path === 'VmmBackup/VmmBackup.psd1')!.text;
    for (const name of publics) expect(manifest).toContain(`'${name}'`);
  });
});

describe('generate', () => {
  it('writes everything once, then nothing on a re-run; removes a file it wrote before, never one it did not write', async () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'vmm-gen-'));
    try {
      const first = await generate(out);
      expect(first.written.length).toBe(first.files);
      const record = path.join(out, GENERATED_RECORD);
      const recorded = fs.readFileSync(record, 'utf8');
      const stale = path.join(out, 'VmmBackup/Public/Remove-Stale.ps1');
      fs.writeFileSync(stale, 'x');
      fs.writeFileSync(record, recorded + 'VmmBackup/Public/Remove-Stale.ps1\n');
      const users = path.join(out, 'VmmBackup/Public/My-Own.ps1');
      fs.writeFileSync(users, 'mine');
      const second = await generate(out);
      expect(second.written).toEqual([]);
      expect(second.removed).toEqual(['VmmBackup/Public/Remove-Stale.ps1']);
      expect(second.kept).toEqual(['VmmBackup/Public/My-Own.ps1']);
      expect(fs.existsSync(stale)).toBe(false);
      expect(fs.readFileSync(users, 'utf8')).toBe('mine');
      expect(fs.readFileSync(record, 'utf8')).toBe(recorded);
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
    }
  });
});
