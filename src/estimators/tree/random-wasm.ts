import { FEATURE_THRESHOLD } from './criteria.js';
import type { Mulberry32 } from './prng.js';
import { compileModule, F32, F64, I32, op, V128, type WasmFunction, wasmApi } from '../linear/wasm/encoder.js';

/**
 * The sort-free random splitter's hot loops (random-builder.ts, random-criteria.ts) as WebAssembly: the
 * gather of a candidate feature's values with their min and max, the side sums of a threshold and the
 * partition. No bounds checks per access; every sum is the same IEEE operation in the same sample order
 * as the JavaScript loops, so trees are bit-identical. The float32 rows live in one memory per thread,
 * copied once and reused by every tree grown on the same rows (the trees of a forest).
 */

const { get, set, tee, i32, i32Add, i32Mul, i32GeU, f64Add, f64Load, f64Store, loopStart, brIfOut, loopEnd } = op;
const { i32Sub, i32Shl, i32Or, i32Xor, i32ShrU, f32Store, f32Lt, f32Gt, f64Gt, f64Le, f64Mul, f64PromoteF32, select, i32LtU, ifStart } = op;
const { f64x2Splat, f64x2Add, f64x2Mul, v128StoreAt } = op;
const i32Load = op.i32Load();
const i32Store = op.i32Store();
const f32Load = op.f32Load();
const f64ConvertI32 = op.f64ConvertI32S;
/** The `end` of an `if` (the kernels' locals use the name `end`). */
const ifEnd = op.end;
const f64One = op.f64Const(1);
const f64Zero = op.f64Const(0);
const f64x2ReplaceLane1 = op.f64x2ReplaceLane(1);

/** `base + index * 4` */
const at4 = (base: number, index: number) => [...get(base), ...get(index), ...i32(4), ...i32Mul, ...i32Add];
/** The float32 value at byte address `q`, widened. */
const valueAt = (q: number) => [...get(q), ...f32Load, ...f64PromoteF32];

/**
 * gather(pFeature, rowBytes, pSamples, start, end, pValues, pOut): values[p] = rows[samples[p]][f] for
 * start <= p < end (`pFeature` = address of feature f in row 0), and the float32 min and max to pOut[0], pOut[1].
 * Two samples per step, each with its own min and max, so the compare-selects do not wait on each other.
 * Which of two equal values (+0 and -0) is kept does not matter: the threshold drawn from them and every
 * comparison with it are the same either way.
 */
const _gather: WasmFunction = (() => {
  const [pFeature, rowBytes, pSamples, start, end, pValues, pOut, p, pEnd, q, v, lo, hi, lo2, hi2] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14];
  const load = (offset: number) => [...get(pFeature), ...get(p), ...op.i32Load(offset), ...get(rowBytes), ...i32Mul, ...i32Add, ...f32Load, ...set(v)];
  const store = (offset: number) => [...get(q), ...get(v), ...f32Store(offset)];
  const update = (l: number, h: number) => [
    ...get(v),
    ...get(l),
    ...get(v),
    ...get(l),
    ...f32Lt,
    ...select,
    ...set(l),
    ...get(v),
    ...get(h),
    ...get(v),
    ...get(h),
    ...f32Gt,
    ...select,
    ...set(h),
  ];
  const step = (bytes: number) => [...get(p), ...i32(bytes), ...i32Add, ...set(p), ...get(q), ...i32(bytes), ...i32Add, ...set(q)];
  const body = [
    ...at4(pSamples, start),
    ...set(p),
    ...at4(pSamples, end),
    ...set(pEnd),
    ...at4(pValues, start),
    ...set(q),
    ...load(0),
    ...store(0),
    ...get(v),
    ...tee(lo),
    ...tee(hi),
    ...tee(lo2),
    ...set(hi2),
    ...step(4),
    // Pairs while two samples are left.
    ...loopStart,
    ...get(p),
    ...i32(4),
    ...i32Add,
    ...get(pEnd),
    ...i32GeU,
    ...brIfOut,
    ...load(0),
    ...store(0),
    ...update(lo, hi),
    ...load(4),
    ...store(4),
    ...update(lo2, hi2),
    ...step(8),
    ...loopEnd,
    // The last sample when an odd number was left.
    ...get(p),
    ...get(pEnd),
    ...i32LtU,
    ...ifStart,
    ...load(0),
    ...store(0),
    ...update(lo, hi),
    ...ifEnd,
    ...get(lo2),
    ...set(v),
    ...update(lo, hi),
    ...get(hi2),
    ...set(v),
    ...update(lo, hi),
    ...get(pOut),
    ...get(lo),
    ...f32Store(0),
    ...get(pOut),
    ...get(hi),
    ...f32Store(4),
  ];
  return { name: 'gather', params: new Array<number>(7).fill(I32), results: [], locals: [I32, I32, I32, F32, F32, F32, F32, F32], body };
})();

