import { countLeavesAndImportances, TREE_LEAF, TREE_UNDEFINED, type TreeArrays } from './tree-arrays.js';

/**
 * The nodes of a tree being grown, in typed arrays that double when full (no allocation per node),
 * trimmed into a {@link TreeArrays} by {@link NodeStore.finish}.
 * @example
 * const store = new NodeStore(3, 20); const id = store.add(-1, false, 100, 100, 0.5, 0);
 */
export class NodeStore {
  count = 0;
  maxDepth = 0;
  feature: Int32Array;
  threshold: Float64Array;
  left: Int32Array;
  right: Int32Array;
  impurity: Float64Array;
  nNodeSamples: Int32Array;
  weightedNNodeSamples: Float64Array;
  /** Row-major `count × nOutputs`. */
  value: Float64Array;

  /** `capacity`: the nodes to make room for up front (the arrays still double past it). */
  constructor(
    readonly nOutputs: number,
    readonly nFeatures: number,
    capacity = 64,
  ) {
    const c = Math.max(1, capacity);
    this.feature = new Int32Array(c);
    this.threshold = new Float64Array(c);
    this.left = new Int32Array(c);
    this.right = new Int32Array(c);
    this.impurity = new Float64Array(c);
    this.nNodeSamples = new Int32Array(c);
    this.weightedNNodeSamples = new Float64Array(c);
    this.value = new Float64Array(c * nOutputs);
  }

  /**
   * Empties the store for a new tree with the same outputs and features, keeping its arrays (every field of a
   * node is written when it is added, so nothing needs zeroing); false if they hold fewer than `capacity` nodes.
   */
  reuse(nOutputs: number, nFeatures: number, capacity: number): boolean {
    if (nOutputs !== this.nOutputs || nFeatures !== this.nFeatures || this.feature.length < capacity) return false;
    this.count = 0;
    this.maxDepth = 0;
    return true;
  }

  /** Appends a leaf (linked to its parent unless `parent < 0`) and returns its id; its value goes to `value[id * nOutputs..]`. */
  add(parent: number, isLeft: boolean, nSamples: number, wSamples: number, impurity: number, depth: number): number {
    const id = this.count;
    if (id === this.feature.length) this.#grow();
    this.feature[id] = TREE_UNDEFINED;
    this.threshold[id] = TREE_UNDEFINED;
    this.left[id] = TREE_LEAF;
    this.right[id] = TREE_LEAF;
    this.impurity[id] = impurity;
    this.nNodeSamples[id] = nSamples;
    this.weightedNNodeSamples[id] = wSamples;
    if (parent >= 0) (isLeft ? this.left : this.right)[parent] = id;
    if (depth > this.maxDepth) this.maxDepth = depth;
    this.count = id + 1;
    return id;
  }

  /** Turns leaf `id` into a split; its children are linked when they are added. */
  setSplit(id: number, feature: number, threshold: number): void {
    this.feature[id] = feature;
    this.threshold[id] = threshold;
  }

  /** The grown tree, with scikit-learn's normalized impurity-decrease importances. */
  finish(): TreeArrays {
    const n = this.count;
    const tree: TreeArrays = {
      nodeCount: n,
      nClasses: this.nOutputs,
      feature: this.feature.slice(0, n),
      threshold: this.threshold.slice(0, n),
      left: this.left.slice(0, n),
      right: this.right.slice(0, n),
      impurity: this.impurity.slice(0, n),
      nNodeSamples: this.nNodeSamples.slice(0, n),
      weightedNNodeSamples: this.weightedNNodeSamples.slice(0, n),
      value: this.value.slice(0, n * this.nOutputs),
      featureImportances: new Float64Array(this.nFeatures),
      maxDepth: this.maxDepth,
      nLeaves: 0,
    };
    return countLeavesAndImportances(tree);
  }

  #grow(): void {
    const size = this.feature.length * 2;
    this.feature = resized(this.feature, size);
    this.threshold = resized(this.threshold, size);
    this.left = resized(this.left, size);
    this.right = resized(this.right, size);
    this.impurity = resized(this.impurity, size);
    this.nNodeSamples = resized(this.nNodeSamples, size);
    this.weightedNNodeSamples = resized(this.weightedNNodeSamples, size);
    this.value = resized(this.value, size * this.nOutputs);
  }
}

/**
 * `a` copied into a new array of `size` entries (zero-filled past the old end).
 * @example
 * const bigger = resized(Float64Array.of(1, 2), 4); // [1, 2, 0, 0]
 */
export function resized<T extends Float64Array | Int32Array>(a: T, size: number): T {
  const out = new (a.constructor as new (n: number) => T)(size);
  out.set(a as never);
  return out;
}
