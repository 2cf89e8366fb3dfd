/**
 * The runbook for people, `runbook/`: the whole backup plan and each restore scenario in order, with every
 * checklist item's exact instructions, as Markdown and as one self-contained HTML page, and the restore
 * order as an SVG diagram rendered by Graphviz (WebAssembly, no network).
 */
import { instance as vizInstance } from '@viz-js/viz';
import { backupPlan, restorePlan } from '../model/plan';
import { RESTORE_SCENARIOS, type Model, type Procedure, type RestoreScenario } from '../model/types';
import { Artifact, plainText } from './artifact';
import { GENERATED_NOTICE, generatedHeader } from './header';
import { readTemplate, registerPartial, render } from './templates';

export const SCENARIO_TITLES: Record<RestoreScenario, string> = {
  'same-computer': 'Restore the VMM server on the same computer',
  'different-computer': 'Restore the VMM server on a different computer',
  'database-only': 'Restore the VMM database only',
};

interface Step {
  n: number;
  id: string;
  anchor: string;
  title: string;
  section: string;
  kind: string;
  automated: boolean;
  cmdlet: string | null;
  /** Cmdlets run first, in order, whose output the runner takes (Compare-VmmInventory before Sync-VmmInventory). */
  before: string[];
  check: string | null;
  summary: string;
  instructions: string[];
  cadence: string | null;
  condition: string | null;
  warning: string | null;
  after: string[];
}

function step(p: Procedure, n: number, prefix: string): Step {
  return {
    n,
    id: p.id,
    anchor: `${prefix}-${p.id.replace(/[^a-z0-9]+/gi, '-')}`,
    title: p.title,
    section: p.section,
    kind: p.kind,
    automated: p.runner.kind === 'cmdlet',
    cmdlet: p.runner.kind === 'cmdlet' ? p.runner.cmdlet : null,
    before: p.runner.kind === 'cmdlet' ? [...(p.runner.before ?? [])] : [],
    check: p.runner.kind === 'checklist' ? (p.runner.check ?? null) : null,
    summary: p.summary,
    instructions: p.runner.kind === 'checklist' ? [...p.runner.instructions] : [],
    cadence: p.cadence?.note ?? null,
    condition: p.condition ?? null,
    warning: p.warning ?? null,
    after: [...p.after],
  };
}

export function runbookData(model: Model) {
  return {
    module: model.module,
    backup: backupPlan(model).map((p, i) => step(p, i + 1, 'backup')),
    scenarios: RESTORE_SCENARIOS.map((scenario) => ({
      scenario,
      title: SCENARIO_TITLES[scenario],
      steps: restorePlan(model, scenario).map((p, i) => step(p, i + 1, scenario)),
    })),
  };
}

/** Graphviz source of the restore order: one node per restore/post-restore procedure, edges from `after`. */
export function restoreOrderDot(model: Model): string {
  const restore = model.procedures.filter((p) => p.kind === 'restore' || p.kind === 'post-restore');
  const ids = new Set(restore.map((p) => p.id));
  const q = (s: string) => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
  const lines = [
    'digraph restore_order {',
    '  graph [rankdir=LR, fontname="Helvetica", fontsize=11, nodesep=0.25, ranksep=0.35, label="Restore order (arrows: must come first)", labelloc=t];',
    '  node [shape=box, style="rounded,filled", fontname="Helvetica", fontsize=10, width=2.6];',
    '  edge [color="#555555"];',
  ];
  for (const p of restore) {
    const scenarios = (p.scenarios ?? []).join(', ');
    const fill = p.id === 'restore.database' ? '#f4c7c3' : p.kind === 'restore' ? '#d2e3fc' : '#ceead6';
    const style = p.runner.kind === 'checklist' ? 'rounded,filled,dashed' : 'rounded,filled';
    lines.push(`  ${q(p.id)} [label=${q(`${p.title}\n[${scenarios}]`)}, fillcolor=${q(fill)}, style=${q(style)}, tooltip=${q(p.id)}];`);
  }
  for (const p of restore) for (const dep of p.after) if (ids.has(dep)) lines.push(`  ${q(dep)} -> ${q(p.id)};`);
  lines.push('}');
  return lines.join('\n');
}

export async function renderRestoreOrderSvg(model: Model): Promise<string> {
  const viz = await vizInstance();
  const svg = viz.renderString(restoreOrderDot(model), { format: 'svg' });
  // Stamp after the XML declaration and drop Graphviz's own version comment line-for-line as it is.
  return svg.replace(/^(<\?xml[^>]*\?>\n)/, `$1<!-- ${GENERATED_NOTICE} -->\n`);
}

export async function emitRunbook(model: Model): Promise<Artifact[]> {
  const data = runbookData(model);
  const svg = await renderRestoreOrderSvg(model);
  const inlineSvg = svg.replace(/^[\s\S]*?(<svg[\s\S]*<\/svg>)[\s\S]*$/, '$1');
  registerPartial('step', 'runbook/_step.html.hbs');
  const markdown = render('runbook/runbook.md.hbs', { ...data, header: generatedHeader('markdown') });
  const html = render('runbook/runbook.html.hbs', { ...data, notice: GENERATED_NOTICE, svg: inlineSvg, style: readTemplate('runbook/style.css') });
  return [
    plainText('runbook/VmmBackup-runbook.md', markdown),
    plainText('runbook/VmmBackup-runbook.html', html),
    plainText('runbook/restore-order.svg', svg),
  ];
}
