import type { z } from 'zod';
import { type Frame, type Labels, Matrix } from '../../data/frame.js';
import { PldError } from '../../errors.js';
import { BaseEstimator } from '../base.js';
import { accuracy, assertFinite, assertSameRows, numericTarget, r2Score } from '../tree/fit-helpers.js';
import { decodeLabels, encodeLabels } from '../tree/labels.js';
import { type BoostingFit, fitBoosting } from './hgb-fit.js';
import { addTree, type HistTree } from './hgb-grower.js';
import { boostingLoss, softmaxRow } from './hgb-loss.js';
import { addTrees, loopTrees } from './hgb-predict.js';
import { type HistGradientBoostingParams, histGradientBoostingClassifierParams, histGradientBoostingRegressorParams } from './hgb-params.js';

/**
 * Up to this many rows predict walks each tree straight from the columns: the blocked walk's row buffer
 * costs more to set up than a single-row predict's whole walk.
 */
const _FEW_ROWS = 8;

/**
 * Fitted state of a histogram gradient boosting model; `classes` for the classifier.
 * @example
 * state.nIter; // iterations run (fewer than max_iter after early stopping)
 */
export interface HistGradientBoostingState extends BoostingFit {
  classes: Labels | null;
  nFeatures: number;
}

/**
 * What both histogram gradient boosting estimators share: binning, the boosting loop, raw predictions.
 * @example
 * class MyBoosting extends HistGradientBoosting { ... }
 */
export abstract class HistGradientBoosting extends BaseEstimator<HistGradientBoostingParams, HistGradientBoostingState> {
  /** Iterations run (scikit-learn's n_iter_): max_iter unless early stopping ended the fit sooner. */
  get nIter(): number {
    return this.fitted().nIter;
  }

  /** Trees built per iteration (scikit-learn's n_trees_per_iteration_): 1, or the number of classes beyond 2. */
  get nTreesPerIteration(): number {
    return this.fitted().k;
  }

  /** Whether early stopping was on (scikit-learn's do_early_stopping_). */
  get doEarlyStopping(): boolean {
    return this.fitted().doEarlyStopping;
  }

  /**
   * -loss on the training rows, before the first iteration and after each (scikit-learn's train_score_,
   * which scikit-learn only records with early stopping; here it is always recorded).
   */
  get trainScore(): Float64Array {
    return this.fitted().trainScore.slice();
  }

  /** -loss on the held-out validation rows per iteration when early stopping used them (scikit-learn's validation_score_). */
  get validationScore(): Float64Array {
    return this.fitted().validationScore.slice();
  }

  /** The fitted trees, `k` per iteration, as typed node arrays (read-only by contract). */
  get estimators(): readonly Readonly<HistTree>[] {
    return this.fitted().trees;
  }

  /** Raw predictions (link space), row-major `nRows × k`. */
  protected rawPredict(X: Frame): Float64Array {
    const state = this.fitted();
    const k = state.k;
    const raw = new Float64Array(X.nRows * k);
    for (let i = 0; i < X.nRows; i++) raw.set(state.baseline, i * k);
    if (X.nRows <= _FEW_ROWS) {
      const columns = this.features(X);
      for (let t = 0; t < state.trees.length; t++) addTree(state.trees[t], columns, raw, k, t % k);
      return raw;
    }
    // The blocked walk spots non-finite values as it copies rows; features() then reports the first one.
    if (!addTrees(loopTrees(state.trees), this.numericFeatures(X), X.nRows, raw, k)) this.features(X);
    return raw;
  }

  protected features(X: Frame): Float64Array[] {
    const columns = this.numericFeatures(X);
    assertFinite(columns, this.featureNames ?? X.columns, this.constructor.name);
    return columns;
  }

  protected checkedColumns(X: Frame): Float64Array[] {
    const columns = this.features(X);
    if (columns.length === 0) throw new PldError('PLD_ERR_ESTIMATOR_BAD_INPUT', `${this.constructor.name} needs at least one feature column`);
    return columns;
  }
}

