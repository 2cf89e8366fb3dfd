/**
 * The DSC resources of the module, as data: one record per class-based resource, with its properties (key,
 * mandatory, optional, read-only), their types and descriptions, the backup procedure the resource enforces
 * and the cmdlet its Set() runs. The emitters turn each record into a PowerShell class (root module), a DSC
 * v3 adapted resource manifest with an embedded JSON schema, and the example configurations.
 */

import type { DscModelType } from '../type-table';

/** Property types, as the class declares them: value types are nullable so they can be left unmanaged (forms: src/model/type-table.ts). */
export type DscPropertyType = DscModelType;

/**
 * `key`: identifies the instance ([DscProperty(Key)]). `mandatory`: must be given ([DscProperty(Mandatory)]).
 * `optional`: may be given; left unmanaged when absent ([DscProperty()]). `read`: reported by Get() only
 * ([DscProperty(NotConfigurable)]).
 */
export type DscPropertyRole = 'key' | 'mandatory' | 'optional' | 'read';

export interface DscPropertyModel {
  readonly name: string;
  readonly type: DscPropertyType;
  readonly role: DscPropertyRole;
  readonly description: string;
  /** Allowed values (string properties). */
  readonly set?: readonly string[];
  /** Inclusive range (int properties). */
  readonly range?: readonly [number, number];
  /** The parameter of the resource's cmdlet that Set() passes this property to, when it passes it. */
  readonly parameter?: string;
}

/**
 * What a static Export() of the resource returns (the manifest then declares the `export` capability):
 * `libraryShares`: one instance per library share VMM lists; `given`: the actual state of the instance the
 * filter names (its key is required).
 */
export type DscExportKind = 'libraryShares' | 'given';

/** A value in an example instance (the example configurations are emitted from these). */
export type DscExampleValue = string | number | boolean | readonly string[];

export interface DscResourceModel {
  /** Class name; the DSC v3 type is `<Module>/<ClassName>`. */
  readonly className: string;
  /** One sentence: what state the resource enforces. */
  readonly description: string;
  /** Id of the backup procedure (src/model/procedures) the resource enforces. */
  readonly procedure: string;
  /** The public cmdlet Set() runs to bring the state about. */
  readonly cmdlet: string;
  readonly properties: readonly DscPropertyModel[];
  /** Resources whose state this one also checks (the plan resource checks the item resources). */
  readonly covers?: readonly string[];
  /** Backup plan items (procedure ids) this resource checks beside those of the covered resources. */
  readonly checks?: readonly string[];
  /** What its static Export() returns; no Export() when absent. */
  readonly export?: DscExportKind;
  /** A typical instance, for the example configurations (instance name and properties). */
  readonly example: { readonly name: string; readonly properties: Readonly<Record<string, DscExampleValue>> };
}

export interface DscModel {
  /** The class of the entries of every resource's `Reasons` property (module-prefixed, Code and Phrase only). */
  readonly reasonClass: string;
  /** The abstract base class holding Get/Test/Set (DscResource.Base pattern). */
  readonly baseClass: string;
  readonly resources: readonly DscResourceModel[];
}
