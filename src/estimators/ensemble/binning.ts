import { argsortStable } from '../tree/argsort.js';

/** Buckets of {@link binColumn}'s lookup: about four per bin at the default 255 bins. */
const BUCKETS = 1024;

/**
 * Feature binning of the histogram gradient boosting estimators (scikit-learn's `_BinMapper`): each
 * feature gets at most `maxBins` bins, cut at midpoints between distinct values when there are few,
 * else at `method='midpoint'` percentiles of (a subsample of) the column.
 * @example
 * const thresholds = binThresholds(column, 255);
 * const bins = binColumn(column, thresholds); // Uint8Array
 */
export function binThresholds(col: Float64Array, maxBins: number): Float64Array {
  // The radix argsort and a gather give the native sort's values (finite columns) in half its time.
  const order = argsortStable(col, true);
  const sorted = new Float64Array(col.length);
  for (let p = 0; p < sorted.length; p++) sorted[p] = col[order[p]];
  const distinct = new Float64Array(maxBins);
  let nDistinct = 0;
  for (let i = 0; i < sorted.length && nDistinct <= maxBins; i++) {
    if (i > 0 && sorted[i] === sorted[i - 1]) continue;
    if (nDistinct < maxBins) distinct[nDistinct] = sorted[i];
    nDistinct++;
  }
  if (nDistinct <= maxBins) {
    const out = new Float64Array(Math.max(0, nDistinct - 1));
    for (let j = 0; j < out.length; j++) out[j] = (distinct[j] + distinct[j + 1]) * 0.5;
    return out;
  }
  // np.percentile(col, np.linspace(0, 100, maxBins + 1)[1:-1], method='midpoint'), step for step.
  const n = sorted.length;
  const step = 100 / maxBins;
  const out = new Float64Array(maxBins - 1);
  for (let k = 1; k < maxBins; k++) {
    const virtual = ((step * k) / 100) * (n - 1);
    const lo = Math.floor(virtual);
    const a = sorted[lo];
    const b = sorted[Math.min(lo + 1, n - 1)];
    // numpy's _lerp with t = 0.5 computes b - (b - a) * 0.5; t = 0 gives a.
    out[k - 1] = virtual === lo ? a : b - (b - a) * 0.5;
  }
  return out;
}

/**
 * Bin index of every value: the number of thresholds strictly below it, so `x <= thresholds[b]` ⇔ `bin(x) <= b`.
 * @example
 * binColumn(Float64Array.of(0, 1, 2), Float64Array.of(0.5, 1.5)); // Uint8Array [0, 1, 2]
 */
export function binColumn(col: Float64Array, thresholds: Float64Array, rows?: ArrayLike<number>): Uint8Array {
  const n = rows === undefined ? col.length : rows.length;
  const out = new Uint8Array(n);
  const m = thresholds.length;
  if (m === 0) return out;
  // A binary search over all thresholds mispredicts a branch per step. Equal-width buckets over the
  // thresholds' range narrow it first: `bucket` is monotone in x (rounded subtraction and product
  // are), so thresholds of lower buckets are below x and those of higher buckets above it; the search
  // runs between `first[k]` and `first[k + 1]`, most often zero or one threshold.
  const low = thresholds[0];
  const scale = BUCKETS / (thresholds[m - 1] - low);
  const bucket = (x: number): number => {
    // 0 × ∞ (a span of 0 or ∞) is NaN: bucket 0, where x is at or beyond the lowest threshold anyway.
    const b = (x - low) * scale;
    return b > 0 ? (b < BUCKETS ? Math.floor(b) : BUCKETS - 1) : 0;
  };
  const first = new Int32Array(BUCKETS + 1);
  for (let j = 0; j < m; j++) first[bucket(thresholds[j]) + 1]++;
  for (let k = 0; k < BUCKETS; k++) first[k + 1] += first[k];
  for (let k = 0; k < n; k++) {
    const x = col[rows === undefined ? k : rows[k]];
    const b = bucket(x);
    let left = first[b];
    let right = first[b + 1];
    while (left < right) {
      const mid = (left + right) >>> 1;
      if (x <= thresholds[mid]) right = mid;
      else left = mid + 1;
    }
    out[k] = left;
  }
  return out;
}