/**
 * counts(pSamples, pValues, pY, pW, start, end, threshold, pSides, sideBytes) → nRight: zeroes the
 * interleaved class counts at pSides (`[2c]` left, `[2c + 1]` right) and adds each sample's weight
 * (1 when not `weighted`) to its class and side, `values[p] > threshold` going right.
 */
function _counts(weighted: boolean): WasmFunction {
  const [pSamples, pValues, pY, pW, start, end, threshold, pSides, sideBytes, p, pEnd, q, i, right, nRight, a] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15];
  const body = [
    // Zero the sides (sideBytes is a multiple of 8).
    ...get(pSides),
    ...set(a),
    ...get(pSides),
    ...get(sideBytes),
    ...i32Add,
    ...set(pEnd),
    ...loopStart,
    ...get(a),
    ...get(pEnd),
    ...i32GeU,
    ...brIfOut,
    ...get(a),
    ...f64Zero,
    ...f64Store(0),
    ...get(a),
    ...i32(8),
    ...i32Add,
    ...set(a),
    ...loopEnd,
    ...at4(pSamples, start),
    ...set(p),
    ...at4(pSamples, end),
    ...set(pEnd),
    ...at4(pValues, start),
    ...set(q),
    ...loopStart,
    ...get(p),
    ...get(pEnd),
    ...i32GeU,
    ...brIfOut,
    ...get(p),
    ...i32Load,
    ...set(i),
    ...valueAt(q),
    ...get(threshold),
    ...f64Gt,
    ...tee(right),
    ...get(nRight),
    ...i32Add,
    ...set(nRight),
    // a = pSides + ((y[i] << 1) | right) * 8
    ...get(pSides),
    ...at4(pY, i),
    ...i32Load,
    ...i32(1),
    ...i32Shl,
    ...get(right),
    ...i32Or,
    ...i32(3),
    ...i32Shl,
    ...i32Add,
    ...tee(a),
    ...get(a),
    ...f64Load(0),
    ...(weighted ? [...get(pW), ...get(i), ...i32(8), ...i32Mul, ...i32Add, ...f64Load(0)] : f64One),
    ...f64Add,
    ...f64Store(0),
    ...get(p),
    ...i32(4),
    ...i32Add,
    ...set(p),
    ...get(q),
    ...i32(4),
    ...i32Add,
    ...set(q),
    ...loopEnd,
    ...get(nRight),
  ];
  const params = [I32, I32, I32, I32, I32, I32, F64, I32, I32];
  return { name: weighted ? 'countsW' : 'counts', params, results: [I32], locals: [I32, I32, I32, I32, I32, I32, I32], body };
}

/**
 * variance(pSamples, pValues, pY, pW, start, end, threshold, pOut) → nLeft: the weight, Σ w·y and Σ w·y²
 * of both sides, written to pOut as [wl, wr, sl, sr, ql, qr]. Lane 0 is the left side, lane 1 the right:
 * each lane adds `side · w` (side 0 or 1) exactly as the JavaScript loop's `left * w` and `right * w`.
 */
