import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../tree/prng.js';
import { centredGram } from './kernels-gram.js';
import { columnCoordinateDescent } from './lasso.js';
import { gramCoordinateDescent } from './lasso-gram.js';
import { centre } from './least-squares.js';

// The Gram-matrix descent (used when n > d) against the column-wise one on the same data: same iterates
// up to rounding, so the same coefficients, sweep count and duality gap.
describe('gramCoordinateDescent', () => {
  const rand = mulberry32(21);
  for (const [n, d, alpha, positive, tol] of [
    [200, 6, 0.01, false, 1e-4],
    [500, 10, 0.1, false, 1e-6],
    [300, 8, 0.05, true, 1e-4],
    [50, 3, 10, false, 1e-4],
  ] as const) {
    it(`n=${n} d=${d} alpha=${alpha} positive=${positive}: same as the column-wise descent`, () => {
      const columns = Array.from({ length: d }, () => Float64Array.from({ length: n }, () => rand() * 2 - 1));
      const y = Float64Array.from({ length: n }, (_, i) => columns.reduce((s, c, j) => s + ((j % 3) - 1) * c[i], 0) + 0.1 * rand() + 2);
      const c = centre(columns, y, n, true);
      const byColumn = columnCoordinateDescent(c.X, c.y, alpha * n, 1000, tol, positive);
      const byGram = gramCoordinateDescent(centredGram(columns, y, n, true), alpha * n, 1000, tol, positive);
      expect(byGram.nIter).toBe(byColumn.nIter);
      for (let j = 0; j < d; j++) expect(Math.abs(byGram.coef[j] - byColumn.coef[j])).toBeLessThan(1e-9 * (1 + Math.abs(byColumn.coef[j])));
      expect(Math.abs(byGram.gap - byColumn.gap)).toBeLessThan(1e-6 * (1 + Math.abs(byColumn.gap)) + 1e-9 * n);
      if (positive) for (const w of byGram.coef) expect(w).toBeGreaterThanOrEqual(0);
    });
  }
});
