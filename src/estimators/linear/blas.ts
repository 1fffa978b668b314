/**
 * The few dense kernels the linear models spend their time in, written for V8: several independent
 * accumulators (shorter dependency chains), blocks of rows or columns per pass (each output or gradient
 * entry loaded and stored once per block, not once per row), no allocation. Row-major matrices are
 * `Float64Array`s of `n × d`.
 */

/**
 * a·b over the first `n` entries, four accumulators.
 * @example
 * dot(Float64Array.of(1, 2), Float64Array.of(3, 4), 2); // 11
 */
export function dot(a: Float64Array, b: Float64Array, n: number = a.length): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let i = 0;
  for (; i + 3 < n; i += 4) {
    s0 += a[i] * b[i];
    s1 += a[i + 1] * b[i + 1];
    s2 += a[i + 2] * b[i + 2];
    s3 += a[i + 3] * b[i + 3];
  }
  for (; i < n; i++) s0 += a[i] * b[i];
  return s0 + s1 + (s2 + s3);
}

/**
 * y += a·x over the first `n` entries, unrolled by four.
 * @example
 * axpy(2, Float64Array.of(1, 1), residual, 2);
 */
export function axpy(a: number, x: Float64Array, y: Float64Array, n: number): void {
  let i = 0;
  for (; i + 3 < n; i += 4) {
    y[i] += a * x[i];
    y[i + 1] += a * x[i + 1];
    y[i + 2] += a * x[i + 2];
    y[i + 3] += a * x[i + 3];
  }
  for (; i < n; i++) y[i] += a * x[i];
}

/**
 * Scores of every row for K coefficient rows: out[i·K + k] = bias[k] + X[i,:]·W[k,:] for the row-major
 * `X` (`n × d`) and `W` (`K × d`, then the K biases at `W[K·d..]` when `withBias`). Each row of X is read
 * once for all K products; each product is summed left to right from the bias, like the scalar loop it
 * replaced, so fitted models stay bit-identical (rows are independent, so their chains overlap anyway).
 * @example
 * rowsDot(X, n, d, w, 1, true, z); // binary logistic scores
 */
export function rowsDot(X: Float64Array, n: number, d: number, W: Float64Array, K: number, withBias: boolean, out: Float64Array): void {
  const b = K * d;
  for (let i = 0, row = 0, at = 0; i < n; i++, row += d, at += K) {
    for (let k = 0, wAt = 0; k < K; k++, wAt += d) {
      let s = withBias ? W[b + k] : 0;
      for (let j = 0; j < d; j++) s += W[wAt + j] * X[row + j];
      out[at + k] = s;
    }
  }
}

/**
 * grad[k·d + j] += Σᵢ R[i·K + k]·X[i, j] (RᵀX for an `n × K` R), four rows of X per load and store of
 * each gradient entry, added in row order (the same rounding as one row at a time).
 * @example
 * addTransposedProduct(X, n, d, residuals, 1, grad);
 */
export function addTransposedProduct(X: Float64Array, n: number, d: number, R: Float64Array, K: number, grad: Float64Array): void {
  let i = 0;
  for (; i + 3 < n; i += 4) {
    const b0 = i * d;
    const b1 = b0 + d;
    const b2 = b1 + d;
    const b3 = b2 + d;
    for (let k = 0, gAt = 0; k < K; k++, gAt += d) {
      const r0 = R[i * K + k];
      const r1 = R[(i + 1) * K + k];
      const r2 = R[(i + 2) * K + k];
      const r3 = R[(i + 3) * K + k];
      for (let j = 0; j < d; j++) grad[gAt + j] = grad[gAt + j] + r0 * X[b0 + j] + r1 * X[b1 + j] + r2 * X[b2 + j] + r3 * X[b3 + j];
    }
  }
  for (; i < n; i++) {
    const b = i * d;
    for (let k = 0, gAt = 0; k < K; k++, gAt += d) {
      const ri = R[i * K + k];
      for (let j = 0; j < d; j++) grad[gAt + j] += ri * X[b + j];
    }
  }
}

/**
 * out[outAt + i·stride] = bias + Σⱼ w[wAt + j]·columns[j][i] for the first `n` rows, four columns per
 * pass over `out` (batch predict reads the Frame's columns as they are, no row-major copy).
 * @example
 * columnsDot([x0, x1], n, Float64Array.of(2, -1), 0, 0.5, out, 0, 1);
 */
