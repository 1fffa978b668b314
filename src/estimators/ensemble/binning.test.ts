import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../tree/prng.js';
import { binColumn, binThresholds } from './binning.js';

// The plain definitions the fast paths must match bit for bit: thresholds from a native sort, and a
// bin as the number of thresholds strictly below the value.
function referenceThresholds(col: Float64Array, maxBins: number): number[] {
  const sorted = Float64Array.from(col).sort();
  const distinct = sorted.filter((v, i) => i === 0 || v !== sorted[i - 1]);
  if (distinct.length <= maxBins) return Array.from(distinct.subarray(1), (v, j) => (distinct[j] + v) * 0.5);
  const n = sorted.length;
  return Array.from({ length: maxBins - 1 }, (_, j) => {
    const virtual = (((100 / maxBins) * (j + 1)) / 100) * (n - 1);
    const lo = Math.floor(virtual);
    const [a, b] = [sorted[lo], sorted[Math.min(lo + 1, n - 1)]];
    return virtual === lo ? a : b - (b - a) * 0.5;
  });
}

/** -0 spelled out, so that equality tells the zeros apart. */
function signed(t: number): number | string {
  return Object.is(t, -0) ? '-0' : t;
}

function referenceBins(col: Float64Array, thresholds: Float64Array): number[] {
  return Array.from(col, (x) => thresholds.filter((t) => t < x).length);
}

describe('binThresholds / binColumn', () => {
  const random = mulberry32(11);
  const columns = {
    zeros: Float64Array.from({ length: 3000 }, (_, i) => [0, -0, 1, -1][i % 4] * (i % 7 === 0 ? random() : 1)),
    skewed: Float64Array.from({ length: 5000 }, () => Math.exp(30 * random()) - 1e6 * (random() < 0.01 ? 1 : 0)),
    grid: Float64Array.from({ length: 4000 }, () => Math.round(random() * 1000) / 1000),
    huge: Float64Array.from({ length: 2000 }, () => (random() - 0.5) * Number.MAX_VALUE),
    few: Float64Array.from({ length: 500 }, () => Math.floor(random() * 4)),
    constant: new Float64Array(100).fill(-0),
  };

  it('gives the native sort’s thresholds, signed zeros included', () => {
    for (const [name, col] of Object.entries(columns)) {
      for (const maxBins of [2, 16, 255]) {
        expect(Array.from(binThresholds(col, maxBins), signed), `${name} ${maxBins}`).toEqual(referenceThresholds(col, maxBins).map(signed));
      }
    }
  });

  it('bins every value as the number of thresholds below it, on any threshold spacing', () => {
    const spread = Float64Array.from({ length: 3000 }, () => (random() - 0.5) * 10 ** Math.floor(random() * 12 - 6));
    const sets = [
      ...Object.values(columns).map((col) => binThresholds(col, 255)),
      Float64Array.of(0.5),
      Float64Array.of(1, 1, 1, 2),
      Float64Array.of(-Number.MAX_VALUE, 0, Number.MAX_VALUE),
      Float64Array.from({ length: 254 }, (_, j) => (j < 250 ? j * 1e-9 : 1e9 + j)),
    ];
    for (const thresholds of sets) {
      for (const col of [...Object.values(columns), spread, thresholds]) {
        expect(Array.from(binColumn(col, thresholds))).toEqual(referenceBins(col, thresholds));
      }
    }
    const rows = [5, 0, 99, 5];
    expect(Array.from(binColumn(columns.grid, sets[2], rows))).toEqual(
      referenceBins(
        Float64Array.from(rows, (i) => columns.grid[i]),
        sets[2],
      ),
    );
  });
});
