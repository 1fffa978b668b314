import type { z } from 'zod';
import { type Frame, type Labels, Matrix } from '../../data/frame.js';
import { countClasses, encodeLabels } from '../tree/labels.js';
import { checkPriors, NaiveBayes } from './naive-bayes-base.js';
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
    const sums = new Float64Array(K);
    const means = new Float64Array(K);
    const squares = new Float64Array(K);
    let maxVariance = 0;
    for (let j = 0; j < d; j++) {
      const col = columns[j];
      sums.fill(0);
      squares.fill(0);
      const mean = _sums(col, codes, sums) / n;
      for (let c = 0; c < K; c++) theta[c * d + j] = means[c] = sums[c] / classCount[c];
      // Two passes (means, then squared deviations) as numpy's var does, for accuracy; the second pass
      // serves both the overall variance and the per-class ones.
      maxVariance = Math.max(maxVariance, _squaredDeviations(col, codes, mean, means, squares) / n);
      for (let c = 0; c < K; c++) variance[c * d + j] = squares[c] / classCount[c];
    }
    const epsilon = params.var_smoothing * maxVariance;
    for (let q = 0; q < variance.length; q++) variance[q] += epsilon;
    return { classes, classCount, classPrior, theta, variance, epsilon, nFeatures: d };
  }

  /** log P(c) − ½Σⱼ log(2π σ²_cj) − ½Σⱼ (xⱼ − θ_cj)² / σ²_cj for every row and class. */
  override jointLogLikelihood(X: Frame): Matrix {
    const s = this.fitted();
    const columns = this.finiteFeatures(X);
    const { constants, halves } = this.#terms(s);
    const K = s.classes.length;
    const d = s.nFeatures;
    const n = X.nRows;
    const out = new Matrix(n, K);
    for (let c = 0; c < K; c++) {
      for (let i = 0, at = c; i < n; i++, at += K) out.data[at] = constants[c];
      for (let j = 0; j < d; j++) _subtractTerm(out.data, c, K, columns[j], s.theta[c * d + j], halves[c * d + j]);
    }
    return out;
  }

  /** The per-class constants and ½/σ² of the fitted state, computed once per state: a one-row predict would otherwise spend most of its time in K × d logarithms. */
  #terms(s: GaussianNBState): { constants: Float64Array; halves: Float64Array } {
    if (this.#termsOf?.state === s) return this.#termsOf;
    const K = s.classes.length;
    const d = s.nFeatures;
    const constants = new Float64Array(K);
    for (let c = 0; c < K; c++) {
      let constant = Math.log(s.classPrior[c]);
      for (let j = 0; j < d; j++) constant -= 0.5 * Math.log(2 * Math.PI * s.variance[c * d + j]);
      constants[c] = constant;
    }
    const halves = s.variance.map((v) => 0.5 / v);
    this.#termsOf = { state: s, constants, halves };
    return this.#termsOf;
  }

  #termsOf: { state: GaussianNBState; constants: Float64Array; halves: Float64Array } | undefined;
}

/** Column c of the row-major `out` (K columns) minus half·(xᵢ − mean)² for every row i. */
function _subtractTerm(out: Float64Array, c: number, K: number, col: Float64Array, mean: number, half: number): void {
  for (let i = 0, at = c; i < col.length; i++, at += K) out[at] -= half * (col[i] - mean) ** 2;
}

/** Σᵢ xᵢ, and per class the sum of its rows' values into `classSums`. */
function _sums(col: Float64Array, codes: Int32Array, classSums: Float64Array): number {
  let total = 0;
  for (let i = 0; i < col.length; i++) {
    total += col[i];
    classSums[codes[i]] += col[i];
  }
  return total;
}

/** Σᵢ (xᵢ − mean)², and per class the sum of (xᵢ − its class mean)² into `classSquares`. */
function _squaredDeviations(col: Float64Array, codes: Int32Array, mean: number, classMeans: Float64Array, classSquares: Float64Array): number {
  let spread = 0;
  for (let i = 0; i < col.length; i++) {
    spread += (col[i] - mean) ** 2;
    classSquares[codes[i]] += (col[i] - classMeans[codes[i]]) ** 2;
  }
  return spread;
}
