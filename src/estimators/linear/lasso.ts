import type { z } from 'zod';
import type { Frame, Labels } from '../../data/frame.js';
import { axpy, dot } from './blas.js';
import { numericTarget } from './dense-estimator.js';
import { gramCoordinateDescent, softThreshold } from './lasso-gram.js';
import { centre } from './least-squares.js';
import { interceptFor, LinearModel, type LinearModelState } from './linear-model.js';
import { type LassoParams, lassoParams } from './params.js';

/**
 * Lasso (`sklearn.linear_model.Lasso`): minimises 1/(2n)·‖y − Xw − b‖² + alpha·‖w‖₁ by cyclic coordinate
 * descent on centred data, checking the duality gap like scikit-learn's `enet_coordinate_descent`.
 * Reaching `max_iter` keeps the last iterate (scikit-learn warns; compare `dualGap` with the tolerance).
 * @example
 * const lasso = await new Lasso({ alpha: 0.1 }).fit(X, y);
 * lasso.coef; // sparse: some entries exactly 0
 */
export class Lasso extends LinearModel<LassoParams> {
  protected override get schema(): z.ZodType<LassoParams> {
    return lassoParams as unknown as z.ZodType<LassoParams>;
  }

  /** Coordinate-descent sweeps run (scikit-learn's n_iter_). */
  get nIter(): number {
    return this.fitted().nIter ?? 0;
  }

  /** Duality gap at the end of the run (scikit-learn's dual_gap_, on the n-scaled objective). */
  get dualGap(): number {
    return this.fitted().dualGap ?? 0;
  }

  protected override fitState(X: Frame, y: Labels | undefined, params: LassoParams): LinearModelState {
    const n = X.nRows;
    const target = numericTarget(y);
    // Many more rows than features: XᵀX once, then every sweep costs O(d²) instead of O(n·d), as
    // scikit-learn's precompute does (same iterates up to rounding, same stopping rule).
    if (n > X.nColumns) {
      const g = this.fitGram(X, target, params.fit_intercept);
      const { coef, nIter, gap } = gramCoordinateDescent(g, params.alpha * n, params.max_iter, params.tol, params.positive);
      return { coef, intercept: interceptFor(g, coef), nIter, dualGap: gap / n };
    }
    const centred = centre(this.fitFeatures(X), target, n, params.fit_intercept);
    const { coef, nIter, gap } = columnCoordinateDescent(centred.X, centred.y, params.alpha * n, params.max_iter, params.tol, params.positive);
    return { coef, intercept: interceptFor(centred, coef), nIter, dualGap: gap / n };
  }
}

/**
 * scikit-learn's enet_coordinate_descent with no L2 term on centred columns; `l1` is alpha·n. Lasso runs
 * it when there are no more rows than features (else the Gram-matrix variant in lasso-gram.ts).
 * @example
 * const { coef, nIter, gap } = columnCoordinateDescent(centred.X, centred.y, 0.1 * n, 1000, 1e-4, false);
 */
export function columnCoordinateDescent(X: Float64Array[], y: Float64Array, l1: number, maxIter: number, tol: number, positive: boolean) {
  const d = X.length;
  const n = y.length;
  const w = new Float64Array(d);
  const R = Float64Array.from(y);
  const norms = X.map((col) => dot(col, col));
  const gapTol = tol * dot(y, y);
  let gap = gapTol + 1;
  let iter = 0;
  while (iter < maxIter) {
    iter++;
    let wMax = 0;
    let dwMax = 0;
    for (let j = 0; j < d; j++) {
      if (norms[j] === 0) continue;
      const col = X[j];
      const old = w[j];
      // ρ = xⱼ·(R + xⱼwⱼ): the correlation with the residual that excludes feature j.
      const rho = dot(col, R) + old * norms[j];
      const next = softThreshold(rho, l1, norms[j], positive);
      if (next !== old) {
        const delta = old - next;
        axpy(delta, col, R, n);
        w[j] = next;
      }
      dwMax = Math.max(dwMax, Math.abs(next - old));
      wMax = Math.max(wMax, Math.abs(next));
    }
    if (wMax === 0 || dwMax / wMax < tol || iter === maxIter) {
      gap = _dualityGap(X, y, R, w, l1, positive);
      if (gap < gapTol) break;
    }
  }
  return { coef: w, nIter: iter, gap };
}

function _dualityGap(X: Float64Array[], y: Float64Array, R: Float64Array, w: Float64Array, l1: number, positive: boolean): number {
  let dualNorm = 0;
  for (let j = 0; j < X.length; j++) {
    const xtr = dot(X[j], R);
    dualNorm = Math.max(dualNorm, positive ? xtr : Math.abs(xtr));
  }
  const rNorm2 = dot(R, R);
  let gap = rNorm2;
  let scale = 1;
  if (dualNorm > l1) {
    scale = l1 / dualNorm;
    gap = 0.5 * (rNorm2 + rNorm2 * scale * scale);
  }
  let l1Norm = 0;
  for (let j = 0; j < w.length; j++) l1Norm += Math.abs(w[j]);
  return gap + l1 * l1Norm - scale * dot(R, y);
}
