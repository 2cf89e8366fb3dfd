/**
 * `contracts/cmdlets.json`: what the model says of each cmdlet's body, for the Pester check that parses every
 * templates/cmdlets/<Verb-Noun>.ps1 (Pester/Module/CmdletUnits.Tests.ps1): its parameters, the progress id the
 * generator sets as `$progressId`, and the error ids (without the `VmmBackup.` prefix) and categories it stops with.
 */
import type { Cmdlet, Model } from '../model/types';
import { Artifact, plainText } from './artifact';

export interface CmdletContract {
  readonly name: string;
  readonly status: Cmdlet['status'];
  readonly parameters: readonly string[];
  readonly progressId: number | null;
  readonly errors: readonly { readonly id: string; readonly category: string; readonly nonTerminating: boolean }[];
}

export function cmdletContract(cmdlet: Cmdlet): CmdletContract {
  return {
    name: cmdlet.name,
    status: cmdlet.status,
    parameters: cmdlet.parameters.map((p) => p.name),
    progressId: cmdlet.progressId ?? null,
    errors: cmdlet.errors.map((e) => ({ id: e.id, category: e.category, nonTerminating: e.nonTerminating === true })),
  };
}

export function emitCmdletContracts(model: Model): Artifact {
  const cmdlets = [...model.cmdlets].sort((a, b) => (a.name < b.name ? -1 : 1)).map(cmdletContract);
  return plainText('contracts/cmdlets.json', JSON.stringify({ description: 'Generated from the vmm-backup model (src/model/cmdlets); do not edit.', cmdlets }, null, 2));
}
