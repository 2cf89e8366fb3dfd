import type { CommandModule } from 'yargs';
import { CliError } from '../errors';
import { EXIT_CODE_HELP } from '../exit-codes';
import { quietOnClosedPipe, renderTable } from '../terminal';
import { procedureRecord } from '../../emit/procedure-data';
import { loadModel } from '../../model';
import { backupPlan, restorePlan } from '../../model/plan';
import { RESTORE_SCENARIOS, type RestoreScenario } from '../../model/types';

interface PlanArgs {
  kind: string;
  scenario?: string;
  automated?: boolean;
  details?: boolean;
  json?: boolean;
}

/** The same objects Get-VmmBackupPlan / Get-VmmRestorePlan write (VmmBackup.PlanItem), from the model. */
export interface PlanItem {
  Order: number;
  Id: string;
  Title: string;
  Section: string;
  Kind: string;
  Automated: boolean;
  Cmdlet: string | null;
  Instructions: string[];
  Cadence: string | null;
  MaxAgeHours: number | null;
  Condition: string | null;
  After: string[];
}

/** `same-computer`, `SameComputer`, `samecomputer` … → the model's scenario. */
export function parseScenario(text: string): RestoreScenario {
  const key = text.toLowerCase().replace(/[^a-z]/g, '');
  const found = RESTORE_SCENARIOS.find((s) => s.replace(/-/g, '') === key);
  if (!found) throw new CliError(`unknown scenario '${text}': use ${RESTORE_SCENARIOS.join(', ')}`, 2);
  return found;
}

export function planItems(kind: 'backup' | 'restore', scenario?: RestoreScenario): PlanItem[] {
  const model = loadModel();
  const procedures = kind === 'backup' ? backupPlan(model) : restorePlan(model, scenario as RestoreScenario);
  return procedures.map((p, i) => ({ Order: i + 1, ...(procedureRecord(p) as Omit<PlanItem, 'Order'>) }));
}

function describeItem(item: PlanItem): string {
  if (item.Automated) return `${item.Cmdlet}`;
  return item.Cmdlet ? `manual (check: ${item.Cmdlet})` : 'manual';
}

export const planCommand: CommandModule<object, PlanArgs> = {
  command: 'plan <kind>',
  describe: 'Print the backup plan, or the restore plan of a scenario, in order (from the model; no PowerShell needed)',
  builder: (y) =>
    y
      .positional('kind', { choices: ['backup', 'restore'], describe: 'Which plan', demandOption: true })
      .option('scenario', { type: 'string', describe: `Restore scenario: ${RESTORE_SCENARIOS.join(', ')} (or SameComputer, DifferentComputer, DatabaseOnly)` })
      .option('automated', { type: 'boolean', describe: 'Only the items a cmdlet performs' })
      .option('details', { type: 'boolean', describe: 'Also print the operator instructions of manual items, and conditions' })
      .example('$0 plan backup', 'What to back up, how often, and how')
      .example('$0 plan restore --scenario different-computer --details', 'The restore steps for a new server, with the manual instructions')
      .example('$0 plan restore --scenario DatabaseOnly --json', 'The same objects Get-VmmRestorePlan writes, as JSON')
      .epilogue(EXIT_CODE_HELP) as never,
  handler: (args) => {
    quietOnClosedPipe();
    const kind = args.kind as 'backup' | 'restore';
    let scenario: RestoreScenario | undefined;
    if (kind === 'restore') {
      if (!args.scenario) throw new CliError(`plan restore needs --scenario (${RESTORE_SCENARIOS.join(', ')})`, 2);
      scenario = parseScenario(args.scenario);
    } else if (args.scenario) {
      throw new CliError('--scenario applies to plan restore only', 2);
    }
    let items = planItems(kind, scenario);
    if (args.automated) items = items.filter((i) => i.Automated);
    if (args.json) {
      process.stdout.write(JSON.stringify({ plan: kind, scenario: scenario ?? null, items }, null, 2) + '\n');
      return;
    }
    const title = kind === 'backup' ? 'Backup plan' : `Restore plan (${scenario})`;
    process.stdout.write(`${title}: ${items.length} item(s), ${items.filter((i) => i.Automated).length} automated\n\n`);
    const rows = items.map((i) => [String(i.Order), i.Title, describeItem(i), i.Cadence ?? '']);
    process.stdout.write(renderTable(['#', 'Step', 'How', kind === 'backup' ? 'Cadence' : ''], rows));
    if (args.details) {
      for (const i of items) {
        if (i.Instructions.length === 0 && !i.Condition) continue;
        process.stdout.write(`\n${i.Order}. ${i.Title}${i.Condition ? `\n   only when: ${i.Condition}` : ''}\n`);
        i.Instructions.forEach((text, n) => process.stdout.write(`   ${n + 1}) ${text}\n`));
      }
    }
  },
};
