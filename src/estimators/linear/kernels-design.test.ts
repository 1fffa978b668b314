import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../tree/prng.js';
import { designMatrix } from './kernels-design.js';
import { setWasmKernels } from './wasm/kernels.js';

// The WebAssembly design matrix against the JavaScript one (blas.ts's rowsDot and addTransposedProduct):
// bit-identical scores and gradients, so L-BFGS takes the same steps either way. Sizes are chosen so that
// the padding (odd feature count, rows not a multiple of four) is exercised.
describe('designMatrix', () => {
  const rand = mulberry32(5);
  for (const [n, d, K] of [
    [23, 7, 3],
    [10, 4, 1],
    [1, 1, 1],
    [101, 20, 4],
    [1030, 5, 2],
  ]) {
    it(`n=${n} d=${d} K=${K}: scores and RᵀX bit-identical with and without WebAssembly`, () => {
      const columns = Array.from({ length: d }, () => Float64Array.from({ length: n }, () => rand() - 0.5));
      const w = Float64Array.from({ length: K * d + K }, () => rand() - 0.5);
      const R = Float64Array.from({ length: n * K }, () => rand() - 0.5);
      const run = (wasm: boolean) => {
        expect(setWasmKernels(wasm)).toBe(true);
        const X = designMatrix(columns, n, K);
        const out = [] as Float64Array[];
        const blocks: number[] = [];
        for (const withBias of [true, false]) {
          const grad = Float64Array.from({ length: K * d + K }, (_, e) => e / 3);
          // The residuals of each block are the scores times a fixed factor plus R: they depend on the scores.
          X.evaluate(w, withBias, grad, (start, end) => {
            blocks.push(start, end);
            out.push(X.z.slice(start * K, end * K));
            for (let e = start * K; e < end * K; e++) X.z[e] = 0.5 * X.z[e] + R[e];
          });
          out.push(grad);
        }
        out.push(Float64Array.from(blocks));
        return out;
      };
      try {
        const js = run(false);
        const wasm = run(true);
        for (let t = 0; t < js.length; t++) expect(Array.from(wasm[t])).toEqual(Array.from(js[t]));
        // And against the definition, to guard the fallback too: the first score and the gradient.
        let s = w[K * d];
        for (let j = 0; j < d; j++) s += w[j] * columns[j][0];
        expect(js[0][0]).toBe(s);
        const grad = js[js.length - 2];
        for (let k = 0; k < K; k++) {
          let g = (k * d) / 3;
          for (let i = 0; i < n; i++) {
            let score = 0;
            for (let j = 0; j < d; j++) score += w[k * d + j] * columns[j][i];
            g += (0.5 * score + R[i * K + k]) * columns[0][i];
          }
          expect(Math.abs(grad[k * d] - g)).toBeLessThan(1e-9 * (1 + Math.abs(g)));
        }
      } finally {
        setWasmKernels(true);
      }
    });
  }
});
