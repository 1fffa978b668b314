/** `left`/`right` of a leaf (scikit-learn's TREE_LEAF). */
export const TREE_LEAF = -1;
/** `feature`/`threshold` of a leaf (scikit-learn's TREE_UNDEFINED). */
export const TREE_UNDEFINED = -2;

/**
 * A fitted tree as plain typed arrays, one entry per node (root is 0), laid out like scikit-learn's
 * `tree_`: it survives structuredClone and JSON codecs that encode typed arrays, and predicting is a
 * loop over these arrays. A row goes left when `x[feature] <= threshold`.
 * @example
 * const isLeaf = tree.left[node] === TREE_LEAF;
 */
export interface TreeArrays {
  nodeCount: number;
  nClasses: number;
  feature: Int32Array;
  threshold: Float64Array;
  left: Int32Array;
  right: Int32Array;
  impurity: Float64Array;
  nNodeSamples: Int32Array;
  /** Sum of the class weights of the node's samples (= nNodeSamples without class_weight). */
  weightedNNodeSamples: Float64Array;
  /** Row-major `nodeCount × nClasses`: weighted class shares in each node (rows sum to 1). */
  value: Float64Array;
  featureImportances: Float64Array;
  /** Depth of the deepest node (root = 0), as scikit-learn's get_depth(). */
  maxDepth: number;
  nLeaves: number;
}

/**
 * The most likely class of every node (first one on ties, like numpy's argmax).
 * @example
 * const best = nodeArgmax(tree); best[leaf]; // class code
 */
export function nodeArgmax(tree: TreeArrays): Int32Array {
  const k = tree.nClasses;
  const out = new Int32Array(tree.nodeCount);
  for (let node = 0; node < tree.nodeCount; node++) {
    let best = 0;
    for (let c = 1; c < k; c++) if (tree.value[node * k + c] > tree.value[node * k + best]) best = c;
    out[node] = best;
  }
  return out;
}

/**
 * Sets a grown tree's `nLeaves` and its `featureImportances` (scikit-learn's normalised total impurity
 * decrease per feature) from its node arrays, and returns the tree.
 * @example
 * return countLeavesAndImportances({ ...arrays, featureImportances: new Float64Array(nFeatures), nLeaves: 0 });
 */
export function countLeavesAndImportances(tree: TreeArrays): TreeArrays {
  const { left, right, impurity: imp, weightedNNodeSamples: wn, featureImportances: fi } = tree;
  let nLeaves = 0;
  for (let i = 0; i < tree.nodeCount; i++) {
    if (left[i] === TREE_LEAF) {
      nLeaves++;
      continue;
    }
    fi[tree.feature[i]] += wn[i] * imp[i] - wn[left[i]] * imp[left[i]] - wn[right[i]] * imp[right[i]];
  }
  tree.nLeaves = nLeaves;
  let total = 0;
  for (let f = 0; f < fi.length; f++) total += fi[f] / wn[0];
  for (let f = 0; f < fi.length; f++) fi[f] = total > 0 ? fi[f] / wn[0] / total : 0;
  return tree;
}