const _variance: WasmFunction = (() => {
  const [pSamples, pValues, pY, pW, start, end, threshold, pOut, p, pEnd, q, i, left, nLeft, w, y, sides, accW, accS, accQ, wy] = [
    0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20,
  ];
  const addSides = (acc: number, value: number) => [...get(acc), ...get(sides), ...get(value), ...f64x2Splat, ...f64x2Mul, ...f64x2Add, ...set(acc)];
  const body = [
    ...at4(pSamples, start),
    ...set(p),
    ...at4(pSamples, end),
    ...set(pEnd),
    ...at4(pValues, start),
    ...set(q),
    ...loopStart,
    ...get(p),
    ...get(pEnd),
    ...i32GeU,
    ...brIfOut,
    ...get(p),
    ...i32Load,
    ...set(i),
    ...get(pW),
    ...get(i),
    ...i32(8),
    ...i32Mul,
    ...i32Add,
    ...f64Load(0),
    ...set(w),
    ...get(pY),
    ...get(i),
    ...i32(8),
    ...i32Mul,
    ...i32Add,
    ...f64Load(0),
    ...set(y),
    ...get(w),
    ...get(y),
    ...f64Mul,
    ...set(wy),
    ...valueAt(q),
    ...get(threshold),
    ...f64Le,
    ...tee(left),
    ...get(nLeft),
    ...i32Add,
    ...set(nLeft),
    // sides = [left, 1 - left]
    ...get(left),
    ...f64ConvertI32,
    ...f64x2Splat,
    ...i32(1),
    ...get(left),
    ...i32Sub,
    ...f64ConvertI32,
    ...f64x2ReplaceLane1,
    ...set(sides),
    ...addSides(accW, w),
    ...addSides(accS, wy),
    // wyy = wy * y
    ...get(accQ),
    ...get(sides),
    ...get(wy),
    ...get(y),
    ...f64Mul,
    ...f64x2Splat,
    ...f64x2Mul,
    ...f64x2Add,
    ...set(accQ),
    ...get(p),
    ...i32(4),
    ...i32Add,
    ...set(p),
    ...get(q),
    ...i32(4),
    ...i32Add,
    ...set(q),
    ...loopEnd,
    ...get(pOut),
    ...get(accW),
    ...v128StoreAt(0),
    ...get(pOut),
    ...get(accS),
    ...v128StoreAt(16),
    ...get(pOut),
    ...get(accQ),
    ...v128StoreAt(32),
    ...get(nLeft),
  ];
  const params = [I32, I32, I32, I32, I32, I32, F64, I32];
  return { name: 'variance', params, results: [I32], locals: [I32, I32, I32, I32, I32, I32, F64, F64, V128, V128, V128, V128, F64], body };
})();

/**
 * partition(pSamples, pTmp, pValues, start, end, threshold) → mid: the builder's branch-free stable
 * partition of samples[start..end) by `values[p] <= threshold`: left samples to the front in order,
 * right ones to tmp from 0 in order; returns the boundary index. The caller copies tmp behind it.
 */
const _partition: WasmFunction = (() => {
  const [pSamples, pTmp, pValues, start, end, threshold, p, pEnd, l, i, right, q] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
  const body = [
    ...at4(pSamples, start),
    ...tee(p),
    ...set(l),
    ...at4(pSamples, end),
    ...set(pEnd),
    ...at4(pValues, start),
    ...set(q),
    ...loopStart,
    ...get(p),
    ...get(pEnd),
    ...i32GeU,
    ...brIfOut,
    ...get(p),
    ...i32Load,
    ...set(i),
    ...valueAt(q),
    ...get(threshold),
    ...f64Gt,
    ...set(right),
    ...get(l),
    ...get(i),
    ...i32Store,
    ...get(pTmp),
    ...get(i),
    ...i32Store,
    ...get(l),
    ...get(right),
    ...i32(1),
    ...i32Xor,
    ...i32(2),
    ...i32Shl,
    ...i32Add,
    ...set(l),
    ...get(pTmp),
    ...get(right),
    ...i32(2),
    ...i32Shl,
    ...i32Add,
    ...set(pTmp),
    ...get(p),
    ...i32(4),
    ...i32Add,
    ...set(p),
    ...get(q),
    ...i32(4),
    ...i32Add,
    ...set(q),
    ...loopEnd,
    ...get(l),
    ...get(pSamples),
    ...i32Sub,
    ...i32(2),
    ...i32ShrU,
  ];
  return { name: 'partition', params: [I32, I32, I32, I32, I32, F64], results: [I32], locals: [I32, I32, I32, I32, I32, I32], body };
})();

/** Function indices of the kernels the node split calls, as listed in {@link _module}. */
const CALL_GATHER = 0;
const CALL_COUNTS = 1;
const CALL_COUNTS_W = 2;
const CALL_VARIANCE = 3;
const CALL_PARTITION = 4;
/** Bytes before the rows: the gather's float32 min and max at 0, then STATE, OUT_THRESHOLD, OUT_LEFT and CONFIG. */
const SCRATCH = 96;
/** Fixed addresses in front of the rows: the PRNG state, and the split found by `split`. */
const STATE = 8;
const OUT_THRESHOLD = 16;
const OUT_LEFT = 24;
/** The tree's constants for `split`, 13 int32: nFeatures, side sums / 2, then the addresses and row bytes. */
const CONFIG = 32;

/** The criteria whose whole per-node candidate loop runs in one call. */
export type NodeKernelKind = 'gini' | 'squared_error' | 'friedman_mse';