/**
 * Histogram-based gradient boosting classification (`sklearn.ensemble.HistGradientBoostingClassifier`):
 * binned features, leaf-wise trees on gradient histograms, log loss (binomial for two classes, softmax
 * beyond), early stopping on a validation split when `early_stopping` is on ('auto': above 10,000 rows).
 * @example
 * const model = await new HistGradientBoostingClassifier({ max_iter: 200, random_state: 0 }).fit(X, y);
 * model.predictProba(X);
 */
export class HistGradientBoostingClassifier extends HistGradientBoosting {
  readonly estimatorType = 'classifier' as const;

  protected override get schema(): z.ZodType<HistGradientBoostingParams> {
    return histGradientBoostingClassifierParams as unknown as z.ZodType<HistGradientBoostingParams>;
  }

  /** Class labels in predictProba's column order; undefined before fit. */
  get classes(): Labels | undefined {
    return this.state?.classes ?? undefined;
  }

  protected override async fitState(X: Frame, y: Labels | undefined, params: HistGradientBoostingParams): Promise<HistGradientBoostingState> {
    const columns = this.checkedColumns(X);
    const { classes, codes } = encodeLabels(y);
    if (classes.length < 2) throw new PldError('PLD_ERR_ESTIMATOR_BAD_INPUT', `HistGradientBoostingClassifier needs at least 2 classes in y, got ${classes.length}`);
    const fit = await fitBoosting(columns, codes, boostingLoss('log_loss', classes.length), params, true);
    return { ...fit, classes, nFeatures: columns.length };
  }

  /** Class probabilities: sigmoid (two classes) or softmax of the raw predictions; rows sum to 1. */
  override predictProba(X: Frame): Matrix {
    const state = this.fitted();
    const raw = this.rawPredict(X);
    const nClasses = (state.classes as Labels).length;
    const out = new Matrix(X.nRows, nClasses);
    if (state.k === 1) {
      for (let i = 0; i < X.nRows; i++) {
        const p = 1 / (1 + Math.exp(-raw[i]));
        out.data[2 * i] = 1 - p;
        out.data[2 * i + 1] = p;
      }
      return out;
    }
    const row = new Float64Array(nClasses);
    for (let i = 0; i < X.nRows; i++) {
      softmaxRow(raw, i, nClasses, row);
      out.data.set(row, i * nClasses);
    }
    return out;
  }

  /** The most probable class of each row, as the kind of labels y had. */
  predict(X: Frame): Labels {
    const state = this.fitted();
    const proba = this.predictProba(X);
    const k = proba.nCols;
    const codes = new Int32Array(X.nRows);
    for (let i = 0; i < X.nRows; i++) {
      let best = 0;
      for (let c = 1; c < k; c++) if (proba.data[i * k + c] > proba.data[i * k + best]) best = c;
      codes[i] = best;
    }
    return decodeLabels(state.classes as Labels, codes);
  }

  /** Mean accuracy of predict(X) against y. */
  score(X: Frame, y: Labels): number {
    assertSameRows(X, y);
    return accuracy(y, this.predict(X));
  }
}

/**
 * Histogram-based gradient boosting regression (`sklearn.ensemble.HistGradientBoostingRegressor`) with
 * the squared error loss.
 * @example
 * const model = await new HistGradientBoostingRegressor({ learning_rate: 0.05 }).fit(X, y);
 * model.predict(X); // Float64Array
 */
export class HistGradientBoostingRegressor extends HistGradientBoosting {
  readonly estimatorType = 'regressor' as const;

  protected override get schema(): z.ZodType<HistGradientBoostingParams> {
    return histGradientBoostingRegressorParams as unknown as z.ZodType<HistGradientBoostingParams>;
  }

  protected override async fitState(X: Frame, y: Labels | undefined, params: HistGradientBoostingParams): Promise<HistGradientBoostingState> {
    const columns = this.checkedColumns(X);
    const target = numericTarget(y, 'HistGradientBoostingRegressor');
    const fit = await fitBoosting(columns, target, boostingLoss('squared_error', 1), params, false);
    return { ...fit, classes: null, nFeatures: columns.length };
  }

  /** Predicted values: the baseline plus every tree's leaf value. */
  predict(X: Frame): Float64Array {
    return this.rawPredict(X);
  }

  /** R² of predict(X) against y. */
  score(X: Frame, y: Labels): number {
    assertSameRows(X, y);
    return r2Score(y, this.predict(X));
  }
}
