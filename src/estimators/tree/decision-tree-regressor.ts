import type { z } from 'zod';
import type { Frame, Labels } from '../../data/frame.js';
import { PldError } from '../../errors.js';
import { BaseEstimator } from '../base.js';
import { growRegressionTree } from './cart.js';
import { assertFinite, assertSameRows, numericTarget, r2Score, resolveLimits, resolveMaxFeatures } from './fit-helpers.js';
import { mulberry32 } from './prng.js';
import { type DecisionTreeRegressorParams, decisionTreeRegressorParams } from './regressor-params.js';
import type { TreeArrays } from './tree-arrays.js';
import { soleTree, walkTrees } from './tree-walk.js';

/**
 * Fitted state of a {@link DecisionTreeRegressor}: the tree's typed arrays (`value` holds one mean per node).
 * @example
 * const state: DecisionTreeRegressorState = { ...tree, nFeatures: 4 };
 */
export interface DecisionTreeRegressorState extends TreeArrays {
  nFeatures: number;
}

/**
 * A CART regression tree with scikit-learn's parameters and semantics (`sklearn.tree.DecisionTreeRegressor`):
 * variance reduction (`squared_error`) or Friedman's score (`friedman_mse`), the same growth controls and
 * sorted-once builder as {@link DecisionTreeClassifier}. Predictions are the mean target of the leaf.
 * @example
 * const tree = await new DecisionTreeRegressor({ max_depth: 4 }).fit(X, y);
 * tree.predict(X); // Float64Array
 */
export class DecisionTreeRegressor extends BaseEstimator<DecisionTreeRegressorParams, DecisionTreeRegressorState> {
  readonly estimatorType = 'regressor' as const;

  protected override get schema(): z.ZodType<DecisionTreeRegressorParams> {
    return decisionTreeRegressorParams as unknown as z.ZodType<DecisionTreeRegressorParams>;
  }

  /** Normalized total impurity (variance) decrease per feature (scikit-learn's feature_importances_). */
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
  get tree(): Readonly<DecisionTreeRegressorState> {
    return this.fitted();
  }

  protected override fitState(X: Frame, y: Labels | undefined, params: DecisionTreeRegressorParams): DecisionTreeRegressorState {
    const columns = this.#finiteFeatures(X);
    if (columns.length === 0) throw new PldError('PLD_ERR_ESTIMATOR_BAD_INPUT', 'DecisionTreeRegressor needs at least one feature column');
    const target = numericTarget(y, 'DecisionTreeRegressor');
    const tree = growRegressionTree(
      { columns, y: target },
      {
        ...resolveLimits(params, X.nRows),
        criterion: params.criterion,
        splitter: params.splitter,
        maxFeatures: resolveMaxFeatures(params.max_features, columns.length, 'DecisionTreeRegressor'),
        minImpurityDecrease: params.min_impurity_decrease,
        maxLeafNodes: params.max_leaf_nodes,
        random: mulberry32(params.random_state),
      },
    );
    return { ...tree, nFeatures: columns.length };
  }

  /** The mean target of the leaf each row lands in. */
  predict(X: Frame): Float64Array {
    const state = this.fitted();
    const value = state.value;
    const out = new Float64Array(X.nRows);
    const finite = walkTrees(soleTree(state), this.numericFeatures(X), X.nRows, (_, leaves, start, len) => {
      for (let r = 0; r < len; r++) out[start + r] = value[leaves[r]];
    });
    if (!finite) this.#finiteFeatures(X);
    return out;
  }

  /** R² of predict(X) against y. */
  score(X: Frame, y: Labels): number {
    assertSameRows(X, y);
    return r2Score(y, this.predict(X));
  }

  #finiteFeatures(X: Frame): Float64Array[] {
    const columns = this.numericFeatures(X);
    assertFinite(columns, this.featureNames ?? X.columns, 'DecisionTreeRegressor');
    return columns;
  }
}