/**
 * How {@link RandomSplitKernel.split} judges a criterion's candidates: its proxy, and whether gini reads the
 * weights (else counts 1s; the variance sums always read them).
 * @example
 * const how: NodeKernel = { kind: 'gini', weighted: false };
 */
export interface NodeKernel {
  readonly kind: NodeKernelKind;
  readonly weighted: boolean;
}

/**
 * split_<kind>(start, end, maxFeatures, minSamplesLeaf, weighted) → best feature or -1, with the tree's
 * constants at CONFIG (see RandomSplitKernel): the builder's whole per-node candidate loop (`#findSplit`) in one
 * call. Draws features (Fisher–Yates steps on the order at pOrder) and thresholds with mulberry32 from the
 * state at STATE, gathers and sums the sides with the kernels above (gini: class counts, unit or `weighted`;
 * otherwise the variance sums), keeps the best proxy (its sums to pBestSides) and partitions the node by it;
 * the threshold and left count go to OUT_THRESHOLD and OUT_LEFT, the advanced state back to STATE. Every
 * step is the same IEEE or 32-bit operation in the same order as the JavaScript (prng.ts, random-builder.ts,
 * random-criteria.ts).
 */
function _split(kind: NodeKernelKind): WasmFunction {
  const [start, end, maxF, msl, weighted] = [0, 1, 2, 3, 4];
  // Loaded from CONFIG in this order (pY from the classes' or the targets' slot).
  const [nF, k, pSamples, pTmp, pValues, pBest, pY, pW, pSides, pBestSides, pOrder, rowBytes] = [5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16];
  const config = [nF, k, pSamples, pTmp, pValues, pBest, kind === 'gini' ? pY : -1, kind === 'gini' ? -1 : pY, pW, pSides, pBestSides, pOrder, rowBytes];
  const [j, visited, nonConstant, f, s, t, swap, held, nRight, nLeft, bestF, bestLeft, vals, bestVals, c, q, sampling, mid] = [
    17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34,
  ];
  const [lo, hi, thr, proxy, bestProxy, bestThr, wl, wr, sqL, sqR, x] = [35, 36, 37, 38, 39, 40, 41, 42, 43, 44, 45];
  const { i32LtS, i32GtS, i32GeS, i32And, i32Eqz, f64Sub, f64Div, f64Neg, f64Floor, f64Eq, i32TruncF64S, f64ConvertI32U } = op;
  const { call, memoryCopy, blockStart, brIf, ifElse } = op;
  const f64 = op.f64Const;
  const blockEnd = op.end;
  const increment = (local: number) => [...get(local), ...i32(1), ...i32Add, ...set(local)];
  // mulberry32's next float (prng.ts), left on the stack.
  const random = [
    ...get(s),
    ...i32(0x6d2b79f5),
    ...i32Add,
    ...tee(s),
    ...set(t),
    ...get(t),
    ...get(t),
    ...i32(15),
    ...i32ShrU,
    ...i32Xor,
    ...get(t),
    ...i32(1),
    ...i32Or,
    ...i32Mul,
    ...set(t),
    ...get(t),
    ...get(t),
    ...get(t),
    ...get(t),
    ...i32(7),
    ...i32ShrU,
    ...i32Xor,
    ...get(t),
    ...i32(61),
    ...i32Or,
    ...i32Mul,
    ...i32Add,
    ...i32Xor,
    ...set(t),
    ...get(t),
    ...get(t),
    ...i32(14),
    ...i32ShrU,
    ...i32Xor,
    ...f64ConvertI32U,
    ...f64(2 ** -32),
    ...f64Mul,
  ];
  const sideBytes = [...get(k), ...i32(16), ...i32Mul];
  const counts = (index: number) => [
    ...get(pSamples),
    ...get(vals),
    ...get(pY),
    ...get(pW),
    ...get(start),
    ...get(end),
    ...get(thr),
    ...get(pSides),
    ...sideBytes,
    ...call(index),
    ...set(nRight),
  ];
  // RandomVariance.evaluate: the sums at pSides as [wl, wr, sl, sr, ql, qr].
  const variance = [
    ...get(pSamples),
    ...get(vals),
    ...get(pY),
    ...get(pW),
    ...get(start),
    ...get(end),
    ...get(thr),
    ...get(pSides),
    ...call(CALL_VARIANCE),
    ...set(nLeft),
    ...get(end),
    ...get(start),
    ...i32Sub,
    ...get(nLeft),
    ...i32Sub,
    ...set(nRight),
  ];
  const evaluate =
    kind === 'gini'
      ? [
          ...get(weighted),
          ...ifStart,
          ...counts(CALL_COUNTS_W),
          ...ifElse,
          ...counts(CALL_COUNTS),
          ...ifEnd,
          ...get(end),
          ...get(start),
          ...i32Sub,
          ...get(nRight),
          ...i32Sub,
          ...set(nLeft),
        ]
      : variance;
  const side = (offset: number) => [...get(pSides), ...f64Load(offset)];
  // RandomVariance.proxy: (sl * sl) / wl + (sr * sr) / wr, or Friedman's (wr * sl - wl * sr)² / (wl * wr).
  const varianceProxy =
    kind === 'squared_error'
      ? [...side(16), ...side(16), ...f64Mul, ...side(0), ...f64Div, ...side(24), ...side(24), ...f64Mul, ...side(8), ...f64Div, ...f64Add, ...set(proxy)]
      : [
          ...side(8),
          ...side(16),
          ...f64Mul,
          ...side(0),
          ...side(24),
          ...f64Mul,
          ...f64Sub,
          ...tee(x),
          ...get(x),
          ...f64Mul,
          ...side(0),
          ...side(8),
          ...f64Mul,
          ...f64Div,
          ...set(proxy),
        ];
  // RandomGiniEntropy.proxy of the sides at pSides.
  const giniProxy = [
    ...f64Zero,
    ...tee(wl),
    ...tee(wr),
    ...tee(sqL),
    ...set(sqR),
    ...i32(0),
    ...set(c),
    ...get(pSides),
    ...set(q),
    ...loopStart,
    ...get(c),
    ...get(k),
    ...i32GeS,
    ...brIfOut,
    ...get(q),
    ...f64Load(0),
    ...tee(x),
    ...get(wl),
    ...f64Add,
    ...set(wl),
    ...get(x),
    ...get(x),
    ...f64Mul,
    ...get(sqL),
    ...f64Add,
    ...set(sqL),
    ...get(q),
    ...f64Load(8),
    ...tee(x),
    ...get(wr),
    ...f64Add,
    ...set(wr),
    ...get(x),
    ...get(x),
    ...f64Mul,
    ...get(sqR),
    ...f64Add,
    ...set(sqR),
    ...get(q),
    ...i32(16),
    ...i32Add,
    ...set(q),
    ...increment(c),
    ...loopEnd,
    ...get(wr),
    ...f64Neg,
    ...f64One,
    ...get(sqR),
    ...get(wr),
    ...get(wr),
    ...f64Mul,
    ...f64Div,
    ...f64Sub,
    ...f64Mul,
    ...get(wl),
    ...f64One,
    ...get(sqL),
    ...get(wl),
    ...get(wl),
    ...f64Mul,
    ...f64Div,
    ...f64Sub,
    ...f64Mul,
    ...f64Sub,
    ...set(proxy),
  ];
  // One candidate; `br 0` out of its block skips the rest, as `continue` in the JavaScript loop.
  const candidate = [
    ...blockStart,
    ...get(sampling),
    ...ifStart,
    // drawFeature: swap = j + floor(random() * (nFeatures - j)), then order[j] <-> order[swap].
    ...random,
    ...get(nF),
    ...get(j),
    ...i32Sub,
    ...f64ConvertI32,
    ...f64Mul,
    ...f64Floor,
    ...i32TruncF64S,
    ...get(j),
    ...i32Add,
    ...set(swap),
    ...at4(pOrder, j),
    ...i32Load,
    ...set(held),
    ...at4(pOrder, j),
    ...at4(pOrder, swap),
    ...i32Load,
    ...i32Store,
    ...at4(pOrder, swap),
    ...get(held),
    ...i32Store,
    ...ifEnd,
    ...at4(pOrder, j),
    ...i32Load,
    ...set(f),
    ...increment(visited),
    ...i32(SCRATCH),
    ...get(f),
    ...i32(4),
    ...i32Mul,
    ...i32Add,
    ...get(rowBytes),
    ...get(pSamples),
    ...get(start),
    ...get(end),
    ...get(vals),
    ...i32(0),
    ...call(CALL_GATHER),
    ...i32(0),
    ...f32Load,
    ...f64PromoteF32,
    ...set(lo),
    ...i32(0),
    ...op.f32Load(4),
    ...f64PromoteF32,
    ...set(hi),
    ...get(hi),
    ...get(lo),
    ...f64(FEATURE_THRESHOLD),
    ...f64Add,
    ...f64Le,
    ...brIf(0),
    ...increment(nonConstant),
    ...get(lo),
    ...get(hi),
    ...get(lo),
    ...f64Sub,
    ...random,
    ...f64Mul,
    ...f64Add,
    ...set(thr),
    ...get(lo),
    ...get(thr),
    ...get(thr),
    ...get(hi),
    ...f64Eq,
    ...select,
    ...set(thr),
    ...evaluate,
    ...get(nLeft),
    ...get(msl),
    ...i32LtS,
    ...brIf(0),
    ...get(nRight),
    ...get(msl),
    ...i32LtS,
    ...brIf(0),
    ...(kind === 'gini' ? giniProxy : varianceProxy),
    ...get(proxy),
    ...get(bestProxy),
    ...f64Gt,
    ...i32Eqz,
    ...brIf(0),
    ...get(proxy),
    ...set(bestProxy),
    ...get(f),
    ...set(bestF),
    ...get(thr),
    ...set(bestThr),
    ...get(nLeft),
    ...set(bestLeft),
    ...get(pBestSides),
    ...get(pSides),
    ...sideBytes,
    ...memoryCopy,
    ...get(vals),
    ...get(bestVals),
    ...set(vals),
    ...set(bestVals),
    ...blockEnd,
  ];
  const body = [
    ...config.flatMap((local, index) => (local < 0 ? [] : [...i32(CONFIG + 4 * index), ...i32Load, ...set(local)])),
    ...get(maxF),
    ...get(nF),
    ...i32LtS,
    ...set(sampling),
    ...i32(STATE),
    ...i32Load,
    ...set(s),
    ...f64(-Infinity),
    ...set(bestProxy),
    ...i32(-1),
    ...set(bestF),
    ...get(pValues),
    ...set(vals),
    ...get(pBest),
    ...set(bestVals),
    ...loopStart,
    ...get(j),
    ...get(nF),
    ...i32GeS,
    ...brIfOut,
    // Like scikit-learn, keep drawing past max_features while every feature drawn was constant.
    ...get(visited),
    ...get(maxF),
    ...i32GeS,
    ...get(nonConstant),
    ...i32(0),
    ...i32GtS,
    ...i32And,
    ...brIfOut,
    ...candidate,
    ...increment(j),
    ...loopEnd,
    ...i32(STATE),
    ...get(s),
    ...i32Store,
    ...get(bestF),
    ...i32(0),
    ...i32GeS,
    ...ifStart,
    ...get(pSamples),
    ...get(pTmp),
    ...get(bestVals),
    ...get(start),
    ...get(end),
    ...get(bestThr),
    ...call(CALL_PARTITION),
    ...set(mid),
    ...at4(pSamples, mid),
    ...get(pTmp),
    ...get(end),
    ...get(mid),
    ...i32Sub,
    ...i32(4),
    ...i32Mul,
    ...memoryCopy,
    ...i32(OUT_THRESHOLD),
    ...get(bestThr),
    ...f64Store(0),
    ...i32(OUT_LEFT),
    ...get(bestLeft),
    ...i32Store,
    ...ifEnd,
    ...get(bestF),
  ];
  const locals = [...new Array<number>(30).fill(I32), ...new Array<number>(11).fill(F64)];
  return { name: `split_${kind}`, params: new Array<number>(5).fill(I32), results: [I32], locals, body };
}

