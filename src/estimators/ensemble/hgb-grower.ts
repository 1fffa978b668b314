import { MaxHeap } from '../tree/max-heap.js';
import { countHistogram, FEATURE_SPAN, HIST_STRIDE, histogramLength, type PackedBins } from './hgb-histogram.js';
import { MIN_HESSIAN_TO_SPLIT } from './hgb-split-wasm.js';
import { buildHistogramWith, type HistKernel } from './hgb-wasm.js';
import type { HistogramTeam } from './hgb-team.js';

/**
 * One fitted boosting tree as typed arrays (scikit-learn's TreePredictor nodes): a row goes left when
 * `x[feature] <= threshold` (`bin <= binThreshold` on binned data); leaves have `left === -1` and hold
 * the shrunk leaf value.
 * @example
 * const isLeaf = tree.left[node] === -1;
 */
export interface HistTree {
  feature: Int32Array;
  threshold: Float64Array;
  binThreshold: Uint8Array;
  left: Int32Array;
  right: Int32Array;
  value: Float64Array;
  count: Int32Array;
}

/**
 * Growth options of a histogram tree (scikit-learn's TreeGrower).
 * @example
 * const options: GrowerOptions = { maxLeafNodes: 31, maxDepth: null, minSamplesLeaf: 20, l2: 0, shrinkage: 0.1 };
 */
export interface GrowerOptions {
  maxLeafNodes: number | null;
  maxDepth: number | null;
  minSamplesLeaf: number;
  l2: number;
  shrinkage: number;
}

/**
 * Binned training data shared by every tree of a boosting fit: one Uint8Array of bins per feature (for
 * partitioning), the same bins packed row-major (for histograms), the bin thresholds (real values) and
 * the number of bins in use per feature.
 * @example
 * const data: BinnedData = { bins, packed: packBins(bins), thresholds, nBins: Int32Array.from(thresholds, (t) => t.length + 1) };
 */
export interface BinnedData {
  bins: Uint8Array[];
  packed: PackedBins;
  thresholds: Float64Array[];
  nBins: Int32Array;
}

interface _Node {
  id: number;
  start: number;
  end: number;
  depth: number;
  g: number;
  h: number;
  hist: Float64Array | null;
  gain: number;
  feature: number;
  bin: number;
  nLeft: number;
  gLeft: number;
  hLeft: number;
  leftChild: number;
  rightChild: number;
  value: number;
}

/**
 * Grows histogram trees leaf-wise (best gain first) on binned data, the way scikit-learn's
 * HistGradientBoosting TreeGrower does: histograms of gradient and hessian sums per bin, built for the
 * smaller child only and subtracted from the parent for the larger one. One grower serves a whole fit
 * and reuses its buffers.
 * @example
 * const grower = new HistGrower(data, options);
 * const tree = grower.grow(gradients, hessians, raw); // adds the tree's values to raw
 */
export class HistGrower {
  readonly #data: BinnedData;
  readonly #opt: GrowerOptions;
  readonly #n: number;
  readonly #order: Int32Array;
  readonly #tmp: Int32Array;
  /** 0, 1, …, n - 1: every tree's row order starts as a copy. */
  readonly #identity: Int32Array;
  readonly #histSize: number;
  readonly #rootCounts: Float64Array;
  readonly #pool: Float64Array[] = [];

  readonly #team: HistogramTeam | null;
  readonly #kernel: HistKernel | null;
  #output = 0;

