import type { z } from 'zod';
import { type Frame, type Labels, Matrix } from '../../data/frame.js';
import { uninitializedF64 } from '../../internal/uninitialized.js';
import { decodeLabels, encodeLabels } from '../tree/labels.js';
import { allFinite } from './blas.js';
import { classWeights, DenseClassifier, softmaxRows } from './dense-estimator.js';
import { designMatrix } from './kernels-design.js';
import { predictBinaryProba, predictLabels, predictScores } from './kernels-predict.js';
import { minimizeLbfgs } from './lbfgs.js';
import { binaryObjective, multinomialObjective } from './logistic-loss.js';
import { type LogisticRegressionParams, logisticRegressionParams } from './params.js';

/**
 * Fitted state of a {@link LogisticRegression}: `coef` is row-major (`nRows` × `nFeatures`; one row for
 * two classes, one per class otherwise), as scikit-learn's `coef_`.
 * @example
 * const state: LogisticRegressionState = { classes: ['a', 'b'], coef, nRows: 1, nFeatures: 4, intercept, nIter: 12, converged: true };
 */
export interface LogisticRegressionState {
  classes: Labels;
  coef: Float64Array;
  nRows: number;
  nFeatures: number;
  intercept: Float64Array;
  nIter: number;
  converged: boolean;
}

/**
 * Logistic regression (`sklearn.linear_model.LogisticRegression`) with the 'lbfgs' solver: binary
 * logistic for two classes, multinomial (softmax) for more, an L2 penalty of 1/(2C)·‖W‖² or none.
 * Hitting `max_iter` keeps the last iterate (scikit-learn warns; check `converged`).
 * @example
 * const clf = await new LogisticRegression({ C: 0.5 }).fit(X, y);
 * clf.predictProba(X).row(0); // Float64Array [0.97, 0.03, 0.00]
 */
export class LogisticRegression extends DenseClassifier<LogisticRegressionParams, LogisticRegressionState> {
  protected override get schema(): z.ZodType<LogisticRegressionParams> {
    return logisticRegressionParams as unknown as z.ZodType<LogisticRegressionParams>;
  }

  /** Coefficients, one row for two classes (the second class's) or one per class (scikit-learn's coef_). */
  get coef(): Matrix {
    const s = this.fitted();
    return new Matrix(s.nRows, s.nFeatures, s.coef.slice());
  }

  /** Intercepts, one per row of `coef` (zeros without fit_intercept). */
  get intercept(): Float64Array {
    return this.fitted().intercept.slice();
  }

  /** L-BFGS iterations run (scikit-learn's n_iter_[0]). */
  get nIter(): number {
    return this.fitted().nIter;
  }

  /** False when the solver stopped at max_iter (or could not decrease the loss) before converging. */
  get converged(): boolean {
    return this.fitted().converged;
  }

  protected override fitState(X: Frame, y: Labels | undefined, params: LogisticRegressionParams): LogisticRegressionState {
    // Not scanned here: copying the columns into the design matrix checks them (see below).
    const columns = this.numericFeatures(X);
    if (columns.length === 0) this.fitFeatures(X);
    const { classes, codes } = encodeLabels(y);
    const n = X.nRows;
    const d = columns.length;
    const perClass = classWeights(params.class_weight, classes, codes);
    const weights = new Float64Array(n);
    for (let i = 0; i < n; i++) weights[i] = perClass[codes[i]];
    const K = classes.length;
    // One class: nothing to learn; every row gets it with probability 1 (scikit-learn refuses this).
    if (K === 1) {
      this.assertFinite(columns);
      return { classes, coef: new Float64Array(d), nRows: 1, nFeatures: d, intercept: new Float64Array(1), nIter: 0, converged: true };
    }
    const nRows = K === 2 ? 1 : K;
    const design = designMatrix(columns, n, nRows);
    if (!design.finite) {
      design.release();
      this.assertFinite(columns);
    }
    const data = { X: design, codes, weights, l2: params.penalty === null ? 0 : 1 / params.C, fitIntercept: params.fit_intercept };
    const objective = K === 2 ? binaryObjective(data) : multinomialObjective(data, K);
    let result: ReturnType<typeof minimizeLbfgs>;
    try {
      result = minimizeLbfgs(objective, new Float64Array(nRows * (d + 1)), { maxIter: params.max_iter, gtol: params.tol });
    } finally {
      design.release();
    }
    return {
      classes,
      coef: result.x.slice(0, nRows * d),
      nRows,
      nFeatures: d,
      intercept: result.x.slice(nRows * d),
      nIter: result.nIter,
      converged: result.converged,
    };
  }

  /** Signed distances to the decision boundaries: one column for two classes, one per class otherwise. */
  decisionFunction(X: Frame): Matrix {
    const s = this.fitted();
    const columns = this.numericFeatures(X);
    const out = new Matrix(X.nRows, s.nRows, uninitializedF64(X.nRows * s.nRows));
    // Straight from the Frame's columns, all classes per block of rows, into the one output buffer.
    predictScores(columns, X.nRows, s.coef, s.nRows, s.intercept, out.data);
    if (!allFinite(out.data)) this.assertFinite(columns);
    return out;
  }

  /** Class probabilities: softmax of the decision function, or the logistic sigmoid for two classes. */
  override predictProba(X: Frame): Matrix {
    const s = this.fitted();
    if (s.classes.length === 1) return new Matrix(X.nRows, 1, new Float64Array(X.nRows).fill(1));
    if (s.nRows > 1) return softmaxRows(this.decisionFunction(X));
    const columns = this.numericFeatures(X);
    const out = new Matrix(X.nRows, 2, uninitializedF64(2 * X.nRows));
    if (!predictBinaryProba(columns, X.nRows, s.coef, s.intercept, out.data)) this.assertFinite(columns);
    return out;
  }

  /** The class with the highest score for each row, as string[] or Float64Array like the y given to fit. */
  predict(X: Frame): Labels {
    const s = this.fitted();
    if (s.classes.length === 1) return decodeLabels(s.classes, new Int32Array(X.nRows));
    const columns = this.numericFeatures(X);
    // Block by block, without materializing the decision function: the same scores, the same argmax.
    const { labels, finite } = predictLabels(columns, X.nRows, s.coef, s.nRows, s.intercept, s.classes);
    if (!finite) this.assertFinite(columns);
    return labels;
  }
}
