import type { z } from 'zod';
import type { Frame, Labels } from '../../data/frame.js';
import { PldError } from '../../errors.js';
import { BaseEstimator } from '../base.js';
import { assertFinite, assertSameRows, numericTarget, r2Score } from '../tree/fit-helpers.js';
import type { TreeArrays } from '../tree/tree-arrays.js';
import { applyTree, compactForest, walkTrees } from '../tree/tree-walk.js';
import { buildForestJob, type ForestState, meanImportances } from './forest-common.js';
import { outOfBag } from './forest-core.js';
import { extraTreesRegressorParams, type ForestRegressorParams, randomForestRegressorParams } from './forest-params.js';
import { fitForestTrees, resolveJobs } from './forest-pool.js';

/**
 * What the random forest and the extra-trees regressors share; predictions are the mean of the trees'.
 * @example
 * class MyForest extends ForestRegressor { protected readonly splitter = 'best'; ... }
 */
export abstract class ForestRegressor extends BaseEstimator<ForestRegressorParams, ForestState> {
  readonly estimatorType = 'regressor' as const;
  protected abstract readonly splitter: 'best' | 'random';

  /** Impurity-based importances: the mean of the trees' normalized importances (scikit-learn's feature_importances_). */
  get featureImportances(): Float64Array {
    return this.fitted().featureImportances.slice();
  }

  /** The fitted trees' node arrays (scikit-learn's estimators_[i].tree_), read-only by contract. */
  get estimators(): readonly Readonly<TreeArrays>[] {
    return this.fitted().trees;
  }

  /** R² on the out-of-bag rows of each tree (scikit-learn's oob_score_); needs `oob_score: true`. */
  get oobScore(): number {
    const score = this.fitted().oobScore;
    if (score === null) throw new PldError('PLD_ERR_ESTIMATOR_NOT_FITTED', `${this.constructor.name} was fitted without oob_score: true; there is no oobScore`);
    return score;
  }

  protected override async fitState(X: Frame, y: Labels | undefined, params: ForestRegressorParams): Promise<ForestState> {
    const owner = this.constructor.name;
    const columns = this.#features(X);
    if (columns.length === 0) throw new PldError('PLD_ERR_ESTIMATOR_BAD_INPUT', `${owner} needs at least one feature column`);
    const target = numericTarget(y, owner);
    const job = buildForestJob(params, columns, { kind: 'regression', y: target }, owner, this.splitter);
    const trees = await fitForestTrees(job, resolveJobs(params.n_jobs, params.n_estimators));
    let oobScore: number | null = null;
    if (params.oob_score) {
      const sum = new Float64Array(X.nRows);
      const count = new Float64Array(X.nRows);
      trees.forEach((tree, t) => {
        const oob = outOfBag(job, X.nRows, t);
        const leaves = applyTree(tree, columns, X.nRows);
        for (let i = 0; i < X.nRows; i++) {
          if (oob[i] === 0) continue;
          sum[i] += tree.value[leaves[i]];
          count[i]++;
        }
      });
      const rows = [...count.keys()].filter((i) => count[i] > 0);
      oobScore = r2Score(
        Float64Array.from(rows, (i) => target[i]),
        Float64Array.from(rows, (i) => sum[i] / count[i]),
      );
    }
    return { trees, nFeatures: columns.length, featureImportances: meanImportances(trees, columns.length), oobScore };
  }

  /** Mean of the trees' predictions. */
  predict(X: Frame): Float64Array {
    const state = this.fitted();
    const trees = state.trees;
    const out = new Float64Array(X.nRows);
    const finite = walkTrees(compactForest(trees), this.numericFeatures(X), X.nRows, (t, leaves, start, len) => {
      const value = trees[t].value;
      for (let r = 0; r < len; r++) out[start + r] += value[leaves[r]];
    });
    if (!finite) this.#features(X);
    for (let i = 0; i < out.length; i++) out[i] /= trees.length;
    return out;
  }

  /** R² of predict(X) against y. */
  score(X: Frame, y: Labels): number {
    assertSameRows(X, y);
    return r2Score(y, this.predict(X));
  }

  #features(X: Frame): Float64Array[] {
    const columns = this.numericFeatures(X);
    assertFinite(columns, this.featureNames ?? X.columns, this.constructor.name);
    return columns;
  }
}

/**
 * A random forest regressor (`sklearn.ensemble.RandomForestRegressor`): bootstrapped CART regression
 * trees on all features per split by default, fitted on `n_jobs` worker threads.
 * @example
 * const forest = await new RandomForestRegressor({ n_estimators: 50, random_state: 0 }).fit(X, y);
 */
export class RandomForestRegressor extends ForestRegressor {
  protected readonly splitter = 'best' as const;

  protected override get schema(): z.ZodType<ForestRegressorParams> {
    return randomForestRegressorParams as unknown as z.ZodType<ForestRegressorParams>;
  }
}

/**
 * Extremely randomized regression trees (`sklearn.ensemble.ExtraTreesRegressor`).
 * @example
 * const forest = await new ExtraTreesRegressor({ random_state: 0 }).fit(X, y);
 */
export class ExtraTreesRegressor extends ForestRegressor {
  protected readonly splitter = 'random' as const;

  protected override get schema(): z.ZodType<ForestRegressorParams> {
    return extraTreesRegressorParams as unknown as z.ZodType<ForestRegressorParams>;
  }
}
