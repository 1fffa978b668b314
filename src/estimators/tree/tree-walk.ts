import { TREE_LEAF, type TreeArrays } from './tree-arrays.js';

/**
 * A fitted tree re-laid for batch predict: 16 bytes per node in one buffer, so a step of a walk reads
 * one cache line instead of four (feature, threshold, left, right in separate arrays). Node `m` holds
 * its threshold in `thresholds[2m]`, its feature in `links[4m + 2]` and in `links[4m + 3]` either the
 * index of its left child (the right child is the next node: siblings are stored side by side, so
 * `left + (x > threshold)` picks the child without a branch) or, for a leaf, `~id` with `id` the leaf's
 * node index in the {@link TreeArrays}, where its value lives.
 * @example
 * const compact = compactTree(tree); compact.links[3] < 0; // the root is a leaf
 */
export interface CompactTree {
  readonly thresholds: Float64Array;
  readonly links: Int32Array;
}

/** One-element arrays, so a single tree's predict passes its cached list to {@link walkTrees} without allocating one. */
const _compactCache = new WeakMap<TreeArrays, readonly CompactTree[]>();

/**
 * The {@link CompactTree} of a fitted tree, built once per tree object and cached (the fitted state is
 * never mutated, and the cache lets it go with the model).
 * @example
 * const compact = compactTree(state);
 */
export function compactTree(tree: TreeArrays): CompactTree {
  return soleTree(tree)[0];
}

/**
 * A single tree as the list {@link walkTrees} takes, cached like {@link compactTree}.
 * @example
 * walkTrees(soleTree(state), columns, n, visit);
 */
export function soleTree(tree: TreeArrays): readonly CompactTree[] {
  let list = _compactCache.get(tree);
  if (list === undefined) {
    list = [_relayout(tree)];
    _compactCache.set(tree, list);
  }
  return list;
}

function _relayout(tree: TreeArrays): CompactTree {
  const buffer = new ArrayBuffer(16 * Math.max(1, tree.nodeCount));
  const thresholds = new Float64Array(buffer);
  const links = new Int32Array(buffer);
  // Depth first (a subtree stays contiguous, as in the builder's order), children numbered in pairs.
  const original = [0];
  const placed = [0];
  let next = 1;
  while (original.length > 0) {
    const node = original.pop() as number;
    const at = placed.pop() as number;
    if (tree.left[node] === TREE_LEAF) {
      links[4 * at + 3] = ~node;
      continue;
    }
    thresholds[2 * at] = tree.threshold[node];
    links[4 * at + 2] = tree.feature[node];
    links[4 * at + 3] = next;
    original.push(tree.right[node], tree.left[node]);
    placed.push(next + 1, next);
    next += 2;
  }
  return { thresholds, links };
}

/**
 * Rows per block for {@link walkTrees}: one tree keeps its nodes cached across small blocks; a forest
 * walks each tree over a large block (up to 4 MB of rows) so every tree's nodes are loaded once per block.
 */
function _blockRows(nTrees: number, d: number, nRows: number): number {
  const wanted = nTrees <= 1 ? 1024 : Math.max(1024, Math.floor((1 << 19) / Math.max(1, d)));
  return Math.max(1, Math.min(nRows, wanted));
}

/**
 * Walks every row of the columns down every tree. Rows are copied a block at a time into a small
 * row-major buffer (a walk then touches one row's cache lines, not one line per column), and each tree
 * walks the whole block before the next tree starts, so its nodes stay cached. `visit(t, leaves, start,
 * len)` gets, for tree `t`, the leaf node index of rows `start .. start + len - 1` in `leaves[0 .. len)`;
 * trees come in order for each block, so sums over trees add up in the same order as one tree at a time.
 * Returns false, having stopped early, when a block holds NaN or ±Infinity (the caller reports it).
 * @example
 * walkTrees(compactForest(trees), columns, n, (t, leaves, start, len) => { ... });
 */
