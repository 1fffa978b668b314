import { addGram } from './blas.js';
import { createArena, type KernelArena, Layout } from './wasm/kernels.js';

/**
 * The sufficient statistics of least squares on centred data, from one read of the columns after the
 * means: A = XᵀX (`d × d`, row-major, both triangles), b = Xᵀy and yᵀy, all of (X − x̄, y − ȳ), with the
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
 * XᵀX, Xᵀy and yᵀy of the centred columns and target, chunk by chunk: a few hundred rows are centred
 * into a small cache-resident buffer (y as one more column), then multiplied there — by the f64x2
 * WebAssembly kernel in 2 × 4 blocks where available, else by the four-products-per-pass JavaScript loop.
 * A non-finite input makes the diagonal of A (or yy) non-finite; callers check that instead of scanning
 * the data first.
 * @example
 * const g = centredGram(columns, y, n, true); g.A[0]; // Σ (x₀ − x̄₀)²
 */
export function centredGram(columns: readonly Float64Array[], y: Float64Array, n: number, fitIntercept: boolean): CentredGram {
  const d = columns.length;
  const all = [...columns, y];
  const means = new Float64Array(d + 1);
  if (fitIntercept) for (let j = 0; j <= d; j++) means[j] = _sum(all[j], n) / n;
  const full = _gramWasm(all, means, n) ?? _gramJs(all, means, n);
  const D = d + 1;
  const A = new Float64Array(d * d);
  const b = new Float64Array(d);
  for (let j = 0; j < d; j++) {
    for (let k = 0; k < d; k++) A[j * d + k] = full[j * D + k];
    b[j] = full[j * D + d];
  }
  return { A, b, yy: full[D * D - 1], xMean: means.slice(0, d), yMean: means[d] };
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

/** The full symmetric (D × D) Gram matrix of the centred columns, or null without the WebAssembly kernels. */
function _gramWasm(all: readonly Float64Array[], means: Float64Array, n: number): Float64Array | null {
  const D = all.length;
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
      const col = all[j];
      const mean = means[j];
      const at = (buf + j * stride) / 8 - start;
      for (let i = start; i < start + m; i++) f64[at + i] = col[i] - mean;
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
  return G;
}

/** The JavaScript fallback of {@link _gramWasm}: the same chunks, four dot products per pass. */
function _gramJs(all: readonly Float64Array[], means: Float64Array, n: number): Float64Array {
  const D = all.length;
  const chunk = Math.min(_CHUNK, n);
  const buf = Array.from({ length: D }, () => new Float64Array(chunk));
  const G = new Float64Array(D * D);
  for (let start = 0; start < n; start += chunk) {
    const m = Math.min(chunk, n - start);
    for (let j = 0; j < D; j++) {
      const col = all[j];
      const out = buf[j];
      const mean = means[j];
      for (let i = 0; i < m; i++) out[i] = col[start + i] - mean;
    }
    addGram(buf, m, G);
  }
  return G;
}

function _sum(a: Float64Array, n: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += a[i];
  return s;
}
