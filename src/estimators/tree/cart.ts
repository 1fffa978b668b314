import { argsortStable } from './argsort.js';
import { cachedArgsort } from './presort-cache.js';
import { FEATURE_THRESHOLD, GiniEntropyCriterion, type SplitCriterion, VarianceCriterion } from './criteria.js';
import { inBagRows, pickRows } from './in-bag.js';
import { MaxHeap } from './max-heap.js';
import { growRandomClassificationTree, growRandomRegressionTree } from './random-builder.js';
import { SortedLists } from './sorted-lists.js';
import { countLeavesAndImportances, TREE_LEAF, TREE_UNDEFINED, type TreeArrays } from './tree-arrays.js';
import { drawFeature } from './prng.js';

export { FEATURE_THRESHOLD } from './criteria.js';
const EPSILON = Number.EPSILON;

/**
 * Resolved growth options of a CART tree (counts, not shares; `Infinity` for "no limit").
 * @example
 * const options: CartOptions = { criterion: 'gini', splitter: 'best', maxDepth: Infinity, minSamplesSplit: 2,
 *   minSamplesLeaf: 1, maxFeatures: 4, minImpurityDecrease: 0, maxLeafNodes: null, random: mulberry32(0) };
 */
export interface CartOptions {
  readonly criterion: 'gini' | 'entropy' | 'squared_error' | 'friedman_mse';
  readonly splitter: 'best' | 'random';
  readonly maxDepth: number;
  readonly minSamplesSplit: number;
  readonly minSamplesLeaf: number;
  /** Features to try per node; when it equals the feature count they are tried in order, with no randomness. */
  readonly maxFeatures: number;
  readonly minImpurityDecrease: number;
  /** Grow best-first up to this many leaves; `null` grows depth-first. */
  readonly maxLeafNodes: number | null;
  readonly random: () => number;
}

/**
 * What every CART input shares: one finite Float64Array per feature, optional per-sample weights
 * (bootstrap counts; samples of weight 0 are left out of the tree, as scikit-learn does) and optional
 * per-feature argsorts of all rows, computed once and shared by the trees of a forest.
 * @example
 * const common: CartCommon = { columns: [Float64Array.of(1, 2)] };
 */
export interface CartCommon {
  readonly columns: readonly Float64Array[];
  readonly sampleWeight?: Float64Array;
  readonly presorted?: readonly Int32Array[];
}

/**
 * Training data for {@link growClassificationTree}: class codes and one weight per class
 * (scikit-learn's `class_weight`, all 1 by default).
 * @example
 * const input: CartInput = { columns: [Float64Array.of(1, 2)], y: Int32Array.of(0, 1), nClasses: 2, classWeight: Float64Array.of(1, 1) };
 */
export interface CartInput extends CartCommon {
  readonly y: Int32Array;
  readonly nClasses: number;
  readonly classWeight: Float64Array;
}

/**
 * Training data for {@link growRegressionTree}: one real target per row.
 * @example
 * const input: RegressionCartInput = { columns: [Float64Array.of(1, 2)], y: Float64Array.of(0.5, 3) };
 */
export interface RegressionCartInput extends CartCommon {
  readonly y: Float64Array;
}

/**
 * Grows a CART classification tree the way scikit-learn's `DepthFirstTreeBuilder` /
 * `BestFirstTreeBuilder` with `BestSplitter` do (`splitter: 'random'` goes to random-builder.ts): each feature is sorted once at the
 * root, and each split stably partitions those sorted index lists, so no node sorts again.
 * @example
 * const tree = growClassificationTree(input, options); tree.nodeCount;
 */
export function growClassificationTree(input: CartInput, options: CartOptions): TreeArrays {
  if (options.splitter === 'random') return growRandomClassificationTree(input, options);
  const n = input.y.length;
  const weight = new Float64Array(n);
  for (let i = 0; i < n; i++) weight[i] = (input.sampleWeight ? input.sampleWeight[i] : 1) * input.classWeight[input.y[i]];
  const kind = options.criterion === 'gini' ? 'gini' : 'entropy';
  const bag = _inBag(input, weight);
  const y = bag.rows === null ? input.y : pickRows(input.y, bag.rows, new Int32Array(bag.rows.length));
  return _grow(bag, new GiniEntropyCriterion(y, bag.weight, input.nClasses, kind), options);
}

/**
 * Grows a CART regression tree (scikit-learn's DecisionTreeRegressor) with the same machinery as
 * {@link growClassificationTree}; node values are weighted means, impurity the variance.
 * @example
 * const tree = growRegressionTree({ columns, y }, { ...options, criterion: 'squared_error' });
 */
