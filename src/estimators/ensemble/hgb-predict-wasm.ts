import { compileModule, I32, op, type WasmFunction, wasmApi } from '../linear/wasm/encoder.js';
import type { LoopTree } from './hgb-predict.js';

/**
 * The blocked boosting walk of hgb-predict.ts (addBlock, every tree over one block) as WebAssembly: no
 * bounds check per load, and node links kept as byte addresses, so a step is two integer loads, two
 * float loads, a compare and a shift-add. The same IEEE comparisons pick the same leaves and the same
 * additions run in the same order, so raw predictions are bit-identical to the JavaScript walk.
 */

const { get, set, tee, i32, i32Add, i32Mul, f64Load, f64Store, f64Add, loopStart, brIfOut, loopEnd } = op;
const { i32Load, i32Shl, i32ShrU, i32Xor, i32Or, i32Eqz, i32Eq, i32GtS, i32GeS, f64Gt, ifStart, end } = op;

/** Bytes of a node: f64 threshold at 0, i32 feature byte offset at 8, i32 left child address at 12. */
const NODE_BYTES = 16;

/**
 * walk(pTable, nTrees, pRows, rowBytes, len, pRaw, kBytes): for each tree t (table entry at pTable + 8t:
 * root address, value bias) adds the leaf value of rows 0..len-1 of the row-major block at pRows to the
 * raw block at pRaw (row stride kBytes) in output t % k. Rows walk `lanes` at a time, all stepping until
 * none moves, as addBlock's four.
 */
function _walkKernel(lanes: number): WasmFunction {
  const [pTable, nTrees, pRows, rowBytes, len, pRaw, kBytes] = [0, 1, 2, 3, 4, 5, 6];
  const [tEnd, c, root, bias, r, o] = [7, 8, 9, 10, 11, 12];
  // Per lane: the row's address, its node, the node it steps to.
  const a = Array.from({ length: lanes }, (_, j) => 13 + j);
  const n = Array.from({ length: lanes }, (_, j) => 13 + lanes + j);
  const m = Array.from({ length: lanes }, (_, j) => 13 + 2 * lanes + j);
  // m = link(n) + ((row[a + feature(n)] > threshold(n)) << 4)
  const step = (j: number) => [
    ...get(n[j]),
    ...i32Load(12),
    ...get(a[j]),
    ...get(n[j]),
    ...i32Load(8),
    ...i32Add,
    ...f64Load(0),
    ...get(n[j]),
    ...f64Load(0),
    ...f64Gt,
    ...i32(4),
    ...i32Shl,
    ...i32Add,
    ...set(m[j]),
  ];
  // raw[at] += value(n), the value at bias + n / 2 (values are 8 bytes a node, nodes 16).
  const addLeaf = (at: number[], node: number) => [
    ...at,
    ...at,
    ...f64Load(0),
    ...get(node),
    ...i32(1),
    ...i32ShrU,
    ...get(bias),
    ...i32Add,
    ...f64Load(0),
    ...f64Add,
    ...f64Store(0),
  ];
  const rawAt = (row: number) => (row === 0 ? get(o) : [...get(o), ...get(kBytes), ...i32(row), ...i32Mul, ...i32Add]);
  const range = [...Array(lanes).keys()];
  const body = [
    ...get(pTable),
    ...get(nTrees),
    ...i32(3),
    ...i32Shl,
    ...i32Add,
    ...set(tEnd),
    ...loopStart, // trees
    ...get(pTable),
    ...get(tEnd),
    ...i32GeS,
    ...brIfOut,
    ...get(pTable),
    ...i32Load(0),
    ...set(root),
    ...get(pTable),
    ...i32Load(4),
    ...set(bias),
    ...get(pRaw),
    ...get(c),
    ...i32Add,
    ...set(o),
    ...get(pRows),
    ...set(a[0]),
    ...i32(0),
    ...set(r),
    ...loopStart, // groups of `lanes` rows
    ...get(r),
    ...i32(lanes),
    ...i32Add,
    ...get(len),
    ...i32GtS,
    ...brIfOut,
    ...range.slice(1).flatMap((j) => [...get(a[j - 1]), ...get(rowBytes), ...i32Add, ...set(a[j])]),
    ...range.flatMap((j) => [...get(root), ...set(n[j])]),
    ...loopStart, // steps until no row moves
    ...range.flatMap(step),
    ...range.flatMap((j) => [...get(m[j]), ...get(n[j]), ...i32Xor, ...(j > 0 ? i32Or : [])]),
    ...i32Eqz,
    ...brIfOut,
    ...range.flatMap((j) => [...get(m[j]), ...set(n[j])]),
    ...loopEnd,
    ...range.flatMap((j) => addLeaf(rawAt(j), n[j])),
    ...get(r),
    ...i32(lanes),
    ...i32Add,
    ...set(r),
    ...get(a[lanes - 1]),
    ...get(rowBytes),
    ...i32Add,
    ...set(a[0]),
    ...rawAt(lanes),
    ...set(o),
    ...loopEnd,
    ...loopStart, // the last rows, one at a time
    ...get(r),
    ...get(len),
    ...i32GeS,
    ...brIfOut,
    ...get(root),
    ...set(n[0]),
    ...loopStart,
    ...step(0),
    ...get(m[0]),
    ...get(n[0]),
    ...i32Eq,
    ...brIfOut,
    ...get(m[0]),
    ...set(n[0]),
    ...loopEnd,
    ...addLeaf(get(o), n[0]),
    ...get(r),
    ...i32(1),
    ...i32Add,
    ...set(r),
    ...get(a[0]),
    ...get(rowBytes),
    ...i32Add,
    ...set(a[0]),
    ...get(o),
    ...get(kBytes),
    ...i32Add,
    ...set(o),
    ...loopEnd,
    // Next tree, next output (t % k).
    ...get(c),
    ...i32(8),
    ...i32Add,
    ...tee(c),
    ...get(kBytes),
    ...i32Eq,
    ...ifStart,
    ...i32(0),
    ...set(c),
    ...end,
    ...get(pTable),
    ...i32(8),
    ...i32Add,
    ...set(pTable),
    ...loopEnd,
  ];
  return { name: 'walk', params: new Array<number>(7).fill(I32), results: [], locals: new Array<number>(6 + 3 * lanes).fill(I32), body };
}

