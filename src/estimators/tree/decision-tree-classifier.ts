import type { z } from 'zod';
import { type Frame, type Labels, Matrix } from '../../data/frame.js';
import { PldError } from '../../errors.js';
import { BaseEstimator } from '../base.js';
import { growClassificationTree } from './cart.js';
import { classWeights, resolveMaxFeatures } from './fit-helpers.js';
import { decodeLabels, encodeLabels } from './labels.js';
import { type DecisionTreeClassifierParams, decisionTreeClassifierParams } from './params.js';
import { mulberry32 } from './prng.js';
import { nodeArgmax, type TreeArrays } from './tree-arrays.js';
import { soleTree, walkTrees } from './tree-walk.js';

/**
 * Fitted state of a {@link DecisionTreeClassifier}: the tree's typed arrays plus the class labels.
 * @example
 * const state: DecisionTreeState = { ...tree, classes: ['a', 'b'], nFeatures: 4 };
 */
export interface DecisionTreeState extends TreeArrays {
  /** Sorted like np.unique; the column order of predictProba. */
  classes: Labels;
  nFeatures: number;
}

/**
 * A CART decision tree classifier with scikit-learn's parameters, defaults and semantics
 * (`sklearn.tree.DecisionTreeClassifier`). Features must be numeric columns without missing values;
 * labels may be strings or numbers, and predictions come back as the same kind.
 * @example
 * const tree = await new DecisionTreeClassifier({ max_depth: 3 }).fit(X, y);
 * tree.predict(X); // string[] when y was string[]
 */
export class DecisionTreeClassifier extends BaseEstimator<DecisionTreeClassifierParams, DecisionTreeState> {
  readonly estimatorType = 'classifier' as const;

  protected override get schema(): z.ZodType<DecisionTreeClassifierParams> {
    return decisionTreeClassifierParams as unknown as z.ZodType<DecisionTreeClassifierParams>;
  }

  /** Class labels in predictProba's column order; undefined before fit. */
  get classes(): Labels | undefined {
    return this.state?.classes;
  }

  /** Normalized total impurity decrease per feature (scikit-learn's feature_importances_). */
  get featureImportances(): Float64Array {
    return this.fitted().featureImportances.slice();
  }

  /** Depth of the tree, root alone being 0 (scikit-learn's get_depth()). */
  get depth(): number {
    return this.fitted().maxDepth;
  }

  /** Number of leaves (scikit-learn's get_n_leaves()). */
  get nLeaves(): number {
    return this.fitted().nLeaves;
  }

  /** The fitted tree's node arrays (scikit-learn's tree_), read-only by contract. */
  get tree(): Readonly<DecisionTreeState> {
    return this.fitted();
  }

  protected override fitState(X: Frame, y: Labels | undefined, params: DecisionTreeClassifierParams): DecisionTreeState {
    const columns = this.#finiteFeatures(X);
    if (columns.length === 0) throw new PldError('PLD_ERR_ESTIMATOR_BAD_INPUT', 'DecisionTreeClassifier needs at least one feature column');
    const { classes, codes } = encodeLabels(y);
    const n = X.nRows;
    const nFeatures = columns.length;
    const minSamplesLeaf = Number.isInteger(params.min_samples_leaf) ? params.min_samples_leaf : Math.ceil(params.min_samples_leaf * n);
    // A whole number is a count; 1 can only mean the share 1.0, since the count 1 is out of range.
    const minSamplesSplit = params.min_samples_split >= 2 ? params.min_samples_split : Math.ceil(params.min_samples_split * n);
    const maxFeatures = resolveMaxFeatures(params.max_features, nFeatures, 'DecisionTreeClassifier');
    const tree = growClassificationTree(
      { columns, y: codes, nClasses: classes.length, classWeight: classWeights(params.class_weight, classes, codes) },
      {
        criterion: params.criterion === 'gini' ? 'gini' : 'entropy',
        splitter: params.splitter,
        maxDepth: params.max_depth ?? Infinity,
        minSamplesSplit: Math.max(minSamplesSplit, 2 * minSamplesLeaf),
        minSamplesLeaf,
        maxFeatures,
        minImpurityDecrease: params.min_impurity_decrease,
        maxLeafNodes: params.max_leaf_nodes,
        random: mulberry32(params.random_state),
      },
    );
    return { ...tree, classes, nFeatures };
  }

  /** Predicted class of each row, as string[] or Float64Array like the y given to fit. */
  predict(X: Frame): Labels {
    const state = this.fitted();
    const best = _argmaxOf(state);
    const codes = new Int32Array(X.nRows);
    this.#walk(X, (_, leaves, start, len) => {
      for (let r = 0; r < len; r++) codes[start + r] = best[leaves[r]];
    });
    return decodeLabels(state.classes, codes);
  }

  /** Class probabilities: one row per sample, one column per entry of `classes`, rows summing to 1. */
  override predictProba(X: Frame): Matrix {
    const state = this.fitted();
    const k = state.nClasses;
    const out = new Matrix(X.nRows, k);
    const { value } = state;
    const data = out.data;
    this.#walk(X, (_, leaves, start, len) => {
      for (let r = 0, to = start * k; r < len; r++, to += k) {
        const from = leaves[r] * k;
        for (let c = 0; c < k; c++) data[to + c] = value[from + c];
      }
    });
    return out;
  }

  /** Hands the leaf of every row to `visit`, block by block; NaN or ±Infinity is reported naming its column. */
  #walk(X: Frame, visit: (t: number, leaves: Int32Array, start: number, len: number) => void): void {
    if (!walkTrees(soleTree(this.fitted()), this.numericFeatures(X), X.nRows, visit)) this.#finiteFeatures(X);
  }

  /** Mean accuracy of predict(X) against y. */
  score(X: Frame, y: Labels): number {
    if (y.length !== X.nRows) throw new PldError('PLD_ERR_ESTIMATOR_BAD_INPUT', `X has ${X.nRows} rows but y has ${y.length}`);
    const predicted = this.predict(X);
    let hits = 0;
    for (let i = 0; i < y.length; i++) if (predicted[i] === y[i]) hits++;
    return y.length === 0 ? 0 : hits / y.length;
  }

  /** Feature columns by the names seen in fit; NaN or ±Infinity is an error naming the column. */
  #finiteFeatures(X: Frame): Float64Array[] {
    const columns = this.numericFeatures(X);
    const names = this.featureNames ?? X.columns;
    columns.forEach((col, f) => {
      for (let i = 0; i < col.length; i++) {
        if (!Number.isFinite(col[i])) {
          throw new PldError(
            'PLD_ERR_ESTIMATOR_BAD_INPUT',
            `Column '${names[f]}' has ${col[i]} at row ${i}; DecisionTreeClassifier needs finite numbers (impute missing values first)`,
            {
              details: { column: names[f], row: i },
            },
          );
        }
      }
    });
    return columns;
  }
}

/** Per-node argmax, computed once per fitted state: recomputing it per call made single-row predict O(nodes). */
const _argmaxCache = new WeakMap<DecisionTreeState, Int32Array>();
function _argmaxOf(state: DecisionTreeState): Int32Array {
  let best = _argmaxCache.get(state);
  if (best === undefined) {
    best = nodeArgmax(state);
    _argmaxCache.set(state, best);
  }
  return best;
}
