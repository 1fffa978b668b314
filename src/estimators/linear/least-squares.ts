import { dot, gram } from './blas.js';
import type { CentredGram } from './kernels-gram.js';

/**
 * Centred copies of the feature columns and of y (the means subtracted when `fitIntercept`), the way
 * scikit-learn's linear models preprocess: the intercept is then ȳ − x̄·w and is never penalised.
 * @example
 * const c = centre([Float64Array.of(1, 3)], Float64Array.of(2, 4), 2, true); // c.xMean [2], c.yMean 3
 */
export function centre(columns: readonly Float64Array[], y: Float64Array, n: number, fitIntercept: boolean): Centred {
  const xMean = new Float64Array(columns.length);
  // One read and one write per column: x − x̄ straight into the copy (slice() is a memcpy, not an iteration).
  const X = columns.map((col, j) => {
    if (!fitIntercept) return col.slice(0, n);
    const m = _sum(col) / n;
    xMean[j] = m;
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = col[i] - m;
    return out;
  });
  const yMean = fitIntercept ? _sum(y) / n : 0;
  const yc = new Float64Array(n);
  for (let i = 0; i < n; i++) yc[i] = y[i] - yMean;
  return { X, y: yc, xMean, yMean };
}

/**
 * What {@link centre} returns: centred columns `X`, centred `y`, and the means taken out.
 * @example
 * const { X, y, xMean, yMean }: Centred = centre(columns, target, n, true);
 */
export interface Centred {
  X: Float64Array[];
  y: Float64Array;
  xMean: Float64Array;
  yMean: number;
}

/**
 * Solves the (regularised) normal equations (XᵀX + alpha·I) w = Xᵀy on centred columns: Cholesky when
 * the system is positive definite, else the minimum-norm solution from an eigen-decomposition (what
 * scikit-learn's lstsq returns for collinear features).
 * @example
 * solveNormalEquations([Float64Array.of(1, -1)], Float64Array.of(2, -2), 0); // Float64Array [2]
 */
export function solveNormalEquations(X: readonly Float64Array[], y: Float64Array, alpha: number): Float64Array {
  const d = X.length;
  const n = d === 0 ? 0 : X[0].length;
  // XᵀX in one blocked sweep (four dot products per pass over the data), then a d × d solve.
  const A = gram(X, n);
  const b = new Float64Array(d);
  for (let j = 0; j < d; j++) {
    b[j] = dot(X[j], y, n);
    A[j * d + j] += alpha;
  }
  return choleskySolve(A, b, d) ?? _eigenMinNormSolve(A, b, d, n);
}

/**
 * Solves the normal equations (A + alpha·I) w = b of a {@link centredGram} (A is modified): Cholesky
 * when positive definite, else the minimum-norm solution like {@link solveNormalEquations}; `n` is the
 * number of rows, for lstsq's rank cut-off.
 * @example
 * const coef = solveGram(centredGram(columns, y, n, true), 1, n);
 */
export function solveGram(g: Pick<CentredGram, 'A' | 'b'>, alpha: number, n: number): Float64Array {
  const d = g.b.length;
  for (let j = 0; j < d; j++) g.A[j * d + j] += alpha;
  return choleskySolve(g.A, g.b, d) ?? _eigenMinNormSolve(g.A, g.b, d, n);
}

/**
 * Solves A x = b for a symmetric positive definite `d × d` A (row-major), or returns null when a pivot
 * is not clearly positive (relative to A's own diagonal), i.e. A is singular to working precision.
 * @example
 * choleskySolve(Float64Array.of(4, 2, 2, 3), Float64Array.of(2, 1), 2); // Float64Array [0.5, 0]
 */
export function choleskySolve(A: Float64Array, b: Float64Array, d: number): Float64Array | null {
  const L = new Float64Array(d * d);
  for (let j = 0; j < d; j++) {
    let s = A[j * d + j];
    for (let k = 0; k < j; k++) s -= L[j * d + k] * L[j * d + k];
    if (!(s > 1e-10 * A[j * d + j])) return null;
    const ljj = Math.sqrt(s);
    L[j * d + j] = ljj;
    for (let i = j + 1; i < d; i++) {
      let t = A[i * d + j];
      for (let k = 0; k < j; k++) t -= L[i * d + k] * L[j * d + k];
      L[i * d + j] = t / ljj;
    }
  }
  const z = new Float64Array(d);
  for (let i = 0; i < d; i++) {
    let t = b[i];
    for (let k = 0; k < i; k++) t -= L[i * d + k] * z[k];
    z[i] = t / L[i * d + i];
  }
  for (let i = d - 1; i >= 0; i--) {
    let t = z[i];
    for (let k = i + 1; k < d; k++) t -= L[k * d + i] * z[k];
    z[i] = t / L[i * d + i];
  }
  return z;
}

/**
 * Eigenvalues and eigenvectors of a symmetric `d × d` matrix by cyclic Jacobi rotations: `values[k]`
 * belongs to column k of the row-major `vectors`.
 * @example
 * symmetricEigen(Float64Array.of(2, 1, 1, 2), 2).values; // Float64Array [1, 3] (in some order)
 */
export function symmetricEigen(A: Float64Array, d: number): { values: Float64Array; vectors: Float64Array } {
  const a = Float64Array.from(A);
  const v = new Float64Array(d * d);
  for (let i = 0; i < d; i++) v[i * d + i] = 1;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    let total = 0;
    for (let p = 0; p < d; p++) {
      for (let q = 0; q < d; q++) {
        total += a[p * d + q] ** 2;
        if (p !== q) off += a[p * d + q] ** 2;
      }
    }
    if (off <= 1e-30 * total) break;
    for (let p = 0; p < d - 1; p++) {
      for (let q = p + 1; q < d; q++) {
        const apq = a[p * d + q];
        if (apq === 0) continue;
        const theta = (a[q * d + q] - a[p * d + p]) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < d; k++) {
          const akp = a[k * d + p];
          const akq = a[k * d + q];
          a[k * d + p] = c * akp - s * akq;
          a[k * d + q] = s * akp + c * akq;
        }
        for (let k = 0; k < d; k++) {
          const apk = a[p * d + k];
          const aqk = a[q * d + k];
          a[p * d + k] = c * apk - s * aqk;
          a[q * d + k] = s * apk + c * aqk;
        }
        for (let k = 0; k < d; k++) {
          const vkp = v[k * d + p];
          const vkq = v[k * d + q];
          v[k * d + p] = c * vkp - s * vkq;
          v[k * d + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const values = new Float64Array(d);
  for (let i = 0; i < d; i++) values[i] = a[i * d + i];
  return { values, vectors: v };
}

/** x = V Λ⁺ Vᵀ b, eigenvalues below λ_max·max(n, d)·ε treated as zero (lstsq's rank cut-off, squared scale). */
function _eigenMinNormSolve(A: Float64Array, b: Float64Array, d: number, n: number): Float64Array {
  const { values, vectors } = symmetricEigen(A, d);
  let max = 0;
  for (let k = 0; k < d; k++) max = Math.max(max, values[k]);
  const cutoff = max * Math.max(n, d) * 2.220446049250313e-16;
  const x = new Float64Array(d);
  for (let k = 0; k < d; k++) {
    if (!(values[k] > cutoff)) continue;
    let proj = 0;
    for (let i = 0; i < d; i++) proj += vectors[i * d + k] * b[i];
    proj /= values[k];
    for (let i = 0; i < d; i++) x[i] += proj * vectors[i * d + k];
  }
  return x;
}

function _sum(a: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i];
  return s;
}
