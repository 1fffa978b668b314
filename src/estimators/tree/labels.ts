import type { Labels } from '../../data/frame.js';
import { PldError } from '../../errors.js';

/**
 * Class labels as integer codes: `classes` sorted like `np.unique` (numbers ascending, strings by code
 * point), `codes[i]` the index of `y[i]` in `classes`.
 * @example
 * const { classes, codes } = encodeLabels(['b', 'a', 'b']); // classes ['a', 'b'], codes Int32Array [1, 0, 1]
 */
export function encodeLabels(y: Labels | undefined): { classes: Labels; codes: Int32Array } {
  if (y === undefined) throw new PldError('PLD_ERR_ESTIMATOR_BAD_INPUT', 'A classifier needs labels y to fit; none were given');
  const codes = new Int32Array(y.length);
  if (y instanceof Float64Array) {
    const few = _fewNumericClasses(y, codes);
    if (few !== null) return { classes: few, codes };
    for (let i = 0; i < y.length; i++) {
      if (!Number.isFinite(y[i])) throw new PldError('PLD_ERR_ESTIMATOR_BAD_INPUT', `Label y[${i}] is ${y[i]}; labels must be finite numbers or strings`, { details: { row: i } });
    }
    const classes = Float64Array.from(new Set(y)).sort();
    const index = new Map<number, number>();
    for (let k = 0; k < classes.length; k++) index.set(classes[k], k);
    for (let i = 0; i < y.length; i++) codes[i] = index.get(y[i]) as number;
    return { classes, codes };
  }
  for (let i = 0; i < y.length; i++) {
    if (typeof y[i] !== 'string')
      throw new PldError('PLD_ERR_ESTIMATOR_BAD_INPUT', `Label y[${i}] is ${String(y[i])}; labels must be strings or numbers, not missing`, { details: { row: i } });
  }
  // Code-point order, as np.unique sorts strings (localeCompare would not).
  const classes = [...new Set(y)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const index = new Map<string, number>();
  for (let k = 0; k < classes.length; k++) index.set(classes[k], k);
  for (let i = 0; i < y.length; i++) codes[i] = index.get(y[i]) as number;
  return { classes, codes };
}

/** Numeric label sets larger than this take the general path (a Set and a Map lookup per row). */
const _FEW_CLASSES = 64;

/**
 * The usual classifier target, a few finite numeric classes, without the Set and the Map lookup per row
 * that cost most of a fit's label time (and whose loops run long in V8's interpreter on a cold start):
 * codes by first appearance with a linear search among the classes seen so far, then renumbered to the
 * sorted classes. Null, with `codes` to be overwritten, for NaN, ±Infinity or more than a few classes.
 */
function _fewNumericClasses(y: Float64Array, codes: Int32Array): Float64Array | null {
  const seen = new Float64Array(_FEW_CLASSES);
  const k = _firstSeenCodes(y, codes, seen);
  if (k < 0) return null;
  const classes = seen.slice(0, k).sort();
  const rank = new Int32Array(k);
  for (let c = 0; c < k; c++) rank[c] = classes.indexOf(seen[c]);
  for (let i = 0; i < codes.length; i++) codes[i] = rank[codes[i]];
  return classes;
}

/**
 * Codes in order of first appearance into `codes`, the distinct values into `seen`; the number of classes,
 * or -1 when a value is not finite or there are more than `seen` holds. -0 and 0 are one class, as in a Set.
 */
function _firstSeenCodes(y: Float64Array, codes: Int32Array, seen: Float64Array): number {
  let k = 0;
  for (let i = 0; i < y.length; i++) {
    const v = y[i];
    let c = 0;
    while (c < k && seen[c] !== v) c++;
    if (c === k) {
      // v − v is NaN exactly for NaN and ±Infinity.
      if (k === seen.length || v - v !== 0) return -1;
      seen[k++] = v;
    }
    codes[i] = c;
  }
  return k;
}

/**
 * Per-class row counts of class codes.
 * @example
 * countClasses(Int32Array.of(0, 1, 1), 2); // Float64Array [1, 2]
 */
export function countClasses(codes: Int32Array, nClasses: number): Float64Array {
  const counts = new Float64Array(nClasses);
  for (let i = 0; i < codes.length; i++) counts[codes[i]]++;
  return counts;
}

/**
 * Labels for class codes: the same kind as `classes` (string[] or Float64Array).
 * @example
 * decodeLabels(['a', 'b'], Int32Array.of(1, 0)); // ['b', 'a']
 */
export function decodeLabels(classes: Labels, codes: Int32Array): Labels {
  if (classes instanceof Float64Array) {
    const out = new Float64Array(codes.length);
    for (let i = 0; i < codes.length; i++) out[i] = classes[codes[i]];
    return out;
  }
  const out: string[] = new Array(codes.length);
  for (let i = 0; i < codes.length; i++) out[i] = classes[codes[i]];
  return out;
}
