import type { Labels } from '../data/frame.js';
import { PldError } from '../errors.js';

/**
 * Share of predictions equal to the truth (scikit-learn's `accuracy_score`); every classifier's
 * default `score`. The one implementation: evaluation's `accuracy` scorer uses it too.
 * @example
 * accuracy(['a', 'b'], ['a', 'a']); // 0.5
 */
export function accuracy(yTrue: Labels, yPred: Labels): number {
  _sameLength(yTrue, yPred);
  let hits = 0;
  for (let i = 0; i < yTrue.length; i++) if (yTrue[i] === yPred[i]) hits++;
  return yTrue.length === 0 ? Number.NaN : hits / yTrue.length;
}

/**
 * Coefficient of determination (scikit-learn's `r2_score`): 1 is perfect, 0 predicts the mean; a
 * constant target scores 1 when matched exactly and 0 otherwise. Every regressor's default `score`.
 * @example
 * r2(Float64Array.of(1, 2, 3), Float64Array.of(1, 2, 3)); // 1
 */
export function r2(yTrue: Labels, yPred: Labels): number {
  _sameLength(yTrue, yPred);
  const n = yTrue.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += Number(yTrue[i]);
  mean /= n;
  let residual = 0;
  let total = 0;
  for (let i = 0; i < n; i++) {
    residual += (Number(yTrue[i]) - Number(yPred[i])) ** 2;
    total += (Number(yTrue[i]) - mean) ** 2;
  }
  if (total === 0) return residual === 0 ? 1 : 0;
  return 1 - residual / total;
}

function _sameLength(yTrue: Labels, yPred: Labels): void {
  if (yTrue.length !== yPred.length) throw new PldError('PLD_ERR_ESTIMATOR_BAD_INPUT', `${yPred.length} predictions for ${yTrue.length} targets`);
}
