import { SCHEDULED_TASKS_STUB_OPTIONS, emitStubModule, emitVmmStubs, stubHelpers } from '../../../src/emit/vmm-stubs';
import { SCHEDULED_TASKS_REFERENCE_PATH, checkCall, loadVmmReference, vmmCmdletNames } from '../../../src/model/vmm-reference';

const ref = loadVmmReference(SCHEDULED_TASKS_REFERENCE_PATH);

describe('ScheduledTasks reference and stubs', () => {
  it('records every cmdlet the schedule cmdlets call, each with its Microsoft page', () => {
    expect(vmmCmdletNames(ref)).toEqual([
      'Get-ScheduledTask',
      'New-ScheduledTaskAction',
      'New-ScheduledTaskPrincipal',
      'New-ScheduledTaskSettingsSet',
      'New-ScheduledTaskTrigger',
      'Register-ScheduledTask',
      'Unregister-ScheduledTask',
    ]);
    for (const cmdlet of Object.values(ref.cmdlets)) {
      expect(cmdlet.doc).toMatch(/^https:\/\/learn\.microsoft\.com\/powershell\/module\/scheduledtasks\/[a-z-]+$/);
    }
  });

  it('accepts the calls the module makes and rejects a password next to a principal', () => {
    expect(checkCall(ref, 'Register-ScheduledTask', ['TaskName', 'TaskPath', 'Action', 'Trigger', 'Principal', 'Settings', 'Description', 'Force']).parameterSets).toEqual(['Principal']);
    expect(checkCall(ref, 'Register-ScheduledTask', ['TaskName', 'Action', 'Principal', 'Password']).ok).toBe(false);
    expect(checkCall(ref, 'New-ScheduledTaskPrincipal', ['UserId', 'LogonType', 'RunLevel']).parameterSets).toEqual(['User']);
    expect(checkCall(ref, 'New-ScheduledTaskTrigger', ['Weekly', 'DaysOfWeek', 'At']).parameterSets).toEqual(['Weekly']);
    expect(checkCall(ref, 'Unregister-ScheduledTask', ['TaskName', 'TaskPath', 'Confirm']).ok).toBe(true);
  });

  it('emits a second stub module whose helpers do not clash with the VMM stubs', () => {
    const [psm1, psd1] = emitStubModule(ref, SCHEDULED_TASKS_STUB_OPTIONS);
    const [vmmPsm1] = emitVmmStubs(loadVmmReference());
    expect(psm1.path).toBe('stubs/ScheduledTasks/ScheduledTasks.psm1');
    for (const helper of stubHelpers('Task')) {
      expect(psd1.text).toContain(`'${helper}'`);
      expect(vmmPsm1.text).not.toContain(`function ${helper} `);
    }
    expect(psm1.text).not.toMatch(/function [A-Za-z]+-Vmm/);
    expect(psm1.text).toContain("[ValidateScript({ Test-TaskStubShape -Value $_ -TypeName 'CimInstance' -ParameterName 'Action' })]");
    // Enumerations are taken as values, not as fake objects.
    expect(psm1.text).toMatch(/\[object\]\s+\$LogonType/);
  });
});