export function columnsDot(columns: readonly Float64Array[], n: number, w: Float64Array, wAt: number, bias: number, out: Float64Array, outAt: number, stride: number): void {
  const d = columns.length;
  for (let i = 0, at = outAt; i < n; i++, at += stride) out[at] = bias;
  let j = 0;
  for (; j + 3 < d; j += 4) {
    const c0 = columns[j];
    const c1 = columns[j + 1];
    const c2 = columns[j + 2];
    const c3 = columns[j + 3];
    const w0 = w[wAt + j];
    const w1 = w[wAt + j + 1];
    const w2 = w[wAt + j + 2];
    const w3 = w[wAt + j + 3];
    for (let i = 0, at = outAt; i < n; i++, at += stride) out[at] += w0 * c0[i] + w1 * c1[i] + w2 * c2[i] + w3 * c3[i];
  }
  for (; j < d; j++) {
    const c = columns[j];
    const wj = w[wAt + j];
    for (let i = 0, at = outAt; i < n; i++, at += stride) out[at] += wj * c[i];
  }
}

/**
 * Scores of every row for K coefficient rows straight from the Frame's columns: out[i·K + k] = bias[k]
 * + Σⱼ W[k·d + j]·columns[j][i] (`W` row-major `K × d`). Rows go a block at a time, so each block of
 * four columns is read from memory once for all K classes, and classes go three at a time with their
 * twelve weights in registers (calling {@link columnsDot} once per class streamed every column K times).
 * Each score is summed exactly as columnsDot sums it, so results are bit-identical to it.
 * @example
 * columnsScores([x0, x1], n, coef, 3, intercept, out); // multinomial logistic scores, n × 3
 */
export function columnsScores(columns: readonly Float64Array[], n: number, W: Float64Array, K: number, bias: Float64Array, out: Float64Array): void {
  for (let start = 0; start < n; start += _SCORE_BLOCK) _scoreRows(columns, start, Math.min(n, start + _SCORE_BLOCK), W, K, bias, out, start * K);
}

/**
 * The class of the highest score of every row (the first on ties, like np.argmax; for K = 1, the binary
 * rule score > 0), into `codes`, without keeping the scores: each block's scores are computed as in
 * {@link columnsScores} into a small buffer and reduced while they are in L1. Returns false when a score
 * is NaN or ±Infinity (the caller checks the inputs then).
 * @example
 * const finite = columnsArgmax(columns, n, coef, 3, intercept, codes);
 */
export function columnsArgmax(columns: readonly Float64Array[], n: number, W: Float64Array, K: number, bias: Float64Array, codes: Int32Array): boolean {
  const scores = new Float64Array(Math.min(n, _SCORE_BLOCK) * K);
  let probe = 0;
  for (let start = 0; start < n; start += _SCORE_BLOCK) {
    const end = Math.min(n, start + _SCORE_BLOCK);
    _scoreRows(columns, start, end, W, K, bias, scores, 0);
    if (K === 1) {
      for (let i = start, at = 0; i < end; i++, at++) {
        const s = scores[at];
        probe += s - s;
        codes[i] = s > 0 ? 1 : 0;
      }
      continue;
    }
    for (let i = start, at = 0; i < end; i++, at += K) {
      let best = 0;
      let top = scores[at];
      probe += top - top;
      for (let k = 1; k < K; k++) {
        const s = scores[at + k];
        probe += s - s;
        if (s > top) {
          top = s;
          best = k;
        }
      }
      codes[i] = best;
    }
  }
  return probe === 0;
}

/** Rows per block of {@link columnsScores}: 4 columns and K scores of 512 rows sit well inside L1. */
const _SCORE_BLOCK = 512;

/** Scores of rows [start, end) into out[outAt + (i − start)·K + k]. */
function _scoreRows(columns: readonly Float64Array[], start: number, end: number, W: Float64Array, K: number, bias: Float64Array, out: Float64Array, outAt: number): void {
  const d = columns.length;
  for (let i = start, at = outAt; i < end; i++) for (let k = 0; k < K; k++, at++) out[at] = bias[k];
  let j = 0;
  for (; j + 3 < d; j += 4) {
    const c0 = columns[j];
    const c1 = columns[j + 1];
    const c2 = columns[j + 2];
    const c3 = columns[j + 3];
    let k = 0;
    for (; k + 2 < K; k += 3) _addThreeClasses(c0, c1, c2, c3, W, k * d + j, d, start, end, out, K, outAt + k);
    for (; k < K; k++) {
      const wAt = k * d + j;
      const w0 = W[wAt];
      const w1 = W[wAt + 1];
      const w2 = W[wAt + 2];
      const w3 = W[wAt + 3];
      for (let i = start, at = outAt + k; i < end; i++, at += K) out[at] += w0 * c0[i] + w1 * c1[i] + w2 * c2[i] + w3 * c3[i];
    }
  }
  for (; j < d; j++) {
    const c = columns[j];
    for (let k = 0; k < K; k++) {
      const wj = W[k * d + j];
      for (let i = start, at = outAt + k; i < end; i++, at += K) out[at] += wj * c[i];
    }
  }
}

