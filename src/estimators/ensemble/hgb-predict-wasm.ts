import { encodeModule, I32, op, uleb, type WasmFunction } from '../linear/wasm/encoder.js';
import type { LoopTree } from './hgb-predict.js';

/**
 * The blocked boosting walk of hgb-predict.ts (addBlock, every tree over one block) as WebAssembly: no
 * bounds check per load, and node links kept as byte addresses, so a step is two integer loads, two
 * float loads, a compare and a shift-add. The same IEEE comparisons pick the same leaves and the same
 * additions run in the same order, so raw predictions are bit-identical to the JavaScript walk.
 */

const { get, set, tee, i32, i32Add, i32Mul, f64Load, f64Store, f64Add, loopStart, brIfOut, loopEnd } = op;
const i32Load = (offset: number) => [0x28, 0x02, ...uleb(offset)];
const i32Shl = [0x74];
const i32ShrU = [0x76];
const i32Xor = [0x73];
const i32Or = [0x72];
const i32Eqz = [0x45];
const i32Eq = [0x46];
const i32GtS = [0x4a];
const i32GeS = [0x4e];
const f64Gt = [0x64];
const ifStart = [0x04, 0x40];
const end = [0x0b];

/** Bytes of a node: f64 threshold at 0, i32 feature byte offset at 8, i32 left child address at 12. */
const NODE_BYTES = 16;

/**
 * walk(pTable, nTrees, pRows, rowBytes, len, pRaw, kBytes): for each tree t (table entry at pTable + 8t:
 * root address, value bias) adds the leaf value of rows 0..len-1 of the row-major block at pRows to the
 * raw block at pRaw (row stride kBytes) in output t % k.
 */
const _walk: WasmFunction = (() => {
  const [pTable, nTrees, pRows, rowBytes, len, pRaw, kBytes] = [0, 1, 2, 3, 4, 5, 6];
  const [tEnd, c, root, bias, r, o, a0, a1, a2, a3, n0, n1, n2, n3, m0, m1, m2, m3] = [7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24];
  // m = link(n) + ((row[a + feature(n)] > threshold(n)) << 4)
  const step = (a: number, n: number, m: number) => [
    ...get(n),
    ...i32Load(12),
    ...get(a),
    ...get(n),
    ...i32Load(8),
    ...i32Add,
    ...f64Load(0),
    ...get(n),
    ...f64Load(0),
    ...f64Gt,
    ...i32(4),
    ...i32Shl,
    ...i32Add,
    ...set(m),
  ];
  // raw[at] += value(n), the value at bias + n / 2 (values are 8 bytes a node, nodes 16).
  const addLeaf = (at: number[], n: number) => [...at, ...at, ...f64Load(0), ...get(n), ...i32(1), ...i32ShrU, ...get(bias), ...i32Add, ...f64Load(0), ...f64Add, ...f64Store(0)];
  const rawAt = (rows: number) => (rows === 0 ? get(o) : [...get(o), ...get(kBytes), ...i32(rows), ...i32Mul, ...i32Add]);
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
    ...set(a0),
    ...i32(0),
    ...set(r),
    ...loopStart, // groups of four rows
    ...get(r),
    ...i32(4),
    ...i32Add,
    ...get(len),
    ...i32GtS,
    ...brIfOut,
    ...get(a0),
    ...get(rowBytes),
    ...i32Add,
    ...tee(a1),
    ...get(rowBytes),
    ...i32Add,
    ...tee(a2),
    ...get(rowBytes),
    ...i32Add,
    ...set(a3),
    ...get(root),
    ...tee(n0),
    ...tee(n1),
    ...tee(n2),
    ...set(n3),
    ...loopStart, // steps until no row moves
    ...step(a0, n0, m0),
    ...step(a1, n1, m1),
    ...step(a2, n2, m2),
    ...step(a3, n3, m3),
    ...get(m0),
    ...get(n0),
    ...i32Xor,
    ...get(m1),
    ...get(n1),
    ...i32Xor,
    ...i32Or,
    ...get(m2),
    ...get(n2),
    ...i32Xor,
    ...i32Or,
    ...get(m3),
    ...get(n3),
    ...i32Xor,
    ...i32Or,
    ...i32Eqz,
    ...brIfOut,
    ...get(m0),
    ...set(n0),
    ...get(m1),
    ...set(n1),
    ...get(m2),
    ...set(n2),
    ...get(m3),
    ...set(n3),
    ...loopEnd,
    ...addLeaf(rawAt(0), n0),
    ...addLeaf(rawAt(1), n1),
    ...addLeaf(rawAt(2), n2),
    ...addLeaf(rawAt(3), n3),
    ...get(r),
    ...i32(4),
    ...i32Add,
    ...set(r),
    ...get(a3),
    ...get(rowBytes),
    ...i32Add,
    ...set(a0),
    ...get(o),
    ...get(kBytes),
    ...i32(2),
    ...i32Shl,
    ...i32Add,
    ...set(o),
    ...loopEnd,
    ...loopStart, // the last rows, one at a time
    ...get(r),
    ...get(len),
    ...i32GeS,
    ...brIfOut,
    ...get(root),
    ...set(n0),
    ...loopStart,
    ...step(a0, n0, m0),
    ...get(m0),
    ...get(n0),
    ...i32Eq,
    ...brIfOut,
    ...get(m0),
    ...set(n0),
    ...loopEnd,
    ...addLeaf(get(o), n0),
    ...get(r),
    ...i32(1),
    ...i32Add,
    ...set(r),
    ...get(a0),
    ...get(rowBytes),
    ...i32Add,
    ...set(a0),
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
  return { name: 'walk', params: new Array<number>(7).fill(I32), results: [], locals: new Array<number>(18).fill(I32), body };
})();

type _Walk = (pTable: number, nTrees: number, pRows: number, rowBytes: number, len: number, pRaw: number, kBytes: number) => void;

interface _WasmApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
  Memory: new (descriptor: { initial: number }) => { buffer: ArrayBuffer };
}

let compiled: object | null | undefined;
let enabled = true;

function _module(): object | null {
  if (compiled === undefined) {
    const wasm = (globalThis as { WebAssembly?: _WasmApi }).WebAssembly;
    try {
      const bytes = encodeModule([_walk]);
      compiled = wasm?.validate(bytes) ? new wasm.Module(bytes) : null;
    } catch {
      compiled = null;
    }
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
    const wasm = (globalThis as unknown as { WebAssembly: _WasmApi }).WebAssembly;
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