export function growRegressionTree(input: RegressionCartInput, options: CartOptions): TreeArrays {
  if (options.splitter === 'random') return growRandomRegressionTree(input, options);
  const weight = input.sampleWeight ?? new Float64Array(input.y.length).fill(1);
  const kind = options.criterion === 'friedman_mse' ? 'friedman_mse' : 'squared_error';
  const bag = _inBag(input, weight);
  const y = bag.rows === null ? input.y : pickRows(input.y, bag.rows, new Float64Array(bag.rows.length));
  return _grow(bag, new VarianceCriterion(y, bag.weight, kind), options);
}

/**
 * Per-feature argsorts of all rows (ties in row order), to share between trees through {@link CartCommon.presorted}.
 * @example
 * const presorted = argsortColumns(columns);
 */
export function argsortColumns(columns: readonly Float64Array[]): Int32Array[] {
  return columns.map((col) => cachedArgsort(col, argsortStable));
}

/** The rows a tree grows on: all of them, or (when some have weight 0) its renumbered in-bag rows. */
interface _Rows {
  readonly columns: readonly Float64Array[];
  readonly weight: Float64Array;
  /** Shared argsorts when `rows` is null, else the tree's own (renumbered) lists. */
  readonly presorted: readonly Int32Array[] | undefined;
  /** Original row of each row number; null when every row is in the tree. */
  readonly rows: Int32Array | null;
}

function _inBag(input: CartCommon, weight: Float64Array): _Rows {
  const n = weight.length;
  let m = 0;
  for (let i = 0; i < n; i++) if (weight[i] > 0) m++;
  if (m === n) return { columns: input.columns, weight, presorted: input.presorted, rows: null };
  return inBagRows(input.columns, weight, input.presorted ?? argsortColumns(input.columns), m);
}

function _grow(input: _Rows, criterion: SplitCriterion, options: CartOptions): TreeArrays {
  const builder = new _Builder(input, criterion, options);
  if (options.maxLeafNodes === null) builder.growDepthFirst();
  else builder.growBestFirst(options.maxLeafNodes);
  return builder.finish();
}

interface _Split {
  feature: number;
  threshold: number;
  /** First sorted position of the right child. */
  pos: number;
  /** scikit-learn's weighted impurity decrease (N_t / N) * (imp - N_L/N_t imp_L - N_R/N_t imp_R). */
  improvement: number;
}

interface _Pending {
  id: number;
  start: number;
  end: number;
  depth: number;
  split: _Split | null;
}

class _Builder {
  readonly #cols: readonly Float64Array[];
  readonly #crit: SplitCriterion;
  readonly #k: number;
  readonly #opt: CartOptions;
  readonly #lists: SortedLists;
  readonly #order: Int32Array;
  /** Samples in the tree (weight > 0). */
  readonly #m: number;
  #wTotal = 0;
  // Growable node arrays; converted to typed arrays once in finish().
  readonly #feature: number[] = [];
  readonly #threshold: number[] = [];
  readonly #childL: number[] = [];
  readonly #childR: number[] = [];
  readonly #impurity: number[] = [];
  readonly #n: number[] = [];
  readonly #wn: number[] = [];
  readonly #value: number[] = [];
  #maxDepth = 0;

  constructor(input: _Rows, criterion: SplitCriterion, options: CartOptions) {
    this.#cols = input.columns;
    this.#crit = criterion;
    this.#k = criterion.nOutputs;
    this.#opt = options;
    // Every row is in the tree (_inBag renumbered the in-bag ones otherwise).
    const m = input.weight.length;
    this.#m = m;
    // The sorts may be shared (a forest's, or a search's presort cache): each tree partitions its own
    // copies (in-bag lists are already the tree's own). Partitioning lazily pays when nodes try only
    // some of the features, in depth-first order.
    const presorted = input.presorted ?? argsortColumns(input.columns);
    const lazy = options.maxLeafNodes === null && options.maxFeatures < input.columns.length;
    this.#lists = new SortedLists(input.rows === null ? presorted.map((list) => list.slice()) : (presorted as Int32Array[]), m, lazy);
    this.#order = Int32Array.from({ length: input.columns.length }, (_, f) => f);
  }

