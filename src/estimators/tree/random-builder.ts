import type { CartInput, CartOptions, RegressionCartInput } from './cart.js';
import { FEATURE_THRESHOLD } from './criteria.js';
import { float64Threshold, rowMajorFloat32 } from './float32-rows.js';
import { MaxHeap } from './max-heap.js';
import { NodeStore, resized } from './node-store.js';
import { RandomGiniEntropy, type RandomSplitCriterion, RandomVariance } from './random-criteria.js';
import { type NodeKernel, RandomSplitKernel } from './random-wasm.js';
import type { TreeArrays } from './tree-arrays.js';
import { drawFeature, isMulberry32, type Mulberry32 } from './prng.js';

const EPSILON = Number.EPSILON;

/**
 * What the random splitter may be given on top of a CART input: the features as float32 rows
 * ({@link rowMajorFloat32} of the columns), computed once and shared by the trees of a forest.
 * @example
 * const input = { columns, rows: rowMajorFloat32(columns), y, nClasses: 2, classWeight };
 */
export interface RandomSplitRows {
  readonly rows?: Float32Array;
}

/**
 * Grows a classification tree with `splitter: 'random'` the way scikit-learn's RandomSplitter does, without
 * sorting anything: per node and drawn feature, one pass finds the node's min and max, a uniform threshold is
 * drawn between them, and one pass sums both sides; the node's samples are then partitioned by the best.
 * Draws the same random numbers in the same order as the presorted builder, so it grows the same trees.
 * @example
 * const tree = growRandomClassificationTree(input, { ...options, splitter: 'random' });
 */
export function growRandomClassificationTree(input: CartInput & RandomSplitRows, options: CartOptions): TreeArrays {
  const n = input.y.length;
  const weight = new Float64Array(n);
  for (let i = 0; i < n; i++) weight[i] = (input.sampleWeight ? input.sampleWeight[i] : 1) * input.classWeight[input.y[i]];
  const kind = options.criterion === 'gini' ? 'gini' : 'entropy';
  return _grow(input.columns, input.rows, weight, new RandomGiniEntropy(input.y, weight, input.nClasses, kind), options);
}

/**
 * Grows a regression tree with `splitter: 'random'` like {@link growRandomClassificationTree}.
 * @example
 * const tree = growRandomRegressionTree({ columns, y }, { ...options, criterion: 'squared_error', splitter: 'random' });
 */
export function growRandomRegressionTree(input: RegressionCartInput & RandomSplitRows, options: CartOptions): TreeArrays {
  const weight = input.sampleWeight ?? new Float64Array(input.y.length).fill(1);
  const kind = options.criterion === 'friedman_mse' ? 'friedman_mse' : 'squared_error';
  return _grow(input.columns, input.rows, weight, new RandomVariance(input.y, weight, kind), options);
}

/**
 * The last tree's node store and child totals, handed to the next tree grown in this thread (the trees of a
 * forest) so each tree does not allocate, zero and collect ~100 bytes per sample again; held weakly so a
 * finished fit does not keep them alive.
 */
let _spare: WeakRef<{ store: NodeStore; childStats: Float64Array }> | null = null;

function _grow(columns: readonly Float64Array[], rows: Float32Array | undefined, weight: Float64Array, criterion: RandomSplitCriterion, options: CartOptions): TreeArrays {
  const builder = new _RandomBuilder(columns, rows, weight, criterion, options);
  if (options.maxLeafNodes === null) builder.growDepthFirst();
  else builder.growBestFirst(options.maxLeafNodes);
  const tree = builder.store.finish();
  _spare = new WeakRef(builder.spare());
  return tree;
}

