/**
 * A boosting loss in scikit-learn's `_loss` terms (half squared error, half binomial, half multinomial):
 * `k` raw predictions per row (row-major `n × k`), gradients and hessians per output, the mean loss.
 * @example
 * const loss = boostingLoss('log_loss', 3);
 */
export interface BoostingLoss {
  /** Trees per iteration (1, or the number of classes for multiclass). */
  readonly k: number;
  /** Whether the hessians are all 1 (squared error): the grower then uses counts. */
  readonly constantHessian: boolean;
  /** The best constant raw prediction (scikit-learn's fit_intercept_only, in link space). */
  baseline(y: Float64Array | Int32Array): Float64Array;
  /**
   * Fills `g[c][i]` and `h[c][i]` from raw predictions and returns their mean loss (equal to `loss(y, raw)`
   * bit for bit), so the boosting loop needs no separate pass for the training score.
   */
  gradients(y: Float64Array | Int32Array, raw: Float64Array, g: Float64Array[], h: Float64Array[]): number;
  /** Mean loss of raw predictions. */
  loss(y: Float64Array | Int32Array, raw: Float64Array): number;
}

/**
 * The loss for a boosting fit: `squared_error` (regression) or `log_loss` with `nClasses` classes
 * (binomial for 2, multinomial softmax beyond).
 * @example
 * boostingLoss('squared_error', 1).baseline(Float64Array.of(1, 3)); // Float64Array [2]
 */
export function boostingLoss(kind: 'squared_error' | 'log_loss', nClasses: number): BoostingLoss {
  if (kind === 'squared_error') return SQUARED;
  return nClasses <= 2 ? BINOMIAL : _multinomial(nClasses);
}

const EPS = Number.EPSILON;

const SQUARED: BoostingLoss = {
  k: 1,
  constantHessian: true,
  baseline(y) {
    let sum = 0;
    for (let i = 0; i < y.length; i++) sum += y[i];
    return Float64Array.of(sum / y.length);
  },
  gradients(y, raw, g) {
    const out = g[0];
    let sum = 0;
    for (let i = 0; i < y.length; i++) {
      const d = raw[i] - y[i];
      out[i] = d;
      sum += d ** 2;
    }
    return (0.5 * sum) / y.length;
  },
  loss(y, raw) {
    let sum = 0;
    for (let i = 0; i < y.length; i++) sum += (raw[i] - y[i]) ** 2;
    return (0.5 * sum) / y.length;
  },
};

const BINOMIAL: BoostingLoss = {
  k: 1,
  constantHessian: false,
  baseline(y) {
    let sum = 0;
    for (let i = 0; i < y.length; i++) sum += y[i];
    const p = Math.min(Math.max(sum / y.length, EPS), 1 - EPS);
    return Float64Array.of(Math.log(p / (1 - p)));
  },
  gradients(y, raw, g, h) {
    const gg = g[0];
    const hh = h[0];
    let sum = 0;
    for (let i = 0; i < y.length; i++) {
      const r = raw[i];
      // For r > 0 the probability and the loss need the same exp(-r): computed once.
      const e = Math.exp(-r);
      const p = 1 / (1 + e);
      gg[i] = p - y[i];
      hh[i] = p * (1 - p);
      sum += (r > 0 ? r + Math.log1p(e) : Math.log1p(Math.exp(r))) - y[i] * r;
    }
    return sum / y.length;
  },
  loss(y, raw) {
    let sum = 0;
    for (let i = 0; i < y.length; i++) {
      const r = raw[i];
      sum += (r > 0 ? r + Math.log1p(Math.exp(-r)) : Math.log1p(Math.exp(r))) - y[i] * r;
    }
    return sum / y.length;
  },
};

function _multinomial(k: number): BoostingLoss {
  const p = new Float64Array(k);
  return {
    k,
    constantHessian: false,
    baseline(y) {
      const out = new Float64Array(k);
      for (let i = 0; i < y.length; i++) out[y[i]]++;
      let meanLog = 0;
      for (let c = 0; c < k; c++) {
        out[c] = Math.log(Math.min(Math.max(out[c] / y.length, EPS), 1 - EPS));
        meanLog += out[c] / k;
      }
      // The symmetric multinomial logit: log p minus its mean, as scikit-learn's link.
      for (let c = 0; c < k; c++) out[c] -= meanLog;
      return out;
    },
    gradients(y, raw, g, h) {
      let sum = 0;
      for (let i = 0; i < y.length; i++) {
        // softmaxRow inlined, keeping max and the exp sum for the loss (same operations as loss()).
        let max = -Infinity;
        for (let c = 0; c < k; c++) max = Math.max(max, raw[i * k + c]);
        let s = 0;
        for (let c = 0; c < k; c++) {
          // exp(0) is exactly 1: the largest raw value's class (one per row at least) needs no exp.
          const d = raw[i * k + c] - max;
          p[c] = d === 0 ? 1 : Math.exp(d);
          s += p[c];
        }
        sum += max + Math.log(s) - raw[i * k + y[i]];
        for (let c = 0; c < k; c++) {
          const pc = p[c] / s;
          g[c][i] = pc - (y[i] === c ? 1 : 0);
          h[c][i] = pc * (1 - pc);
        }
      }
      return sum / y.length;
    },
    loss(y, raw) {
      let sum = 0;
      for (let i = 0; i < y.length; i++) {
        let max = -Infinity;
        for (let c = 0; c < k; c++) max = Math.max(max, raw[i * k + c]);
        let s = 0;
        for (let c = 0; c < k; c++) s += Math.exp(raw[i * k + c] - max);
        sum += max + Math.log(s) - raw[i * k + y[i]];
      }
      return sum / y.length;
    },
  };
}

/**
 * Softmax of row `i` of a row-major `n × k` matrix into `out`.
 * @example
 * softmaxRow(Float64Array.of(0, 0), 0, 2, out); // out = [0.5, 0.5]
 */
export function softmaxRow(raw: Float64Array, i: number, k: number, out: Float64Array): void {
  let max = -Infinity;
  for (let c = 0; c < k; c++) max = Math.max(max, raw[i * k + c]);
  let sum = 0;
  for (let c = 0; c < k; c++) {
    out[c] = Math.exp(raw[i * k + c] - max);
    sum += out[c];
  }
  for (let c = 0; c < k; c++) out[c] /= sum;
}