type _Gather = (pFeature: number, rowBytes: number, pSamples: number, start: number, end: number, pValues: number, pOut: number) => void;
type _Counts = (pSamples: number, pValues: number, pY: number, pW: number, start: number, end: number, threshold: number, pSides: number, sideBytes: number) => number;
type _Variance = (pSamples: number, pValues: number, pY: number, pW: number, start: number, end: number, threshold: number, pOut: number) => number;
type _Partition = (pSamples: number, pTmp: number, pValues: number, start: number, end: number, threshold: number) => number;
type _Split = (start: number, end: number, maxFeatures: number, minSamplesLeaf: number, weighted: number) => number;

let compiled: object | null | undefined;
let enabled = true;

function _module(): object | null {
  if (compiled === undefined) {
    compiled = compileModule([_gather, _counts(false), _counts(true), _variance, _partition, _split('gini'), _split('squared_error'), _split('friedman_mse')]);
  }
  return compiled;
}

/**
 * Turns the WebAssembly kernels of the random splitter off (false) or back on, so tests can compare them
 * with the JavaScript loops; returns whether they are available at all.
 * @example
 * setRandomSplitWasm(false); // random-splitter trees now grow with the JavaScript loops
 */
export function setRandomSplitWasm(on: boolean): boolean {
  enabled = on;
  return _module() !== null;
}

