import type { z } from 'zod';
import { type Frame, type Labels, Matrix } from '../../data/frame.js';
import { PldError } from '../../errors.js';
import { countClasses, encodeLabels } from '../tree/labels.js';
import { checkPriors, NaiveBayes } from './naive-bayes-base.js';
import { type MultinomialNBParams, multinomialNBParams } from './params.js';

/**
 * Fitted state of a {@link MultinomialNB}: per-class feature counts and the smoothed log probabilities.
 * @example
 * const state: MultinomialNBState = { classes, classCount, featureCount, featureLogProb, classLogPrior, nFeatures: 4 };
 */
export interface MultinomialNBState {
  classes: Labels;
  classCount: Float64Array;
  featureCount: Float64Array;
  featureLogProb: Float64Array;
  classLogPrior: Float64Array;
  nFeatures: number;
}

/**
 * Multinomial naive Bayes (`sklearn.naive_bayes.MultinomialNB`) for counts or frequencies (e.g. word
 * counts, TF-IDF): features must be non-negative; `alpha` smooths the per-class feature distributions.
 * @example
 * const nb = await new MultinomialNB({ alpha: 0.5 }).fit(counts, y);
 * nb.predict(counts);
 */
export class MultinomialNB extends NaiveBayes<MultinomialNBParams, MultinomialNBState> {
  protected override get schema(): z.ZodType<MultinomialNBParams> {
    return multinomialNBParams as unknown as z.ZodType<MultinomialNBParams>;
  }

  /** Smoothed log P(feature | class), classes × features (scikit-learn's feature_log_prob_). */
  get featureLogProb(): Matrix {
    const s = this.fitted();
    return new Matrix(s.classes.length, s.nFeatures, s.featureLogProb.slice());
  }

  /** Summed feature values per class (scikit-learn's feature_count_). */
  get featureCount(): Matrix {
    const s = this.fitted();
    return new Matrix(s.classes.length, s.nFeatures, s.featureCount.slice());
  }

  /** Training rows per class (scikit-learn's class_count_). */
  get classCount(): Float64Array {
    return this.fitted().classCount.slice();
  }

  /** log P(class) used in prediction (scikit-learn's class_log_prior_). */
  get classLogPrior(): Float64Array {
    return this.fitted().classLogPrior.slice();
  }

  protected override fitState(X: Frame, y: Labels | undefined, params: MultinomialNBParams): MultinomialNBState {
    const columns = this.fitFeatures(X);
    const names = this.featureNames ?? X.columns;
    const { classes, codes } = encodeLabels(y);
    const n = X.nRows;
    const d = columns.length;
    const K = classes.length;
    const featureCount = new Float64Array(K * d);
    for (let j = 0; j < d; j++) {
      const col = columns[j];
      for (let i = 0; i < n; i++) {
        if (col[i] < 0)
          throw new PldError('PLD_ERR_ESTIMATOR_BAD_INPUT', `Column '${names[j]}' has the negative value ${col[i]} at row ${i}; MultinomialNB needs counts or frequencies >= 0`, {
            details: { column: names[j], row: i },
          });
        featureCount[codes[i] * d + j] += col[i];
      }
    }
    const classCount = countClasses(codes, K);
    // scikit-learn (force_alpha=False) lifts a tiny alpha to 1e-10 so no log(0) appears.
    const alpha = params.force_alpha ? params.alpha : Math.max(params.alpha, 1e-10);
    const featureLogProb = new Float64Array(K * d);
    for (let c = 0; c < K; c++) {
      let total = 0;
      for (let j = 0; j < d; j++) total += featureCount[c * d + j] + alpha;
      for (let j = 0; j < d; j++) featureLogProb[c * d + j] = Math.log(featureCount[c * d + j] + alpha) - Math.log(total);
    }
    let classLogPrior: Float64Array;
    if (params.class_prior !== null) classLogPrior = checkPriors('MultinomialNB', 'class_prior', params.class_prior, K).map(Math.log);
    else if (params.fit_prior) classLogPrior = classCount.map((count) => Math.log(count) - Math.log(n));
    else classLogPrior = new Float64Array(K).fill(-Math.log(K));
    return { classes, classCount, featureCount, featureLogProb, classLogPrior, nFeatures: d };
  }

  /** X · log P(feature | class)ᵀ + log P(class) for every row and class. */
  override jointLogLikelihood(X: Frame): Matrix {
    const s = this.fitted();
    const columns = this.finiteFeatures(X);
    const K = s.classes.length;
    const out = new Matrix(X.nRows, K);
    for (let i = 0; i < X.nRows; i++) out.data.set(s.classLogPrior, i * K);
    for (let j = 0; j < s.nFeatures; j++) {
      const col = columns[j];
      for (let c = 0; c < K; c++) {
        const w = s.featureLogProb[c * s.nFeatures + j];
        for (let i = 0, at = c; i < X.nRows; i++, at += K) out.data[at] += w * col[i];
      }
    }
    return out;
  }
}