class _RandomBuilder {
  readonly store: NodeStore;
  readonly #nFeatures: number;
  /** The features as float32 rows: see float32-rows.ts. */
  readonly #rows: Float32Array;
  readonly #crit: RandomSplitCriterion;
  readonly #opt: CartOptions;
  /** The tree's samples (weight > 0), each node's a contiguous range, in row order within it. */
  readonly #samples: Int32Array;
  readonly #tmp: Int32Array;
  /** Feature values of the node's samples (by position): the current candidate's and the best one's. */
  #values: Float32Array;
  #bestValues: Float32Array;
  readonly #order: Int32Array;
  readonly #statsSize: number;
  /** The WebAssembly loops, whose memory holds the arrays above; null where the JavaScript loops run. */
  readonly #kernel: RandomSplitKernel | null;
  /** The PRNG when the kernel runs each node's whole candidate loop (see RandomSplitCriterion.nodeKernel; mulberry32), else null. */
  readonly #nodeRandom: Mulberry32 | null;
  readonly #minMax = new Float64Array(2);
  /** Totals of each split node's left and right child, `2 × statsSize` per node id. */
  #childStats: Float64Array;
  #wTotal = 0;
  // The split found by the last #findSplit.
  #feature = -1;
  #threshold = 0;
  #pos = 0;
  #improvement = 0;

