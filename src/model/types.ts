/**
 * The model: every procedure of Microsoft's "Back up and restore VMM", and the cmdlets that automate them.
 * Emitters read only these types; nothing downstream knows the specification except through them.
 */
import type { JsonSchema } from './schema';
import type { DscModel } from './dsc/types';
import type { DefaultValue, ModelType } from './type-table';
import type { VmmModel } from './vmm';
import type { VmmReference } from './vmm-reference';

// ---------------------------------------------------------------- procedures

export type ProcedureKind = 'backup' | 'restore' | 'post-restore' | 'check';

/** The situations the restore path distinguishes (see the specification's "Restore the VMM environment"). */
export type RestoreScenario = 'same-computer' | 'different-computer' | 'database-only';
export const RESTORE_SCENARIOS: readonly RestoreScenario[] = ['same-computer', 'different-computer', 'database-only'];

/** How often a procedure should run. `maxAgeHours` is what freshness checks (and DSC) enforce. */
export interface Cadence {
  readonly every: 'hour' | 'day' | 'week' | 'month' | 'change' | 'restore';
  readonly maxAgeHours?: number;
  readonly note: string;
}

/** Something outside the module a procedure relies on. */
export interface Reliance {
  readonly kind: 'vmm-cmdlet' | 'vmm-executable' | 'vmm-console' | 'windows' | 'sql-server' | 'active-directory' | 'third-party';
  readonly name: string;
}

export type Runner =
  /** Automated: a cmdlet of the module does it. */
  | {
      readonly kind: 'cmdlet';
      readonly cmdlet: string;
      /**
       * Cmdlets of the module the operator runs first, in order, whose output the runner takes (for example
       * Compare-VmmInventory, piped to Sync-VmmInventory). The runbook names them with the runner.
       */
      readonly before?: readonly string[];
    }
  /**
   * Not automatable: exact instructions for the operator, in order. `check`, when present, names the
   * cmdlet that verifies (or gathers what the operator needs for) the item.
   */
  | { readonly kind: 'checklist'; readonly instructions: readonly string[]; readonly check?: string };

export interface Procedure {
  /** Stable id, `<kind>.<name>`; never reused for something else. */
  readonly id: string;
  readonly title: string;
  /** The heading of the specification section it comes from, exactly as written there. */
  readonly section: string;
  readonly kind: ProcedureKind;
  readonly summary: string;
  readonly runner: Runner;
  readonly relies: readonly Reliance[];
  /** Procedures that must be complete before this one (ordering constraints). */
  readonly after: readonly string[];
  readonly cadence?: Cadence;
  /** Restore and post-restore procedures: the scenarios in which they apply. */
  readonly scenarios?: readonly RestoreScenario[];
  /** Applies only when this condition holds; said to the operator as is. */
  readonly condition?: string;
  /** A warning the specification attaches to the procedure. */
  readonly warning?: string;
}

/** A specification section that holds no procedure, with the reason. */
export interface ProseOnlySection {
  readonly section: string;
  readonly reason: string;
}

// ---------------------------------------------------------------- cmdlets

/** Parameter types, as PowerShell spells them in the emitted param block (their forms: src/model/type-table.ts). */
export type PsType = ModelType;

export interface ParameterValidation {
  readonly notNullOrEmpty?: boolean;
  readonly set?: readonly string[];
  readonly range?: readonly [number, number];
  readonly pattern?: string;
  readonly count?: readonly [number, number];
}

export interface Parameter {
  readonly name: string;
  readonly type: PsType;
  /** Help text for `.PARAMETER`. */
  readonly help: string;
  readonly mandatory?: boolean;
  readonly position?: number;
  readonly pipeline?: 'value' | 'property-name' | 'both';
  /** Parameter sets this parameter belongs to; all sets when absent. */
  readonly sets?: readonly string[];
  readonly validate?: ParameterValidation;
  /**
   * Default value, typed (a string, a number, true/false, an array of strings; a datetime as its text): the
   * emitters render it through the type table, never as text the model wrote.
   */
  readonly default?: DefaultValue;
  readonly aliases?: readonly string[];
}

export interface Example {
  readonly code: string;
  readonly remarks: string;
}

export interface OutputType {
  /** The PSTypeName of the objects the cmdlet writes, e.g. `VmmBackup.DatabaseBackup`. */
  readonly typeName: string;
  readonly description: string;
  /** JSON Schema of one output object (always an object schema). */
  readonly schema: JsonSchema;
}

