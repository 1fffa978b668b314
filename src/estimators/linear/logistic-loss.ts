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
 * Each evaluation makes two passes over X: the scores of every class, then the gradient.
 * @example
 * const f = multinomialObjective(data, 3); minimizeLbfgs(f, new Float64Array(3 * (d + 1)), opts);
 */
export function multinomialObjective(data: LogisticData, K: number): Objective {
  const { X, codes, weights, l2, fitIntercept } = data;
  const { n, d } = X;
  // Scores, then residuals, of every row and class (n × K): the design matrix's buffer, one per fit.
  const Z = X.z;
  return (w, grad) => {
    grad.fill(0);
    const b = K * d;
    // Two passes over X (scores X·Wᵀ, then gradient RᵀX), every class at once.
    X.scores(w, fitIntercept);
    let loss = 0;
    for (let i = 0, at = 0; i < n; i++, at += K) {
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
      loss += sw * (max + Math.log(sum) - zy);
      const scale = sw / sum;
      for (let k = 0; k < K; k++) Z[at + k] *= scale;
      Z[at + yi] -= sw;
    }
    if (fitIntercept) {
      for (let k = 0; k < K; k++) {
        let s = 0;
        for (let i = 0, at = k; i < n; i++, at += K) s += Z[at];
        grad[b + k] = s;
      }
    }
    X.addTransposed(grad);
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
  const { n, d } = X;
  // Scores, then residuals: the design matrix's buffer, one per fit.
  const z = X.z;
  return (w, grad) => {
    grad.fill(0);
    X.scores(w, fitIntercept);
    let loss = 0;
    let gIntercept = 0;
    for (let i = 0; i < n; i++) {
      const zi = z[i];
      const sw = weights[i];
      const yi = codes[i];
      // One exp per row: log(1 + e^z) and the sigmoid from e^{−|z|}, without overflow either way.
      const e = Math.exp(-Math.abs(zi));
      loss += sw * (Math.max(zi, 0) + Math.log1p(e) - yi * zi);
      const p = zi > 0 ? 1 / (1 + e) : e / (1 + e);
      const r = sw * (p - yi);
      z[i] = r;
      gIntercept += r;
    }
    if (fitIntercept) grad[d] = gIntercept;
    X.addTransposed(grad);
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
