/** `vmm-backup plan`: bad input is exit 2 with one JSON error object; a good plan changes nothing. */
import { corpus } from '../../../support/cli-corpus';

corpus('vmm-cli-plan-', [
  { name: 'plan without a kind', argv: ['plan'], code: 2, kind: 'BadInput', message: 'Not enough non-option arguments: got 0, need at least 1' },
  { name: 'plan of an unknown kind', argv: ['plan', 'nightly'], code: 2, kind: 'BadInput', message: /^Invalid values:\s+Argument: kind, Given: "nightly", Choices: "backup", "restore"$/ },
  { name: 'plan restore without a scenario', argv: ['plan', 'restore'], code: 2, kind: 'BadInput', message: 'plan restore needs --scenario (same-computer, different-computer, database-only)' },
  { name: 'plan restore of an unknown scenario', argv: ['plan', 'restore', '--scenario', 'moon'], code: 2, kind: 'BadInput', message: "unknown scenario 'moon': use same-computer, different-computer, database-only" },
  { name: 'plan backup with a scenario', argv: ['plan', 'backup', '--scenario', 'same-computer'], code: 2, kind: 'BadInput', message: '--scenario applies to plan restore only' },
  { name: 'plan restore with an empty scenario', argv: ['plan', 'restore', '--scenario', ''], code: 2, kind: 'BadInput', message: 'plan restore needs --scenario (same-computer, different-computer, database-only)' },
  {
    name: 'plan backup --json succeeds and changes nothing',
    argv: ['plan', 'backup', '--json'],
    code: 0,
    check: (run) => {
      const plan = JSON.parse(run.stdout) as { plan: string; items: unknown[] };
      expect(plan.plan).toBe('backup');
      expect(plan.items.length).toBeGreaterThan(3);
      expect(run.stderr).toBe('');
    },
  },
]);
