import { addGram, sum } from './blas.js';
import { createArena, type KernelArena, Layout, releaseArena } from './wasm/kernels.js';

/**
 * The sufficient statistics of least squares on centred data, from one read of the columns:
 * A = XᵀX (`d × d`, row-major, both triangles), b = Xᵀy and yᵀy, all of (X − x̄, y − ȳ), with the
 * means taken out (zeros without `fitIntercept`).
 * @example
 * const { A, b, yy, xMean, yMean }: CentredGram = centredGram(columns, y, n, true);
 */
export interface CentredGram {
  A: Float64Array;
  b: Float64Array;
  yy: number;
  xMean: Float64Array;
  yMean: number;
}

/**
 * XᵀX, Xᵀy and yᵀy of the centred columns and target in one read of the data, chunk by chunk: a few
 * hundred rows are shifted into a small cache-resident buffer (y as one more column, and a column of
 * ones when centring), then multiplied there — by the f64x2 WebAssembly kernel in 2 × 4 blocks where
 * available, else by the four-products-per-pass JavaScript loop. The shift s is the mean of the first
 * chunk, so the sums u = Σ(x − s) against the ones column give the exact means (s + u/n) and the centred
 * products (Σ(x − s)(x′ − s′) − u·u′/n) with little cancellation, without a pass for the means first.
 * A non-finite input makes the diagonal of A (or yy) non-finite; callers check that instead of scanning
 * the data first.
 * @example
 * const g = centredGram(columns, y, n, true); g.A[0]; // Σ (x₀ − x̄₀)²
 */
export function centredGram(columns: readonly Float64Array[], y: Float64Array, n: number, fitIntercept: boolean): CentredGram {
  const d = columns.length;
  const D = d + 1;
  const all = [...columns, y];
  const shift = new Float64Array(D);
  if (fitIntercept) {
    const m0 = Math.min(n, _CHUNK);
    for (let j = 0; j < D; j++) shift[j] = sum(all[j], m0) / m0;
  }
  const full = _gramWasm(all, shift, n, fitIntercept) ?? _gramJs(all, shift, n, fitIntercept);
  // With the ones column last, row and column E − 1 hold u = Σ(x − s); without it, u = 0.
  const E = fitIntercept ? D + 1 : D;
  const u = new Float64Array(D);
  if (fitIntercept) for (let j = 0; j < D; j++) u[j] = full[j * E + D];
  const centred = (j: number, k: number) => full[j * E + k] - (u[j] * u[k]) / n;
  const A = new Float64Array(d * d);
  const b = new Float64Array(d);
  for (let j = 0; j < d; j++) {
    for (let k = 0; k < d; k++) A[j * d + k] = centred(j, k);
    b[j] = centred(j, d);
  }
  const means = shift.map((sj, j) => sj + u[j] / n);
  return { A, b, yy: centred(d, d), xMean: means.slice(0, d), yMean: means[d] };
}

/** True when the Gram matrix holds no NaN or ±Infinity (every input value was finite, and none overflowed). */
export function finiteGram(g: CentredGram): boolean {
  const d = g.b.length;
  let probe = g.yy - g.yy;
  for (let j = 0; j < d; j++) probe += g.A[j * d + j] - g.A[j * d + j] + (g.b[j] - g.b[j]) + (g.xMean[j] - g.xMean[j]);
  return probe === 0;
}

/** Rows per chunk: (d + 1) columns of this many doubles stay in L1/L2; even, for the f64x2 pairs. */
const _CHUNK = 256;

/**
 * The full symmetric Gram matrix of the shifted columns (then a column of ones when `ones`), E × E with
 * E = D or D + 1, or null without the WebAssembly kernels.
 */
function _gramWasm(all: readonly Float64Array[], shift: Float64Array, n: number, ones: boolean): Float64Array | null {
  const D = all.length + (ones ? 1 : 0);
  // Columns padded with zeros to a multiple of four: the 2 × 4 blocks then need no edge cases.
  const P = Math.ceil(D / 4) * 4;
  const chunk = Math.min(_CHUNK, n + (n & 1));
  const blocks: [number, number][] = [];
  for (let jb = 0; jb < P; jb += 2) for (let kb = jb - (jb % 4); kb < P; kb += 4) blocks.push([jb, kb]);
  const layout = new Layout();
  const buf = layout.take(P * chunk * 8);
  const out = layout.take(blocks.length * 64);
  const arena: KernelArena | null = createArena(layout.size);
  if (arena === null) return null;
  const { f64, kernels } = arena;
  const stride = chunk * 8;
  for (let start = 0; start < n; start += chunk) {
    const m = Math.min(chunk, n - start);
    for (let j = 0; j < D; j++) {
      const at = (buf + j * stride) / 8 - start;
      if (j < all.length) {
        const col = all[j];
        const s = shift[j];
        for (let i = start; i < start + m; i++) f64[at + i] = col[i] - s;
      } else {
        for (let i = start; i < start + m; i++) f64[at + i] = 1;
      }
      // An odd last chunk: one zero row completes the last pair (the buffer still holds an older row there).
      if (m & 1) f64[at + start + m] = 0;
    }
    const mBytes = (m + (m & 1)) * 8;
    for (let q = 0; q < blocks.length; q++) {
      const [jb, kb] = blocks[q];
      kernels.gram24(buf + jb * stride, buf + (jb + 1) * stride, buf + kb * stride, stride, mBytes, out + q * 64);
    }
  }
  const G = new Float64Array(D * D);
  blocks.forEach(([jb, kb], q) => {
    for (let r = 0; r < 2; r++) {
      for (let c = 0; c < 4; c++) {
        const j = jb + r;
        const k = kb + c;
        if (j > k || k >= D) continue;
        G[j * D + k] = G[k * D + j] = f64[out / 8 + q * 8 + 4 * r + c];
      }
    }
  });
  releaseArena(arena);
  return G;
}

/** The JavaScript fallback of {@link _gramWasm}: the same chunks, four dot products per pass. */
function _gramJs(all: readonly Float64Array[], shift: Float64Array, n: number, ones: boolean): Float64Array {
  const D = all.length + (ones ? 1 : 0);
  const chunk = Math.min(_CHUNK, n);
  const buf = Array.from({ length: D }, (_, j) => new Float64Array(chunk).fill(j < all.length ? 0 : 1));
  const G = new Float64Array(D * D);
  for (let start = 0; start < n; start += chunk) {
    const m = Math.min(chunk, n - start);
    for (let j = 0; j < all.length; j++) {
      const col = all[j];
      const out = buf[j];
      const s = shift[j];
      for (let i = 0; i < m; i++) out[i] = col[start + i] - s;
    }
    addGram(buf, m, G);
  }
  return G;
}
