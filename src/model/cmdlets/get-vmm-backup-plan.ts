import type { Cmdlet } from '../types';
import { s } from '../schema';

export const planItemSchema = s.object({
  Order: s.integer('Position in the plan.', 1),
  Id: s.string('Stable procedure id.'),
  Title: s.string('What is done.'),
  Section: s.string('Specification section.'),
  Kind: s.enum(['backup', 'restore', 'post-restore', 'check'], 'Procedure kind.'),
  Automated: s.boolean('A cmdlet does it (else an operator follows the instructions).'),
  Cmdlet: s.nullable(s.string('The cmdlet that runs or checks it.')),
  Instructions: s.array(s.string('One instruction.'), 'Exact operator instructions, in order (checklist items).'),
  Cadence: s.nullable(s.string('How often it should run.')),
  MaxAgeHours: s.nullable(s.integer('Freshness limit in hours.', 1)),
  Condition: s.nullable(s.string('Applies only when this holds.')),
  After: s.array(s.string('Procedure id.'), 'Procedures that must be complete first.'),
});

export const getVmmBackupPlan: Cmdlet = {
  name: 'Get-VmmBackupPlan',
  synopsis: 'Lists what to back up, how often and how: the backup plan of the specification.',
  description: [
    'Returns the backup plan built from the module\'s procedure model: every backup procedure of "Back up and restore VMM", in order, with the cmdlet that performs it or the exact instructions for the operator, and how often it should run.',
  ],
  parameters: [{ name: 'Automated', type: 'switch', help: 'Only the items a cmdlet performs.' }],
  examples: [
    { code: 'Get-VmmBackupPlan | Format-Table Order, Title, Cadence, Cmdlet', remarks: 'Shows the whole plan.' },
    { code: 'Get-VmmBackupPlan | Where-Object { -not $_.Automated } | Select-Object -ExpandProperty Instructions', remarks: 'Prints the instructions of the manual items.' },
  ],
  output: { typeName: 'VmmBackup.PlanItem', description: 'One object per plan item.', schema: planItemSchema },
  status: 'implemented',
  errors: [],
  vmmCmdlets: [],
};
