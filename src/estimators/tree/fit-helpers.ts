import type { Frame, Labels } from '../../data/frame.js';
import { PldError } from '../../errors.js';

/**
 * The growth limits every CART-based estimator shares, with scikit-learn's names.
 * @example
 * const limits: CartLimits = { max_depth: null, min_samples_split: 2, min_samples_leaf: 1 };
 */
export interface CartLimits {
  max_depth: number | null;
  min_samples_split: number;
  min_samples_leaf: number;
}

/**
 * Counts from scikit-learn's int-or-share limits: a whole number is a count, a fraction a share of `n`
 * (`min_samples_split: 1` can only mean the share 1.0, since the count 1 is out of range).
 * @example
 * resolveLimits({ max_depth: null, min_samples_split: 2, min_samples_leaf: 0.1 }, 150); // { minSamplesLeaf: 15, ... }
 */
export function resolveLimits(p: CartLimits, n: number): { maxDepth: number; minSamplesSplit: number; minSamplesLeaf: number } {
  const minSamplesLeaf = Number.isInteger(p.min_samples_leaf) ? p.min_samples_leaf : Math.ceil(p.min_samples_leaf * n);
  const minSamplesSplit = p.min_samples_split >= 2 ? p.min_samples_split : Math.ceil(p.min_samples_split * n);
  return { maxDepth: p.max_depth ?? Infinity, minSamplesSplit: Math.max(minSamplesSplit, 2 * minSamplesLeaf), minSamplesLeaf };
}

/**
 * Number of features to try per split, from scikit-learn's `max_features` (null = all; an int is a count).
 * @example
 * resolveMaxFeatures('sqrt', 20, 'RandomForestClassifier'); // 4
 */
export function resolveMaxFeatures(spec: 'sqrt' | 'log2' | number | null, nFeatures: number, owner: string): number {
  if (spec === null) return nFeatures;
  if (spec === 'sqrt') return Math.max(1, Math.floor(Math.sqrt(nFeatures)));
  if (spec === 'log2') return Math.max(1, Math.floor(Math.log2(nFeatures)));
  if (Number.isInteger(spec)) {
    if (spec > nFeatures)
      throw new PldError('PLD_ERR_ESTIMATOR_INVALID_PARAM', `${owner}: max_features: must be <= the number of features (${nFeatures}), got ${spec}`, {
        details: { params: ['max_features'] },
      });
    return spec;
  }
  return Math.max(1, Math.floor(spec * nFeatures));
}

/**
 * One weight per class: 'balanced' is n_samples / (n_classes * count), a mapping is keyed by the label's text.
 * @example
 * classWeights('balanced', ['a', 'b'], Int32Array.of(0, 0, 0, 1)); // Float64Array [0.667, 2]
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
 * Checks that every value of the feature columns is finite; NaN or ±Infinity is PLD_ERR_ESTIMATOR_BAD_INPUT naming the column.
 * @example
 * assertFinite(columns, ['a', 'b'], 'RandomForestClassifier');
 */
export function assertFinite(columns: readonly Float64Array[], names: readonly string[], owner: string): void {
  columns.forEach((col, f) => {
    for (let i = 0; i < col.length; i++) {
      if (!Number.isFinite(col[i])) {
        throw new PldError('PLD_ERR_ESTIMATOR_BAD_INPUT', `Column '${names[f]}' has ${col[i]} at row ${i}; ${owner} needs finite numbers (impute missing values first)`, {
          details: { column: names[f], row: i },
        });
      }
    }
  });
}

/**
 * Regression targets as numbers: undefined, text or non-finite values are PLD_ERR_ESTIMATOR_BAD_INPUT.
 * @example
 * numericTarget(Float64Array.of(1.5, 2), 'DecisionTreeRegressor');
 */
export function numericTarget(y: Labels | undefined, owner: string): Float64Array {
  if (y === undefined) throw new PldError('PLD_ERR_ESTIMATOR_BAD_INPUT', `${owner} needs targets y to fit; none were given`);
  if (!(y instanceof Float64Array)) throw new PldError('PLD_ERR_ESTIMATOR_BAD_INPUT', `${owner} needs numeric targets y; got text labels (use a classifier)`);
  for (let i = 0; i < y.length; i++) {
    if (!Number.isFinite(y[i])) throw new PldError('PLD_ERR_ESTIMATOR_BAD_INPUT', `Target y[${i}] is ${y[i]}; ${owner} needs finite numbers`, { details: { row: i } });
  }
  return y;
}

/**
 * Checks that X and y have the same number of rows before scoring.
 * @example
 * assertSameRows(X, y);
 */
export function assertSameRows(X: Frame, y: Labels): void {
  if (y.length !== X.nRows) throw new PldError('PLD_ERR_ESTIMATOR_BAD_INPUT', `X has ${X.nRows} rows but y has ${y.length}`);
}

export { accuracy, r2 as r2Score } from '../scores.js';
