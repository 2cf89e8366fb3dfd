/**
 * Specification sections that describe no procedure of their own, each with the reason. Every `##`/`###`
 * section of the current specification holds at least one procedure, so the list is empty; a section added
 * to the specification must appear either in a procedure or here (test/model/coverage.test.ts).
 */
import type { ProseOnlySection } from '../types';

export const proseOnlySections: readonly ProseOnlySection[] = [];
