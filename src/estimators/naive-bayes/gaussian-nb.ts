import type { z } from 'zod';
import { type Frame, type Labels, Matrix } from '../../data/frame.js';
import { encodeLabels } from '../tree/labels.js';
import { checkPriors, countClasses, NaiveBayes } from './naive-bayes-base.js';
import { type GaussianNBParams, gaussianNBParams } from './params.js';

/**
 * Fitted state of a {@link GaussianNB}: per-class means and variances, row-major (classes × features).
 * @example
 * const state: GaussianNBState = { classes, classCount, classPrior, theta, variance, epsilon, nFeatures: 4 };
 */
export interface GaussianNBState {
  classes: Labels;
  classCount: Float64Array;
  classPrior: Float64Array;
  theta: Float64Array;
  variance: Float64Array;
  epsilon: number;
  nFeatures: number;
}

/**
 * Gaussian naive Bayes (`sklearn.naive_bayes.GaussianNB`): one normal distribution per class and feature,
 * every variance raised by `var_smoothing` × the largest feature variance for stability.
 * @example
 * const nb = await new GaussianNB().fit(X, y);
 * nb.predictProba(X).row(0);
 */
export class GaussianNB extends NaiveBayes<GaussianNBParams, GaussianNBState> {
  protected override get schema(): z.ZodType<GaussianNBParams> {
    return gaussianNBParams as unknown as z.ZodType<GaussianNBParams>;
  }

  /** Per-class feature means (scikit-learn's theta_), classes × features. */
  get theta(): Matrix {
    const s = this.fitted();
    return new Matrix(s.classes.length, s.nFeatures, s.theta.slice());
  }

  /** Per-class feature variances including the smoothing (scikit-learn's var_). */
  get variance(): Matrix {
    const s = this.fitted();
    return new Matrix(s.classes.length, s.nFeatures, s.variance.slice());
  }

  /** Training rows per class (scikit-learn's class_count_). */
  get classCount(): Float64Array {
    return this.fitted().classCount.slice();
  }

  /** Class priors used (scikit-learn's class_prior_). */
  get classPrior(): Float64Array {
    return this.fitted().classPrior.slice();
  }

  /** The variance added to every variance (scikit-learn's epsilon_). */
  get epsilon(): number {
    return this.fitted().epsilon;
  }

  protected override fitState(X: Frame, y: Labels | undefined, params: GaussianNBParams): GaussianNBState {
    const columns = this.fitFeatures(X);
    const { classes, codes } = encodeLabels(y);
    const n = X.nRows;
    const d = columns.length;
    const K = classes.length;
    const classCount = countClasses(codes, K);
    const classPrior = params.priors === null ? classCount.map((c) => c / n) : checkPriors('GaussianNB', 'priors', params.priors, K);
    const theta = new Float64Array(K * d);
    const variance = new Float64Array(K * d);
    let maxVariance = 0;
    for (let j = 0; j < d; j++) {
      const col = columns[j];
      let total = 0;
      for (let i = 0; i < n; i++) {
        total += col[i];
        theta[codes[i] * d + j] += col[i];
      }
      const mean = total / n;
      let spread = 0;
      for (let i = 0; i < n; i++) spread += (col[i] - mean) ** 2;
      maxVariance = Math.max(maxVariance, spread / n);
      for (let c = 0; c < K; c++) theta[c * d + j] /= classCount[c];
      // Two passes (means, then squared deviations) as numpy's var does, for accuracy.
      for (let i = 0; i < n; i++) variance[codes[i] * d + j] += (col[i] - theta[codes[i] * d + j]) ** 2;
      for (let c = 0; c < K; c++) variance[c * d + j] /= classCount[c];
    }
    const epsilon = params.var_smoothing * maxVariance;
    for (let q = 0; q < variance.length; q++) variance[q] += epsilon;
    return { classes, classCount, classPrior, theta, variance, epsilon, nFeatures: d };
  }

  /** log P(c) − ½Σⱼ log(2π σ²_cj) − ½Σⱼ (xⱼ − θ_cj)² / σ²_cj for every row and class. */
  override jointLogLikelihood(X: Frame): Matrix {
    const s = this.fitted();
    const columns = this.finiteFeatures(X);
    const K = s.classes.length;
    const d = s.nFeatures;
    const out = new Matrix(X.nRows, K);
    for (let c = 0; c < K; c++) {
      let constant = Math.log(s.classPrior[c]);
      for (let j = 0; j < d; j++) constant -= 0.5 * Math.log(2 * Math.PI * s.variance[c * d + j]);
      for (let i = 0; i < X.nRows; i++) out.data[i * K + c] = constant;
      for (let j = 0; j < d; j++) {
        const col = columns[j];
        const mean = s.theta[c * d + j];
        const half = 0.5 / s.variance[c * d + j];
        for (let i = 0, at = c; i < X.nRows; i++, at += K) out.data[at] -= half * (col[i] - mean) ** 2;
      }
    }
    return out;
  }
}