/** PowerShell's ErrorCategory names (System.Management.Automation.ErrorCategory). */
export const ERROR_CATEGORIES = [
  'NotSpecified', 'OpenError', 'CloseError', 'DeviceError', 'DeadlockDetected', 'InvalidArgument', 'InvalidData', 'InvalidOperation',
  'InvalidResult', 'InvalidType', 'MetadataError', 'NotImplemented', 'NotInstalled', 'ObjectNotFound', 'OperationStopped', 'OperationTimeout',
  'SyntaxError', 'ParserError', 'PermissionDenied', 'ResourceBusy', 'ResourceExists', 'ResourceUnavailable', 'ReadError', 'WriteError',
  'FromStdErr', 'SecurityError', 'ProtocolError', 'ConnectionError', 'AuthenticationError', 'LimitsExceeded', 'QuotaExceeded', 'NotEnabled',
] as const;
export type ErrorCategory = (typeof ERROR_CATEGORIES)[number];

/** The prefix of every error id the module throws (Stop-VmmCommand adds it): users see `VmmBackup.<id>`. */
export const ERROR_ID_PREFIX = 'VmmBackup.';

/**
 * An error a cmdlet's body stops with (Stop-VmmCommand -ErrorId <id> -Category <category>), or writes and goes
 * on (`nonTerminating`, Stop-VmmCommand -NonTerminating). The same id may be listed with several categories when
 * the body meets the mistake in several ways.
 */
export interface CmdletError {
  /** The short id, without the `VmmBackup.` prefix: `RootPath` is thrown as `VmmBackup.RootPath`. */
  readonly id: string;
  readonly category: ErrorCategory;
  /** Written (the caller's -ErrorAction decides) rather than thrown. */
  readonly nonTerminating?: true;
}

export interface Cmdlet {
  /** Verb-Noun, with an approved verb. */
  readonly name: string;
  readonly synopsis: string;
  /** Paragraphs of `.DESCRIPTION`. */
  readonly description: readonly string[];
  readonly parameters: readonly Parameter[];
  readonly defaultParameterSet?: string;
  readonly examples: readonly Example[];
  /** Present on every cmdlet that changes anything: emits SupportsShouldProcess with this impact. */
  readonly shouldProcess?: { readonly impact: 'Low' | 'Medium' | 'High' };
  readonly output: OutputType;
  /**
   * `implemented`: the body is templates/cmdlets/<Name>.ps1. `planned`: the emitted cmdlet throws a clear
   * not-implemented error (error id VmmBackup.NotImplemented) and never pretends to succeed.
   */
  readonly status: 'implemented' | 'planned';
  /** VMM cmdlets it calls; each must exist in the published reference with the parameters used. */
  readonly vmmCmdlets: readonly string[];
  readonly notes?: readonly string[];
  /**
   * Every error the body stops with or writes, exactly (a Pester check parses the body and compares). Help lists
   * them and the TypeScript bindings type them.
   */
  readonly errors: readonly CmdletError[];
  /**
   * Reports progress with Write-Progress (long work) under this activity id, unique in the module so that a
   * cmdlet run by another (Invoke-VmmBackup) never overwrites its caller's bar. The generator sets `$progressId`
   * in the cmdlet; a body may use `$progressId + 1` for a nested bar, so ids are at least 2 apart.
   */
  readonly progressId?: number;
}

export interface ModuleInfo {
  readonly name: string;
  readonly version: string;
  readonly guid: string;
  readonly author: string;
  readonly companyName: string;
  readonly copyright: string;
  readonly description: string;
  readonly tags: readonly string[];
  readonly projectUri: string;
  readonly licenseUri: string;
  readonly releaseNotes: string;
}

/** The published signatures of the cmdlets outside the module that it calls. */
export interface References {
  /** The VMM cmdlets (VirtualMachineManager). */
  readonly vmm: VmmReference;
  /** The Windows ScheduledTasks cmdlets the schedule cmdlets call. */
  readonly scheduledTasks: VmmReference;
}

/** The one model root: loadModel() (src/model/index.ts) returns it validated as a whole. */
export interface Model {
  readonly module: ModuleInfo;
  readonly procedures: readonly Procedure[];
  readonly proseOnly: readonly ProseOnlySection[];
  readonly cmdlets: readonly Cmdlet[];
  /** The DSC resources (src/model/dsc). */
  readonly dsc: DscModel;
  /** VMM object states and layouts (src/model/vmm.ts). */
  readonly vmm: VmmModel;
  readonly reference: References;
  /** The library store's layout and schemas (src/model/library-store.ts). */
  readonly libraryStore: typeof import('./library-store');
}
