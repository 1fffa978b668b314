import { addTransposedProduct, allFinite, rowsDot } from './blas.js';
import { toRowMajor } from './dense-estimator.js';
import { createArena, Layout, releaseArena } from './wasm/kernels.js';

/**
 * The training matrix of an iterative fit (logistic regression's L-BFGS), behind the two passes each
 * objective evaluation makes: the scores of every row and class, then RᵀX. Both run block by block
 * ({@link evaluate}), so a block of X is read from memory once and is still in cache for the second pass.
 * @example
 * const X = designMatrix(columns, n, 3); X.evaluate(w, true, grad, (start, end) => { ... });
 */
export interface DesignMatrix {
  readonly n: number;
  readonly d: number;
  readonly K: number;
  /** False when some value copied in is NaN or ±Infinity (the copy doubles as the finiteness check). */
  readonly finite: boolean;
  /** Scores, then residuals, of every row and class (`n × K`, row-major); see {@link evaluate}. */
  readonly z: Float64Array;
  /**
   * For each block of rows [start, end), in order: z[i·K + k] = b[k] + X[i,:]·w[k·d..(k+1)·d] (the K
   * biases at w[K·d..] when `withBias`, else 0); then `residuals(start, end)`, which overwrites those
   * scores with residuals; then grad[k·d + j] += Σᵢ z[i·K + k]·X[i, j] over the block. Blocks hold a
   * multiple of four rows, so the sums are added in the same order as one pass over all rows.
   */
  evaluate(w: Float64Array, withBias: boolean, grad: Float64Array, residuals: (start: number, end: number) => void): void;
  /** Hands the memory back for the next fit; the matrix must not be used afterwards. */
  release(): void;
}

/**
 * The columns as a {@link DesignMatrix}: copied once into WebAssembly memory (rows padded to an even
 * width and count) for the f64x2 kernels where available, else into a row-major Float64Array for the
 * JavaScript kernels of blas.ts.
 * @example
 * const X = designMatrix(columns, n, 1); // binary logistic regression
 */
export function designMatrix(columns: readonly Float64Array[], n: number, K: number): DesignMatrix {
  return _wasmDesign(columns, n, K) ?? _jsDesign(columns, n, K);
}

/** Rows per block of {@link DesignMatrix.evaluate}: a multiple of four; d·256 doubles stay in L2. */
const _BLOCK = 256;

function _jsDesign(columns: readonly Float64Array[], n: number, K: number): DesignMatrix {
  const d = columns.length;
  const X = toRowMajor(columns, n);
  const z = new Float64Array(n * K);
  return {
    n,
    d,
    K,
    finite: allFinite(X),
    z,
    evaluate(w, withBias, grad, residuals) {
      for (let start = 0; start < n; start += _BLOCK) {
        const m = Math.min(_BLOCK, n - start);
        const Xb = X.subarray(start * d);
        const zb = z.subarray(start * K);
        rowsDot(Xb, m, d, w, K, withBias, zb);
        residuals(start, start + m);
        addTransposedProduct(Xb, m, d, zb, K, grad);
      }
    },
    release() {},
  };
}

function _wasmDesign(columns: readonly Float64Array[], n: number, K: number): DesignMatrix | null {
  const d = columns.length;
  // Row pairs side by side (feature j of rows 2p and 2p+1 in one f64x2), an even feature count and a row
  // count that is a multiple of four (xtr takes four rows at a time). The padding is zeros, so it adds
  // nothing to any score or gradient sum (x + 0 = x exactly).
  const dp = d + (d & 1);
  const nPad = Math.ceil(n / 4) * 4;
  const pairBytes = dp * 16;
  const layout = new Layout();
  const pX = layout.take((nPad / 2) * pairBytes);
  const pW = layout.take(K * pairBytes);
  const pB = layout.take(K * 8);
  const pZ = layout.take(nPad * K * 8);
  const pG = layout.take(K * dp * 8);
  const arena = createArena(layout.size);
  if (arena === null) return null;
  const { f64, kernels } = arena;
  // Row pair by row pair: the writes are sequential, the d column reads are d sequential streams.
  // x − x is NaN exactly for NaN and ±Infinity: the finiteness check rides along with the copy.
  let probe = 0;
  for (let i = 0, at = pX / 8; i < n; i += 2, at += 2 * dp) {
    const second = i + 1 < n;
    for (let j = 0; j < d; j++) {
      const col = columns[j];
      const v = col[i];
      const u = second ? col[i + 1] : 0;
      f64[at + 2 * j] = v;
      f64[at + 2 * j + 1] = u;
      probe += v - v + (u - u);
    }
  }
  const W = f64.subarray(pW / 8, pW / 8 + K * 2 * dp);
  const B = f64.subarray(pB / 8, pB / 8 + K);
  const G = f64.subarray(pG / 8, pG / 8 + K * dp);
  return {
    n,
    d,
    K,
    finite: probe === 0,
    z: f64.subarray(pZ / 8, pZ / 8 + n * K),
    evaluate(w, withBias, grad, residuals) {
      for (let k = 0; k < K; k++) {
        for (let j = 0; j < d; j++) W[2 * (k * dp + j)] = W[2 * (k * dp + j) + 1] = w[k * d + j];
        B[k] = withBias ? w[K * d + k] : 0;
        // Start from the caller's sums (the JavaScript loop adds into grad), so the result is bit-identical.
        for (let j = 0; j < d; j++) G[k * dp + j] = grad[k * d + j];
      }
      for (let start = 0; start < nPad; start += _BLOCK) {
        const m = Math.min(_BLOCK, nPad - start);
        const xAt = pX + (start / 2) * pairBytes;
        const zAt = pZ + start * K * 8;
        kernels.scores(xAt, m / 2, pairBytes, pW, K, pB, zAt);
        // Padding rows keep their (finite) scores: times their zero features they add nothing.
        if (start < n) residuals(start, Math.min(start + m, n));
        kernels.xtr(xAt, m / 4, pairBytes, zAt, K, pG, dp * 8);
      }
      for (let k = 0; k < K; k++) for (let j = 0; j < d; j++) grad[k * d + j] = G[k * dp + j];
    },
    release: () => releaseArena(arena),
  };
}
