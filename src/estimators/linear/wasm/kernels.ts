import { compileModule, I32, op, V128, type WasmFunction, wasmApi } from './encoder.js';
import { type PredictKernelExports, predictKernels } from './predict-kernels.js';

/**
 * WebAssembly SIMD (f64x2) kernels for the linear models' fits (batch predict's are in predict-kernels.ts,
 * in the same module): the passes over the data that V8 cannot vectorise (it emits scalar code with a
 * bounds check per typed-array access). Addresses and sizes are
 * byte offsets into the memory of one {@link KernelArena}; row and column lengths are multiples of
 * 16 bytes (callers pad with zeros, which add nothing to any sum). Where WebAssembly SIMD is missing,
 * {@link createArena} returns null and the callers keep their JavaScript loops.
 */

const { get, set, tee, i32, i32Add, i32Mul, i32GeU, f64Add, f64Load, f64Store, v128Load, v128LoadAt, v128Store, i8x16Shuffle, f64x2Splat, f64x2Lane, f64x2Add, f64x2Mul } = op;
const { loopStart, brIfOut, loopEnd } = op;

const inc = (local: number, by: number[]) => [...get(local), ...by, ...i32Add, ...set(local)];
const addTo = (local: number, step: number) => inc(local, i32(step));
/** `out[0] = out[0] + (acc.lane0 + acc.lane1)` for the f64 at address local `ptr` + offset. */
const storeSum = (ptr: number, offset: number, acc: number) => [
  ...get(ptr),
  ...get(ptr),
  ...f64Load(offset),
  ...get(acc),
  ...f64x2Lane(0),
  ...get(acc),
  ...f64x2Lane(1),
  ...f64Add,
  ...f64Add,
  ...f64Store(offset),
];

/**
 * gram24(pa0, pa1, pc0, stride, mBytes, pout): out[4r + q] += Σᵢ a_r[i]·c_q[i] for two columns a0, a1
 * and four columns c0..c3 (c_q at pc0 + q·stride), i over mBytes / 8 rows: a 2 × 4 block of XᵀX.
 */
const gram24: WasmFunction = (() => {
  const [pa0, pa1, pc0, stride, mBytes, pout, i, pc1, pc2, pc3] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
  const acc = (r: number, q: number) => 10 + 4 * r + q;
  const [x0, x1, v] = [18, 19, 20];
  const pc = [pc0, pc1, pc2, pc3];
  const body = [
    ...get(pc0),
    ...get(stride),
    ...i32Add,
    ...set(pc1),
    ...get(pc1),
    ...get(stride),
    ...i32Add,
    ...set(pc2),
    ...get(pc2),
    ...get(stride),
    ...i32Add,
    ...set(pc3),
    ...loopStart,
    ...get(i),
    ...get(mBytes),
    ...i32GeU,
    ...brIfOut,
    ...get(pa0),
    ...get(i),
    ...i32Add,
    ...v128Load,
    ...set(x0),
    ...get(pa1),
    ...get(i),
    ...i32Add,
    ...v128Load,
    ...set(x1),
    ...[0, 1, 2, 3].flatMap((q) => [
      ...get(pc[q]),
      ...get(i),
      ...i32Add,
      ...v128Load,
      ...set(v),
      ...get(acc(0, q)),
      ...get(x0),
      ...get(v),
      ...f64x2Mul,
      ...f64x2Add,
      ...set(acc(0, q)),
      ...get(acc(1, q)),
      ...get(x1),
      ...get(v),
      ...f64x2Mul,
      ...f64x2Add,
      ...set(acc(1, q)),
    ]),
    ...addTo(i, 16),
    ...loopEnd,
    ...[0, 1].flatMap((r) => [0, 1, 2, 3].flatMap((q) => storeSum(pout, 8 * (4 * r + q), acc(r, q)))),
  ];
  return { name: 'gram24', params: [I32, I32, I32, I32, I32, I32], results: [], locals: [I32, I32, I32, I32, ...new Array<number>(11).fill(V128)], body };
})();

