import { mulberry32 } from '../../estimators/tree/prng.js';

/**
 * A seeded random source for splitters: `null` seeds from Math.random (scikit-learn's `random_state=None`).
 * @example
 * const rand = seededRandom(0); permutation(5, rand); // the same order on every run
 */
export function seededRandom(seed: number | null): () => number {
  return mulberry32(seed);
}

/**
 * `0..n-1` in a random order (Fisher–Yates).
 * @example
 * permutation(3, seededRandom(1)); // e.g. Int32Array [2, 0, 1]
 */
export function permutation(n: number, random: () => number): Int32Array {
  const out = Int32Array.from({ length: n }, (_, i) => i);
  shuffleInPlace(out, random);
  return out;
}

/**
 * Shuffles an array in place (Fisher–Yates).
 * @example
 * shuffleInPlace([1, 2, 3], seededRandom(0));
 */
export function shuffleInPlace<T extends { length: number; [i: number]: unknown }>(values: T, random: () => number): T {
  for (let i = values.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const tmp = values[i];
    values[i] = values[j];
    values[j] = tmp;
  }
  return values;
}

/**
 * The rows not in `test`, ascending (scikit-learn's train indices for k-fold style splitters).
 * @example
 * complement(5, Int32Array.of(1, 3)); // Int32Array [0, 2, 4]
 */
export function complement(n: number, test: ArrayLike<number>): Int32Array {
  const mask = new Uint8Array(n);
  for (let i = 0; i < test.length; i++) mask[test[i]] = 1;
  const out = new Int32Array(n - test.length);
  let k = 0;
  for (let i = 0; i < n; i++) if (mask[i] === 0) out[k++] = i;
  return out;
}
