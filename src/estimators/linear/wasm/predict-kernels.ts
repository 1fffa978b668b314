import { F64, I32, op, V128, type WasmFunction } from './encoder.js';
import { sigmoidPairs } from './sigmoid-kernel.js';

/**
 * WebAssembly SIMD (f64x2) kernels for batch predict: scores += Σ w·column over a block of rows, the
 * columns staged column-major in a fixed buffer of {@link PREDICT_STAGE} slots of {@link PREDICT_BLOCK}
 * rows each (a constant stride, so every column is one load with an immediate offset). Each lane holds
 * one row, and the terms are added in the order of blas.ts's columnsDot — out + (((w₀x₀ + w₁x₁) + w₂x₂)
 * + w₃x₃) per group of four columns, out + wⱼxⱼ for a single one — so the scores are bit-identical to it.
 * Byte counts are multiples of 32 (four rows per pass).
 */

/**
 * Rows per block: a slot is 64 KiB, so eight staged columns (512 KiB) and a few classes' scores stay in
 * L2, and each column is copied in runs long enough for the hardware prefetcher (16 KiB runs copied at
 * about half the speed).
 */
export const PREDICT_BLOCK = 8192;
/** Column slots in the staging buffer: the widest kernel, {@link dot8}, reads eight columns. */
export const PREDICT_STAGE = 8;

const SLOT = PREDICT_BLOCK * 8;
const { get, set, tee, i32, i32Add, i32GeU, f64Add, f64Load, v128Load, v128LoadAt, v128StoreAt, v128Zero, v128Bitselect } = op;
const { f64x2Splat, f64x2Lane, f64x2Add, f64x2Sub, f64x2Mul, f64x2Gt } = op;
const { loopStart, brIfOut, loopEnd } = op;

/** `local += by` for an i32 local. */
const bump = (local: number, by: number) => [...get(local), ...i32(by), ...i32Add, ...set(local)];

/** fill(pout, nBytes, bias): every f64 of [pout, pout + nBytes) set to bias. */
const fill: WasmFunction = (() => {
  const [pout, nBytes, bias, q, end, b] = [0, 1, 2, 3, 4, 5];
  const body = [
    ...get(bias),
    ...f64x2Splat,
    ...set(b),
    ...get(pout),
    ...set(q),
    ...get(pout),
    ...get(nBytes),
    ...i32Add,
    ...set(end),
    ...loopStart,
    ...get(q),
    ...get(end),
    ...i32GeU,
    ...brIfOut,
    ...[0, 16].flatMap((u) => [...get(q), ...get(b), ...v128StoreAt(u)]),
    ...bump(q, 32),
    ...loopEnd,
  ];
  return { name: 'fill', params: [I32, I32, F64], results: [], locals: [I32, I32, V128], body };
})();

/**
 * dotN(pc, pw, pout, nBytes) for N = 1, 4 or 8 columns at slots 0..N−1 of the buffer at pc, with weights
 * w[0..N) at pw: out[i] += the columns' terms, one addition of the group sum per group of four.
 */
function dotKernel(columns: 1 | 4 | 8): WasmFunction {
  const [pc, pw, pout, nBytes, p, q, end] = [0, 1, 2, 3, 4, 5, 6];
  const w = (c: number) => 7 + c;
  const t = (g: number) => 7 + columns + g;
  const groups = columns / 4;
  const term = (c: number, u: number) => [...get(w(c)), ...get(p), ...v128LoadAt(c * SLOT + u), ...f64x2Mul];
  const rows = (u: number) =>
    columns === 1
      ? [...get(q), ...get(q), ...v128LoadAt(u), ...term(0, u), ...f64x2Add, ...v128StoreAt(u)]
      : [
          ...Array.from({ length: groups }, (_, g) => [...term(4 * g, u), ...[1, 2, 3].flatMap((r) => [...term(4 * g + r, u), ...f64x2Add]), ...set(t(g))]).flat(),
          ...get(q),
          ...get(q),
          ...v128LoadAt(u),
          ...Array.from({ length: groups }, (_, g) => [...get(t(g)), ...f64x2Add]).flat(),
          ...v128StoreAt(u),
        ];
  const body = [
    ...Array.from({ length: columns }, (_, c) => [...get(pw), ...f64Load(8 * c), ...f64x2Splat, ...set(w(c))]).flat(),
    ...get(pc),
    ...set(p),
    ...get(pout),
    ...set(q),
    ...get(pout),
    ...get(nBytes),
    ...i32Add,
    ...set(end),
    ...loopStart,
    ...get(q),
    ...get(end),
    ...i32GeU,
    ...brIfOut,
    ...rows(0),
    ...rows(16),
    ...bump(p, 32),
    ...bump(q, 32),
    ...loopEnd,
  ];
  const vectors = columns + (columns === 1 ? 0 : groups);
  return { name: `dot${columns}`, params: [I32, I32, I32, I32], results: [], locals: [I32, I32, I32, ...new Array<number>(vectors).fill(V128)], body };
}

/**
 * probe(p, nBytes) → Σ (v − v) over the f64s of [p, p + nBytes): 0 exactly when all are finite (x − x is
 * NaN for NaN and ±Infinity, and NaN spreads through the sum).
 */
