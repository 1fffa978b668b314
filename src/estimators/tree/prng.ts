/**
 * A small seeded PRNG (mulberry32): uniform floats in [0, 1). Enough for feature sampling and random
 * thresholds, and identical on every platform, so a `random_state` reproduces a tree exactly.
 * `seed === null` draws a seed from `Math.random`, as scikit-learn's `random_state=None` is unseeded.
 * @example
 * const rand = mulberry32(42); rand(); // 0.6011037519201636
 */
export function mulberry32(seed: number | null): () => number {
  let a = (seed === null ? Math.floor(Math.random() * 0x1_0000_0000) : seed) >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 0x1_0000_0000;
  };
}

/**
 * One step of a Fisher–Yates shuffle of the feature order, as scikit-learn's splitters draw the features a
 * node tries: swaps a random one of `order[j..]` into place `j` and returns it.
 * @example
 * const f = drawFeature(order, j, random);
 */
export function drawFeature(order: Int32Array, j: number, random: () => number): number {
  const swap = j + Math.floor(random() * (order.length - j));
  const t = order[j];
  order[j] = order[swap];
  order[swap] = t;
  return order[j];
}
