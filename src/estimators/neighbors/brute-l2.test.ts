import { afterEach, describe, expect, it } from 'vitest';
import { Frame } from '../../data/frame.js';
import { KNeighborsClassifier, KNeighborsRegressor } from '../../index.js';
import { mulberry32 } from '../tree/prng.js';
import { setBruteScanWasm } from './brute-l2.js';

// The brute-force Euclidean search (the WebAssembly scan of brute-l2.ts, or the plain loop without it) must
// give exactly the neighbours and distances of the definition: every training row's Σ(xⱼ − yⱼ)², summed in
// feature order, sorted by distance then index, the k first, square-rooted.

function frame(n: number, d: number, value: (i: number, j: number) => number): Frame {
  const columns = Array.from({ length: d }, (_, j) => Float64Array.from({ length: n }, (_, i) => value(i, j)));
  return new Frame(Object.fromEntries(columns.map((c, j) => [`f${j}`, c])));
}

function rows(X: Frame): number[][] {
  const columns = X.columns.map((c) => X.numeric(c));
  return Array.from({ length: X.nRows }, (_, i) => columns.map((c) => c[i]));
}

function reference(X: Frame, Q: Frame, k: number): { distances: number[]; indices: number[] } {
  const train = rows(X);
  const distances: number[] = [];
  const indices: number[] = [];
  for (const q of rows(Q)) {
    const all = train.map((x, t) => {
      let s = 0;
      for (let j = 0; j < q.length; j++) s += (q[j] - x[j]) * (q[j] - x[j]);
      return { s, t };
    });
    all.sort((a, b) => a.s - b.s || a.t - b.t);
    for (const { s, t } of all.slice(0, k)) {
      distances.push(Math.sqrt(s));
      indices.push(t);
    }
  }
  return { distances, indices };
}

/** Data sets where the GEMM form ‖y‖² − 2x·y alone would tie, reorder or overflow. */
function cases() {
  const rand = mulberry32(11);
  const grid = frame(1003, 5, () => Math.round(rand() * 3));
  const duplicates = frame(498, 3, (i, j) => ((i % 37) * (j + 1)) % 5);
  // Coordinates 1e3 from the origin in 1e-4 steps: the scan's float32 rounding (≈ 6e-8 · 1.6e7 per sum) is far
  // larger than the gaps between the exact distances, so only the error margin keeps the true neighbours.
  const offset = frame(997, 16, () => 1e3 + Math.round(rand() * 10) * 1e-4);
  const tiny = frame(301, 4, () => rand() * 1e-160);
  const huge = frame(301, 4, (i) => rand() * (i % 50 === 0 ? 1e200 : 1));
  return [
    { name: 'grid ties', X: grid, Q: frame(70, 5, () => Math.round(rand() * 3)), k: 7 },
    { name: 'duplicate rows', X: duplicates, Q: duplicates.slice(0, 67), k: 9 },
    { name: 'near-identical points far from the origin', X: offset, Q: offset.slice(3, 71), k: 5 },
    { name: 'subnormal squares', X: tiny, Q: tiny.slice(0, 9), k: 3 },
    { name: 'norms beyond the scan', X: huge, Q: frame(6, 4, (i) => rand() * (i === 2 ? 1e200 : 1)), k: 4 },
  ];
}

describe('brute-force Euclidean k-NN', () => {
  afterEach(() => setBruteScanWasm(true));

  it('has its WebAssembly scan on this engine', () => {
    expect(setBruteScanWasm(true)).toBe(true);
  });

  for (const wasm of [true, false]) {
    it(`finds the neighbours and distances of the definition, ties by index (${wasm ? 'WebAssembly scan' : 'plain loop'})`, async () => {
      setBruteScanWasm(wasm);
      for (const { name, X, Q, k } of cases()) {
        const knn = await new KNeighborsRegressor({ algorithm: 'brute', n_neighbors: k }).fit(X, X.numeric('f0'));
        // A batch (with a partial last group), three queries and one (the one-query kernel).
        for (const queries of [Q, Q.slice(0, 3), Q.slice(1, 2)]) {
          const found = knn.kneighbors(queries);
          const want = reference(X, queries, k);
          expect(Array.from(found.indices), name).toEqual(want.indices);
          expect(Array.from(found.distances), name).toEqual(want.distances);
        }
      }
    });
  }

  it('predicts the same with the scan as with the plain loop', async () => {
    const rand = mulberry32(5);
    const X = frame(2500, 20, () => Math.round(rand() * 20) / 4);
    const Q = frame(130, 20, () => Math.round(rand() * 20) / 4);
    const y = Float64Array.from({ length: 2500 }, (_, i) => i % 3);
    for (const weights of ['uniform', 'distance'] as const) {
      const clf = await new KNeighborsClassifier({ weights }).fit(X, y);
      const reg = await new KNeighborsRegressor({ weights }).fit(X, y);
      expect(clf.fitMethod).toBe('brute');
      const scanned = [clf.predictProba(Q).data, reg.predict(Q)];
      setBruteScanWasm(false);
      expect([clf.predictProba(Q).data, reg.predict(Q)]).toEqual(scanned);
      setBruteScanWasm(true);
    }
  });
});
