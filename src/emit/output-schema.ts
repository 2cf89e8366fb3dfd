/**
 * JSON Schemas of every cmdlet's output, `schemas/<Verb-Noun>.output.schema.json`: the contract the Node
 * bridge validates results against, and what the TypeScript bindings are typed from.
 */
import type { Cmdlet, Model } from '../model/types';
import { Artifact, plainText } from './artifact';

export function outputSchema(cmdlet: Cmdlet): object {
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: `https://vmm-backup/schemas/${cmdlet.name}.output.schema.json`,
    title: cmdlet.output.typeName,
    description: `${cmdlet.output.description} (Generated from the vmm-backup model; do not edit.)`,
    ...cmdlet.output.schema,
  };
}

export function emitOutputSchemas(model: Model): Artifact[] {
  return model.cmdlets.map((c) => plainText(`schemas/${c.name}.output.schema.json`, JSON.stringify(outputSchema(c), null, 2)));
}