export function walkTrees(
  trees: readonly CompactTree[],
  columns: readonly Float64Array[],
  nRows: number,
  visit: (t: number, leaves: Int32Array, start: number, len: number) => void,
): boolean {
  if (nRows <= _FEW_ROWS) return _walkFew(trees, columns, nRows, visit);
  const d = columns.length;
  const blockRows = _blockRows(trees.length, d, nRows);
  const rows = new Float64Array(blockRows * d);
  const leaves = new Int32Array(blockRows);
  for (let start = 0; start < nRows; start += blockRows) {
    const len = Math.min(blockRows, nRows - start);
    if (!gatherRows(columns, start, len, rows)) return false;
    for (let t = 0; t < trees.length; t++) {
      walkBlock(trees[t], rows, d, len, leaves);
      visit(t, leaves, start, len);
    }
  }
  return true;
}

/**
 * Up to this many rows are walked straight from the columns: a row-major buffer of more than 64 bytes
 * lives outside V8's heap, and allocating one costs more than a single-row predict's whole walk.
 */
const _FEW_ROWS = 8;

function _walkFew(
  trees: readonly CompactTree[],
  columns: readonly Float64Array[],
  nRows: number,
  visit: (t: number, leaves: Int32Array, start: number, len: number) => void,
): boolean {
  let probe = 0;
  for (let j = 0; j < columns.length; j++) for (let i = 0; i < nRows; i++) probe += columns[j][i] - columns[j][i];
  if (probe !== 0) return false;
  const leaves = new Int32Array(nRows);
  for (let t = 0; t < trees.length; t++) {
    const { thresholds, links } = trees[t];
    for (let i = 0; i < nRows; i++) {
      let n = 0;
      let c = links[3];
      while (c >= 0) {
        // A branch, not the offset: a single row's path is what the branch predictor learns (repeated or near-identical requests).
        n = columns[links[4 * n + 2]][i] > thresholds[2 * n] ? c + 1 : c;
        c = links[4 * n + 3];
      }
      leaves[i] = ~c;
    }
    visit(t, leaves, 0, nRows);
  }
  return true;
}

/**
 * The leaf node index of every row in one tree. The columns must be finite (they are not checked).
 * @example
 * const leaves = applyTree(tree, [Float64Array.of(5.1), Float64Array.of(1.4)], 1);
 */
export function applyTree(tree: TreeArrays, columns: readonly Float64Array[], nRows: number): Int32Array {
  const out = new Int32Array(nRows);
  walkTrees(soleTree(tree), columns, nRows, (_, leaves, start, len) => out.set(leaves.subarray(0, len), start));
  return out;
}

const _forestCache = new WeakMap<readonly TreeArrays[], CompactTree[]>();

/**
 * The compact trees of a forest, cached on its trees array (one lookup per predict, however many trees).
 * @example
 * walkTrees(compactForest(state.trees), columns, n, visit);
 */
export function compactForest(trees: readonly TreeArrays[]): CompactTree[] {
  let compacts = _forestCache.get(trees);
  if (compacts === undefined) {
    compacts = trees.map(compactTree);
    _forestCache.set(trees, compacts);
  }
  return compacts;
}

/**
 * Copies rows `start .. start + len - 1` of the columns into `rows`, row-major (`len × d`). Returns
 * false when one of the values is NaN or ±Infinity (x − x is then NaN), at no extra pass.
 * @example
 * gatherRows([x0, x1], 0, 256, rows);
 */
export function gatherRows(columns: readonly Float64Array[], start: number, len: number, rows: Float64Array): boolean {
  const d = columns.length;
  let probe = 0;
  for (let j = 0; j < d; j++) {
    const col = columns[j];
    for (let r = 0, at = j, i = start; r < len; r++, at += d, i++) {
      const v = col[i];
      probe += v - v;
      rows[at] = v;
    }
  }
  return probe === 0;
}

