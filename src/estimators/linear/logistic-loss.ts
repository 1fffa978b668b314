import type { Objective } from './lbfgs.js';

/**
 * Training data for the logistic objectives: row-major `X` (n × d), class codes, one weight per row.
 * @example
 * const data: LogisticData = { X, n, d, codes, weights, l2: 1 / C, fitIntercept: true };
 */
export interface LogisticData {
  X: Float64Array;
  n: number;
  d: number;
  codes: Int32Array;
  weights: Float64Array;
  /** 1 / C, or 0 without a penalty. */
  l2: number;
  fitIntercept: boolean;
}

/**
 * The multinomial (softmax) objective over `K × d` coefficients then `K` intercepts:
 * Σᵢ wᵢ·(logΣₖ e^{zᵢₖ} − zᵢ,yᵢ) + l2/2·‖W‖² (intercepts unpenalised), scikit-learn's lbfgs objective.
 * One pass over the rows gives the loss and the gradient.
 * @example
 * const f = multinomialObjective(data, 3); minimizeLbfgs(f, new Float64Array(3 * (d + 1)), opts);
 */
export function multinomialObjective(data: LogisticData, K: number): Objective {
  const { X, n, d, codes, weights, l2, fitIntercept } = data;
  const z = new Float64Array(K);
  return (w, grad) => {
    grad.fill(0);
    const b = K * d;
    let loss = 0;
    for (let i = 0; i < n; i++) {
      const row = i * d;
      let max = -Infinity;
      for (let k = 0; k < K; k++) {
        let s = fitIntercept ? w[b + k] : 0;
        const at = k * d;
        for (let j = 0; j < d; j++) s += w[at + j] * X[row + j];
        z[k] = s;
        if (s > max) max = s;
      }
      const yi = codes[i];
      const zy = z[yi];
      let sum = 0;
      for (let k = 0; k < K; k++) {
        z[k] = Math.exp(z[k] - max);
        sum += z[k];
      }
      const sw = weights[i];
      loss += sw * (max + Math.log(sum) - zy);
      const scale = sw / sum;
      for (let k = 0; k < K; k++) {
        const r = scale * z[k] - (k === yi ? sw : 0);
        if (fitIntercept) grad[b + k] += r;
        const at = k * d;
        for (let j = 0; j < d; j++) grad[at + j] += r * X[row + j];
      }
    }
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
  const { X, n, d, codes, weights, l2, fitIntercept } = data;
  return (w, grad) => {
    grad.fill(0);
    let loss = 0;
    for (let i = 0; i < n; i++) {
      const row = i * d;
      let z = fitIntercept ? w[d] : 0;
      for (let j = 0; j < d; j++) z += w[j] * X[row + j];
      const sw = weights[i];
      const yi = codes[i];
      // log(1 + e^z) without overflow either way.
      const softplus = z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z));
      loss += sw * (softplus - yi * z);
      const p = z > 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
      const r = sw * (p - yi);
      if (fitIntercept) grad[d] += r;
      for (let j = 0; j < d; j++) grad[j] += r * X[row + j];
    }
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