/**
 * One tree's arrays in the thread's kernel memory, as typed-array views: the node samples and partition
 * scratch, the candidate's and the best candidate's values, targets (int32 classes or float64) and weights.
 * @example
 * const k = RandomSplitKernel.forTree(rows, nFeatures, n, m, nClasses);
 */
export class RandomSplitKernel {
  readonly samples: Int32Array;
  readonly tmp: Int32Array;
  readonly values: Float32Array;
  readonly bestValues: Float32Array;
  readonly classes: Int32Array;
  readonly targets: Float64Array;
  readonly weights: Float64Array;
  /** Side sums written by the criteria kernels (2 × classes, or the variance's 6). */
  readonly sides: Float64Array;
  /** The best candidate's class counts, as {@link split} keeps them. */
  readonly bestSides: Float64Array;
  /** The tree's feature order (Fisher–Yates state of the feature draws, kept from node to node). */
  readonly order: Int32Array;
  readonly #state: Uint32Array;
  readonly #out: Float64Array;
  readonly #outLeft: Int32Array;
  readonly #splits: Record<NodeKernelKind, _Split>;
  readonly #minMax: Float32Array;
  readonly #rowBytes: number;
  readonly #gather: _Gather;
  readonly #countsW: _Counts;
  readonly #counts: _Counts;
  readonly #pSamples: number;
  readonly #pClasses: number;
  readonly #pTargets: number;
  readonly #pWeights: number;
  readonly #pSides: number;
  readonly #nSides: number;
  readonly #variance: _Variance;
  readonly #partition: _Partition;