/**
 * scores(px, nPairs, pairBytes, pw2, K, pb, pz): z[i·K + k] = b[k] + Σⱼ w[k,j]·X[i,j] for X stored as
 * row pairs (the two rows' values of feature j side by side, `pairBytes` per pair) and w pre-splatted
 * (each w[k,j] twice, `pairBytes` per class). Each lane sums one row from the bias left to right, as the
 * JavaScript loop does, so the scores are bit-identical to it. Two pairs (four rows) per pass, so two
 * independent chains of additions overlap; nPairs must be even.
 */
const scores: WasmFunction = (() => {
  const [px, nPairs, pairBytes, pw2, K, pb, pz, p, k, j, xrow, wrow, zk, bAt, kBytes, zRow, xrow1, acc0, acc1, wv] = [
    0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19,
  ];
  const storeLane = (acc: number, lane: number, rowsAhead: number) => [
    ...get(zk),
    ...(rowsAhead ? [...get(kBytes), ...i32(rowsAhead), ...i32Mul, ...i32Add] : []),
    ...get(acc),
    ...f64x2Lane(lane),
    ...f64Store(0),
  ];
  const body = [
    ...get(K),
    ...i32(8),
    ...i32Mul,
    ...set(kBytes),
    ...get(px),
    ...set(xrow),
    ...get(pz),
    ...set(zRow),
    ...loopStart,
    ...get(p),
    ...get(nPairs),
    ...i32GeU,
    ...brIfOut,
    ...get(xrow),
    ...get(pairBytes),
    ...i32Add,
    ...set(xrow1),
    ...i32(0),
    ...set(k),
    ...get(pw2),
    ...set(wrow),
    ...get(pb),
    ...set(bAt),
    ...get(zRow),
    ...set(zk),
    ...loopStart,
    ...get(k),
    ...get(K),
    ...i32GeU,
    ...brIfOut,
    ...get(bAt),
    ...f64Load(0),
    ...f64x2Splat,
    ...tee(acc0),
    ...set(acc1),
    ...i32(0),
    ...set(j),
    ...loopStart,
    ...get(j),
    ...get(pairBytes),
    ...i32GeU,
    ...brIfOut,
    ...get(wrow),
    ...get(j),
    ...i32Add,
    ...v128Load,
    ...set(wv),
    ...get(acc0),
    ...get(wv),
    ...get(xrow),
    ...get(j),
    ...i32Add,
    ...v128Load,
    ...f64x2Mul,
    ...f64x2Add,
    ...set(acc0),
    ...get(acc1),
    ...get(wv),
    ...get(xrow1),
    ...get(j),
    ...i32Add,
    ...v128Load,
    ...f64x2Mul,
    ...f64x2Add,
    ...set(acc1),
    ...addTo(j, 16),
    ...loopEnd,
    ...storeLane(acc0, 0, 0),
    ...storeLane(acc0, 1, 1),
    ...storeLane(acc1, 0, 2),
    ...storeLane(acc1, 1, 3),
    ...addTo(zk, 8),
    ...addTo(bAt, 8),
    ...inc(wrow, get(pairBytes)),
    ...addTo(k, 1),
    ...loopEnd,
    ...inc(xrow, [...get(pairBytes), ...get(pairBytes), ...i32Add]),
    ...inc(zRow, [...get(kBytes), ...i32(4), ...i32Mul]),
    ...addTo(p, 2),
    ...loopEnd,
  ];
  return { name: 'scores', params: [I32, I32, I32, I32, I32, I32, I32], results: [], locals: [...new Array<number>(10).fill(I32), V128, V128, V128], body };
})();

/**
 * xtr(px, nQuads, pairBytes, pr, K, pg, gRowBytes): G[k,:] += Σᵢ R[i·K + k]·X[i,:] (RᵀX) for X stored as
 * row pairs (see scores), four rows at a time: each pair of gradient entries becomes
 * (((g + r₀x₀) + r₁x₁) + r₂x₂) + r₃x₃, the JavaScript loop's order, so the sums are bit-identical to it.
 * The pairs are turned back into rows with two shuffles; the feature count must be even.
 */
