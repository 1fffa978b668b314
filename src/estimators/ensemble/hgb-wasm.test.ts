import { afterEach, describe, expect, it } from 'vitest';
import { Frame } from '../../data/frame.js';
import { mulberry32 } from '../tree/prng.js';
import { buildHistogram, countHistogram, histogramLength, packBins } from './hgb-histogram.js';
import { buildHistogramWith, HistKernel, setHistogramWasm } from './hgb-wasm.js';
import { HistGradientBoostingClassifier, HistGradientBoostingRegressor } from './hist-gradient-boosting.js';

// The WebAssembly histogram kernel against the JavaScript loops it replaces: the same sums, bit for bit,
// for every variant (hessians or counts as hessians; counted or known counts) and word range.
describe('WebAssembly histogram kernel', () => {
  afterEach(() => setHistogramWasm(true));

  const random = mulberry32(17);
  const n = 3000;
  // 9 features: 3 packed words, the last one padded.
  const bins = Array.from({ length: 9 }, () => Uint8Array.from({ length: n }, () => Math.floor(random() ** 2 * 256)));
  const packed = packBins(bins);

  for (const shared of [false, true]) {
    it(`builds the JavaScript loops' histograms bit for bit (${shared ? 'shared' : 'private'} memory)`, () => {
      expect(setHistogramWasm(true)).toBe(true);
      const kernel = HistKernel.create(packed, bins, n, 2, true, 3, shared);
      if (kernel === null) throw new Error('no kernel');
      const order = kernel.order;
      for (let k = 0; k < n; k++) order[k] = (k * 101) % n;
      const g = kernel.g[1];
      const h = kernel.h[1];
      for (let i = 0; i < n; i++) {
        g[i] = (random() - 0.5) * 10 ** Math.floor(random() * 6 - 3);
        h[i] = random() * 10 ** Math.floor(random() * 6 - 3);
      }
      const counts = countHistogram(packed, n);
      const [wasmHist, scratch] = kernel.histograms;
      for (const hessians of [h, null])
        for (const known of [null, counts])
          for (const [from, to] of [
            [0, 3],
            [1, 3],
            [2, 3],
            [0, 1],
          ]) {
            const [start, end] = known === null ? [250, 2890] : [0, n];
            const js = new Float64Array(histogramLength(3));
            buildHistogram(js, packed, from, to, order, start, end, g, hessians, known);
            wasmHist.fill(0);
            buildHistogramWith(kernel, wasmHist, kernel.packed, from, to, order, start, end, g, hessians, known);
            expect(Buffer.from(wasmHist.buffer, wasmHist.byteOffset, wasmHist.byteLength).equals(Buffer.from(js.buffer))).toBe(true);
            // Subtraction: parent − child, lane by lane as the JavaScript loop.
            scratch.set(js);
            const expected = js.map((v, j) => v - wasmHist[j] * 0.5);
            const half = new Float64Array(js.length).map((_, j) => wasmHist[j] * 0.5);
            wasmHist.set(half);
            kernel.subtract(scratch, wasmHist);
            expect(scratch).toEqual(expected);
          }
    });
  }

  it('is not used where an array lives outside its memory (the JavaScript loops run)', () => {
    const kernel = HistKernel.create(packed, bins, n, 1, false, 1, false);
    if (kernel === null) throw new Error('no kernel');
    kernel.order.set(Int32Array.from({ length: n }, (_, i) => i));
    kernel.g[0].fill(0.25);
    const outside = new Float64Array(histogramLength(3));
    buildHistogramWith(kernel, outside, kernel.packed, 0, 3, kernel.order, 0, n, kernel.g[0], null, null);
    const inside = kernel.histograms[0];
    buildHistogramWith(kernel, inside, kernel.packed, 0, 3, kernel.order, 0, n, kernel.g[0], null, null);
    expect(inside).toEqual(outside);
    expect(outside[2 + 3 * bins[0][0]]).toBe(bins[0].filter((b) => b === bins[0][0]).length);
  });

  it('partitions the rows of a node by bin, both sides in row order', () => {
    const kernel = HistKernel.create(packed, bins, n, 1, false, 1, false);
    if (kernel === null) throw new Error('no kernel');
    const order = kernel.order;
    for (let k = 0; k < n; k++) order[k] = (k * 7) % n;
    const before = Array.from(order);
    const col = kernel.bins[4];
    const mid = kernel.partition(col, 100, 2500, 60);
    const rows = before.slice(100, 2500);
    const left = rows.filter((i) => bins[4][i] <= 60);
    expect(mid).toBe(100 + left.length);
    expect(Array.from(order)).toEqual([...before.slice(0, 100), ...left, ...rows.filter((i) => bins[4][i] > 60), ...before.slice(2500)]);
  });

  it('fits the same models with and without WebAssembly (bounded and unbounded trees)', async () => {
    const rows = 4000;
    const columns = Array.from({ length: 6 }, () => Float64Array.from({ length: rows }, () => Math.round(random() * 500) / 500));
    const labels = Array.from({ length: rows }, (_, i) => (random() < 0.05 ? 'c' : columns[0][i] + columns[1][i] * columns[2][i] > 0.8 ? 'a' : columns[3][i] > 0.5 ? 'b' : 'c'));
    const target = Float64Array.from({ length: rows }, (_, i) => Math.sin(6 * columns[0][i]) + columns[4][i] + 0.1 * random());
    const X = new Frame(Object.fromEntries(columns.map((c, f) => [`x${f}`, c])));
    const fits = async () => {
      const bounded = await new HistGradientBoostingClassifier({ max_iter: 8, random_state: 1, early_stopping: false }).fit(X, labels);
      // No leaf limit: more live histograms than the kernel's pool, so some are built in JavaScript.
      const unbounded = await new HistGradientBoostingRegressor({
        max_iter: 4,
        max_leaf_nodes: null,
        min_samples_leaf: 2,
        random_state: 1,
        early_stopping: true,
        n_iter_no_change: 2,
      }).fit(X, target);
      return { proba: bounded.predictProba(X).data, score: bounded.trainScore, pred: unbounded.predict(X), val: unbounded.validationScore };
    };
    expect(setHistogramWasm(true)).toBe(true);
    const withWasm = await fits();
    setHistogramWasm(false);
    const withoutWasm = await fits();
    expect(withWasm.proba).toEqual(withoutWasm.proba);
    expect(withWasm.score).toEqual(withoutWasm.score);
    expect(withWasm.pred).toEqual(withoutWasm.pred);
    expect(withWasm.val).toEqual(withoutWasm.val);
  });
});
