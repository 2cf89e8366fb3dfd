/** `VmmBackup/en-US/about_VmmBackup.help.txt`: the module's conceptual help, from the model. */
import { backupPlan, restorePlan } from '../model/plan';
import { RESTORE_SCENARIOS, type Model } from '../model/types';
import { Artifact, windowsText } from './artifact';
import { generatedHeader } from './header';
import { wrap } from './powershell';
import { render } from './templates';

export function emitAboutHelp(model: Model): Artifact {
  const line = (text: string) => wrap(text, 100, '    ');
  const text = render('module/about_VmmBackup.help.txt.hbs', {
    header: generatedHeader('text'),
    description: line(model.module.description),
    cmdlets: model.cmdlets.map((c) => ({ name: c.name, synopsis: wrap(c.synopsis, 100, '        ') })),
    backup: backupPlan(model).map((p, i) => `    ${String(i + 1).padStart(2)}. ${p.title}${p.runner.kind === 'cmdlet' ? ` (${p.runner.cmdlet})` : ' (checklist: Get-VmmChecklist)'}`).join('\n'),
    restore: RESTORE_SCENARIOS.map((scenario) => ({
      scenario,
      steps: restorePlan(model, scenario)
        .map((p, i) => `    ${String(i + 1).padStart(2)}. ${p.title}${p.runner.kind === 'cmdlet' ? ` (${p.runner.cmdlet})` : ''}`)
        .join('\n'),
    })),
  });
  return windowsText('VmmBackup/en-US/about_VmmBackup.help.txt', text);
}
