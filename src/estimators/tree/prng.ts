/**
 * mulberry32 as returned by {@link mulberry32}: a function drawing the next float, with its 32-bit state
 * readable and writable, so the random splitter's WebAssembly kernel can continue the same sequence.
 */
export interface Mulberry32 {
  (): number;
  state: number;
}

/**
 * A small seeded PRNG (mulberry32): uniform floats in [0, 1). Enough for feature sampling and random
 * thresholds, and identical on every platform, so a `random_state` reproduces a tree exactly.
 * `seed === null` draws a seed from `Math.random`, as scikit-learn's `random_state=None` is unseeded.
 * @example
 * const rand = mulberry32(42); rand(); // 0.6011037519201636
 */
export function mulberry32(seed: number | null): Mulberry32 {
  const next = (() => {
    const a = (next.state + 0x6d2b79f5) >>> 0;
    next.state = a;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 0x1_0000_0000;
  }) as Mulberry32;
  next.state = (seed === null ? Math.floor(Math.random() * 0x1_0000_0000) : seed) >>> 0;
  return next;
}

/**
 * Whether `random` is a {@link mulberry32} generator, whose state can be handed to the WebAssembly kernel.
 * @example
 * isMulberry32(mulberry32(1)); // true
 */
export function isMulberry32(random: () => number): random is Mulberry32 {
  return typeof (random as Partial<Mulberry32>).state === 'number';
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