  private constructor(
    arena: _Arena,
    nFeatures: number,
    n: number,
    m: number,
    nSides: number,
    at: Record<'samples' | 'tmp' | 'values' | 'best' | 'classes' | 'targets' | 'weights' | 'sides' | 'bestSides' | 'order', number>,
  ) {
    const buffer = arena.memory.buffer;
    this.samples = new Int32Array(buffer, at.samples, m);
    this.tmp = new Int32Array(buffer, at.tmp, m);
    this.values = new Float32Array(buffer, at.values, m);
    this.bestValues = new Float32Array(buffer, at.best, m);
    this.classes = new Int32Array(buffer, at.classes, n);
    this.targets = new Float64Array(buffer, at.targets, n);
    this.weights = new Float64Array(buffer, at.weights, n);
    this.sides = new Float64Array(buffer, at.sides, nSides);
    this.bestSides = new Float64Array(buffer, at.bestSides, nSides);
    this.order = new Int32Array(buffer, at.order, nFeatures);
    this.#state = new Uint32Array(buffer, STATE, 1);
    this.#out = new Float64Array(buffer, OUT_THRESHOLD, 1);
    this.#outLeft = new Int32Array(buffer, OUT_LEFT, 1);
    this.#minMax = new Float32Array(buffer, 0, 2);
    this.#rowBytes = nFeatures * 4;
    const e = arena.exports;
    this.#gather = e.gather as _Gather;
    this.#countsW = e.countsW as _Counts;
    this.#counts = e.counts as _Counts;
    this.#pSamples = at.samples;
    this.#pClasses = at.classes;
    this.#pTargets = at.targets;
    this.#pWeights = at.weights;
    this.#pSides = at.sides;
    this.#nSides = nSides;
    this.#variance = e.variance as _Variance;
    this.#partition = e.partition as _Partition;
    this.#splits = { gini: e.split_gini as _Split, squared_error: e.split_squared_error as _Split, friedman_mse: e.split_friedman_mse as _Split };
    const config = [nFeatures, nSides >> 1, at.samples, at.tmp, at.values, at.best, at.classes, at.targets, at.weights, at.sides, at.bestSides, at.order, this.#rowBytes];
    new Int32Array(buffer, CONFIG, config.length).set(config);
  }

  /**
   * The kernel for one tree over `rows` (n × nFeatures float32 rows, copied into this thread's memory
   * unless the previous tree had the same array) with room for `m` node samples and `nSides` side sums;
   * null without WebAssembly SIMD, when switched off, or beyond 32-bit addresses.
   */
  static forTree(rows: Float32Array, nFeatures: number, n: number, m: number, nSides: number): RandomSplitKernel | null {
    const module = enabled ? _module() : null;
    if (module === null) return null;
    let size = SCRATCH + rows.byteLength;
    const take = (bytes: number) => {
      size = Math.ceil(size / 16) * 16;
      const start = size;
      size += bytes;
      return start;
    };
    const at = {
      samples: take(m * 4),
      tmp: take(m * 4),
      values: take(m * 4),
      best: take(m * 4),
      classes: take(n * 4),
      targets: take(n * 8),
      weights: take(n * 8),
      sides: take(nSides * 8),
      bestSides: take(nSides * 8),
      order: take(nFeatures * 4),
    };
    if (size > 2 ** 31) return null;
    const arena = _arena(module, size);
    if (arena === null) return null;
    if (arena.rows?.deref() !== rows) {
      new Float32Array(arena.memory.buffer, SCRATCH, rows.length).set(rows);
      arena.rows = new WeakRef(rows);
      _released.register(rows, arena);
    }
    return new RandomSplitKernel(arena, nFeatures, n, m, nSides, at);
  }

  /** Gathers feature f of samples[start..end) into `values` (one of this kernel's) and returns [min, max] in `out`. */
  gather(f: number, start: number, end: number, values: Float32Array, out: Float64Array): void {
    this.#gather(SCRATCH + f * 4, this.#rowBytes, this.#pSamples, start, end, values.byteOffset, 0);
    out[0] = this.#minMax[0];
    out[1] = this.#minMax[1];
  }

  /** The class counts of both sides into {@link sides} (`[2c]` left, `[2c + 1]` right); returns the number of samples going right. */
  counts(values: Float32Array, start: number, end: number, threshold: number, weighted: boolean): number {
    const run = weighted ? this.#countsW : this.#counts;
    return run(this.#pSamples, values.byteOffset, this.#pClasses, this.#pWeights, start, end, threshold, this.#pSides, 8 * this.#nSides);
  }

  /** The variance sums of both sides into {@link sides} as [wl, wr, sl, sr, ql, qr]; returns the left count. */
  variance(values: Float32Array, start: number, end: number, threshold: number): number {
    return this.#variance(this.#pSamples, values.byteOffset, this.#pTargets, this.#pWeights, start, end, threshold, this.#pSides);
  }

  /**
   * The split of node samples[start..end) by criterion `kind` as the builder's `#findSplit` finds it, drawing
   * from `random` (whose state it advances): returns the best feature, or -1 when no candidate qualifies;
   * otherwise the node is partitioned, {@link bestSides} holds the split's side sums (as {@link sides}), and
   * {@link threshold} and {@link nLeft} describe it.
   */
  split(how: NodeKernel, random: Mulberry32, start: number, end: number, maxFeatures: number, minSamplesLeaf: number): number {
    this.#state[0] = random.state;
    const f = this.#splits[how.kind](start, end, maxFeatures, minSamplesLeaf, how.weighted ? 1 : 0);
    random.state = this.#state[0];
    return f;
  }

  /** The threshold (float32 value, widened) of the last {@link split}. */
  get threshold(): number {
    return this.#out[0];
  }

  /** The left child's sample count of the last {@link split}. */
  get nLeft(): number {
    return this.#outLeft[0];
  }

  /** Stable partition of samples[start..end) by `values[p] <= threshold`; returns the boundary. */
  partition(values: Float32Array, start: number, end: number, threshold: number): number {
    const mid = this.#partition(this.#pSamples, this.tmp.byteOffset, values.byteOffset, start, end, threshold);
    this.samples.set(this.tmp.subarray(0, end - mid), mid);
    return mid;
  }
}

interface _Arena {
  memory: { buffer: ArrayBuffer; grow(pages: number): number };
  exports: Record<string, unknown>;
  /** The rows last copied in (trees of one forest share them), not kept alive by the arena. */
  rows: WeakRef<Float32Array> | null;
}

let arena: _Arena | null = null;

/**
 * Once the rows last copied in are garbage (their fit is over), the memory holding their copy is let go
 * too, so a finished fit does not keep its data alive in every thread that grew a tree.
 */
const _released = new FinalizationRegistry<_Arena>((held) => {
  if (arena === held && held.rows?.deref() === undefined) arena = null;
});

/** This thread's memory, grown to `size` bytes (growing keeps its contents, the rows included). */
function _arena(module: object, size: number): _Arena | null {
  const wasm = wasmApi();
  const pages = Math.ceil(size / 65536);
  try {
    if (arena === null) {
      const memory = new wasm.Memory({ initial: pages });
      const instance = new wasm.Instance(module, { m: { mem: memory } });
      arena = { memory, exports: instance.exports, rows: null };
    } else {
      const have = arena.memory.buffer.byteLength / 65536;
      if (have < pages) arena.memory.grow(pages - have);
    }
  } catch {
    return null;
  }
  return arena;
}
