/**
 * The one model root: module identity, procedures, prose-only sections, cmdlets, DSC resources, VMM states and
 * layouts, the published cmdlet references and the library store, validated as a whole by loadModel(). Every
 * emitter and the CLI take what they need from this object.
 */
import { cmdlets } from './cmdlets';
import { dscModel } from './dsc';
import * as libraryStore from './library-store';
import { moduleInfo } from './module';
import { procedures, proseOnlySections } from './procedures';
import type { Model } from './types';
import { validateModel } from './validate';
import { vmm } from './vmm';
import { SCHEDULED_TASKS_REFERENCE_PATH, VMM_REFERENCE_PATH, readVmmReference } from './vmm-reference';

export const model: Model = {
  module: moduleInfo,
  procedures,
  proseOnly: proseOnlySections,
  cmdlets,
  dsc: dscModel,
  vmm,
  reference: { vmm: readVmmReference(VMM_REFERENCE_PATH), scheduledTasks: readVmmReference(SCHEDULED_TASKS_REFERENCE_PATH) },
  libraryStore,
};

/** The model, checked: throws with every problem listed when it is inconsistent. */
export function loadModel(): Model {
  const problems = validateModel(model);
  if (problems.length > 0) throw new Error(`The model is inconsistent:\n- ${problems.join('\n- ')}`);
  return model;
}

export type * from './types';
