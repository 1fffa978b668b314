import type { Labels } from '../../data/frame.js';

/**
 * One cross-validation split: row indices to fit on and to score on.
 * @example
 * const { train, test } = new KFold({ n_splits: 3 }).split(9)[0]; // test [0, 1, 2]
 */
export interface Fold {
  readonly train: Int32Array;
  readonly test: Int32Array;
}

/**
 * A cross-validation splitter (scikit-learn's `split(X, y, groups)` over row counts): every split is
 * computed up front from the row count, the targets and the groups, so the same config always yields
 * the same folds, whoever runs them.
 * @example
 * for (const { train, test } of splitter.split(X.nRows, y)) ...
 */
export interface Splitter {
  readonly name: string;
  getNSplits(): number;
  split(nSamples: number, y?: Labels, groups?: Labels): Fold[];
}

/**
 * True for a {@link Splitter}.
 * @example
 * isSplitter(new KFold({})); // true
 */
export function isSplitter(value: unknown): value is Splitter {
  return typeof value === 'object' && value !== null && typeof (value as Splitter).split === 'function' && typeof (value as Splitter).getNSplits === 'function';
}
