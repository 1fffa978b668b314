import type { Labels } from '../data/frame.js';
import { PldError } from '../errors.js';

/** A class label as the metrics see it: a number or a string. */
export type ClassLabel = number | string;

/**
 * Targets and predictions as class indices into one sorted label list (scikit-learn's `unique_labels`:
 * the union of both, sorted numerically or as text).
 * @example
 * const { classes, yTrue } = encodeClasses(['b', 'a'], ['a', 'a']); // classes ['a', 'b'], yTrue [1, 0]
 */
export interface EncodedClasses {
  readonly classes: ClassLabel[];
  readonly yTrue: Int32Array;
  readonly yPred: Int32Array;
}

/**
 * Encodes two label arrays of the same length against their sorted union.
 * @example
 * encodeClasses(Float64Array.of(1, 0), Float64Array.of(1, 1)).classes; // [0, 1]
 */
export function encodeClasses(yTrue: Labels, yPred: Labels, metric = 'metric'): EncodedClasses {
  checkSameLength(yTrue, yPred, metric);
  const classes = sortedUnique([...Array.from(yTrue as ArrayLike<ClassLabel>), ...Array.from(yPred as ArrayLike<ClassLabel>)]);
  const index = new Map<ClassLabel, number>(classes.map((label, i) => [label, i]));
  return { classes, yTrue: _indices(yTrue, index), yPred: _indices(yPred, index) };
}

/**
 * The distinct labels, sorted as NumPy sorts them (numbers ascending, strings by code point).
 * @example
 * sortedUnique(['b', 'a', 'b']); // ['a', 'b']
 */
export function sortedUnique(values: Iterable<ClassLabel>): ClassLabel[] {
  const unique = [...new Set(values)];
  return unique.sort((a, b) => (typeof a === 'number' && typeof b === 'number' ? a - b : String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0));
}

/**
 * Throws PLD_ERR_EVAL_METRIC_INPUT unless both arrays have the same, non-zero length.
 * @example
 * checkSameLength(y, predicted, 'accuracy');
 */
export function checkSameLength(a: ArrayLike<unknown>, b: ArrayLike<unknown>, metric: string): void {
  if (a.length !== b.length) throw new PldError('PLD_ERR_EVAL_METRIC_INPUT', `${metric}: y_true has ${a.length} values but y_pred has ${b.length}`);
  if (a.length === 0) throw new PldError('PLD_ERR_EVAL_METRIC_INPUT', `${metric}: needs at least one sample, got none`);
}

function _indices(labels: Labels, index: Map<ClassLabel, number>): Int32Array {
  const out = new Int32Array(labels.length);
  for (let i = 0; i < labels.length; i++) out[i] = index.get(labels[i])!;
  return out;
}
