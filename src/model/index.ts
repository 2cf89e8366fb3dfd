/** The model: module identity, procedures, prose-only sections and cmdlets, validated as a whole. */
import { cmdlets } from './cmdlets';
import { moduleInfo } from './module';
import { procedures, proseOnlySections } from './procedures';
import type { Model } from './types';
import { validateModel } from './validate';

export const model: Model = { module: moduleInfo, procedures, proseOnly: proseOnlySections, cmdlets };

/** The model, checked: throws with every problem listed when it is inconsistent. */
export function loadModel(): Model {
  const problems = validateModel(model);
  if (problems.length > 0) throw new Error(`The model is inconsistent:\n- ${problems.join('\n- ')}`);
  return model;
}

export type * from './types';