/**
 * The leaf of each of the first `len` rows of the row-major block `rows` (`d` values per row), into
 * `leaves`. Four walks run interleaved, each lane taking the next row as soon as its row reaches a
 * leaf: a step of one walk waits on the load of its node, and the four chains overlap those waits.
 * @example
 * walkBlock(compactTree(tree), rows, d, len, leaves);
 */
export function walkBlock(tree: CompactTree, rows: Float64Array, d: number, len: number, leaves: Int32Array): void {
  const { thresholds, links } = tree;
  const root = links[3];
  if (root < 0) {
    leaves.fill(~root, 0, len);
    return;
  }
  if (len < 4) {
    for (let r = 0; r < len; r++) leaves[r] = _walkOne(thresholds, links, rows, r * d);
    return;
  }
  let next = 4;
  let r0 = 0;
  let r1 = 1;
  let r2 = 2;
  let r3 = 3;
  let a0 = 0;
  let a1 = d;
  let a2 = 2 * d;
  let a3 = 3 * d;
  let n0 = 0;
  let n1 = 0;
  let n2 = 0;
  let n3 = 0;
  let c0 = root;
  let c1 = root;
  let c2 = root;
  let c3 = root;
  for (;;) {
    // +(x > t) is the child offset without a branch; a finite row never compares NaN.
    n0 = c0 + +(rows[a0 + links[4 * n0 + 2]] > thresholds[2 * n0]);
    n1 = c1 + +(rows[a1 + links[4 * n1 + 2]] > thresholds[2 * n1]);
    n2 = c2 + +(rows[a2 + links[4 * n2 + 2]] > thresholds[2 * n2]);
    n3 = c3 + +(rows[a3 + links[4 * n3 + 2]] > thresholds[2 * n3]);
    c0 = links[4 * n0 + 3];
    c1 = links[4 * n1 + 3];
    c2 = links[4 * n2 + 3];
    c3 = links[4 * n3 + 3];
    if ((c0 | c1 | c2 | c3) >= 0) continue;
    // Some lane reached a leaf: record it and give the lane the next row, or stop refilling at the end.
    if (c0 < 0) {
      leaves[r0] = ~c0;
      if (next >= len) break;
      r0 = next++;
      a0 = r0 * d;
      n0 = 0;
      c0 = root;
    }
    if (c1 < 0) {
      leaves[r1] = ~c1;
      if (next >= len) break;
      r1 = next++;
      a1 = r1 * d;
      n1 = 0;
      c1 = root;
    }
    if (c2 < 0) {
      leaves[r2] = ~c2;
      if (next >= len) break;
      r2 = next++;
      a2 = r2 * d;
      n2 = 0;
      c2 = root;
    }
    if (c3 < 0) {
      leaves[r3] = ~c3;
      if (next >= len) break;
      r3 = next++;
      a3 = r3 * d;
      n3 = 0;
      c3 = root;
    }
  }
  // Out of rows: finish the lanes still walking (a finished lane's leaf is simply written again).
  leaves[r0] = c0 < 0 ? ~c0 : _walkFrom(thresholds, links, rows, a0, n0, c0);
  leaves[r1] = c1 < 0 ? ~c1 : _walkFrom(thresholds, links, rows, a1, n1, c1);
  leaves[r2] = c2 < 0 ? ~c2 : _walkFrom(thresholds, links, rows, a2, n2, c2);
  leaves[r3] = c3 < 0 ? ~c3 : _walkFrom(thresholds, links, rows, a3, n3, c3);
}

function _walkOne(thresholds: Float64Array, links: Int32Array, rows: Float64Array, at: number): number {
  return _walkFrom(thresholds, links, rows, at, 0, links[3]);
}

/** Continues a walk at node `node` whose link is `child`; returns the leaf's node index. */
function _walkFrom(thresholds: Float64Array, links: Int32Array, rows: Float64Array, at: number, node: number, child: number): number {
  let n = node;
  let c = child;
  while (c >= 0) {
    n = c + +(rows[at + links[4 * n + 2]] > thresholds[2 * n]);
    c = links[4 * n + 3];
  }
  return ~c;
}
