/**
 * The one type table: every type the model uses (cmdlet parameters, DSC properties) with its forms in each
 * output: the PowerShell parameter type, the TypeScript type of the bindings, the DSC class declaration and
 * its MOF type, the JSON Schema of a value, and the kind of a typed default value. Emitters read types only
 * from here.
 */

/** Types of the model, as PowerShell spells them in a param block. */
export type ModelType =
  | 'string'
  | 'string[]'
  | 'int'
  | 'long'
  | 'switch'
  | 'bool'
  | 'datetime'
  | 'timespan'
  | 'guid'
  | 'pscredential'
  | 'securestring'
  | 'hashtable'
  | 'object'
  | 'object[]'
  /** PowerShell remoting sessions (New-PSSession); they cannot cross the bridge, which passes -ComputerName instead. */
  | 'pssession[]';

/** Types a DSC property may have: value types are declared nullable so they can be left unmanaged. */
export type DscModelType = 'string' | 'string[]' | 'int' | 'bool' | 'datetime' | 'pscredential';

/**
 * What a default value of the type is in the model, and how it reaches PowerShell: `string` a string
 * (single-quoted), `string[]` an array of strings, `integer` a whole number, `boolean` true or false
 * (`$true`/`$false`), `datetime` a time of day or date text (cast: `[datetime]'01:00'`). `none`: the type has
 * no default.
 */
export type DefaultKind = 'string' | 'string[]' | 'integer' | 'boolean' | 'datetime' | 'none';

/** A typed default value of a parameter. */
export type DefaultValue = string | number | boolean | readonly string[];

export interface DscForms {
  /** The type in the class declaration (`[Nullable[int]]`). */
  readonly ps: string;
  /** The MOF type PowerShell DSC compiles the property to. */
  readonly mof: string;
  /** Cmdlet parameter types a property of this type may be passed to by Set(). */
  readonly passesTo: readonly ModelType[];
  /** How Set() converts the desired value (`%s`) for the cmdlet parameter (a switch parameter takes `[switch][bool]`). */
  readonly setCast: string;
}

export interface TypeForms {
  /** The type in an emitted param block. */
  readonly ps: string;
  /** The type in the TypeScript bindings. */
  readonly ts: string;
  /** JSON Schema of one value (without nullability). */
  readonly json: Readonly<Record<string, unknown>>;
  readonly default: DefaultKind;
  /** Present on the types a DSC property may have. */
  readonly dsc?: DscForms;
}

export const TYPE_TABLE: Readonly<Record<ModelType, TypeForms>> = {
  string: { ps: 'string', ts: 'string', json: { type: 'string' }, default: 'string', dsc: { ps: '[string]', mof: 'String', passesTo: ['string'], setCast: '%s' } },
  'string[]': {
    ps: 'string[]',
    ts: 'string[]',
    json: { type: 'array', items: { type: 'string' } },
    default: 'string[]',
    dsc: { ps: '[string[]]', mof: 'String[]', passesTo: ['string[]'], setCast: '[string[]]@(%s)' },
  },
  int: { ps: 'int', ts: 'number', json: { type: 'integer' }, default: 'integer', dsc: { ps: '[Nullable[int]]', mof: 'SInt32', passesTo: ['int', 'long'], setCast: '[int]%s' } },
  long: { ps: 'long', ts: 'number', json: { type: 'integer' }, default: 'integer' },
  switch: { ps: 'switch', ts: 'boolean', json: { type: 'boolean' }, default: 'boolean' },
  bool: { ps: 'bool', ts: 'boolean', json: { type: 'boolean' }, default: 'boolean', dsc: { ps: '[Nullable[bool]]', mof: 'Boolean', passesTo: ['switch', 'bool'], setCast: '[bool]%s' } },
  datetime: {
    ps: 'datetime',
    ts: 'string | Date',
    json: { type: 'string', format: 'date-time' },
    default: 'datetime',
    dsc: { ps: '[Nullable[datetime]]', mof: 'DateTime', passesTo: ['datetime'], setCast: '%s' },
  },
  timespan: { ps: 'timespan', ts: 'string', json: { type: 'string' }, default: 'none' },
  guid: { ps: 'guid', ts: 'string', json: { type: 'string', format: 'uuid' }, default: 'none' },
  pscredential: {
    ps: 'System.Management.Automation.PSCredential',
    ts: 'CredentialInput',
    // What the DSC v3 PowerShell adapter turns into a PSCredential: { username, password } (or a secureObject).
    json: { type: 'object', writeOnly: true, properties: { username: { type: 'string' }, password: { type: 'string' }, secureObject: { type: 'object' } } },
    default: 'none',
    dsc: { ps: '[PSCredential]', mof: 'MSFT_Credential', passesTo: ['pscredential'], setCast: '[PSCredential]%s' },
  },
  securestring: { ps: 'System.Security.SecureString', ts: 'string', json: { type: 'string', writeOnly: true }, default: 'none' },
  hashtable: { ps: 'hashtable', ts: 'Record<string, unknown>', json: { type: 'object' }, default: 'none' },
  object: { ps: 'object', ts: 'unknown', json: {}, default: 'none' },
  'object[]': { ps: 'object[]', ts: 'unknown[]', json: { type: 'array' }, default: 'none' },
  'pssession[]': { ps: 'System.Management.Automation.Runspaces.PSSession[]', ts: 'never', json: { not: {} }, default: 'none' },
};

/** The forms of a DSC property type (every DscModelType has them). */
export function dscForms(type: DscModelType): DscForms {
  const forms = TYPE_TABLE[type].dsc;
  if (!forms) throw new Error(`type ${type} has no DSC form`);
  return forms;
}

/** Problems with a typed value of the type (a parameter default, a DSC example value), as sentences; empty when it fits. */
export function valueProblems(type: ModelType, value: DefaultValue): string[] {
  const kind = TYPE_TABLE[type].default;
  const fits = (() => {
    switch (kind) {
      case 'string':
        return typeof value === 'string';
      case 'string[]':
        return Array.isArray(value) && value.every((v) => typeof v === 'string');
      case 'integer':
        return typeof value === 'number' && Number.isSafeInteger(value);
      case 'boolean':
        return typeof value === 'boolean';
      case 'datetime':
        return typeof value === 'string' && !Number.isNaN(Date.parse(/^\d{1,2}:\d{2}(:\d{2})?$/.test(value) ? `2000-01-01T${value.padStart(5, '0')}` : value));
      case 'none':
        return false;
    }
  })();
  if (fits) return [];
  return [kind === 'none' ? `a ${type} parameter takes no default` : `the default ${JSON.stringify(value)} does not fit type ${type}`];
}