  growDepthFirst(): void {
    const stack: { parent: number; isLeft: boolean; start: number; end: number; depth: number }[] = [{ parent: -1, isLeft: false, start: 0, end: this.#m, depth: 0 }];
    while (stack.length > 0) {
      const rec = stack.pop() as (typeof stack)[number];
      this.#lists.enter(rec.start, rec.end, rec.depth);
      const node = this.#addNode(rec.parent, rec.isLeft, rec.start, rec.end, rec.depth);
      if (node.split === null) continue;
      this.#applySplit(node.id, node.start, node.end, node.split);
      // Right first so the left child is popped (and numbered) first, as in scikit-learn.
      stack.push({ parent: node.id, isLeft: false, start: node.split.pos, end: rec.end, depth: rec.depth + 1 });
      stack.push({ parent: node.id, isLeft: true, start: rec.start, end: node.split.pos, depth: rec.depth + 1 });
    }
  }

  growBestFirst(maxLeafNodes: number): void {
    // Highest improvement first, lower node id on ties, so growth is deterministic.
    const heap = new MaxHeap<_Pending>(_before);
    heap.push(this.#addNode(-1, false, 0, this.#m, 0));
    let splitsLeft = maxLeafNodes - 1;
    while (heap.size > 0) {
      const node = heap.pop();
      if (node.split === null || splitsLeft <= 0) continue;
      splitsLeft--;
      this.#applySplit(node.id, node.start, node.end, node.split);
      heap.push(this.#addNode(node.id, true, node.start, node.split.pos, node.depth + 1));
      heap.push(this.#addNode(node.id, false, node.split.pos, node.end, node.depth + 1));
    }
  }

  finish(): TreeArrays {
    const nodeCount = this.#feature.length;
    const tree: TreeArrays = {
      nodeCount,
      nClasses: this.#k,
      feature: Int32Array.from(this.#feature),
      threshold: Float64Array.from(this.#threshold),
      left: Int32Array.from(this.#childL),
      right: Int32Array.from(this.#childR),
      impurity: Float64Array.from(this.#impurity),
      nNodeSamples: Int32Array.from(this.#n),
      weightedNNodeSamples: Float64Array.from(this.#wn),
      value: Float64Array.from(this.#value),
      featureImportances: new Float64Array(this.#cols.length),
      maxDepth: this.#maxDepth,
      nLeaves: 0,
    };
    return countLeavesAndImportances(tree);
  }

  /** Records a node as a leaf and decides whether (and where) it will split. */
  #addNode(parent: number, isLeft: boolean, start: number, end: number, depth: number): _Pending {
    const crit = this.#crit;
    crit.init(this.#lists.get(0), start, end);
    const w = crit.wNode;
    if (parent < 0) this.#wTotal = w;
    const impurity = crit.impurity;
    const id = this.#feature.length;
    this.#feature.push(TREE_UNDEFINED);
    this.#threshold.push(TREE_UNDEFINED);
    this.#childL.push(TREE_LEAF);
    this.#childR.push(TREE_LEAF);
    this.#impurity.push(impurity);
    this.#n.push(end - start);
    this.#wn.push(w);
    crit.pushValue(this.#value);
    if (parent >= 0) (isLeft ? this.#childL : this.#childR)[parent] = id;
    if (depth > this.#maxDepth) this.#maxDepth = depth;

    const o = this.#opt;
    const nSamples = end - start;
    const isLeaf = depth >= o.maxDepth || nSamples < o.minSamplesSplit || nSamples < 2 * o.minSamplesLeaf || impurity <= EPSILON;
    let split = isLeaf ? null : this.#findSplit(start, end);
    if (split !== null && split.improvement + EPSILON < o.minImpurityDecrease) split = null;
    return { id, start, end, depth, split };
  }

  #applySplit(id: number, start: number, end: number, split: _Split): void {
    this.#feature[id] = split.feature;
    this.#threshold[id] = split.threshold;
    this.#lists.split(start, end, split.pos, split.feature);
  }

  #findSplit(start: number, end: number): _Split | null {
    const o = this.#opt;
    const crit = this.#crit;
    const nFeatures = this.#cols.length;
    const order = this.#order;
    const sampling = o.maxFeatures < nFeatures;
    const msl = o.minSamplesLeaf;
    let bestProxy = -Infinity;
    let bestFeature = -1;
    let bestPos = -1;
    let bestThreshold = 0;
    let visited = 0;
    let nonConstant = 0;
    for (let j = 0; j < nFeatures; j++) {
      // Like scikit-learn, keep drawing past max_features while every feature drawn was constant.
      if (visited >= o.maxFeatures && nonConstant > 0) break;
      const f = sampling ? drawFeature(order, j, o.random) : order[j];
      visited++;
      this.#lists.ensure(f);
      const idx = this.#lists.get(f);
      const col = this.#cols[f];
      const lo = col[idx[start]];
      const hi = col[idx[end - 1]];
      if (hi <= lo + FEATURE_THRESHOLD) continue;
      nonConstant++;
      const proxy = crit.scan(idx, col, start, end, msl, bestProxy);
      if (proxy > bestProxy) {
        bestProxy = proxy;
        bestFeature = f;
        bestPos = crit.pos;
        bestThreshold = crit.threshold;
      }
    }
    if (bestFeature < 0) return null;
    const improvement = crit.improvement(this.#lists.get(bestFeature), start, bestPos, this.#wTotal);
    return { feature: bestFeature, threshold: bestThreshold, pos: bestPos, improvement };
  }
}

function _before(a: _Pending, b: _Pending): boolean {
  const ia = a.split === null ? -Infinity : a.split.improvement;
  const ib = b.split === null ? -Infinity : b.split.improvement;
  return ia > ib || (ia === ib && a.id < b.id);
}
