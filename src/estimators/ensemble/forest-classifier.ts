import type { z } from 'zod';
import { type Frame, type Labels, Matrix } from '../../data/frame.js';
import { PldError } from '../../errors.js';
import { BaseEstimator } from '../base.js';
import { accuracy, assertFinite, assertSameRows, classWeights } from '../tree/fit-helpers.js';
import { decodeLabels, encodeLabels } from '../tree/labels.js';
import type { TreeArrays } from '../tree/tree-arrays.js';
import { applyTree, compactForest, walkTrees } from '../tree/tree-walk.js';
import { buildForestJob, type ForestState, meanImportances } from './forest-common.js';
import { outOfBag } from './forest-core.js';
import { type ForestClassifierParams, extraTreesClassifierParams, randomForestClassifierParams } from './forest-params.js';
import { fitForestTrees, resolveJobs } from './forest-pool.js';

/**
 * Fitted state of a forest classifier: the trees, the class labels and the averaged importances.
 * @example
 * state.classes; // ['a', 'b']
 */
export interface ForestClassifierState extends ForestState {
  classes: Labels;
}

/**
 * What the random forest and the extra-trees classifiers share: bootstrap (optional), per-tree seeds,
 * worker threads for `n_jobs`, probabilities as the mean of the trees' leaf class shares.
 * @example
 * class MyForest extends ForestClassifier { protected readonly splitter = 'best'; ... }
 */
export abstract class ForestClassifier extends BaseEstimator<ForestClassifierParams, ForestClassifierState> {
  readonly estimatorType = 'classifier' as const;
  protected abstract readonly splitter: 'best' | 'random';

  /** Class labels in predictProba's column order; undefined before fit. */
  get classes(): Labels | undefined {
    return this.state?.classes;
  }

  /** Impurity-based importances: the mean of the trees' normalized importances (scikit-learn's feature_importances_). */
  get featureImportances(): Float64Array {
    return this.fitted().featureImportances.slice();
  }

  /** The fitted trees' node arrays (scikit-learn's estimators_[i].tree_), read-only by contract. */
  get estimators(): readonly Readonly<TreeArrays>[] {
    return this.fitted().trees;
  }

  /** Accuracy on the out-of-bag rows of each tree (scikit-learn's oob_score_); needs `oob_score: true`. */
  get oobScore(): number {
    const score = this.fitted().oobScore;
    if (score === null) throw new PldError('PLD_ERR_ESTIMATOR_NOT_FITTED', `${this.constructor.name} was fitted without oob_score: true; there is no oobScore`);
    return score;
  }

  protected override async fitState(X: Frame, y: Labels | undefined, params: ForestClassifierParams): Promise<ForestClassifierState> {
    const owner = this.constructor.name;
    const columns = this.#features(X);
    if (columns.length === 0) throw new PldError('PLD_ERR_ESTIMATOR_BAD_INPUT', `${owner} needs at least one feature column`);
    const { classes, codes } = encodeLabels(y);
    const target = { kind: 'classification' as const, y: codes, nClasses: classes.length, classWeight: classWeights(params.class_weight, classes, codes) };
    const job = buildForestJob(params, columns, target, owner, this.splitter);
    const trees = await fitForestTrees(job, resolveJobs(params.n_jobs, params.n_estimators));
    let oobScore: number | null = null;
    if (params.oob_score) {
      const k = classes.length;
      const votes = new Float64Array(X.nRows * k);
      const seen = new Uint8Array(X.nRows);
      trees.forEach((tree, t) => {
        const oob = outOfBag(job, X.nRows, t);
        const leaves = applyTree(tree, columns, X.nRows);
        for (let i = 0; i < X.nRows; i++) {
          if (oob[i] === 0) continue;
          seen[i] = 1;
          for (let c = 0; c < k; c++) votes[i * k + c] += tree.value[leaves[i] * k + c];
        }
      });
      let hits = 0;
      let total = 0;
      for (let i = 0; i < X.nRows; i++) {
        if (seen[i] === 0) continue;
        total++;
        if (_argmaxRow(votes, i, k) === codes[i]) hits++;
      }
      oobScore = total === 0 ? 0 : hits / total;
    }
    return { trees, classes, nFeatures: columns.length, featureImportances: meanImportances(trees, columns.length), oobScore };
  }

  /** The class with the highest mean probability over the trees, as the kind of labels y had. */
  predict(X: Frame): Labels {
    const state = this.fitted();
    const proba = this.predictProba(X);
    const k = state.classes.length;
    const codes = new Int32Array(X.nRows);
    for (let i = 0; i < X.nRows; i++) codes[i] = _argmaxRow(proba.data, i, k);
    return decodeLabels(state.classes, codes);
  }

  /** Mean of the trees' class probabilities: one row per sample, one column per entry of `classes`. */
  override predictProba(X: Frame): Matrix {
    const state = this.fitted();
    const k = state.classes.length;
    const out = new Matrix(X.nRows, k);
    const sum = out.data;
    const trees = state.trees;
    const finite = walkTrees(compactForest(trees), this.numericFeatures(X), X.nRows, (t, leaves, start, len) => {
      const value = trees[t].value;
      for (let r = 0, to = start * k; r < len; r++, to += k) {
        const from = leaves[r] * k;
        for (let c = 0; c < k; c++) sum[to + c] += value[from + c];
      }
    });
    if (!finite) this.#features(X);
    const scale = 1 / trees.length;
    for (let j = 0; j < sum.length; j++) sum[j] *= scale;
    return out;
  }

  /** Mean accuracy of predict(X) against y. */
  score(X: Frame, y: Labels): number {
    assertSameRows(X, y);
    return accuracy(y, this.predict(X));
  }

  #features(X: Frame): Float64Array[] {
    const columns = this.numericFeatures(X);
    assertFinite(columns, this.featureNames ?? X.columns, this.constructor.name);
    return columns;
  }
}

/**
 * A random forest classifier (`sklearn.ensemble.RandomForestClassifier`): bootstrapped CART trees
 * trying `sqrt(n_features)` features per split, fitted on `n_jobs` worker threads.
 * @example
 * const forest = await new RandomForestClassifier({ n_estimators: 200, random_state: 0, n_jobs: -1 }).fit(X, y);
 * forest.predictProba(X);
 */
export class RandomForestClassifier extends ForestClassifier {
  protected readonly splitter = 'best' as const;

  protected override get schema(): z.ZodType<ForestClassifierParams> {
    return randomForestClassifierParams as unknown as z.ZodType<ForestClassifierParams>;
  }
}

/**
 * Extremely randomized trees (`sklearn.ensemble.ExtraTreesClassifier`): random thresholds, no
 * bootstrap by default.
 * @example
 * const forest = await new ExtraTreesClassifier({ random_state: 0 }).fit(X, y);
 */
export class ExtraTreesClassifier extends ForestClassifier {
  protected readonly splitter = 'random' as const;

  protected override get schema(): z.ZodType<ForestClassifierParams> {
    return extraTreesClassifierParams as unknown as z.ZodType<ForestClassifierParams>;
  }
}

/** First index of the largest value in row `i` (numpy's argmax). */
function _argmaxRow(data: Float64Array, i: number, k: number): number {
  let best = 0;
  for (let c = 1; c < k; c++) if (data[i * k + c] > data[i * k + best]) best = c;
  return best;
}
