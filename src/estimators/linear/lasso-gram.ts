import type { CentredGram } from './kernels-gram.js';

/**
 * Lasso's cyclic coordinate descent on the Gram matrix (scikit-learn's `enet_coordinate_descent_gram`
 * with no L2 term): with Q = XᵀX, q = Xᵀy and H = Q·w kept up to date, feature j's correlation with the
 * residual is q_j − H_j, so a sweep costs O(d²) whatever n is. The iterates, the stopping rule and the
 * duality gap are those of the column-wise descent in lasso.ts (rᵀr = yᵀy − 2wᵀq + wᵀH). `l1` is alpha·n.
 * @example
 * const { coef, nIter, gap } = gramCoordinateDescent(centredGram(columns, y, n, true), 0.1 * n, 1000, 1e-4, false);
 */
export function gramCoordinateDescent(
  g: Pick<CentredGram, 'A' | 'b' | 'yy'>,
  l1: number,
  maxIter: number,
  tol: number,
  positive: boolean,
): { coef: Float64Array; nIter: number; gap: number } {
  const { A: Q, b: q, yy } = g;
  const d = q.length;
  const w = new Float64Array(d);
  const H = new Float64Array(d);
  const gapTol = tol * yy;
  let gap = gapTol + 1;
  let iter = 0;
  while (iter < maxIter) {
    iter++;
    let wMax = 0;
    let dwMax = 0;
    for (let j = 0; j < d; j++) {
      const qjj = Q[j * d + j];
      if (qjj === 0) continue;
      const old = w[j];
      // ρ = xⱼ·(y − Xw + xⱼwⱼ): the correlation with the residual that excludes feature j.
      const rho = q[j] - H[j] + old * qjj;
      const next = softThreshold(rho, l1, qjj, positive);
      if (next !== old) {
        const delta = next - old;
        for (let k = 0, at = j * d; k < d; k++, at++) H[k] += delta * Q[at];
        w[j] = next;
      }
      dwMax = Math.max(dwMax, Math.abs(next - old));
      wMax = Math.max(wMax, Math.abs(next));
    }
    if (wMax === 0 || dwMax / wMax < tol || iter === maxIter) {
      gap = _dualityGap(q, yy, H, w, l1, positive);
      if (gap < gapTol) break;
    }
  }
  return { coef: w, nIter: iter, gap };
}

/** The duality gap of the column-wise descent, from Q·w: Xᵀr = q − H, rᵀr = yᵀy − 2wᵀq + wᵀH, rᵀy = yᵀy − wᵀq. */
function _dualityGap(q: Float64Array, yy: number, H: Float64Array, w: Float64Array, l1: number, positive: boolean): number {
  let dualNorm = 0;
  let wq = 0;
  let wH = 0;
  let l1Norm = 0;
  for (let j = 0; j < q.length; j++) {
    const xtr = q[j] - H[j];
    dualNorm = Math.max(dualNorm, positive ? xtr : Math.abs(xtr));
    wq += w[j] * q[j];
    wH += w[j] * H[j];
    l1Norm += Math.abs(w[j]);
  }
  const rNorm2 = Math.max(yy - 2 * wq + wH, 0);
  let gap = rNorm2;
  let scale = 1;
  if (dualNorm > l1) {
    scale = l1 / dualNorm;
    gap = 0.5 * (rNorm2 + rNorm2 * scale * scale);
  }
  return gap + l1 * l1Norm - scale * (yy - wq);
}

/**
 * The coordinate-descent update of one Lasso weight: `rho` shrunk by the L1 penalty `l1` and divided by the
 * feature's squared norm (zero when `positive` forbids a negative weight). Both descents (on the columns and
 * on the Gram matrix) use it, so they take the same steps.
 * @example
 * softThreshold(3, 1, 2, false); // 1
 */
export function softThreshold(rho: number, l1: number, norm: number, positive: boolean): number {
  return positive && rho < 0 ? 0 : (Math.sign(rho) * Math.max(Math.abs(rho) - l1, 0)) / norm;
}