  /**
   * With a `team`, histograms are built on its threads; its gradient arrays must be the ones passed to
   * grow. With a `kernel`, by WebAssembly on the kernel's buffers (the team's too).
   */
  constructor(data: BinnedData, options: GrowerOptions, team: HistogramTeam | null = null, kernel: HistKernel | null = null) {
    this.#team = team;
    this.#kernel = kernel;
    this.#data = data;
    this.#opt = options;
    this.#n = data.bins[0].length;
    this.#order = team?.order ?? this.#kernel?.order ?? new Int32Array(this.#n);
    if (this.#kernel !== null) this.#pool.push(...this.#kernel.histograms);
    this.#tmp = new Int32Array(this.#n);
    this.#identity = Int32Array.from({ length: this.#n }, (_, i) => i);
    this.#histSize = histogramLength(data.packed.nWords);
    this.#rootCounts = countHistogram(data.packed, this.#n);
  }

  /**
   * Grows one tree on these gradients (`hessians` null when constant 1, as for squared error) and adds
   * each training row's leaf value to `raw` (stride `rawStride`, offset `rawOffset` for multiclass).
   */
  grow(gradients: Float64Array, hessians: Float64Array | null, raw: Float64Array, rawStride = 1, rawOffset = 0): HistTree {
    this.#output = rawOffset;
    const n = this.#n;
    this.#order.set(this.#identity);
    let g = 0;
    let h = 0;
    // One loop for both sums: two independent chains of additions overlap where two loops would each wait on every add.
    if (hessians === null) {
      for (let i = 0; i < n; i++) g += gradients[i];
      h = n;
    } else
      for (let i = 0; i < n; i++) {
        g += gradients[i];
        h += hessians[i];
      }
    const o = this.#opt;
    const nodes: _Node[] = [];
    const root = this.#node(nodes, 0, n, 0, g, h);
    const heap = new MaxHeap<_Node>((a, b) => a.gain > b.gain || (a.gain === b.gain && a.id < b.id));
    if (n >= 2 * o.minSamplesLeaf && h >= MIN_HESSIAN_TO_SPLIT) {
      root.hist = this.#histogram(root, gradients, hessians);
      if (this.#findSplit(root)) heap.push(root);
    }
    let leaves = 1;
    while (heap.size > 0) {
      const node = heap.pop();
      const mid = this.#partition(node);
      const left = this.#node(nodes, node.start, mid, node.depth + 1, node.gLeft, node.hLeft);
      const right = this.#node(nodes, mid, node.end, node.depth + 1, node.g - node.gLeft, node.h - node.hLeft);
      node.leftChild = left.id;
      node.rightChild = right.id;
      leaves++;
      const parentHist = node.hist as Float64Array;
      node.hist = null;
      if ((o.maxLeafNodes !== null && leaves >= o.maxLeafNodes) || (o.maxDepth !== null && left.depth >= o.maxDepth)) {
        if (o.maxLeafNodes !== null && leaves >= o.maxLeafNodes) while (heap.size > 0) this.#release(heap.pop());
        this.#pool.push(parentHist);
        continue;
      }
      const splitLeft = left.end - left.start >= 2 * o.minSamplesLeaf;
      const splitRight = right.end - right.start >= 2 * o.minSamplesLeaf;
      if (splitLeft || splitRight) {
        const [small, large] = left.end - left.start < right.end - right.start ? [left, right] : [right, left];
        small.hist = this.#histogram(small, gradients, hessians);
        // Histogram subtraction: the larger child's sums are the parent's minus the smaller child's.
        const s = small.hist;
        const kernel = this.#kernel;
        if (kernel?.owns(s) && kernel.owns(parentHist)) kernel.subtract(parentHist, s);
        else for (let j = 0; j < parentHist.length; j++) parentHist[j] -= s[j];
        large.hist = parentHist;
        if (splitLeft && this.#findSplit(left)) heap.push(left);
        else this.#release(left);
        if (splitRight && this.#findSplit(right)) heap.push(right);
        else this.#release(right);
      } else this.#pool.push(parentHist);
    }
    return this.#finish(nodes, raw, rawStride, rawOffset);
  }

  #node(nodes: _Node[], start: number, end: number, depth: number, g: number, h: number): _Node {
    const node: _Node = {
      id: nodes.length,
      start,
      end,
      depth,
      g,
      h,
      hist: null,
      gain: 0,
      feature: -1,
      bin: 0,
      nLeft: 0,
      gLeft: 0,
      hLeft: 0,
      leftChild: -1,
      rightChild: -1,
      value: 0,
    };
    nodes.push(node);
    return node;
  }

  #release(node: _Node): void {
    if (node.hist !== null) this.#pool.push(node.hist);
    node.hist = null;
  }

  /** Gradient/hessian/count sums per feature and bin over the node's rows. */
  #histogram(node: _Node, gradients: Float64Array, hessians: Float64Array | null): Float64Array {
    const hist = this.#pool.pop() ?? new Float64Array(this.#histSize);
    hist.fill(0);
    const counts = node.end - node.start === this.#n ? this.#rootCounts : null;
    if (this.#team !== null) this.#team.build(hist, node.start, node.end, this.#output, hessians !== null, counts);
    else buildHistogramWith(this.#kernel, hist, this.#data.packed, 0, this.#data.packed.nWords, this.#order, node.start, node.end, gradients, hessians, counts);
    return hist;
  }

  /** Best split of the node over every feature and bin; false when none has positive gain. */
  #findSplit(node: _Node): boolean {
    const hist = node.hist as Float64Array;
    const { l2, minSamplesLeaf } = this.#opt;
    const nNode = node.end - node.start;
    const G = node.g;
    const H = node.h;
    const lossNode = (G * G) / (H + l2);
    const nBins = this.#data.nBins;
    let best = 0;
    const kernel = this.#kernel;
    if (kernel?.owns(hist)) {
      for (let f = 0; f < nBins.length; f++) {
        const gain = kernel.scan(hist, f, nBins[f], G, H, nNode, lossNode, l2, minSamplesLeaf, best);
        if (gain > best) {
          best = gain;
          const { gLeft, hLeft, nLeft, bin } = kernel.scanned(hist, f);
          _setSplit(node, f, bin, nLeft, gLeft, hLeft);
        }
      }
    } else {
      for (let f = 0; f < nBins.length; f++) {
        const base = f * FEATURE_SPAN;
        let gl = 0;
        let hl = 0;
        let nl = 0;
        for (let b = 0; b < nBins[f] - 1; b++) {
          const at = base + b * HIST_STRIDE;
          gl += hist[at];
          hl += hist[at + 1];
          nl += hist[at + 2];
          if (nl < minSamplesLeaf) continue;
          if (nNode - nl < minSamplesLeaf) break;
          const hr = H - hl;
          if (hl < MIN_HESSIAN_TO_SPLIT) continue;
          if (hr < MIN_HESSIAN_TO_SPLIT) break;
          const gr = G - gl;
          const gain = (gl * gl) / (hl + l2) + (gr * gr) / (hr + l2) - lossNode;
          if (gain > best) {
            best = gain;
            _setSplit(node, f, b, nl, gl, hl);
          }
        }
      }
    }
    node.gain = best;
    return best > 0;
  }

  /** Moves the node's rows with bin <= split bin to the front of its range; returns the boundary. */
  #partition(node: _Node): number {
    const order = this.#order;
    const tmp = this.#tmp;
    const col = this.#data.bins[node.feature];
    const bin = node.bin;
    if (this.#kernel?.owns(col) && this.#kernel.owns(order)) return this.#kernel.partition(col, node.start, node.end, bin);
    let l = node.start;
    let r = 0;
    // Branch-free: a row goes left about half the time, so a branch would mispredict on every other row.
    for (let p = node.start; p < node.end; p++) {
      const i = order[p];
      const right = (bin - col[i]) >>> 31;
      order[l] = i;
      tmp[r] = i;
      l += right ^ 1;
      r += right;
    }
    order.set(tmp.subarray(0, r), l);
    return l;
  }

  #finish(nodes: _Node[], raw: Float64Array, stride: number, offset: number): HistTree {
    const count = nodes.length;
    const tree: HistTree = {
      feature: new Int32Array(count).fill(-1),
      threshold: new Float64Array(count),
      binThreshold: new Uint8Array(count),
      left: new Int32Array(count).fill(-1),
      right: new Int32Array(count).fill(-1),
      value: new Float64Array(count),
      count: new Int32Array(count),
    };
    const { l2, shrinkage } = this.#opt;
    const order = this.#order;
    for (const node of nodes) {
      tree.count[node.id] = node.end - node.start;
      if (node.leftChild >= 0) {
        tree.feature[node.id] = node.feature;
        tree.binThreshold[node.id] = node.bin;
        tree.threshold[node.id] = this.#data.thresholds[node.feature][node.bin];
        tree.left[node.id] = node.leftChild;
        tree.right[node.id] = node.rightChild;
        continue;
      }
      this.#release(node);
      const value = (-shrinkage * node.g) / (node.h + l2 + Number.EPSILON);
      tree.value[node.id] = value;
      for (let p = node.start; p < node.end; p++) raw[order[p] * stride + offset] += value;
    }
    return tree;
  }
}

/**
 * Adds a tree's leaf values to raw predictions of binned rows (validation data during fit).
 * @example
 * addBinnedTree(tree, validationBins, rawValidation, 1, 0);
 */
export function addBinnedTree(tree: HistTree, bins: readonly Uint8Array[], raw: Float64Array, stride: number, offset: number): void {
  const { feature, binThreshold, left, right, value } = tree;
  const n = bins[0].length;
  for (let i = 0; i < n; i++) {
    let node = 0;
    while (left[node] !== -1) node = bins[feature[node]][i] <= binThreshold[node] ? left[node] : right[node];
    raw[i * stride + offset] += value[node];
  }
}

/**
 * Adds a tree's leaf values to raw predictions of real-valued rows (predict).
 * @example
 * addTree(tree, columns, raw, 1, 0);
 */
export function addTree(tree: HistTree, columns: readonly Float64Array[], raw: Float64Array, stride: number, offset: number): void {
  const { feature, threshold, left, right, value } = tree;
  const n = raw.length / stride;
  for (let i = 0; i < n; i++) {
    let node = 0;
    while (left[node] !== -1) node = columns[feature[node]][i] <= threshold[node] ? left[node] : right[node];
    raw[i * stride + offset] += value[node];
  }
}

/** Records the best split found so far on the node. */
function _setSplit(node: _Node, feature: number, bin: number, nLeft: number, gLeft: number, hLeft: number): void {
  node.feature = feature;
  node.bin = bin;
  node.nLeft = nLeft;
  node.gLeft = gLeft;
  node.hLeft = hLeft;
}
