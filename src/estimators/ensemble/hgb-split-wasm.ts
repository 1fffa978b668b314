import { F64, I32, op, type WasmFunction } from '../linear/wasm/encoder.js';
import { HIST_STRIDE } from './hgb-histogram.js';

/** Smallest hessian sum a child may have (scikit-learn's min_hessian_to_split). */
export const MIN_HESSIAN_TO_SPLIT = 1e-3;

const { get, set, tee, i32, i32Add, i32GeU, f64Add, f64Sub, f64Mul, f64Div, f64Lt, f64Gt, f64Load, f64Store, loopStart, brIfOut, loopEnd } = op;
const { blockStart, ifStart, end, brIf } = op;
const i32Store = op.i32Store(24);
const BIN_BYTES = HIST_STRIDE * 8;

/**
 * scan(pBin, pEnd, G, H, nNode, lossNode, l2, minSamplesLeaf, best, pOut) → best: HistGrower#findSplit's
 * loop over one feature's bins `[pBin, pEnd)` (byte addresses of a histogram in memory), the same IEEE
 * operations in the same order, so the chosen split is bit-identical. When a bin's gain beats `best`,
 * the left sums (gradient, hessian, count as f64 at pOut, +8, +16) and that bin's address (i32 at
 * pOut + 24) are written; returns the best gain seen.
 */
export const splitScan: WasmFunction = (() => {
  const [p, pEnd, G, H, nNode, lossNode, l2, minLeaf, best, pOut, gl, hl, nl, hr, gr, gain] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15];
  const minHessian = op.f64Const(MIN_HESSIAN_TO_SPLIT);
  const add = (sum: number, offset: number) => [...get(sum), ...get(p), ...f64Load(offset), ...f64Add, ...set(sum)];
  const body = [
    ...loopStart,
    ...get(p),
    ...get(pEnd),
    ...i32GeU,
    ...brIfOut,
    ...add(gl, 0),
    ...add(hl, 8),
    ...add(nl, 16),
    // Inside this block `br_if 0` is the loop's continue and `br_if 2` its break.
    ...blockStart,
    ...get(nl),
    ...get(minLeaf),
    ...f64Lt,
    ...brIf(0),
    ...get(nNode),
    ...get(nl),
    ...f64Sub,
    ...get(minLeaf),
    ...f64Lt,
    ...brIf(2),
    ...get(H),
    ...get(hl),
    ...f64Sub,
    ...set(hr),
    ...get(hl),
    ...minHessian,
    ...f64Lt,
    ...brIf(0),
    ...get(hr),
    ...minHessian,
    ...f64Lt,
    ...brIf(2),
    ...get(G),
    ...get(gl),
    ...f64Sub,
    ...set(gr),
    ...get(gl),
    ...get(gl),
    ...f64Mul,
    ...get(hl),
    ...get(l2),
    ...f64Add,
    ...f64Div,
    ...get(gr),
    ...get(gr),
    ...f64Mul,
    ...get(hr),
    ...get(l2),
    ...f64Add,
    ...f64Div,
    ...f64Add,
    ...get(lossNode),
    ...f64Sub,
    ...tee(gain),
    ...get(best),
    ...f64Gt,
    ...ifStart,
    ...get(gain),
    ...set(best),
    ...get(pOut),
    ...get(gl),
    ...f64Store(0),
    ...get(pOut),
    ...get(hl),
    ...f64Store(8),
    ...get(pOut),
    ...get(nl),
    ...f64Store(16),
    ...get(pOut),
    ...get(p),
    ...i32Store,
    ...end,
    ...end,
    ...get(p),
    ...i32(BIN_BYTES),
    ...i32Add,
    ...set(p),
    ...loopEnd,
    ...get(best),
  ];
  return { name: 'scan', params: [I32, I32, F64, F64, F64, F64, F64, F64, F64, I32], results: [F64], locals: new Array<number>(6).fill(F64), body };
})();
