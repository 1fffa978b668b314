/**
 * A Float64Array of `length` values that are not zero-filled, for outputs whose every element is written
 * before anyone reads it (batch predictions): `new Float64Array` zero-fills a fresh allocation, which
 * for 100k rows costs about as much as 5 % of a linear model's whole predict (page faults on untouched
 * memory), where an unfilled allocation mostly reuses memory the garbage collector gave back. Its buffer
 * is its own (`allocUnsafeSlow` never hands out a slice of Node's shared pool), exactly `length` × 8 bytes.
 * @example
 * const out = uninitializedF64(n); for (let i = 0; i < n; i++) out[i] = f(i);
 */
export function uninitializedF64(length: number): Float64Array {
  return new Float64Array(Buffer.allocUnsafeSlow(length * 8).buffer, 0, length);
}
