import type { Frame, Labels, Matrix } from '../../data/frame.js';
import { PldError } from '../../errors.js';
import { BaseEstimator } from '../base.js';
import { allFinite } from './blas.js';
import type { Params } from '../types.js';
import { accuracy as accuracyScore, r2 as r2Score } from '../scores.js';

/**
 * Base for estimators that read every feature as a finite number (linear models, neighbours, naive
 * Bayes, dummies): the columns seen in fit, selected by name, NaN/±Infinity rejected naming the column.
 * @example
 * class Mean extends DenseEstimator<{}, { mean: number }> { ... }
 */
export abstract class DenseEstimator<P extends Params, S> extends BaseEstimator<P, S> {
  /** Feature columns by the names seen in fit; NaN or ±Infinity is an error naming the column. */
  protected finiteFeatures(X: Frame): Float64Array[] {
    const columns = this.numericFeatures(X);
    this.assertFinite(columns);
    return columns;
  }

  /**
   * Throws PLD_ERR_ESTIMATOR_BAD_INPUT naming the first column and row holding NaN or ±Infinity.
   * Batch predicts call it only when their output is not finite: a non-finite input always spreads to
   * the output of a dot product (NaN·w, Inf·0 and Inf − Inf are all NaN), so valid data pays no extra pass.
   */
  protected assertFinite(columns: readonly Float64Array[]): void {
    const names = this.featureNames ?? [];
    for (let f = 0; f < columns.length; f++) {
      const col = columns[f];
      // The row is looked up only on failure; allFinite is a small function of its own, which V8 optimises
      // early in a cold process (a loop inlined here deoptimised at the first column's end).
      if (allFinite(col)) continue;
      for (let i = 0; i < col.length; i++) {
        if (!Number.isFinite(col[i])) {
          throw new PldError(
            'PLD_ERR_ESTIMATOR_BAD_INPUT',
            `Column '${names[f] ?? f}' has ${col[i]} at row ${i}; ${this.constructor.name} needs finite numbers (impute missing values first)`,
            { details: { column: names[f] ?? String(f), row: i } },
          );
        }
      }
    }
  }

  /** Like {@link finiteFeatures}, but a fit with no feature column at all is an error. */
  protected fitFeatures(X: Frame): Float64Array[] {
    const columns = this.finiteFeatures(X);
    if (columns.length === 0) throw new PldError('PLD_ERR_ESTIMATOR_BAD_INPUT', `${this.constructor.name} needs at least one feature column`);
    return columns;
  }
}

/**
 * A {@link DenseEstimator} that classifies: `classes` from the state, `score` is accuracy.
 * @example
 * class Majority extends DenseClassifier<{}, { classes: Labels }> { ... }
 */
export abstract class DenseClassifier<P extends Params, S extends { classes: Labels }> extends DenseEstimator<P, S> {
  readonly estimatorType = 'classifier' as const;

  /** Class labels in predictProba's column order; undefined before fit. */
  get classes(): Labels | undefined {
    return this.state?.classes;
  }

  abstract override predictProba(X: Frame): Matrix;

  /** Mean accuracy of predict(X) against y. */
  score(X: Frame, y: Labels): number {
    return accuracyScore(y, this.predict(X) as Labels);
  }
}

/**
 * A {@link DenseEstimator} that regresses: predict returns a Float64Array, `score` is R².
 * @example
 * class Mean extends DenseRegressor<{}, { mean: number }> { ... }
 */
export abstract class DenseRegressor<P extends Params, S> extends DenseEstimator<P, S> {
  readonly estimatorType = 'regressor' as const;

  abstract override predict(X: Frame): Float64Array;

  /** Coefficient of determination R² of predict(X) against y (1 is perfect; scikit-learn's r2_score). */
  score(X: Frame, y: Labels): number {
    return r2Score(y, this.predict(X));
  }
}

