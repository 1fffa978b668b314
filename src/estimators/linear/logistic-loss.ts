import type { DesignMatrix } from './kernels-design.js';
import type { Objective } from './lbfgs.js';

/**
 * Training data for the logistic objectives: `X` (n × d, with K score columns: 1 for the binary
 * objective, one per class for the multinomial one), class codes, one weight per row.
 * @example
 * const data: LogisticData = { X: designMatrix(columns, n, 1), codes, weights, l2: 1 / C, fitIntercept: true };
 */
export interface LogisticData {
  X: DesignMatrix;
  codes: Int32Array;
  weights: Float64Array;
  /** 1 / C, or 0 without a penalty. */
  l2: number;
  fitIntercept: boolean;
}

/**
 * The multinomial (softmax) objective over `K × d` coefficients then `K` intercepts:
 * Σᵢ wᵢ·(logΣₖ e^{zᵢₖ} − zᵢ,yᵢ) + l2/2·‖W‖² (intercepts unpenalised), scikit-learn's lbfgs objective.
 * Each evaluation reads X once, block by block: the scores of every class, then the gradient.
 * @example
 * const f = multinomialObjective(data, 3); minimizeLbfgs(f, new Float64Array(3 * (d + 1)), opts);
 */
export function multinomialObjective(data: LogisticData, K: number): Objective {
  const { X, codes, weights, l2, fitIntercept } = data;
  const d = X.d;
  // Scores, then residuals, of every row and class (n × K): the design matrix's buffer, one per fit.
  const Z = X.z;
  // Running sums of one evaluation, carried from block to block (rows are added in order, as in one pass).
  let loss = 0;
  const interceptGrad = new Float64Array(K);
  const residuals = (start: number, end: number) => {
    let l = loss;
    for (let i = start, at = start * K; i < end; i++, at += K) {
      let max = -Infinity;
      for (let k = 0; k < K; k++) if (Z[at + k] > max) max = Z[at + k];
      const yi = codes[i];
      const zy = Z[at + yi];
      let sum = 0;
      for (let k = 0; k < K; k++) {
        const e = Math.exp(Z[at + k] - max);
        Z[at + k] = e;
        sum += e;
      }
      const sw = weights[i];
      l += sw * (max + Math.log(sum) - zy);
      const scale = sw / sum;
      for (let k = 0; k < K; k++) Z[at + k] *= scale;
      Z[at + yi] -= sw;
    }
    loss = l;
    if (fitIntercept) {
      for (let k = 0; k < K; k++) {
        let s = interceptGrad[k];
        for (let i = start, at = start * K + k; i < end; i++, at += K) s += Z[at];
        interceptGrad[k] = s;
      }
    }
  };
  return (w, grad) => {
    grad.fill(0);
    loss = 0;
    interceptGrad.fill(0);
    // Scores X·Wᵀ, residuals, then gradient RᵀX, every class at once, block by block.
    X.evaluate(w, fitIntercept, grad, residuals);
    if (fitIntercept) grad.set(interceptGrad, K * d);
    return loss + _penalise(w, grad, K * d, l2);
  };
}

/**
 * The binary logistic objective over `d` coefficients then one intercept, class 1 being the positive one:
 * Σᵢ wᵢ·(log(1 + e^{zᵢ}) − yᵢzᵢ) + l2/2·‖w‖².
 * @example
 * const f = binaryObjective(data); minimizeLbfgs(f, new Float64Array(d + 1), opts);
 */
export function binaryObjective(data: LogisticData): Objective {
  const { X, codes, weights, l2, fitIntercept } = data;
  const d = X.d;
  // Scores, then residuals: the design matrix's buffer, one per fit.
  const z = X.z;
  // Running sums of one evaluation, carried from block to block (rows are added in order, as in one pass).
  let loss = 0;
  let gIntercept = 0;
  const residuals = (start: number, end: number) => {
    let l = loss;
    let g = gIntercept;
    for (let i = start; i < end; i++) {
      const zi = z[i];
      const sw = weights[i];
      const yi = codes[i];
      // One exp per row: log(1 + e^z) and the sigmoid from e^{−|z|}, without overflow either way.
      const e = Math.exp(-Math.abs(zi));
      l += sw * (Math.max(zi, 0) + Math.log1p(e) - yi * zi);
      const p = zi > 0 ? 1 / (1 + e) : e / (1 + e);
      const r = sw * (p - yi);
      z[i] = r;
      g += r;
    }
    loss = l;
    gIntercept = g;
  };
  return (w, grad) => {
    grad.fill(0);
    loss = 0;
    gIntercept = 0;
    X.evaluate(w, fitIntercept, grad, residuals);
    if (fitIntercept) grad[d] = gIntercept;
    return loss + _penalise(w, grad, d, l2);
  };
}

/** Adds l2·w to the gradient of the first `count` entries and returns l2/2·‖w‖² over them. */
function _penalise(w: Float64Array, grad: Float64Array, count: number, l2: number): number {
  if (l2 === 0) return 0;
  let sq = 0;
  for (let j = 0; j < count; j++) {
    sq += w[j] * w[j];
    grad[j] += l2 * w[j];
  }
  return 0.5 * l2 * sq;
}