  constructor(columns: readonly Float64Array[], rows: Float32Array | undefined, weight: Float64Array, criterion: RandomSplitCriterion, options: CartOptions) {
    this.#nFeatures = columns.length;
    this.#rows = rows ?? rowMajorFloat32(columns);
    this.#crit = criterion;
    this.#opt = options;
    const n = weight.length;
    let m = 0;
    for (let i = 0; i < n; i++) if (weight[i] > 0) m++;
    // Room for as many nodes as samples (a fully grown tree has fewer than 2 per leaf), or for the largest
    // tree the limits allow, so the node arrays are rarely regrown and copied as the tree grows; room for
    // the 2m - 1 nodes possible measured slower (more memory to zero and collect per tree).
    const capacity = Math.max(1, Math.min(m, options.maxLeafNodes === null ? Infinity : 2 * options.maxLeafNodes - 1, 2 ** Math.min(options.maxDepth + 1, 31) - 1));
    const spare = _spare?.deref();
    _spare = null;
    this.store = spare?.store.reuse(criterion.nOutputs, columns.length, capacity) ? spare.store : new NodeStore(criterion.nOutputs, columns.length, capacity);
    const kernel = RandomSplitKernel.forTree(this.#rows, columns.length, n, m, criterion.sidesSize);
    this.#kernel = kernel;
    // Samples of weight 0 (out of the bootstrap) are left out of the tree.
    this.#samples = kernel?.samples ?? new Int32Array(m);
    for (let i = 0, k = 0; i < n; i++) if (weight[i] > 0) this.#samples[k++] = i;
    this.#tmp = kernel?.tmp ?? new Int32Array(m);
    this.#values = kernel?.values ?? new Float32Array(m);
    this.#bestValues = kernel?.bestValues ?? new Float32Array(m);
    if (kernel !== null) criterion.bind(kernel);
    this.#order = kernel?.order ?? new Int32Array(columns.length);
    for (let f = 0; f < columns.length; f++) this.#order[f] = f;
    this.#nodeRandom = kernel !== null && criterion.nodeKernel !== null && isMulberry32(options.random) ? options.random : null;
    this.#statsSize = criterion.statsSize;
    // Written for each split node before its children read it, so a spare one needs no zeroing.
    const statsLength = capacity * 2 * criterion.statsSize;
    this.#childStats = spare !== undefined && spare.childStats.length >= statsLength ? spare.childStats : new Float64Array(statsLength);
  }

  /** The arrays the next tree may reuse once this one is finished. */
  spare(): { store: NodeStore; childStats: Float64Array } {
    return { store: this.store, childStats: this.#childStats };
  }

  growDepthFirst(): void {
    const s = this.#statsSize;
    const root = new Float64Array(s);
    this.#crit.totalsOf(this.#samples, 0, this.#samples.length, root, 0);
    // Frames of [parent, isLeft, start, end, depth]; the root is the only node without a parent.
    const stack: number[] = [];
    let parent = -1;
    let isLeft = 0;
    let start = 0;
    let end = this.#samples.length;
    let depth = 0;
    for (;;) {
      const id =
        parent < 0
          ? this.#addNode(-1, false, start, end, depth, root, 0)
          : this.#addNode(parent, isLeft === 1, start, end, depth, this.#childStats, (2 * parent + (isLeft === 1 ? 0 : 1)) * s);
      if (this.#feature >= 0) {
        // Right first so the left child is popped (and numbered) first, as in scikit-learn.
        stack.push(id, 0, this.#pos, end, depth + 1, id, 1, start, this.#pos, depth + 1);
      }
      if (stack.length === 0) break;
      depth = stack.pop() as number;
      end = stack.pop() as number;
      start = stack.pop() as number;
      isLeft = stack.pop() as number;
      parent = stack.pop() as number;
    }
  }

  growBestFirst(maxLeafNodes: number): void {
    const s = this.#statsSize;
    const root = new Float64Array(s);
    this.#crit.totalsOf(this.#samples, 0, this.#samples.length, root, 0);
    // Per node id, the split it would make (found when the node was added), its range and depth.
    const improvement: number[] = [];
    const range: number[] = [];
    const depths: number[] = [];
    const split: number[] = [];
    // Highest improvement first, lower node id on ties, so growth is deterministic.
    const heap = new MaxHeap<number>((a, b) => improvement[a] > improvement[b] || (improvement[a] === improvement[b] && a < b));
    const add = (parent: number, isLeft: boolean, start: number, end: number, depth: number): void => {
      const stats = parent < 0 ? root : this.#childStats;
      const id = this.#addNode(parent, isLeft, start, end, depth, stats, parent < 0 ? 0 : (2 * parent + (isLeft ? 0 : 1)) * s);
      if (this.#feature < 0) return;
      improvement[id] = this.#improvement;
      range[2 * id] = start;
      range[2 * id + 1] = end;
      depths[id] = depth;
      split[3 * id] = this.#feature;
      split[3 * id + 1] = this.#threshold;
      split[3 * id + 2] = this.#pos;
      heap.push(id);
    };
    add(-1, false, 0, this.#samples.length, 0);
    for (let splitsLeft = maxLeafNodes - 1; heap.size > 0 && splitsLeft > 0; splitsLeft--) {
      const id = heap.pop();
      this.store.setSplit(id, split[3 * id], split[3 * id + 1]);
      add(id, true, range[2 * id], split[3 * id + 2], depths[id] + 1);
      add(id, false, split[3 * id + 2], range[2 * id + 1], depths[id] + 1);
    }
  }

  /**
   * Records a node as a leaf from its totals at `stats[offset..]` and decides whether (and where) it
   * splits: if it does, `#feature >= 0` describes the split, the node's samples are partitioned by it and
   * the node is marked split. Returns the node's id.
   */
  #addNode(parent: number, isLeft: boolean, start: number, end: number, depth: number, stats: Float64Array, offset: number): number {
    const crit = this.#crit;
    crit.load(stats, offset);
    const w = crit.wNode;
    if (parent < 0) this.#wTotal = w;
    const impurity = crit.impurity;
    const store = this.store;
    const id = store.add(parent, isLeft, end - start, w, impurity, depth);
    crit.writeValue(store.value, id * crit.nOutputs);
    this.#feature = -1;
    const o = this.#opt;
    const nSamples = end - start;
    const isLeaf = depth >= o.maxDepth || nSamples < o.minSamplesSplit || nSamples < 2 * o.minSamplesLeaf || impurity <= EPSILON;
    if (isLeaf || !this.#findSplit(start, end)) return id;
    if (this.#improvement + EPSILON < o.minImpurityDecrease) {
      this.#feature = -1;
      return id;
    }
    // Depth-first splits at once; best-first sets the split when the node is popped.
    if (o.maxLeafNodes === null) store.setSplit(id, this.#feature, this.#threshold);
    const s = this.#statsSize;
    if (this.#childStats.length < (id + 1) * 2 * s) this.#childStats = resized(this.#childStats, Math.max(2 * this.#childStats.length, (id + 1) * 2 * s));
    crit.writeBestChild(0, this.#childStats, 2 * id * s);
    crit.writeBestChild(1, this.#childStats, (2 * id + 1) * s);
    return id;
  }

  /** Draws features and thresholds as scikit-learn's RandomSplitter; on success partitions the node by the best. */
  #findSplit(start: number, end: number): boolean {
    if (this.#nodeRandom !== null) return this.#kernelSplit(start, end, this.#nodeRandom);
    const o = this.#opt;
    const crit = this.#crit;
    const rows = this.#rows;
    const samples = this.#samples;
    const nFeatures = this.#nFeatures;
    const order = this.#order;
    const sampling = o.maxFeatures < nFeatures;
    const msl = o.minSamplesLeaf;
    const n = end - start;
    const kernel = this.#kernel;
    const minMax = this.#minMax;
    let values = this.#values;
    let bestValues = this.#bestValues;
    let bestProxy = -Infinity;
    let bestFeature = -1;
    let bestThreshold = 0;
    let bestLeft = 0;
    let visited = 0;
    let nonConstant = 0;
    for (let j = 0; j < nFeatures; j++) {
      // Like scikit-learn, keep drawing past max_features while every feature drawn was constant.
      if (visited >= o.maxFeatures && nonConstant > 0) break;
      const f = sampling ? drawFeature(order, j, o.random) : order[j];
      visited++;
      let lo: number;
      let hi: number;
      if (kernel !== null) {
        kernel.gather(f, start, end, values, minMax);
        lo = minMax[0];
        hi = minMax[1];
      } else {
        lo = rows[samples[start] * nFeatures + f];
        hi = lo;
        values[start] = lo;
        for (let p = start + 1; p < end; p++) {
          const v = rows[samples[p] * nFeatures + f];
          values[p] = v;
          if (v < lo) lo = v;
          else if (v > hi) hi = v;
        }
      }
      if (hi <= lo + FEATURE_THRESHOLD) continue;
      nonConstant++;
      let threshold = lo + (hi - lo) * o.random();
      if (threshold === hi) threshold = lo;
      const nLeft = crit.evaluate(samples, values, start, end, threshold);
      if (nLeft < msl || n - nLeft < msl) continue;
      const proxy = crit.proxy();
      if (proxy > bestProxy) {
        bestProxy = proxy;
        bestFeature = f;
        bestThreshold = threshold;
        bestLeft = nLeft;
        crit.keepBest();
        const t = values;
        values = bestValues;
        bestValues = t;
      }
    }
    this.#values = values;
    this.#bestValues = bestValues;
    if (bestFeature < 0) return false;
    this.#partition(bestValues, start, end, bestThreshold);
    this.#feature = bestFeature;
    this.#threshold = float64Threshold(bestThreshold);
    this.#pos = start + bestLeft;
    this.#improvement = crit.bestImprovement(this.#wTotal);
    return true;
  }

  /** {@link #findSplit} as one WebAssembly call: the same draws, candidates and partition. */
  #kernelSplit(start: number, end: number, random: Mulberry32): boolean {
    const kernel = this.#kernel as RandomSplitKernel;
    const o = this.#opt;
    const f = kernel.split(this.#crit.nodeKernel as NodeKernel, random, start, end, Math.min(o.maxFeatures, this.#nFeatures), o.minSamplesLeaf);
    if (f < 0) return false;
    this.#feature = f;
    this.#threshold = float64Threshold(kernel.threshold);
    this.#pos = start + kernel.nLeft;
    this.#improvement = this.#crit.bestImprovement(this.#wTotal);
    return true;
  }

  /** Stable partition of `samples[start..end)` by `values[p] <= threshold`, so each node keeps its samples in row order. */
  #partition(values: Float32Array, start: number, end: number, threshold: number): void {
    if (this.#kernel !== null) {
      this.#kernel.partition(values, start, end, threshold);
      return;
    }
    const samples = this.#samples;
    const tmp = this.#tmp;
    let l = start;
    let r = 0;
    for (let p = start; p < end; p++) {
      // Both stores and a conditional step instead of a branch, whose outcome is as good as random.
      const i = samples[p];
      const left = values[p] <= threshold ? 1 : 0;
      samples[l] = i;
      tmp[r] = i;
      l += left;
      r += 1 - left;
    }
    for (let q = 0; q < r; q++) samples[l + q] = tmp[q];
  }
}
