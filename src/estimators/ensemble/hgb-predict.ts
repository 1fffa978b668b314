import { gatherRows } from '../tree/tree-walk.js';
import type { HistTree } from './hgb-grower.js';
import { walkerFor } from './hgb-predict-wasm.js';

/**
 * A boosting tree re-laid for batch predict: 16 bytes per node in one buffer (threshold in
 * `thresholds[2m]`, feature in `links[4m + 2]`, left child in `links[4m + 3]`, the right child being the
 * next node), so a step is `left + (x > threshold)` without a branch. A leaf links to itself with a
 * threshold of +Infinity, so a walk that reached it stays there: four rows can then step together until
 * none moves, with no branch per row on whether it is done. Leaf values sit at the same node index in
 * `values`.
 * @example
 * const loop = loopTree(tree); loop.links[3] === 0; // the root is a leaf
 */
export interface LoopTree {
  readonly thresholds: Float64Array;
  readonly links: Int32Array;
  readonly values: Float64Array;
}

/**
 * A fitted boosting tree as a {@link LoopTree}.
 * @example
 * const loop = loopTree(model.estimators[0]);
 */
export function loopTree(tree: Readonly<HistTree>): LoopTree {
  const count = Math.max(1, tree.left.length);
  const buffer = new ArrayBuffer(16 * count);
  const thresholds = new Float64Array(buffer);
  const links = new Int32Array(buffer);
  const values = new Float64Array(count);
  // Depth first, children numbered in pairs (the right child is left + 1).
  const original = [0];
  const placed = [0];
  let next = 1;
  while (original.length > 0) {
    const node = original.pop() as number;
    const at = placed.pop() as number;
    if (tree.left[node] === -1) {
      thresholds[2 * at] = Number.POSITIVE_INFINITY;
      links[4 * at + 3] = at;
      values[at] = tree.value[node];
      continue;
    }
    thresholds[2 * at] = tree.threshold[node];
    links[4 * at + 2] = tree.feature[node];
    links[4 * at + 3] = next;
    original.push(tree.right[node], tree.left[node]);
    placed.push(next + 1, next);
    next += 2;
  }
  return { thresholds, links, values };
}

const _cache = new WeakMap<readonly Readonly<HistTree>[], LoopTree[]>();

/**
 * The {@link LoopTree}s of a fitted model's trees, built on first use and cached on the trees array
 * (fitted state is never mutated; the cache goes with the model).
 * @example
 * const loops = loopTrees(state.trees);
 */
export function loopTrees(trees: readonly Readonly<HistTree>[]): LoopTree[] {
  let loops = _cache.get(trees);
  if (loops === undefined) {
    loops = trees.map(loopTree);
    _cache.set(trees, loops);
  }
  return loops;
}

/** Row-major bytes per block: a block (and one small tree) stays in the core's L2 while every tree walks it. */
const _BLOCK_BYTES = 1 << 16;

/**
 * Adds every tree's leaf value to the raw predictions of the rows (`raw[i * k + t % k] += value`, tree
 * `t` in order), like scikit-learn's TreePredictor per tree, with the same sum in the same order per
 * row. Rows are copied a block at a time into a row-major buffer small enough to stay cached, and each
 * tree walks the whole block before the next (its nodes stay cached too). Returns false, having stopped
 * early, when a value is NaN or ±Infinity (the caller reports it).
 * @example
 * const raw = new Float64Array(n * k); // baseline filled in
 * if (!addTrees(loopTrees(state.trees), columns, n, raw, k)) assertFinite(columns, names, owner);
 */
export function addTrees(trees: readonly LoopTree[], columns: readonly Float64Array[], nRows: number, raw: Float64Array, k: number): boolean {
  const d = columns.length;
  const blockRows = Math.max(4, Math.floor(_BLOCK_BYTES / (8 * Math.max(1, d))));
  const walker = walkerFor(trees, d, k, blockRows);
  if (walker !== null) {
    for (let start = 0; start < nRows; start += blockRows) {
      const len = Math.min(blockRows, nRows - start);
      if (!gatherRows(columns, start, len, walker.rows)) return false;
      walker.raw.set(raw.subarray(start * k, (start + len) * k));
      walker.walk(len);
      raw.set(walker.raw.subarray(0, len * k), start * k);
    }
    return true;
  }
  const rows = new Float64Array(Math.min(nRows, blockRows) * d);
  for (let start = 0; start < nRows; start += blockRows) {
    const len = Math.min(blockRows, nRows - start);
    if (!gatherRows(columns, start, len, rows)) return false;
    for (let t = 0; t < trees.length; t++) addBlock(trees[t], rows, d, len, raw, start * k + (t % k), k);
  }
  return true;
}

/**
 * Adds one tree's leaf values for the first `len` rows of the row-major block `rows` to `raw[at]`,
 * `raw[at + k]`, … Rows walk four at a time: a step of one walk waits on the load of its node, and four
 * independent chains overlap those waits; all four step until none moves (a finished row stays on its
 * leaf), which costs the deepest of the four paths but no branch per row.
 * @example
 * addBlock(loopTree(tree), rows, d, len, raw, start * k + c, k);
 */
export function addBlock(tree: LoopTree, rows: Float64Array, d: number, len: number, raw: Float64Array, at: number, k: number): void {
  const { thresholds, links, values } = tree;
  let r = 0;
  let o = at;
  for (; r + 4 <= len; r += 4, o += 4 * k) {
    const a0 = r * d;
    const a1 = a0 + d;
    const a2 = a1 + d;
    const a3 = a2 + d;
    let n0 = 0;
    let n1 = 0;
    let n2 = 0;
    let n3 = 0;
    for (;;) {
      const m0 = links[4 * n0 + 3] + +(rows[a0 + links[4 * n0 + 2]] > thresholds[2 * n0]);
      const m1 = links[4 * n1 + 3] + +(rows[a1 + links[4 * n1 + 2]] > thresholds[2 * n1]);
      const m2 = links[4 * n2 + 3] + +(rows[a2 + links[4 * n2 + 2]] > thresholds[2 * n2]);
      const m3 = links[4 * n3 + 3] + +(rows[a3 + links[4 * n3 + 2]] > thresholds[2 * n3]);
      if (((m0 ^ n0) | (m1 ^ n1) | (m2 ^ n2) | (m3 ^ n3)) === 0) break;
      n0 = m0;
      n1 = m1;
      n2 = m2;
      n3 = m3;
    }
    raw[o] += values[n0];
    raw[o + k] += values[n1];
    raw[o + 2 * k] += values[n2];
    raw[o + 3 * k] += values[n3];
  }
  for (; r < len; r++, o += k) {
    const a = r * d;
    let n = 0;
    for (;;) {
      const m = links[4 * n + 3] + +(rows[a + links[4 * n + 2]] > thresholds[2 * n]);
      if (m === n) break;
      n = m;
    }
    raw[o] += values[n];
  }
}
