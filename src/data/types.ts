import type { Frame, Labels } from './frame.js';

/** What a dataset loader returns: the features and, when the data has a target column, the targets. */
export interface Dataset {
  readonly X: Frame;
  readonly y?: Labels;
}

/**
 * Loads a data set. Implementations validate their options when created (a missing file is reported
 * with the config key before any work starts) and read the data only in `load()`.
 * @example
 * const { X, y } = await loader.load();
 */
export interface DatasetLoader {
  load(): Promise<Dataset>;
  /** Facts for `/alive` and logs (rows, last refresh...); optional. */
  describe?(): Record<string, unknown>;
}

/** Type guard for anything shaped like a {@link DatasetLoader}. */
export function isDatasetLoader(value: unknown): value is DatasetLoader {
  return typeof value === 'object' && value !== null && typeof (value as DatasetLoader).load === 'function';
}
