import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../tree/prng.js';
import { centredGram, finiteGram } from './kernels-gram.js';
import { setWasmKernels } from './wasm/kernels.js';

/** The textbook two-pass computation: means first, then products of the centred values. */
function reference(columns: Float64Array[], y: Float64Array, fitIntercept: boolean) {
  const all = [...columns, y];
  const n = y.length;
  const means = all.map((c) => (fitIntercept ? c.reduce((s, v) => s + v, 0) / n : 0));
  const dotc = (a: number, b: number) => {
    let s = 0;
    for (let i = 0; i < n; i++) s += (all[a][i] - means[a]) * (all[b][i] - means[b]);
    return s;
  };
  const d = columns.length;
  return {
    A: Array.from({ length: d * d }, (_, e) => dotc(Math.floor(e / d), e % d)),
    b: Array.from({ length: d }, (_, j) => dotc(j, d)),
    yy: dotc(d, d),
    means,
  };
}

// One read of the data (shift by the first chunk's mean, sums against a ones column) against the
// two-pass reference, with and without WebAssembly, on data far from zero and sorted (the first chunk
// is then a poor guess of the mean), with row counts that are odd, below and above one chunk.
describe('centredGram', () => {
  const rand = mulberry32(9);
  for (const [n, d, offset, sorted] of [
    [1, 1, 0, false],
    [7, 3, 1e6, false],
    [255, 5, 0, false],
    [1001, 6, 1e4, true],
    [3000, 2, -50, false],
  ] as const) {
    for (const fitIntercept of [true, false]) {
      it(`n=${n} d=${d} offset=${offset}${sorted ? ' sorted' : ''} fitIntercept=${fitIntercept}`, () => {
        const columns = Array.from({ length: d }, () => Float64Array.from({ length: n }, () => offset + 10 * (rand() - 0.5)));
        if (sorted) columns[0].sort();
        const y = Float64Array.from({ length: n }, (_, i) => columns[0][i] * 2 + rand());
        const ref = reference(columns, y, fitIntercept);
        const scale = Math.max(...ref.A.map(Math.abs), Math.abs(ref.yy), 1);
        for (const wasm of [true, false]) {
          setWasmKernels(wasm);
          try {
            const g = centredGram(columns, y, n, fitIntercept);
            expect(finiteGram(g)).toBe(true);
            for (let e = 0; e < d * d; e++) expect(Math.abs(g.A[e] - ref.A[e])).toBeLessThan(1e-10 * scale);
            for (let j = 0; j < d; j++) expect(Math.abs(g.b[j] - ref.b[j])).toBeLessThan(1e-10 * scale);
            expect(Math.abs(g.yy - ref.yy)).toBeLessThan(1e-10 * scale);
            for (let j = 0; j < d; j++) expect(Math.abs(g.xMean[j] - ref.means[j])).toBeLessThan(1e-12 * (1 + Math.abs(offset)));
            expect(Math.abs(g.yMean - ref.means[d])).toBeLessThan(1e-12 * (1 + Math.abs(2 * offset)));
          } finally {
            setWasmKernels(true);
          }
        }
      });
    }
  }

  it('a NaN or ±Infinity anywhere makes the result non-finite', () => {
    for (const bad of [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]) {
      for (const row of [0, 300, 599]) {
        const columns = [Float64Array.from({ length: 600 }, () => rand()), Float64Array.from({ length: 600 }, () => rand())];
        columns[1][row] = bad;
        for (const fitIntercept of [true, false]) expect(finiteGram(centredGram(columns, new Float64Array(600), 600, fitIntercept))).toBe(false);
      }
    }
  });
});