/**
 * Rows stepping together: more lanes overlap more load latencies but wait longer on their deepest row
 * (100k rows × 300 trees of 31 leaves: 2 lanes 520 ms CPU, 4 lanes 370, 6 lanes 310, 8 lanes 320).
 */
const _walk = _walkKernel(6);

type _Walk = (pTable: number, nTrees: number, pRows: number, rowBytes: number, len: number, pRaw: number, kBytes: number) => void;

let compiled: object | null | undefined;
let enabled = true;

function _module(): object | null {
  if (compiled === undefined) {
    compiled = compileModule([_walk]);
  }
  return compiled;
}

/**
 * Turns the WebAssembly walk off (false) or back on, so tests can compare it with the JavaScript walk;
 * returns whether it is available at all.
 * @example
 * setPredictWasm(false); // boosting predict now walks in JavaScript
 */
export function setPredictWasm(on: boolean): boolean {
  enabled = on;
  return _module() !== null;
}

const _walkers = new WeakMap<readonly LoopTree[], BlockWalker>();

/**
 * The {@link BlockWalker} of a model's trees for blocks of `blockRows` rows of `d` features, built on
 * first use and cached on the trees list; null without WebAssembly or when switched off.
 * @example
 * const walker = walkerFor(loopTrees(state.trees), d, k, blockRows);
 */
export function walkerFor(trees: readonly LoopTree[], d: number, k: number, blockRows: number): BlockWalker | null {
  if (!enabled) return null;
  let walker = _walkers.get(trees);
  if (walker === undefined || walker.d !== d || walker.blockRows !== blockRows || walker.raw.length !== blockRows * k) {
    const made = BlockWalker.create(trees, d, k, blockRows);
    if (made === null) return null;
    walker = made;
    _walkers.set(trees, walker);
  }
  return walker;
}

