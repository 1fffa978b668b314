/**
 * Platt's sigmoid P(y = +1 | f) = 1 / (1 + exp(A·f + B)) fitted to decision values by Newton's method
 * with backtracking (Lin, Lin & Weng 2007; libsvm's sigmoid_train), with Platt's smoothed targets.
 * @example
 * const { A, B } = sigmoidTrain(Float64Array.of(-2, -1, 1, 2), Int8Array.of(-1, -1, 1, 1));
 */
export function sigmoidTrain(dec: Float64Array, labels: Int8Array): { A: number; B: number } {
  const l = dec.length;
  let prior1 = 0;
  for (let i = 0; i < l; i++) if (labels[i] > 0) prior1++;
  const prior0 = l - prior1;
  const maxIter = 100;
  const minStep = 1e-10;
  const sigma = 1e-12;
  const eps = 1e-5;
  const hiTarget = (prior1 + 1) / (prior1 + 2);
  const loTarget = 1 / (prior0 + 2);
  const t = new Float64Array(l);
  for (let i = 0; i < l; i++) t[i] = labels[i] > 0 ? hiTarget : loTarget;
  let A = 0;
  let B = Math.log((prior0 + 1) / (prior1 + 1));
  let fval = _objective(dec, t, A, B);
  for (let iter = 0; iter < maxIter; iter++) {
    // Gradient and Hessian (sigma on the diagonal keeps it positive definite).
    let h11 = sigma;
    let h22 = sigma;
    let h21 = 0;
    let g1 = 0;
    let g2 = 0;
    for (let i = 0; i < l; i++) {
      const fApB = dec[i] * A + B;
      let p: number;
      let q: number;
      if (fApB >= 0) {
        const e = Math.exp(-fApB);
        p = e / (1 + e);
        q = 1 / (1 + e);
      } else {
        const e = Math.exp(fApB);
        p = 1 / (1 + e);
        q = e / (1 + e);
      }
      const d2 = p * q;
      h11 += dec[i] * dec[i] * d2;
      h22 += d2;
      h21 += dec[i] * d2;
      const d1 = t[i] - p;
      g1 += dec[i] * d1;
      g2 += d1;
    }
    if (Math.abs(g1) < eps && Math.abs(g2) < eps) break;
    const det = h11 * h22 - h21 * h21;
    const dA = -(h22 * g1 - h21 * g2) / det;
    const dB = -(-h21 * g1 + h11 * g2) / det;
    const gd = g1 * dA + g2 * dB;
    let step = 1;
    while (step >= minStep) {
      const newA = A + step * dA;
      const newB = B + step * dB;
      const newf = _objective(dec, t, newA, newB);
      if (newf < fval + 0.0001 * step * gd) {
        A = newA;
        B = newB;
        fval = newf;
        break;
      }
      step /= 2;
    }
    if (step < minStep) break;
  }
  return { A, B };
}

/**
 * The fitted sigmoid at one decision value, computed without overflow either way.
 * @example
 * sigmoidPredict(0, -1, 0); // 0.5
 */
export function sigmoidPredict(dec: number, A: number, B: number): number {
  const fApB = dec * A + B;
  if (fApB >= 0) {
    const e = Math.exp(-fApB);
    return e / (1 + e);
  }
  return 1 / (1 + Math.exp(fApB));
}

/**
 * Class probabilities from pairwise ones (Wu, Lin & Weng 2004, method 2; libsvm's multiclass_probability):
 * `r[i·k + j]` is P(class i | i or j). Writes k probabilities summing to 1 into `p`; `Q` and `Qp` are
 * scratch of k² and k entries, so a batch allocates them once.
 * @example
 * multiclassProbability(3, r, p, new Float64Array(9), new Float64Array(3));
 */
export function multiclassProbability(k: number, r: Float64Array, p: Float64Array, Q: Float64Array, Qp: Float64Array): void {
  const maxIter = Math.max(100, k);
  const eps = 0.005 / k;
  for (let t = 0; t < k; t++) {
    p[t] = 1 / k;
    Q[t * k + t] = 0;
    for (let j = 0; j < t; j++) {
      Q[t * k + t] += r[j * k + t] * r[j * k + t];
      Q[t * k + j] = Q[j * k + t];
    }
    for (let j = t + 1; j < k; j++) {
      Q[t * k + t] += r[j * k + t] * r[j * k + t];
      Q[t * k + j] = -r[j * k + t] * r[t * k + j];
    }
  }
  for (let iter = 0; iter < maxIter; iter++) {
    let pQp = 0;
    for (let t = 0; t < k; t++) {
      let s = 0;
      for (let j = 0; j < k; j++) s += Q[t * k + j] * p[j];
      Qp[t] = s;
      pQp += p[t] * s;
    }
    let maxError = 0;
    for (let t = 0; t < k; t++) maxError = Math.max(maxError, Math.abs(Qp[t] - pQp));
    if (maxError < eps) break;
    for (let t = 0; t < k; t++) {
      const diff = (-Qp[t] + pQp) / Q[t * k + t];
      p[t] += diff;
      pQp = (pQp + diff * (diff * Q[t * k + t] + 2 * Qp[t])) / (1 + diff) / (1 + diff);
      for (let j = 0; j < k; j++) {
        Qp[j] = (Qp[j] + diff * Q[t * k + j]) / (1 + diff);
        p[j] /= 1 + diff;
      }
    }
  }
  // The iteration keeps Σp = 1 in exact arithmetic; renormalise away the rounding.
  let sum = 0;
  for (let t = 0; t < k; t++) sum += p[t];
  for (let t = 0; t < k; t++) p[t] /= sum;
}

function _objective(dec: Float64Array, t: Float64Array, A: number, B: number): number {
  let f = 0;
  for (let i = 0; i < dec.length; i++) {
    const fApB = dec[i] * A + B;
    f += fApB >= 0 ? t[i] * fApB + Math.log1p(Math.exp(-fApB)) : (t[i] - 1) * fApB + Math.log1p(Math.exp(fApB));
  }
  return f;
}
