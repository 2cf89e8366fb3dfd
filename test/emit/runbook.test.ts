import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { emitRunbook, restoreOrderDot, SCENARIO_TITLES } from '../../src/emit/runbook';
import { model } from '../../src/model';
import { restorePlan } from '../../src/model/plan';
import { RESTORE_SCENARIOS, type RestoreScenario } from '../../src/model/types';

/**
 * Every cmdlet an operator runs on a restore path: each step's cmdlet, the cmdlets it runs first, the cmdlet
 * that checks a checklist item, and every module cmdlet the step's text or its cmdlet's examples name (the
 * examples of Sync-VmmInventory pipe Compare-VmmInventory into it).
 */
function restoreCmdlets(scenario: RestoreScenario): Set<string> {
  const names = model.cmdlets.map((c) => c.name);
  const found = new Set<string>();
  for (const p of restorePlan(model, scenario)) {
    const texts = [p.summary, p.condition ?? ''];
    if (p.runner.kind === 'cmdlet') {
      found.add(p.runner.cmdlet);
      for (const c of p.runner.before ?? []) found.add(c);
      const cmdlet = model.cmdlets.find((c) => c.name === (p.runner as { cmdlet: string }).cmdlet);
      texts.push(...(cmdlet?.examples ?? []).map((e) => e.code));
    } else {
      if (p.runner.check) found.add(p.runner.check);
      texts.push(...p.runner.instructions);
    }
    for (const text of texts) for (const name of names) if (new RegExp(`\\b${name}\\b`).test(text)) found.add(name);
  }
  return found;
}

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

  it('names every cmdlet of every restore scenario in that scenario, in the Markdown and the HTML', () => {
    const md = files['runbook/VmmBackup-runbook.md'];
    const html = files['runbook/VmmBackup-runbook.html'];
    for (const scenario of RESTORE_SCENARIOS) {
      const start = md.indexOf(`## ${SCENARIO_TITLES[scenario]}`);
      expect(start).toBeGreaterThan(0);
      const end = md.indexOf('\n## ', start + 3);
      const section = md.slice(start, end > 0 ? end : undefined);
      const htmlStart = html.indexOf(`<h2 id="${scenario}">`);
      const htmlEnd = html.indexOf('<h2 ', htmlStart + 5);
      const htmlSection = html.slice(htmlStart, htmlEnd > 0 ? htmlEnd : undefined);
      const cmdlets = restoreCmdlets(scenario);
      expect(cmdlets.size).toBeGreaterThan(2);
      for (const cmdlet of cmdlets) {
        expect({ scenario, cmdlet, named: section.includes(`\`${cmdlet}\``) }).toEqual({ scenario, cmdlet, named: true });
        expect({ scenario, cmdlet, named: htmlSection.includes(`data-cmdlet="${cmdlet}"`) || htmlSection.includes(`<code>${cmdlet}</code>`) }).toEqual({ scenario, cmdlet, named: true });
      }
    }
    // The same-computer restore compares the inventory before it syncs it.
    const same = md.slice(md.indexOf(`## ${SCENARIO_TITLES['same-computer']}`));
    expect(same).toContain('Run: `Compare-VmmInventory`, then `Sync-VmmInventory`');
  });

  it('lists the restore drill in the backup plan with its weekly cadence', () => {
    const md = files['runbook/VmmBackup-runbook.md'];
    expect(md).toMatch(/\| \d+ \| \[Prove the backups by restoring them \(restore drill\)\]\(#backup-check-restore-drill\) \| cmdlet `Invoke-VmmRestoreDrill` \| Weekly, /);
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
      for (const scenario of RESTORE_SCENARIOS) for (const cmdlet of restoreCmdlets(scenario)) expect(dom).toContain(cmdlet);
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