/**
 * y as finite numbers for a regressor; text labels or NaN are PLD_ERR_ESTIMATOR_BAD_INPUT.
 * @example
 * numericTarget(Float64Array.of(1, 2)); // Float64Array [1, 2]
 */
export function numericTarget(y: Labels | undefined): Float64Array {
  if (y === undefined) throw new PldError('PLD_ERR_ESTIMATOR_BAD_INPUT', 'A regressor needs a target y to fit; none was given');
  if (!(y instanceof Float64Array)) throw new PldError('PLD_ERR_ESTIMATOR_BAD_INPUT', 'A regressor needs a numeric target y; got text labels');
  if (allFinite(y)) return y;
  const row = y.findIndex((v) => !Number.isFinite(v));
  throw new PldError('PLD_ERR_ESTIMATOR_BAD_INPUT', `Target y[${row}] is ${y[row]}; y must be finite numbers`, { details: { row } });
}

/**
 * Columns copied into one row-major block (`n × d`), so per-row dot products read contiguous memory.
 * @example
 * toRowMajor([Float64Array.of(1, 2), Float64Array.of(3, 4)], 2); // Float64Array [1, 3, 2, 4]
 */
export function toRowMajor(columns: readonly Float64Array[], n: number): Float64Array {
  const d = columns.length;
  const out = new Float64Array(n * d);
  for (let j = 0; j < d; j++) {
    const col = columns[j];
    for (let i = 0, at = j; i < n; i++, at += d) out[at] = col[i];
  }
  return out;
}

/**
 * One weight per class for scikit-learn's `class_weight`: 'balanced' is n / (n_classes × count), an
 * object is keyed by the label's text (missing classes weigh 1).
 * @example
 * classWeights('balanced', ['a', 'b'], Int32Array.of(0, 0, 1)); // Float64Array [0.75, 1.5]
 */
export function classWeights(spec: 'balanced' | Record<string, number> | null, classes: Labels, codes: Int32Array): Float64Array {
  const weights = new Float64Array(classes.length).fill(1);
  if (spec === null) return weights;
  if (spec === 'balanced') {
    const counts = new Float64Array(classes.length);
    for (let i = 0; i < codes.length; i++) counts[codes[i]]++;
    for (let c = 0; c < classes.length; c++) weights[c] = codes.length / (classes.length * counts[c]);
    return weights;
  }
  for (let c = 0; c < classes.length; c++) weights[c] = spec[String(classes[c])] ?? 1;
  return weights;
}

/**
 * Row-wise softmax in place (stable: the row maximum is subtracted first); rows then sum to 1.
 * @example
 * softmaxRows(new Matrix(1, 2, Float64Array.of(0, 0))).row(0); // Float64Array [0.5, 0.5]
 */
export function softmaxRows(m: Matrix): Matrix {
  const k = m.nCols;
  const data = m.data;
  for (let i = 0; i < m.nRows; i++) {
    const at = i * k;
    let max = -Infinity;
    for (let c = 0; c < k; c++) if (data[at + c] > max) max = data[at + c];
    let sum = 0;
    for (let c = 0; c < k; c++) {
      data[at + c] = Math.exp(data[at + c] - max);
      sum += data[at + c];
    }
    for (let c = 0; c < k; c++) data[at + c] /= sum;
  }
  return m;
}

/**
 * Index of the largest value in each row, the first one on ties (like np.argmax).
 * @example
 * argmaxRows(new Matrix(1, 3, Float64Array.of(1, 3, 3))); // Int32Array [1]
 */
export function argmaxRows(m: Matrix): Int32Array {
  const out = new Int32Array(m.nRows);
  const k = m.nCols;
  for (let i = 0; i < m.nRows; i++) {
    let best = 0;
    for (let c = 1; c < k; c++) if (m.data[i * k + c] > m.data[i * k + best]) best = c;
    out[i] = best;
  }
  return out;
}

export { accuracyScore, r2Score };
