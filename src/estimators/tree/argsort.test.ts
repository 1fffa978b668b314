import { describe, expect, it } from 'vitest';
import { argsortStable } from './argsort.js';
import { mulberry32 } from './prng.js';

// What the lists must hold: rows by value, equal values (-0 and +0 included) in row order.
function reference(col: Float64Array): number[] {
  return Array.from({ length: col.length }, (_, i) => i).sort((a, b) => col[a] - col[b] || a - b);
}

describe('argsortStable', () => {
  it('orders rows by value with ties in row order', () => {
    const random = mulberry32(5);
    const pool = [0, -0, 1, -1, 0.5, -0.5, 1e-300, -1e-300, 5e-324, -5e-324, 1e300, -1e300, Number.MAX_VALUE, -Number.MAX_VALUE, 3, 3.0000000000000004];
    for (const n of [0, 1, 2, 17, 1000, 70_000]) {
      const ties = Float64Array.from({ length: n }, () => pool[Math.floor(random() * pool.length)]);
      expect(Array.from(argsortStable(ties))).toEqual(reference(ties));
      const spread = Float64Array.from({ length: n }, () => (random() - 0.5) * 10 ** Math.floor(random() * 20 - 10));
      expect(Array.from(argsortStable(spread))).toEqual(reference(spread));
    }
  });

  it('puts -0 and +0 together, in row order', () => {
    expect(Array.from(argsortStable(Float64Array.of(0, -0, -1, 0, -0)))).toEqual([2, 0, 1, 3, 4]);
  });

  it('puts -0 before +0 with signedZeros, as a numeric sort does', () => {
    expect(Array.from(argsortStable(Float64Array.of(0, -0, -1, 0, -0), true))).toEqual([2, 1, 4, 0, 3]);
  });
});
