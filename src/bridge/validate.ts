/** JSON Schema (draft 2020-12) validation of command output, with errors that name the offending field. */
import Ajv2020, { type ErrorObject, type ValidateFunction } from 'ajv/dist/2020';

const DATE_TIME = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:[Zz]|[+-]\d{2}:\d{2})$/;
const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

export interface SchemaProblem {
  /** Path of the field, e.g. `output[2].Cmdlet` (`output` for the list itself). */
  readonly field: string;
  readonly problem: string;
}

function fieldOf(error: ErrorObject, prefix: string): string {
  let field = prefix;
  for (const part of error.instancePath.split('/').slice(1)) {
    const key = part.replace(/~1/g, '/').replace(/~0/g, '~');
    field += /^\d+$/.test(key) ? `[${key}]` : `.${key}`;
  }
  const params = error.params as { missingProperty?: string; additionalProperty?: string };
  if (error.keyword === 'required' && params.missingProperty) return `${field}.${params.missingProperty}`;
  if (error.keyword === 'additionalProperties' && params.additionalProperty) return `${field}.${params.additionalProperty}`;
  return field;
}

function describe(error: ErrorObject): string {
  switch (error.keyword) {
    case 'required':
      return 'is missing';
    case 'additionalProperties':
      return 'is not in the schema';
    case 'enum':
      return `must be one of ${JSON.stringify((error.params as { allowedValues: unknown[] }).allowedValues)}`;
    default:
      return error.message ?? error.keyword;
  }
}

/** Compiles schemas once (keyed by their text) and checks each output object against the item schema. */
export class OutputValidator {
  private readonly ajv = new Ajv2020({ allErrors: false, strict: false, validateFormats: true });
  private readonly compiled = new Map<string, ValidateFunction>();

  constructor() {
    this.ajv.addFormat('date-time', DATE_TIME);
    this.ajv.addFormat('uuid', UUID);
  }

  private compile(schema: object): ValidateFunction {
    const key = JSON.stringify(schema);
    let validate = this.compiled.get(key);
    if (!validate) {
      const copy: Record<string, unknown> = { ...(schema as Record<string, unknown>) };
      delete copy.$id;
      validate = this.ajv.compile(copy);
      this.compiled.set(key, validate);
    }
    return validate;
  }

  /** The first problem of the output list, or undefined when every item matches `itemSchema`. */
  check(output: readonly unknown[], itemSchema: object): SchemaProblem | undefined {
    const validate = this.compile(itemSchema);
    for (let i = 0; i < output.length; i++) {
      if (!validate(output[i])) {
        const error = validate.errors?.[0];
        if (!error) return { field: `output[${i}]`, problem: 'does not match the schema' };
        return { field: fieldOf(error, `output[${i}]`), problem: describe(error) };
      }
    }
    return undefined;
  }
}
