/**
 * `npm run generate`: every artifact, from the model, in one place. Emitters are pure; this module lists
 * them, and generate() writes the result under generated/ touching only changed files.
 */
import * as path from 'node:path';
import { loadModel } from '../model';
import type { Model } from '../model/types';
import { emitAboutHelp } from './about-help';
import { emitBindings } from './bindings';
import { emitCmdletContracts } from './cmdlet-contracts';
import { dscResourceNames, emitDscArtifacts, emitDscClasses } from './dsc-resources';
import type { Artifact } from './artifact';
import { emitLibraryStore } from './library-store';
import { emitManifest } from './manifest';
import { emitOutputSchemas } from './output-schema';
import { emitPrivateFunctions } from './private-function';
import { emitProcedureData } from './procedure-data';
import { emitReportStyle } from './report-style';
import { emitPublicFunction } from './public-function';
import { emitRootModule } from './root-module';
import { emitRunbook } from './runbook';
import { emitVmmLayouts } from './vmm-layouts';
import { SCHEDULED_TASKS_STUB_OPTIONS, emitStubModule, emitVmmStubs } from './vmm-stubs';
import { WriteReport, writeArtifacts } from './write';

export const GENERATED_DIR = path.resolve(__dirname, '../../generated');

/** Folders under generated/ that generate() owns entirely (stale files in them are removed). */
export const OWNED_DIRS = ['VmmBackup', 'schemas', 'stubs', 'runbook', 'typescript', 'contracts'];

export function emitAll(model: Model): Artifact[] {
  const libraryStore = emitLibraryStore();
  const privateFunctions = [...emitPrivateFunctions(), emitProcedureData(model), ...emitVmmLayouts(model), emitReportStyle(), ...libraryStore.filter((a) => a.path.startsWith('VmmBackup/Private/'))];
  const privateFiles = privateFunctions.map((a) => a.path.replace(/^VmmBackup\/Private\//, ''));
  const dscResources = dscResourceNames(model.dsc);
  const dscClasses = emitDscClasses(model);
  return [
    emitManifest(model, dscResources),
    emitRootModule(model, privateFiles, dscClasses),
    ...privateFunctions,
    ...model.cmdlets.map((c) => emitPublicFunction(c, model.module.version)),
    emitAboutHelp(model),
    ...emitOutputSchemas(model),
    emitCmdletContracts(model),
    ...libraryStore.filter((a) => !a.path.startsWith('VmmBackup/Private/')),
    ...emitBindings(model),
    ...emitVmmStubs(model.reference.vmm),
    ...emitStubModule(model.reference.scheduledTasks, SCHEDULED_TASKS_STUB_OPTIONS),
    ...emitDscArtifacts(model),
  ].sort(byPath);
}

/** Everything, including the artifacts whose rendering is asynchronous (the runbook's diagram). */
export async function emitEverything(model: Model): Promise<Artifact[]> {
  return [...emitAll(model), ...(await emitRunbook(model))].sort(byPath);
}

export async function generate(outDir: string = GENERATED_DIR): Promise<WriteReport & { files: number }> {
  const artifacts = await emitEverything(loadModel());
  return { ...writeArtifacts(outDir, artifacts, OWNED_DIRS), files: artifacts.length };
}

function byPath(a: Artifact, b: Artifact): number {
  return a.path < b.path ? -1 : a.path > b.path ? 1 : 0;
}
