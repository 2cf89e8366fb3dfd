/** `vmm-backup plan` run as a user runs it (node bin/vmm-backup.js): the same items the cmdlets write through the bridge. */
import { useModuleSession } from '../../../support/module-session';
import { runCliProcess as cli } from '../../../support/child-process';
import { getVmmBackupPlan, getVmmRestorePlan } from '../../../../generated/typescript';

// Each run starts Node, PowerShell and the module: minutes on a busy machine.
jest.setTimeout(240_000);

const session = useModuleSession();

describe('plan', () => {
  test('plan backup --json gives exactly what Get-VmmBackupPlan writes through the bridge', async () => {
    const [run, viaBridge] = await Promise.all([cli(['plan', 'backup', '--json']), getVmmBackupPlan(session())]);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).items).toEqual(viaBridge.output);
  });

  test('plan restore --scenario (either spelling) matches Get-VmmRestorePlan', async () => {
    const [run, viaBridge] = await Promise.all([cli(['plan', 'restore', '--scenario', 'different-computer', '--json']), getVmmRestorePlan(session(), { Scenario: 'DifferentComputer' })]);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).items).toEqual(viaBridge.output);
    const table = await cli(['plan', 'restore', '--scenario', 'DifferentComputer', '--details']);
    expect(table.code).toBe(0);
    expect(table.stdout).toContain(`Restore plan (different-computer): ${viaBridge.output.length} item(s)`);
    expect(table.stdout).toContain(viaBridge.output[1].Title);
  });

  test('plan restore without or with an unknown scenario is a usage error (exit 2)', async () => {
    const none = await cli(['plan', 'restore']);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('needs --scenario');
    const bad = await cli(['plan', 'restore', '--scenario', 'moon']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("unknown scenario 'moon'");
  });
});
