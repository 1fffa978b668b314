import type { z } from 'zod';
import type { Frame, Labels } from '../../data/frame.js';
import { PldError } from '../../errors.js';
import { sum } from '../linear/blas.js';
import { DenseRegressor, numericTarget } from '../linear/dense-estimator.js';
import { type DummyRegressorParams, dummyRegressorParams } from './params.js';

/**
 * Fitted state of a {@link DummyRegressor}: the one value it predicts.
 * @example
 * const state: DummyRegressorState = { constant: 3.5 };
 */
export interface DummyRegressorState {
  constant: number;
}

/**
 * A baseline regressor that ignores the features (`sklearn.dummy.DummyRegressor`): it predicts the
 * training mean, median, a `quantile` (linear interpolation, as np.percentile) or a `constant`.
 * @example
 * const baseline = await new DummyRegressor({ strategy: 'median' }).fit(X, y);
 * baseline.score(X, y); // R² of the median; 0 for 'mean' on the training data
 */
export class DummyRegressor extends DenseRegressor<DummyRegressorParams, DummyRegressorState> {
  protected override get schema(): z.ZodType<DummyRegressorParams> {
    return dummyRegressorParams as unknown as z.ZodType<DummyRegressorParams>;
  }

  /** The value predicted for every row (scikit-learn's constant_). */
  get constant(): number {
    return this.fitted().constant;
  }

  protected override fitState(X: Frame, y: Labels | undefined, params: DummyRegressorParams): DummyRegressorState {
    this.finiteFeatures(X);
    const target = numericTarget(y);
    switch (params.strategy) {
      case 'mean':
        return { constant: sum(target) / target.length };
      case 'median':
        return { constant: quantileOf(target, 0.5) };
      case 'quantile':
        if (params.quantile === null) throw _missing('quantile', "a number in [0, 1] with strategy 'quantile'");
        return { constant: quantileOf(target, params.quantile) };
      default:
        if (params.constant === null) throw _missing('constant', "a number with strategy 'constant'");
        return { constant: params.constant };
    }
  }

  /** The fitted constant for every row. */
  predict(X: Frame): Float64Array {
    const { constant } = this.fitted();
    this.finiteFeatures(X);
    return new Float64Array(X.nRows).fill(constant);
  }
}

/**
 * The q-quantile of the values with linear interpolation between order statistics (np.percentile's
 * default, which scikit-learn uses).
 * @example
 * quantileOf(Float64Array.of(1, 2, 3, 4), 0.5); // 2.5
 */
export function quantileOf(values: Float64Array, q: number): number {
  const sorted = Float64Array.from(values).sort();
  const position = q * (sorted.length - 1);
  const lo = Math.floor(position);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo] + (position - lo) * (sorted[hi] - sorted[lo]);
}

function _missing(name: string, what: string): PldError {
  return new PldError('PLD_ERR_ESTIMATOR_INVALID_PARAM', `DummyRegressor: ${name}: must be ${what}, got null`, { details: { params: [name] } });
}
