import type { Params } from '../estimators/types.js';

/** A model version: a positive integer, parsed once at the boundary (CLI argument, HTTP field, file name). */
export type Version = number & { readonly __brand: 'Version' };

/** Data fingerprint stored with each version: what the model was trained on. */
export interface DataFingerprint {
  readonly rows: number;
  readonly columns: readonly string[];
  /** sha256 (hex) over the column names and values. */
  readonly hash: string;
}

/**
 * Metadata of one stored version, as `/list`, `/alive` and `pld list` show it. Palladium's keys
 * (`version`, `train_timestamp`, `score_train`, `score_test`) plus our own; extra keys are kept.
 */
export interface ModelMetadata {
  version: number;
  /** ISO 8601 UTC time the fit finished. */
  train_timestamp?: string;
  score_train?: number;
  score_test?: number;
  /** Named scores when `scoring` lists several. */
  scores?: Record<string, number>;
  params?: Params;
  data?: DataFingerprint;
  /** Fit time in seconds. */
  fit_duration?: number;
  package_version?: string;
  /** Registry name of the estimator. */
  factory?: string;
  /** sha256 (hex) of the stored artifact bytes; checked on every read. */
  checksum?: string;
  /** Stored artifact size in bytes. */
  size?: number;
  cv_results?: unknown;
  [key: string]: unknown;
}

/**
 * A model as the store keeps it: never code, only data. `factory` is the registry name, `params` the
 * hyper-parameters, `state` the fitted values (JSON plus typed arrays), `blobs` binary side files (ONNX).
 */
export interface ModelArtifact {
  readonly format: typeof ARTIFACT_FORMAT;
  readonly factory: string;
  readonly params: Params;
  readonly state: unknown;
  readonly metadata: ModelMetadata;
  readonly blobs?: Readonly<Record<string, Uint8Array>>;
}

/** The artifact format tag; bumped only with an upgrade step. */
export const ARTIFACT_FORMAT = 'palladium-ts/model@1';

/** Store-wide properties: Palladium's `active-model` and `db-version`, values are strings. */
export type Properties = Record<string, string>;

/** One activation, for audit and `pld admin rollback`. */
export interface ActivationRecord {
  readonly version: number;
  readonly previous: number | null;
  /** ISO 8601 UTC. */
  readonly at: string;
  /** Who activated it, e.g. `alice@build-host` (absent in records written before this field existed). */
  readonly by?: string;
  /** Where from: the CLI, the HTTP API or the package API. */
  readonly via?: ActivationVia;
}

/** Where an activation came from. */
export type ActivationVia = 'cli' | 'http' | 'api';

/**
 * Who and where from, recorded in the activation history; the optional second argument of `activate`.
 * @example
 * await persister.activate(version, { by: 'alice@host', via: 'cli' });
 */
export interface ActivationInfo {
  readonly by?: string;
  readonly via?: ActivationVia;
}

/**
 * A versioned model store. `write` stores a new version and never activates it; exactly one version
 * is active at a time (`active-model`). Unknown versions are `PLD_ERR_PERSIST_VERSION_NOT_FOUND`,
 * reading with nothing active is `PLD_ERR_PERSIST_NO_ACTIVE_MODEL`. Writes are atomic and concurrent
 * writers get distinct versions.
 * @example
 * const version = await persister.write(artifact);
 * await persister.activate(version);
 * const active = await persister.read();
 */
export interface ModelPersister {
  /** The artifact of `version`, or of the active version when omitted. */
  read(version?: Version): Promise<ModelArtifact>;
  /** Stores a new, inactive version and returns its number; `artifact.metadata.version` is ignored and set. */
  write(artifact: Omit<ModelArtifact, 'metadata'> & { metadata: Omit<ModelMetadata, 'version'> & { version?: number } }): Promise<Version>;
  /** Makes `version` the active one; `info` (who, where from) goes into the activation history. */
  activate(version: Version, info?: ActivationInfo): Promise<void>;
  /** Deletes a stored version; the active one only with `force` (which also clears `active-model`). */
  delete(version: Version, options?: DeleteOptions): Promise<void>;
  /** Metadata of every version, sorted by version. */
  listModels(): Promise<ModelMetadata[]>;
  listProperties(): Promise<Properties>;
  /** Runs the named upgrade steps between store formats. */
  upgrade(from?: string, to?: string): Promise<string[]>;
  /** Activation history, oldest first (optional capability). */
  history?(): Promise<ActivationRecord[]>;
  /**
   * Sets a store-wide property, or removes it when `value` is `undefined` (optional capability; the
   * versioned core has it). For properties of one's own, such as `traffic-policy`: never
   * `active-model`, `db-version` or `last-version`, which `activate` and `write` keep.
   */
  setProperty?(name: string, value: string | undefined): Promise<void>;
  /** The active version without reading the artifact (optional; servers poll it). */
  activeVersion?(): Promise<Version | null>;
  /** Releases connections and timers. */
  close?(): Promise<void>;
}

/**
 * Options of {@link ModelPersister.delete}.
 * @example
 * await persister.delete(3 as Version, { force: true });
 */
export interface DeleteOptions {
  /** Delete even the active version, leaving no active model (`pld admin delete --force`). */
  readonly force?: boolean;
}

/** Type guard for anything shaped like a {@link ModelPersister}. */
export function isModelPersister(value: unknown): value is ModelPersister {
  const candidate = value as ModelPersister | null;
  return (
    typeof candidate === 'object' &&
    candidate !== null &&
    typeof candidate.read === 'function' &&
    typeof candidate.write === 'function' &&
    typeof candidate.activate === 'function' &&
    typeof candidate.listModels === 'function'
  );
}
