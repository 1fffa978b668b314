// The random splitter reads a node's samples feature by feature in no sorted order, so each read is a
// cache miss; as float32 rows (scikit-learn's own layout) the features of one sample share a cache line
// and the data is half the size, which made a tree fit about 1.5× faster than float64 columns.

const F32_MAX = 3.4028234663852886e38;
const _f32 = new Float32Array(1);
const _u32 = new Uint32Array(_f32.buffer);
const _f64 = new Float64Array(1);
const _u64 = new BigUint64Array(_f64.buffer);

/**
 * The features as one row-major Float32Array (`rows[i * nFeatures + f]`), each value rounded to the
 * nearest float32. Values beyond the float32 range are clamped to it: a split between two of them is then
 * impossible (scikit-learn refuses such values), but every threshold stays consistent with the float64 data.
 * @example
 * const rows = rowMajorFloat32([Float64Array.of(1, 2), Float64Array.of(3, 4)]); // [1, 3, 2, 4]
 */
export function rowMajorFloat32(columns: readonly Float64Array[]): Float32Array {
  const nf = columns.length;
  const n = nf === 0 ? 0 : columns[0].length;
  const rows = new Float32Array(n * nf);
  for (let f = 0; f < nf; f++) {
    const col = columns[f];
    for (let i = 0, k = f; i < n; i++, k += nf) {
      const v = col[i];
      rows[k] = Math.min(F32_MAX, Math.max(-F32_MAX, v));
    }
  }
  return rows;
}

/**
 * The float64 threshold that splits float64 data exactly as `float32(x) <= t` splits its float32
 * copy: `x <= float64Threshold(t)` ⇔ `Math.fround(x) <= t`, for every finite x. It lies between the largest
 * float32 T <= t and the next float32, on the boundary where rounding to the nearest (ties to even) changes
 * from T to the next, so a tree grown on float32 rows predicts float64 rows the same way.
 * @example
 * float64Threshold(0.5); // 0.5000000298023224 (halfway between 0.5 and the next float32)
 */
export function float64Threshold(t: number): number {
  let low = Math.fround(t);
  if (low > t) low = _nextFloat32(low, -1);
  if (low === 0) low = 0; // -0 → +0
  const high = _nextFloat32(low, 1);
  const mid = (low + high) / 2; // exact: two adjacent float32s have 29 spare bits in a double
  _f32[0] = low;
  // A tie rounds to the float32 with an even last bit: when that is `low`, the midpoint itself goes left.
  return (_u32[0] & 1) === 0 ? mid : _previousDouble(mid);
}

/** The float32 next to the float32 `x` towards `direction` (+1 up, -1 down). */
function _nextFloat32(x: number, direction: 1 | -1): number {
  if (x === 0) return direction * 1.401298464324817e-45;
  _f32[0] = x;
  _u32[0] += x > 0 === direction > 0 ? 1 : -1;
  return _f32[0];
}

/** The largest double below `x` (x finite, non-zero). */
function _previousDouble(x: number): number {
  _f64[0] = x;
  _u64[0] += x > 0 ? -1n : 1n;
  return _f64[0];
}
