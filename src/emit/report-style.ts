/**
 * `VmmBackup/Private/Get-VmmReportStyle.ps1`: the runbook's style sheet as a PowerShell string, so the HTML
 * reports the module writes at run time (the restore drill's) look like the runbook.
 */
import { Artifact, windowsText } from './artifact';
import { generatedHeader } from './header';
import { psString } from './powershell';
import { readTemplate, render } from './templates';

export function emitReportStyle(): Artifact {
  const text = render('module/report-style.ps1.hbs', { header: generatedHeader('powershell'), style: psString(readTemplate('runbook/style.css')) });
  return windowsText('VmmBackup/Private/Get-VmmReportStyle.ps1', text);
}
