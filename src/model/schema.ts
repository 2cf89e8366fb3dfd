/**
 * A small builder for the JSON Schemas (draft 2020-12) of cmdlet outputs and DSC properties. The same schema
 * feeds the generated PowerShell (PSTypeName + property order), the TypeScript bindings, the bridge's
 * validation and the DSC v3 manifests, so it is written once, here.
 */
export interface JsonSchema {
  type?: JsonType | JsonType[];
  description?: string;
  format?: 'date-time' | 'uuid';
  enum?: readonly (string | number | boolean | null)[];
  items?: JsonSchema;
  properties?: Record<string, JsonSchema>;
  required?: readonly string[];
  additionalProperties?: boolean | JsonSchema;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  pattern?: string;
  title?: string;
  $schema?: string;
  $id?: string;
  writeOnly?: boolean;
  readOnly?: boolean;
}
export type JsonType = 'string' | 'integer' | 'number' | 'boolean' | 'array' | 'object' | 'null';

export const s = {
  string: (description: string): JsonSchema => ({ type: 'string', description }),
  dateTime: (description: string): JsonSchema => ({ type: 'string', format: 'date-time', description }),
  uuid: (description: string): JsonSchema => ({ type: 'string', format: 'uuid', description }),
  integer: (description: string, minimum?: number): JsonSchema =>
    minimum === undefined ? { type: 'integer', description } : { type: 'integer', minimum, description },
  number: (description: string): JsonSchema => ({ type: 'number', description }),
  boolean: (description: string): JsonSchema => ({ type: 'boolean', description }),
  enum: (values: readonly string[], description: string): JsonSchema => ({ type: 'string', enum: values, description }),
  array: (items: JsonSchema, description: string): JsonSchema => ({ type: 'array', items, description }),
  /** A closed object: every listed property is required (null where the value is unknown). */
  object: (properties: Record<string, JsonSchema>, description?: string): JsonSchema => ({
    type: 'object',
    ...(description ? { description } : {}),
    properties,
    required: Object.keys(properties),
    additionalProperties: false,
  }),
  /** The same schema, also allowing null. */
  nullable: (schema: JsonSchema): JsonSchema => {
    const types = schema.type === undefined ? [] : Array.isArray(schema.type) ? schema.type : [schema.type];
    const nullableEnum = schema.enum ? { enum: [...schema.enum, null] } : {};
    return { ...schema, ...nullableEnum, type: [...types.filter((t) => t !== 'null'), 'null'] };
  },
};
