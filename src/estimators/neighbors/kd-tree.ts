import type { NeighborHeap } from './neighbor-heap.js';

/**
 * A KD-tree as plain typed arrays (so it persists with the model): an implicit complete binary tree
 * (children of node i are 2i+1 and 2i+2), split at the median of the widest dimension, leaves holding
 * at most `leaf_size` points, with each node's bounding box — the layout of scikit-learn's KDTree.
 * `points` is the training data, row-major, permuted into tree order; `order[p]` is its original row.
 * @example
 * const tree = buildKdTree(points, n, d, 30);
 */
export interface KdTree {
  points: Float64Array;
  order: Int32Array;
  nodeStart: Int32Array;
  nodeEnd: Int32Array;
  lower: Float64Array;
  upper: Float64Array;
  nNodes: number;
}

/**
 * Builds a {@link KdTree} over `n` row-major points of `d` dimensions.
 * @example
 * buildKdTree(Float64Array.of(0, 0, 1, 1, 2, 2), 3, 2, 1).nNodes; // 3
 */
export function buildKdTree(data: Float64Array, n: number, d: number, leafSize: number): KdTree {
  const nLevels = Math.floor(Math.log2(Math.max(1, (n - 1) / leafSize))) + 1;
  const nNodes = 2 ** nLevels - 1;
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  const tree: KdTree = {
    points: new Float64Array(n * d),
    order,
    nodeStart: new Int32Array(nNodes),
    nodeEnd: new Int32Array(nNodes),
    lower: new Float64Array(nNodes * d),
    upper: new Float64Array(nNodes * d),
    nNodes,
  };
  _build(tree, data, d, 0, 0, n);
  for (let p = 0; p < n; p++) tree.points.set(data.subarray(order[p] * d, order[p] * d + d), p * d);
  return tree;
}

/**
 * The k nearest training points of one query row (Minkowski `p`, compared as Σ|Δ|^p), pushed into
 * `heap` (emptied first): depth-first, nearer child first, pruning boxes farther than the k-th best.
 * @example
 * queryKdTree(tree, d, 2, query, 0, heap); heap.drainSorted(dist, index, 0);
 */
export function queryKdTree(tree: KdTree, d: number, p: number, query: Float64Array, offset: number, heap: NeighborHeap): void {
  heap.reset();
  _query(tree, d, p, query, offset, heap, 0, _boxDistance(tree, d, p, 0, query, offset));
}

/**
 * Σ|aᵢ − bᵢ|^p over `d` coordinates: the Minkowski distance without the final root (order-preserving).
 * @example
 * reducedDistance(Float64Array.of(0, 0), 0, Float64Array.of(3, 4), 0, 2, 2); // 25
 */
export function reducedDistance(a: Float64Array, aOff: number, b: Float64Array, bOff: number, d: number, p: number): number {
  let s = 0;
  if (p === 2) {
    for (let j = 0; j < d; j++) {
      const t = a[aOff + j] - b[bOff + j];
      s += t * t;
    }
  } else if (p === 1) {
    for (let j = 0; j < d; j++) s += Math.abs(a[aOff + j] - b[bOff + j]);
  } else {
    for (let j = 0; j < d; j++) s += Math.abs(a[aOff + j] - b[bOff + j]) ** p;
  }
  return s;
}

function _build(tree: KdTree, data: Float64Array, d: number, node: number, start: number, end: number): void {
  const { order, lower, upper } = tree;
  tree.nodeStart[node] = start;
  tree.nodeEnd[node] = end;
  const at = node * d;
  lower.fill(Infinity, at, at + d);
  upper.fill(-Infinity, at, at + d);
  for (let q = start; q < end; q++) {
    const row = order[q] * d;
    for (let j = 0; j < d; j++) {
      const v = data[row + j];
      if (v < lower[at + j]) lower[at + j] = v;
      if (v > upper[at + j]) upper[at + j] = v;
    }
  }
  const left = 2 * node + 1;
  if (left >= tree.nNodes) return;
  let dim = 0;
  for (let j = 1; j < d; j++) if (upper[at + j] - lower[at + j] > upper[at + dim] - lower[at + dim]) dim = j;
  const mid = start + ((end - start) >> 1);
  _select(order, data, d, dim, start, end - 1, mid);
  _build(tree, data, d, left, start, mid);
  _build(tree, data, d, left + 1, mid, end);
}

/** Quickselect on `order[lo..hi]` by coordinate `dim`: afterwards order[k] holds the k-th smallest. */
function _select(order: Int32Array, data: Float64Array, d: number, dim: number, lo: number, hi: number, k: number): void {
  while (hi > lo) {
    const pivot = data[order[(lo + hi) >> 1] * d + dim];
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (data[order[i] * d + dim] < pivot) i++;
      while (data[order[j] * d + dim] > pivot) j--;
      if (i <= j) {
        const t = order[i];
        order[i] = order[j];
        order[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return;
  }
}

function _query(tree: KdTree, d: number, p: number, query: Float64Array, offset: number, heap: NeighborHeap, node: number, bound: number): void {
  // `>` rather than `>=`: an equally distant point with a lower index may still displace the k-th.
  if (bound > heap.worst()) return;
  const left = 2 * node + 1;
  if (left >= tree.nNodes) {
    const { points, order } = tree;
    for (let q = tree.nodeStart[node]; q < tree.nodeEnd[node]; q++) {
      const dist = reducedDistance(points, q * d, query, offset, d, p);
      if (dist <= heap.worst()) heap.push(dist, order[q]);
    }
    return;
  }
  const boundLeft = _boxDistance(tree, d, p, left, query, offset);
  const boundRight = _boxDistance(tree, d, p, left + 1, query, offset);
  if (boundLeft <= boundRight) {
    _query(tree, d, p, query, offset, heap, left, boundLeft);
    _query(tree, d, p, query, offset, heap, left + 1, boundRight);
  } else {
    _query(tree, d, p, query, offset, heap, left + 1, boundRight);
    _query(tree, d, p, query, offset, heap, left, boundLeft);
  }
}

/** Reduced distance from the query to the node's bounding box (0 inside it): a lower bound for its points. */
function _boxDistance(tree: KdTree, d: number, p: number, node: number, query: Float64Array, offset: number): number {
  const at = node * d;
  let s = 0;
  for (let j = 0; j < d; j++) {
    const v = query[offset + j];
    const gap = Math.max(0, tree.lower[at + j] - v, v - tree.upper[at + j]);
    s += p === 2 ? gap * gap : p === 1 ? gap : gap ** p;
  }
  return s;
}
