import type { z } from 'zod';
import type { Frame, Labels } from '../../data/frame.js';
import { numericTarget } from './dense-estimator.js';
import { solveGram } from './least-squares.js';
import { interceptFor, LinearModel, type LinearModelState } from './linear-model.js';
import { type LinearRegressionParams, linearRegressionParams, type RidgeParams, ridgeParams } from './params.js';

/**
 * Ordinary least squares (`sklearn.linear_model.LinearRegression`): centres X and y, then solves the
 * normal equations by Cholesky; collinear features get the minimum-norm solution, as lstsq gives.
 * @example
 * const ols = await new LinearRegression().fit(X, y);
 * ols.coef; // Float64Array, one per feature
 */
export class LinearRegression extends LinearModel<LinearRegressionParams> {
  protected override get schema(): z.ZodType<LinearRegressionParams> {
    return linearRegressionParams as unknown as z.ZodType<LinearRegressionParams>;
  }

  protected override fitState(X: Frame, y: Labels | undefined, params: LinearRegressionParams): LinearModelState {
    const g = this.fitGram(X, numericTarget(y), params.fit_intercept);
    const coef = solveGram(g, 0, X.nRows);
    return { coef, intercept: interceptFor(g, coef) };
  }
}

/**
 * Ridge regression (`sklearn.linear_model.Ridge`): least squares plus alpha·‖w‖², solved in closed form
 * on centred data (the intercept is not penalised), scikit-learn's 'cholesky' solver.
 * @example
 * const ridge = await new Ridge({ alpha: 10 }).fit(X, y);
 * ridge.predict(X);
 */
export class Ridge extends LinearModel<RidgeParams> {
  protected override get schema(): z.ZodType<RidgeParams> {
    return ridgeParams as unknown as z.ZodType<RidgeParams>;
  }

  protected override fitState(X: Frame, y: Labels | undefined, params: RidgeParams): LinearModelState {
    const g = this.fitGram(X, numericTarget(y), params.fit_intercept);
    const coef = solveGram(g, params.alpha, X.nRows);
    return { coef, intercept: interceptFor(g, coef) };
  }
}
