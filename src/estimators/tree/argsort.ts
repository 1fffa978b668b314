/**
 * Row indices ordered by value, ties (and -0 / +0) in row order: a stable LSD radix sort on the
 * value's bits turned into an unsigned order, 16 bits a pass, skipping passes where every value
 * shares the digit. A native sort of a copy plus a binary search per row (the previous way) took
 * about twice as long (~20 vs ~10 ms per 100k-row column in a profile).
 * With `signedZeros`, -0 sorts before +0 as in a numeric TypedArray sort (values then come out in the
 * very order, bits included, of `Float64Array.prototype.sort` for finite columns).
 * @example
 * argsortStable(Float64Array.of(2, -1, 2)); // Int32Array [1, 0, 2]
 */
export function argsortStable(col: Float64Array, signedZeros = false): Int32Array {
  const n = col.length;
  const bits = new Float64Array(n);
  for (let i = 0; i < n; i++) bits[i] = col[i] === 0 && !signedZeros ? 0 : col[i]; // -0 ties with +0
  const words = new Uint32Array(bits.buffer);
  const lo = new Uint32Array(n);
  const hi = new Uint32Array(n);
  const littleEndian = new Uint8Array(Uint32Array.of(1).buffer)[0] === 1;
  const [l, h] = littleEndian ? [0, 1] : [1, 0];
  for (let i = 0; i < n; i++) {
    const a = words[2 * i + l];
    const b = words[2 * i + h];
    // Negative values: flip every bit (larger magnitude sorts first); others: set the sign bit.
    if (b >>> 31 === 1) {
      lo[i] = ~a >>> 0;
      hi[i] = ~b >>> 0;
    } else {
      lo[i] = a;
      hi[i] = (b | 0x8000_0000) >>> 0;
    }
  }
  let order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  let spare = new Int32Array(n);
  const counts = new Int32Array(0x1_0000);
  for (let pass = 0; pass < 4; pass++) {
    const key = pass < 2 ? lo : hi;
    const shift = (pass & 1) * 16;
    counts.fill(0);
    for (let i = 0; i < n; i++) counts[(key[i] >>> shift) & 0xffff]++;
    if (n === 0 || counts[(key[0] >>> shift) & 0xffff] === n) continue;
    let sum = 0;
    for (let d = 0; d < 0x1_0000; d++) {
      const c = counts[d];
      counts[d] = sum;
      sum += c;
    }
    for (let p = 0; p < n; p++) {
      const i = order[p];
      spare[counts[(key[i] >>> shift) & 0xffff]++] = i;
    }
    const t = order;
    order = spare;
    spare = t;
  }
  return order;
}