const xtr: WasmFunction = (() => {
  const [px, nQuads, pairBytes, pr, K, pg, gRowBytes] = [0, 1, 2, 3, 4, 5, 6];
  const [q, k, j, xa, xb, grow, rk, kBytes, rAt, gj] = [7, 8, 9, 10, 11, 12, 13, 14, 15, 16];
  const [r0, r1, r2, r3, a, b, g] = [17, 18, 19, 20, 21, 22, 23];
  const LOW = [0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23];
  const HIGH = [8, 9, 10, 11, 12, 13, 14, 15, 24, 25, 26, 27, 28, 29, 30, 31];
  const splatR = (r: number, rows: number) => [...get(rk), ...(rows ? [...get(kBytes), ...i32(rows), ...i32Mul, ...i32Add] : []), ...f64Load(0), ...f64x2Splat, ...set(r)];
  const addRow = (r: number, lanes: number[]) => [...get(g), ...get(r), ...get(a), ...get(b), ...i8x16Shuffle(lanes), ...f64x2Mul, ...f64x2Add, ...set(g)];
  const loadPair = (base: number) => [...get(base), ...get(j), ...i32Add, ...v128Load, ...set(a), ...get(base), ...get(j), ...i32Add, ...v128LoadAt(16), ...set(b)];
  const body = [
    ...get(K),
    ...i32(8),
    ...i32Mul,
    ...set(kBytes),
    ...get(px),
    ...set(xa),
    ...get(pr),
    ...set(rAt),
    ...loopStart,
    ...get(q),
    ...get(nQuads),
    ...i32GeU,
    ...brIfOut,
    ...get(xa),
    ...get(pairBytes),
    ...i32Add,
    ...set(xb),
    ...i32(0),
    ...set(k),
    ...get(pg),
    ...set(grow),
    ...get(rAt),
    ...set(rk),
    ...loopStart,
    ...get(k),
    ...get(K),
    ...i32GeU,
    ...brIfOut,
    ...splatR(r0, 0),
    ...splatR(r1, 1),
    ...splatR(r2, 2),
    ...splatR(r3, 3),
    ...i32(0),
    ...set(j),
    ...get(grow),
    ...set(gj),
    ...loopStart,
    ...get(j),
    ...get(pairBytes),
    ...i32GeU,
    ...brIfOut,
    ...get(gj),
    ...v128Load,
    ...set(g),
    ...loadPair(xa),
    ...addRow(r0, LOW),
    ...addRow(r1, HIGH),
    ...loadPair(xb),
    ...addRow(r2, LOW),
    ...addRow(r3, HIGH),
    ...get(gj),
    ...get(g),
    ...v128Store,
    ...addTo(j, 32),
    ...addTo(gj, 16),
    ...loopEnd,
    ...inc(grow, get(gRowBytes)),
    ...addTo(rk, 8),
    ...addTo(k, 1),
    ...loopEnd,
    ...inc(xa, [...get(pairBytes), ...get(pairBytes), ...i32Add]),
    ...inc(rAt, [...get(kBytes), ...i32(4), ...i32Mul]),
    ...addTo(q, 1),
    ...loopEnd,
  ];
  return { name: 'xtr', params: [I32, I32, I32, I32, I32, I32, I32], results: [], locals: [...new Array<number>(10).fill(I32), ...new Array<number>(7).fill(V128)], body };
})();

/** The kernels' exports; every argument is an i32 (a byte address, a count or a size). */
export interface KernelExports extends PredictKernelExports {
  gram24(pa0: number, pa1: number, pc0: number, stride: number, mBytes: number, pout: number): void;
  scores(px: number, nPairs: number, pairBytes: number, pw2: number, K: number, pb: number, pz: number): void;
  xtr(px: number, nQuads: number, pairBytes: number, pr: number, K: number, pg: number, gRowBytes: number): void;
}

