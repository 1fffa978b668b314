import type { Labels } from '../data/frame.js';
import { encodeLabels } from './tree/labels.js';

/** Numeric label sets larger than this go to the general encoder (a Map per distinct value). */
const _FEW_CLASSES = 64;

/**
 * {@link encodeLabels} (same classes, same codes, same errors) with a fast path for numeric labels of a
 * few classes, the usual classifier target: one pass over y with a linear search among the classes seen
 * so far, then codes renumbered to the sorted classes. The general encoder spends most of a fit's label
 * time in Set iteration and a Map lookup per row, and its loops run long in V8's interpreter on a cold
 * start; these small one-loop functions are optimised on their own, early.
 * @example
 * const { classes, codes } = encodeClasses(Float64Array.of(2, 0, 2)); // classes [0, 2], codes Int32Array [1, 0, 1]
 */
export function encodeClasses(y: Labels | undefined): { classes: Labels; codes: Int32Array } {
  if (!(y instanceof Float64Array)) return encodeLabels(y);
  const codes = new Int32Array(y.length);
  const seen = new Float64Array(_FEW_CLASSES);
  const k = _firstSeenCodes(y, codes, seen);
  // Many classes, NaN or ±Infinity: the general encoder, which also words the error.
  if (k < 0) return encodeLabels(y);
  const classes = seen.slice(0, k).sort();
  const rank = new Int32Array(k);
  for (let c = 0; c < k; c++) rank[c] = classes.indexOf(seen[c]);
  _renumber(codes, rank);
  return { classes, codes };
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

function _renumber(codes: Int32Array, rank: Int32Array): void {
  for (let i = 0; i < codes.length; i++) codes[i] = rank[codes[i]];
}
