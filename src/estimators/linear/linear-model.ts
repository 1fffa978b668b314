import type { Frame } from '../../data/frame.js';
import type { Params } from '../types.js';
import { DenseRegressor } from './dense-estimator.js';
import { type CentredGram, centredGram, finiteGram } from './kernels-gram.js';
import { uninitializedF64 } from '../../internal/uninitialized.js';
import { predictDot } from './kernels-predict.js';
import type { Centred } from './least-squares.js';

/**
 * Fitted state shared by the linear regressors: y ≈ X·coef + intercept.
 * @example
 * const state: LinearModelState = { coef: Float64Array.of(2), intercept: 1 };
 */
export interface LinearModelState {
  coef: Float64Array;
  intercept: number;
  /** Coordinate-descent sweeps (Lasso only). */
  nIter?: number;
  /** Duality gap at the end (Lasso only). */
  dualGap?: number;
}

/**
 * Base of {@link LinearRegression}, {@link Ridge} and {@link Lasso}: `coef`/`intercept` getters and a
 * column-wise predict that allocates only its output.
 * @example
 * class Ols extends LinearModel<{}> { ... }
 */
export abstract class LinearModel<P extends Params> extends DenseRegressor<P, LinearModelState> {
  /** One coefficient per feature, in the order of the columns seen in fit (scikit-learn's coef_). */
  get coef(): Float64Array {
    return this.fitted().coef.slice();
  }

  /** The intercept (0 without fit_intercept; scikit-learn's intercept_). */
  get intercept(): number {
    return this.fitted().intercept;
  }

  /**
   * The {@link centredGram} of the fit data, without a separate finiteness pass over X: a NaN or
   * ±Infinity anywhere makes the Gram matrix non-finite, and only then are the columns scanned to name it.
   */
  protected fitGram(X: Frame, y: Float64Array, fitIntercept: boolean): CentredGram {
    const columns = this.numericFeatures(X);
    if (columns.length === 0) this.fitFeatures(X);
    const g = centredGram(columns, y, X.nRows, fitIntercept);
    if (!finiteGram(g)) this.assertFinite(columns);
    return g;
  }

  /** X·coef + intercept for every row, into one buffer; a non-finite input is reported naming its column. */
  predict(X: Frame): Float64Array {
    const { coef, intercept } = this.fitted();
    const columns = this.numericFeatures(X);
    const out = uninitializedF64(X.nRows);
    if (!predictDot(columns, X.nRows, coef, intercept, out)) this.assertFinite(columns);
    return out;
  }
}

/**
 * The intercept that goes with coefficients fitted on centred data: ȳ − x̄·w.
 * @example
 * interceptFor(centred, coef); // 0 when the data was not centred
 */
export function interceptFor(centred: Pick<Centred, 'xMean' | 'yMean'>, coef: Float64Array): number {
  let b = centred.yMean;
  for (let j = 0; j < coef.length; j++) b -= centred.xMean[j] * coef[j];
  return b;
}
