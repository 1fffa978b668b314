/**
 * Feature binning of the histogram gradient boosting estimators (scikit-learn's `_BinMapper`): each
 * feature gets at most `maxBins` bins, cut at midpoints between distinct values when there are few,
 * else at `method='midpoint'` percentiles of (a subsample of) the column.
 * @example
 * const thresholds = binThresholds(column, 255);
 * const bins = binColumn(column, thresholds); // Uint8Array
 */
export function binThresholds(col: Float64Array, maxBins: number): Float64Array {
  const sorted = Float64Array.from(col).sort();
  const distinct: number[] = [];
  for (let i = 0; i < sorted.length; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) distinct.push(sorted[i]);
  if (distinct.length <= maxBins) {
    const out = new Float64Array(Math.max(0, distinct.length - 1));
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
  for (let k = 0; k < n; k++) {
    const x = col[rows === undefined ? k : rows[k]];
    let left = 0;
    let right = m;
    while (left < right) {
      const mid = (left + right) >>> 1;
      if (x <= thresholds[mid]) right = mid;
      else left = mid + 1;
    }
    out[k] = left;
  }
  return out;
}