/** Adds four columns' terms to three classes of rows [start, end): `wAt` indexes W at the first class and column, `outAt` out at the first row and class. */
function _addThreeClasses(
  c0: Float64Array,
  c1: Float64Array,
  c2: Float64Array,
  c3: Float64Array,
  W: Float64Array,
  wAt: number,
  d: number,
  start: number,
  end: number,
  out: Float64Array,
  K: number,
  outAt: number,
): void {
  const a0 = W[wAt];
  const a1 = W[wAt + 1];
  const a2 = W[wAt + 2];
  const a3 = W[wAt + 3];
  const b0 = W[wAt + d];
  const b1 = W[wAt + d + 1];
  const b2 = W[wAt + d + 2];
  const b3 = W[wAt + d + 3];
  const e0 = W[wAt + 2 * d];
  const e1 = W[wAt + 2 * d + 1];
  const e2 = W[wAt + 2 * d + 2];
  const e3 = W[wAt + 2 * d + 3];
  for (let i = start, at = outAt; i < end; i++, at += K) {
    const x0 = c0[i];
    const x1 = c1[i];
    const x2 = c2[i];
    const x3 = c3[i];
    out[at] += a0 * x0 + a1 * x1 + a2 * x2 + a3 * x3;
    out[at + 1] += b0 * x0 + b1 * x1 + b2 * x2 + b3 * x3;
    out[at + 2] += e0 * x0 + e1 * x1 + e2 * x2 + e3 * x3;
  }
}

/**
 * The sum of the first n values, in order.
 * @example
 * sum(Float64Array.of(1, 2, 3)); // 6
 */
export function sum(values: Float64Array, n: number = values.length): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += values[i];
  return s;
}

/**
 * True when every value is finite: one pass, x − x is NaN exactly for NaN and ±Infinity.
 * @example
 * allFinite(Float64Array.of(1, Number.NaN)); // false
 */
export function allFinite(values: Float64Array): boolean {
  let probe = 0;
  for (let i = 0; i < values.length; i++) probe += values[i] - values[i];
  return probe === 0;
}

/**
 * The Gram matrix XᵀX (`d × d`, row-major, symmetric) of the columns, four dot products per pass.
 * @example
 * gram([Float64Array.of(1, 2)], 2); // Float64Array [5]
 */
export function gram(columns: readonly Float64Array[], n: number): Float64Array {
  const A = new Float64Array(columns.length ** 2);
  addGram(columns, n, A);
  return A;
}

/**
 * A += XᵀX over the first `n` entries of the columns (both triangles), four dot products per pass.
 * @example
 * addGram(chunkColumns, 512, A);
 */
export function addGram(columns: readonly Float64Array[], n: number, A: Float64Array): void {
  const d = columns.length;
  for (let j = 0; j < d; j++) {
    const a = columns[j];
    let k = j;
    for (; k + 3 < d; k += 4) {
      const c0 = columns[k];
      const c1 = columns[k + 1];
      const c2 = columns[k + 2];
      const c3 = columns[k + 3];
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      for (let i = 0; i < n; i++) {
        const v = a[i];
        s0 += v * c0[i];
        s1 += v * c1[i];
        s2 += v * c2[i];
        s3 += v * c3[i];
      }
      _addSym(A, d, j, k, s0);
      _addSym(A, d, j, k + 1, s1);
      _addSym(A, d, j, k + 2, s2);
      _addSym(A, d, j, k + 3, s3);
    }
    for (; k < d; k++) _addSym(A, d, j, k, dot(a, columns[k], n));
  }
}

function _addSym(A: Float64Array, d: number, j: number, k: number, v: number): void {
  A[j * d + k] += v;
  if (j !== k) A[k * d + j] += v;
}
