import type { Frame, Labels } from '../../data/frame.js';
import { PldError } from '../../errors.js';
import type { EstimatorType } from '../../estimators/types.js';
import { KFold, StratifiedKFold } from './kfold.js';
import { type Fold, isSplitter, type Splitter } from './types.js';

/**
 * Palladium's callable `cv`: called as `cv({ n, X, y })`, it returns a splitter or the folds themselves
 * (a list of `[train, test]` index lists).
 * @example
 * export const lastFold: CvFunction = ({ n }) => [[range(0, n - 10), range(n - 10, n)]];
 */
export type CvFunction = (args: { n: number; X: Frame; y?: Labels }) => Splitter | ArrayLike<readonly [ArrayLike<number>, ArrayLike<number>]>;

/**
 * The folds for `cv` as scikit-learn's `check_cv` picks them: an int (default 5) is `StratifiedKFold`
 * for a classifier, `KFold` otherwise; a splitter is used as is; a function is Palladium's callable cv.
 * @example
 * const folds = foldsFor(3, 'classifier', X, y); // 3 stratified folds
 */
export function foldsFor(cv: unknown, estimatorType: EstimatorType, X: Frame, y?: Labels, groups?: Labels): Fold[] {
  const splitter = _splitterOf(cv ?? 5, estimatorType, X, y);
  const folds = isSplitter(splitter) ? splitter.split(X.nRows, y, groups) : _fromPairs(splitter, X.nRows);
  if (folds.length === 0) throw new PldError('PLD_ERR_EVAL_BAD_SPLIT', 'grid_search.cv: the splitter produced no folds');
  return folds;
}

function _splitterOf(cv: unknown, estimatorType: EstimatorType, X: Frame, y?: Labels): ReturnType<CvFunction> {
  if (typeof cv === 'number') {
    if (!Number.isInteger(cv) || cv < 2) throw new PldError('PLD_ERR_EVAL_BAD_SEARCH', `grid_search.cv must be an int >= 2, a splitter or a function, got ${cv}`);
    return estimatorType === 'classifier' && y !== undefined ? new StratifiedKFold({ n_splits: cv }) : new KFold({ n_splits: cv });
  }
  if (isSplitter(cv)) return cv;
  if (typeof cv === 'function') return (cv as CvFunction)({ n: X.nRows, X, y });
  throw new PldError('PLD_ERR_EVAL_BAD_SEARCH', `grid_search.cv must be an int >= 2, a splitter ({"__factory__": "KFold", ...}) or a function, got ${JSON.stringify(cv)}`);
}

function _fromPairs(pairs: ArrayLike<readonly [ArrayLike<number>, ArrayLike<number>]>, n: number): Fold[] {
  return Array.from(pairs, (pair, i) => {
    const [train, test] = pair;
    const fold = { train: Int32Array.from(train), test: Int32Array.from(test) };
    for (const index of [...fold.train, ...fold.test]) {
      if (!(index >= 0 && index < n)) throw new PldError('PLD_ERR_EVAL_BAD_SPLIT', `grid_search.cv: fold ${i} holds the row index ${index}, outside 0..${n - 1}`);
    }
    return fold;
  });
}