const probe: WasmFunction = (() => {
  const [p, nBytes, q, end, acc, v] = [0, 1, 2, 3, 4, 5];
  const body = [
    ...get(p),
    ...set(q),
    ...get(p),
    ...get(nBytes),
    ...i32Add,
    ...set(end),
    ...loopStart,
    ...get(q),
    ...get(end),
    ...i32GeU,
    ...brIfOut,
    ...get(acc),
    ...get(q),
    ...v128Load,
    ...tee(v),
    ...get(v),
    ...f64x2Sub,
    ...f64x2Add,
    ...set(acc),
    ...bump(q, 16),
    ...loopEnd,
    ...get(acc),
    ...f64x2Lane(0),
    ...get(acc),
    ...f64x2Lane(1),
    ...f64Add,
  ];
  return { name: 'probe', params: [I32, I32], results: [F64], locals: [I32, I32, V128, V128], body };
})();

/** threshold(p, nBytes, below, above): each f64 v of [p, p + nBytes) becomes v > 0 ? above : below (binary classes). */
const threshold: WasmFunction = (() => {
  const [p, nBytes, below, above, q, end, lo, hi] = [0, 1, 2, 3, 4, 5, 6, 7];
  const body = [
    ...get(below),
    ...f64x2Splat,
    ...set(lo),
    ...get(above),
    ...f64x2Splat,
    ...set(hi),
    ...get(p),
    ...set(q),
    ...get(p),
    ...get(nBytes),
    ...i32Add,
    ...set(end),
    ...loopStart,
    ...get(q),
    ...get(end),
    ...i32GeU,
    ...brIfOut,
    ...get(q),
    ...get(hi),
    ...get(lo),
    ...get(q),
    ...v128Load,
    ...v128Zero,
    ...f64x2Gt,
    ...v128Bitselect,
    ...v128StoreAt(0),
    ...bump(q, 16),
    ...loopEnd,
  ];
  return { name: 'threshold', params: [I32, I32, F64, F64], results: [], locals: [I32, I32, V128, V128], body };
})();

/**
 * argmax(p, nBytes, K, pvalues): for K classes' scores in slots p, p + SLOT, …, the f64 at p of each row
 * becomes values[k] of its highest score, the first on ties (a later class must be strictly greater, as
 * in np.argmax); `values` (K f64s at pvalues) are the numeric labels, or the indices 0..K−1.
 */
const argmax: WasmFunction = (() => {
  const [p, nBytes, K, pvalues, q, end, k, r, pv, top, label, v, gt] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];
  const body = [
    ...get(p),
    ...set(q),
    ...get(p),
    ...get(nBytes),
    ...i32Add,
    ...set(end),
    ...loopStart,
    ...get(q),
    ...get(end),
    ...i32GeU,
    ...brIfOut,
    ...get(q),
    ...v128Load,
    ...set(top),
    ...get(pvalues),
    ...f64Load(0),
    ...f64x2Splat,
    ...set(label),
    ...i32(1),
    ...set(k),
    ...get(q),
    ...i32(SLOT),
    ...i32Add,
    ...set(r),
    ...get(pvalues),
    ...i32(8),
    ...i32Add,
    ...set(pv),
    ...loopStart,
    ...get(k),
    ...get(K),
    ...i32GeU,
    ...brIfOut,
    ...get(r),
    ...v128Load,
    ...tee(v),
    ...get(top),
    ...f64x2Gt,
    ...set(gt),
    ...get(v),
    ...get(top),
    ...get(gt),
    ...v128Bitselect,
    ...set(top),
    ...get(pv),
    ...f64Load(0),
    ...f64x2Splat,
    ...get(label),
    ...get(gt),
    ...v128Bitselect,
    ...set(label),
    ...bump(k, 1),
    ...bump(r, SLOT),
    ...bump(pv, 8),
    ...loopEnd,
    ...get(q),
    ...get(label),
    ...v128StoreAt(0),
    ...bump(q, 16),
    ...loopEnd,
  ];
  return { name: 'argmax', params: [I32, I32, I32, I32], results: [], locals: [I32, I32, I32, I32, I32, V128, V128, V128, V128], body };
})();

/** The predict kernels, added to the module of kernels.ts. */
export const predictKernels: WasmFunction[] = [fill, dotKernel(1), dotKernel(4), dotKernel(8), probe, threshold, argmax, sigmoidPairs];

/** Their exports; addresses and sizes are byte offsets into the arena's memory. */
export interface PredictKernelExports {
  fill(pout: number, nBytes: number, bias: number): void;
  dot1(pc: number, pw: number, pout: number, nBytes: number): void;
  dot4(pc: number, pw: number, pout: number, nBytes: number): void;
  dot8(pc: number, pw: number, pout: number, nBytes: number): void;
  probe(p: number, nBytes: number): number;
  threshold(p: number, nBytes: number, below: number, above: number): void;
  argmax(p: number, nBytes: number, K: number, pvalues: number): void;
  sigmoidPairs(p: number, pout: number, nBytes: number, pk: number, pq: number): void;
}
