import type { Labels } from '../data/frame.js';
import { PldError } from '../errors.js';
import { checkSameLength } from './labels.js';

/**
 * scikit-learn's `mean_squared_error`.
 * @example
 * meanSquaredError(Float64Array.of(1, 2), Float64Array.of(1, 4)); // 2
 */
export function meanSquaredError(yTrue: Labels, yPred: Labels): number {
  const [t, p] = _numbers(yTrue, yPred, 'mean_squared_error');
  let sum = 0;
  for (let i = 0; i < t.length; i++) sum += (t[i] - p[i]) ** 2;
  return sum / t.length;
}

/**
 * The square root of {@link meanSquaredError} (scikit-learn's `mean_squared_error(squared=False)`).
 * @example
 * rootMeanSquaredError(Float64Array.of(0, 0), Float64Array.of(3, 3)); // 3
 */
export function rootMeanSquaredError(yTrue: Labels, yPred: Labels): number {
  return Math.sqrt(meanSquaredError(yTrue, yPred));
}

/**
 * scikit-learn's `mean_absolute_error`.
 * @example
 * meanAbsoluteError(Float64Array.of(1, 2), Float64Array.of(2, 4)); // 1.5
 */
export function meanAbsoluteError(yTrue: Labels, yPred: Labels): number {
  const [t, p] = _numbers(yTrue, yPred, 'mean_absolute_error');
  let sum = 0;
  for (let i = 0; i < t.length; i++) sum += Math.abs(t[i] - p[i]);
  return sum / t.length;
}

function _numbers(yTrue: Labels, yPred: Labels, metric: string): [ArrayLike<number>, ArrayLike<number>] {
  checkSameLength(yTrue, yPred, metric);
  if (!(yTrue instanceof Float64Array) || !(yPred instanceof Float64Array)) {
    throw new PldError('PLD_ERR_EVAL_METRIC_INPUT', `${metric}: needs numeric targets and predictions (a regressor), got class labels`);
  }
  return [yTrue, yPred];
}