/**
 * A model's trees in a WebAssembly memory, with room for one block of rows and its raw predictions:
 * JavaScript copies a block in, one call walks every tree over it, JavaScript copies the sums out.
 * @example
 * const walker = BlockWalker.create(loopTrees(state.trees), d, k, 1024);
 * walker?.rows.set(block); walker?.raw.set(rawBlock); walker?.walk(len);
 */
export class BlockWalker {
  /** Row-major `blockRows × d` rows, to fill before {@link walk}. */
  readonly rows: Float64Array;
  /** Row-major `blockRows × k` raw predictions, to fill with the running sums before {@link walk}. */
  readonly raw: Float64Array;
  readonly blockRows: number;
  readonly d: number;
  readonly #walk: _Walk;
  readonly #table: number;
  readonly #nTrees: number;
  readonly #k: number;

  private constructor(walk: _Walk, rows: Float64Array, raw: Float64Array, table: number, nTrees: number, d: number, k: number, blockRows: number) {
    this.#walk = walk;
    this.rows = rows;
    this.raw = raw;
    this.#table = table;
    this.#nTrees = nTrees;
    this.d = d;
    this.#k = k;
    this.blockRows = blockRows;
  }

  /** The walker of these trees for rows of `d` features and `k` outputs; null without WebAssembly or when switched off. */
  static create(trees: readonly LoopTree[], d: number, k: number, blockRows: number): BlockWalker | null {
    const module = enabled ? _module() : null;
    if (module === null) return null;
    let size = 0;
    const take = (bytes: number) => {
      const at = size;
      size += Math.ceil(bytes / 16) * 16;
      return at;
    };
    const nodes = trees.map((tree) => take(tree.values.length * NODE_BYTES));
    const values = trees.map((tree) => take(tree.values.length * 8));
    const table = take(trees.length * 8);
    const rows = take(blockRows * d * 8);
    const raw = take(blockRows * k * 8);
    if (size > 2 ** 31 - 65536) return null;
    const wasm = wasmApi();
    let memory: { buffer: ArrayBuffer };
    try {
      memory = new wasm.Memory({ initial: Math.max(1, Math.ceil(size / 65536)) });
    } catch {
      return null;
    }
    const buffer = memory.buffer;
    const entries = new Int32Array(buffer, table, 2 * trees.length);
    trees.forEach((tree, t) => {
      const count = tree.values.length;
      const thresholds = new Float64Array(buffer, nodes[t], 2 * count);
      const links = new Int32Array(buffer, nodes[t], 4 * count);
      for (let m = 0; m < count; m++) {
        thresholds[2 * m] = tree.thresholds[2 * m];
        links[4 * m + 2] = 8 * tree.links[4 * m + 2];
        links[4 * m + 3] = nodes[t] + NODE_BYTES * tree.links[4 * m + 3];
      }
      new Float64Array(buffer, values[t], count).set(tree.values);
      entries[2 * t] = nodes[t];
      // A node at address a has its value at values[t] + (a - nodes[t]) / 2.
      entries[2 * t + 1] = values[t] - nodes[t] / 2;
    });
    const instance = new wasm.Instance(module, { m: { mem: memory } });
    return new BlockWalker(
      instance.exports.walk as _Walk,
      new Float64Array(buffer, rows, blockRows * d),
      new Float64Array(buffer, raw, blockRows * k),
      table,
      trees.length,
      d,
      k,
      blockRows,
    );
  }

  /** Adds every tree's leaf values for the first `len` rows of {@link rows} to {@link raw}. */
  walk(len: number): void {
    this.#walk(this.#table, this.#nTrees, this.rows.byteOffset, 8 * this.d, len, this.raw.byteOffset, 8 * this.#k);
  }
}
