import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { emitRunbook, restoreOrderDot } from '../../src/emit/runbook';
import { model } from '../../src/model';

/** Debian's chromium, installed by `npm run setup`. */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROMIUM_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

describe('runbook', () => {
  let files: Record<string, string>;
  beforeAll(async () => {
    files = Object.fromEntries((await emitRunbook(model)).map((a) => [a.path, a.text]));
  });

  it('writes Markdown, HTML and the SVG diagram', () => {
    expect(Object.keys(files).sort()).toEqual(['runbook/VmmBackup-runbook.html', 'runbook/VmmBackup-runbook.md', 'runbook/restore-order.svg']);
  });

  it('puts every procedure and every checklist instruction in the Markdown', () => {
    const md = files['runbook/VmmBackup-runbook.md'];
    for (const p of model.procedures) {
      expect(md).toContain(`\`${p.id}\``);
      if (p.runner.kind === 'checklist') for (const line of p.runner.instructions) expect(md).toContain(line);
    }
  });

  it('orders each restore scenario with the database first', () => {
    const md = files['runbook/VmmBackup-runbook.md'];
    for (const title of ['Restore the VMM server on the same computer', 'Restore the VMM server on a different computer', 'Restore the VMM database only']) {
      const part = md.slice(md.indexOf(`## ${title}`));
      expect(part.indexOf('`restore.database`')).toBeGreaterThan(0);
      const next = part.indexOf('\n## ', 3);
      const scenario = next > 0 ? part.slice(0, next) : part;
      const firstOther = scenario.search(/`(restore|post-restore)\.(?!plan|database)[a-z.-]+`/);
      if (firstOther >= 0) expect(scenario.indexOf('`restore.database`')).toBeLessThan(firstOther);
    }
  });

  it('draws an edge for every ordering constraint between restore steps', () => {
    const dot = restoreOrderDot(model);
    expect(dot).toContain('"restore.database" -> "restore.registry";');
    const svg = files['runbook/restore-order.svg'];
    expect(svg).toContain('<svg');
    expect(svg).toContain('restore.reassociate&#45;hosts');
  });

  it('escapes model text in the HTML', () => {
    const html = files['runbook/VmmBackup-runbook.html'];
    expect(html).toContain('Don&#x27;t use checkpoints for disaster recovery.');
    expect(html).not.toMatch(/<script/i);
  });

  it('renders in headless Chromium with every procedure and the diagram', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vmm-runbook-'));
    try {
      const file = path.join(dir, 'runbook.html');
      fs.writeFileSync(file, files['runbook/VmmBackup-runbook.html']);
      const profile = path.join(dir, 'profile');
      const dom = execFileSync(CHROMIUM, [...CHROMIUM_FLAGS, `--user-data-dir=${profile}`, '--dump-dom', `file://${file}`], { encoding: 'utf8', timeout: 60000, stdio: ['ignore', 'pipe', 'ignore'] });
      for (const p of model.procedures) expect(dom).toContain(`data-procedure="${p.id}"`);
      expect(dom).toMatch(/<svg[^>]*viewBox/);
      const png = path.join(dir, 'runbook.png');
      execFileSync(CHROMIUM, [...CHROMIUM_FLAGS, `--user-data-dir=${profile}`, `--screenshot=${png}`, '--window-size=1200,2000', `file://${file}`], { timeout: 60000, stdio: 'ignore' });
      const bytes = fs.readFileSync(png);
      expect(bytes.subarray(1, 4).toString('ascii')).toBe('PNG');
      expect(bytes.length).toBeGreaterThan(20000);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