/**
 * One fit's (or batch predict's) WebAssembly memory with the kernels bound to it; `f64` views the whole
 * memory, so the double at byte address p is `f64[p / 8]`. Made per call and dropped with it (wasm memory
 * never shrinks).
 * @example
 * const arena = createArena(bytes); if (arena) arena.kernels.gram24(...);
 */
export interface KernelArena {
  kernels: KernelExports;
  f64: Float64Array;
}

let compiled: object | null | undefined;
let enabled = true;

/** The compiled kernel module, or null where WebAssembly or its SIMD proposal is not available. */
function kernelModule(): object | null {
  if (compiled === undefined) {
    compiled = compileModule([gram24, scores, xtr, ...predictKernels]);
  }
  return compiled;
}

/**
 * An arena of at least `bytes` zero-filled bytes (with `zeroed` false, whatever a reused arena held: for
 * callers that write before they read), or null without WebAssembly SIMD (or when the kernels are switched
 * off by {@link setWasmKernels}); callers then run their JavaScript loops. The arena given back last by
 * {@link releaseArena} is reused when large enough: zeroing touched memory is cheaper than the page faults
 * of a fresh one, and repeated fits (grid search) do not churn the garbage collector.
 * @example
 * const arena = createArena(n * d * 8);
 */
export function createArena(bytes: number, zeroed = true): KernelArena | null {
  const module = enabled ? kernelModule() : null;
  // Addresses are i32: beyond 2 GiB the JavaScript loops take over.
  if (module === null || bytes > 2 ** 31 - 65536) return null;
  if (spare !== null && spare.f64.byteLength >= bytes) {
    const reused = spare;
    spare = null;
    if (zeroed) reused.f64.fill(0, 0, Math.ceil(bytes / 8));
    return reused;
  }
  const wasm = wasmApi();
  let memory: { buffer: ArrayBuffer };
  try {
    memory = new wasm.Memory({ initial: Math.max(1, Math.ceil(bytes / 65536)) });
  } catch {
    // The engine would not reserve that much (its own cap is below 4 GiB): the JavaScript loops take over.
    return null;
  }
  const instance = new wasm.Instance(module, { m: { mem: memory } });
  return { kernels: instance.exports as unknown as KernelExports, f64: new Float64Array(memory.buffer) };
}

/**
 * Gives an arena back when its fit is done (it must not be used afterwards). One arena of at most
 * {@link _SPARE_LIMIT} bytes is kept for the next {@link createArena}; larger ones go to the garbage
 * collector, so a long-running process holds at most that much.
 * @example
 * try { ... } finally { releaseArena(arena); }
 */
export function releaseArena(arena: KernelArena): void {
  if (arena.f64.byteLength <= _SPARE_LIMIT && (spare === null || spare.f64.byteLength < arena.f64.byteLength)) spare = arena;
}

/** The largest arena kept between fits (64 MiB: 100k × 40 doubles of training data and their buffers). */
const _SPARE_LIMIT = 64 * 2 ** 20;
let spare: KernelArena | null = null;

/**
 * Turns the WebAssembly kernels off (false) or back on, so tests can run the JavaScript fallback on the
 * same data; returns whether the kernels are available at all.
 * @example
 * setWasmKernels(false); // fits now use the JavaScript loops
 */
export function setWasmKernels(on: boolean): boolean {
  enabled = on;
  return kernelModule() !== null;
}

/**
 * Bump allocator of byte addresses in an arena, each 16-byte aligned (f64x2 loads).
 * @example
 * const layout = new Layout(); const pX = layout.take(n * 8); createArena(layout.size);
 */
export class Layout {
  size = 0;

  /** Reserves `bytes` and returns their address. */
  take(bytes: number): number {
    const at = this.size;
    this.size += Math.ceil(bytes / 16) * 16;
    return at;
  }
}
