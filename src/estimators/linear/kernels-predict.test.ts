import { describe, expect, it } from 'vitest';
import { decodeLabels } from '../tree/labels.js';
import { mulberry32 } from '../tree/prng.js';
import { columnsArgmax, columnsDot, columnsScores } from './blas.js';
import { predictBinaryProba, predictDot, predictLabels, predictScores } from './kernels-predict.js';
import { setWasmKernels } from './wasm/kernels.js';
import { PREDICT_BLOCK } from './wasm/predict-kernels.js';

// The WebAssembly batch predict against blas.ts's JavaScript loops it stands for: bit-identical scores,
// the same labels (first class on ties, score > 0 for two classes). Row counts (all at least the 384 rows
// from which the kernels run) cover a partial last pass of four rows and several blocks; feature counts
// cover every mix of the 8-, 4- and 1-column kernels.
describe('batch predict kernels', () => {
  const rand = mulberry32(17);
  const make = (n: number, d: number) => Array.from({ length: d }, () => Float64Array.from({ length: n }, () => 3 * (rand() - 0.5)));
  const sizes = [
    [384, 1],
    [387, 3],
    [1001, 4],
    [PREDICT_BLOCK + 1, 7],
    [2 * PREDICT_BLOCK + 3, 8],
    [777, 13],
    [3000, 20],
    [400, 0],
  ];

  it('are available on Node 20 (WebAssembly SIMD)', () => {
    expect(setWasmKernels(true)).toBe(true);
  });

  for (const [n, d] of sizes) {
    it(`n=${n} d=${d}: regression scores bit-identical to columnsDot`, () => {
      const columns = make(n, d);
      const w = Float64Array.from({ length: d }, () => rand() - 0.5);
      const expected = new Float64Array(n);
      columnsDot(columns, n, w, 0, 0.25, expected, 0, 1);
      const out = new Float64Array(n);
      expect(predictDot(columns, n, w, 0.25, out)).toBe(true);
      expect(out).toEqual(expected);
      for (let i = 0; i < n; i++) if (out[i] !== expected[i]) throw new Error(`row ${i}: ${out[i]} != ${expected[i]}`);
    });

    for (const K of [1, 2, 3, 5]) {
      it(`n=${n} d=${d} K=${K}: decision function and labels as the JavaScript loops give them`, () => {
        const columns = make(n, d);
        const W = Float64Array.from({ length: K * d }, () => rand() - 0.5);
        const bias = Float64Array.from({ length: K }, () => rand() - 0.5);
        const expected = new Float64Array(n * K);
        columnsScores(columns, n, W, K, bias, expected);
        const out = new Float64Array(n * K);
        predictScores(columns, n, W, K, bias, out);
        for (let e = 0; e < n * K; e++) if (out[e] !== expected[e]) throw new Error(`entry ${e}: ${out[e]} != ${expected[e]}`);
        const codes = new Int32Array(n);
        expect(columnsArgmax(columns, n, W, K, bias, codes)).toBe(true);
        const nClasses = K === 1 ? 2 : K;
        const numeric = Float64Array.from({ length: nClasses }, (_, k) => 10 * k - 3.5);
        const text = Array.from({ length: nClasses }, (_, k) => `class ${k}`);
        for (const classes of [numeric, text]) {
          const { labels, finite } = predictLabels(columns, n, W, K, bias, classes);
          expect(finite).toBe(true);
          expect(labels).toEqual(decodeLabels(classes, codes));
        }
      });
    }
  }

  for (const [n, d] of [
    [400, 5],
    [PREDICT_BLOCK + 7, 20],
  ]) {
    it(`n=${n} d=${d}: two-class probabilities bit-identical to the sigmoid of columnsScores`, () => {
      const columns = make(n, d);
      const w = Float64Array.from({ length: d }, () => rand() - 0.5);
      const bias = Float64Array.of(0.3);
      const scores = new Float64Array(n);
      columnsScores(columns, n, w, 1, bias, scores);
      const expected = new Float64Array(2 * n);
      for (let i = 0; i < n; i++) {
        const p = 1 / (1 + Math.exp(-scores[i]));
        expected[2 * i] = 1 - p;
        expected[2 * i + 1] = p;
      }
      const out = new Float64Array(2 * n);
      expect(predictBinaryProba(columns, n, w, bias, out)).toBe(true);
      for (let e = 0; e < 2 * n; e++) if (out[e] !== expected[e]) throw new Error(`entry ${e}: ${out[e]} != ${expected[e]}`);
      columns[d - 1][n - 1] = Number.NaN;
      expect(predictBinaryProba(columns, n, w, bias, out)).toBe(false);
    });
  }

  it('two-class probabilities are bit-identical to Math.exp across the whole range of scores', () => {
    // One column with weight 1 and bias 0: the scores are the column itself. fdlibm's branch points
    // (½ ln2, 1.5 ln2, 2⁻²⁸, exp(1), overflow, underflow, subnormal results), then random scores at
    // several scales and random bit patterns (every exponent).
    const bits = new Float64Array(1);
    const words = new Uint32Array(bits.buffer);
    const edges = [0, 1, 0.34657359027997264, 0.3465735902799727, 1.0397207708399179, 1.03972077083991, 2 ** -28, 2 ** -29, 1e-300, 5e-324];
    const far = [708.3964185322641, 709.0895657128241, 709.7827128933839, 709.7827128933841, 709.79, 720, 744.44, 745.1332191019411, 745.2, 1e308];
    const special = [...edges, ...far].flatMap((v) => [v, -v]);
    const scales = [1e-8, 3, 40, 1600];
    const n = 4 * PREDICT_BLOCK + 5;
    const column = Float64Array.from({ length: n }, (_, i) => {
      if (i < special.length) return special[i];
      if (i % 5 < 4) return scales[i % 5] * (rand() - 0.5);
      words[0] = rand() * 2 ** 32;
      words[1] = (rand() * 2 ** 32) & 0x7fefffff;
      return rand() < 0.5 ? bits[0] : -bits[0];
    });
    const out = new Float64Array(2 * n);
    expect(predictBinaryProba([column], n, Float64Array.of(1), Float64Array.of(0), out)).toBe(true);
    for (let i = 0; i < n; i++) {
      const p = 1 / (1 + Math.exp(-column[i]));
      if (!Object.is(out[2 * i + 1], p) || !Object.is(out[2 * i], 1 - p)) throw new Error(`score ${column[i]}: ${out[2 * i]}, ${out[2 * i + 1]} != ${1 - p}, ${p}`);
    }
    // Infinite scores: probabilities 0 and 1 as in JavaScript, and reported.
    column.set([Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]);
    expect(predictBinaryProba([column], n, Float64Array.of(1), Float64Array.of(0), out)).toBe(false);
    expect([...out.subarray(0, 4)]).toEqual([0, 1, 1, 0]);
  });

  it('ties go to the first class, a zero binary score to the first class', () => {
    const n = 600;
    const columns = make(n, 5);
    // Classes 1 and 2 share their coefficients: every row ties between them (and class 0 sometimes wins).
    const row = Float64Array.from({ length: 5 }, () => rand() - 0.5);
    const W = Float64Array.from([...new Array<number>(5).fill(0), ...row, ...row]);
    const { labels } = predictLabels(columns, n, W, 3, Float64Array.of(0, 0, 0), Float64Array.of(0, 1, 2));
    const codes = new Int32Array(n);
    columnsArgmax(columns, n, W, 3, Float64Array.of(0, 0, 0), codes);
    expect(labels).toEqual(Float64Array.from(codes));
    expect([...(labels as Float64Array)].every((v) => v !== 2)).toBe(true);
    // All-zero coefficients: every binary score is exactly 0, not > 0.
    const binary = predictLabels(columns, n, new Float64Array(5), 1, Float64Array.of(0), ['no', 'yes']);
    expect((binary.labels as string[]).every((v) => v === 'no')).toBe(true);
  });

  it('reports a non-finite score, wherever it is', () => {
    const n = 2 * PREDICT_BLOCK + 10;
    for (const at of [0, PREDICT_BLOCK + 5, n - 1]) {
      for (const bad of [Number.NaN, Number.POSITIVE_INFINITY]) {
        const columns = make(n, 6);
        columns[4][at] = bad;
        const w = Float64Array.from({ length: 6 }, () => rand() - 0.5);
        expect(predictDot(columns, n, w, 0, new Float64Array(n))).toBe(false);
        expect(predictLabels(columns, n, w, 1, Float64Array.of(0), Float64Array.of(0, 1)).finite).toBe(false);
        const W3 = Float64Array.from({ length: 18 }, () => rand() - 0.5);
        expect(predictLabels(columns, n, W3, 3, new Float64Array(3), ['a', 'b', 'c']).finite).toBe(false);
      }
    }
  });

  it('gives the same results with the kernels switched off', () => {
    const n = 1500;
    const columns = make(n, 9);
    const W = Float64Array.from({ length: 27 }, () => rand() - 0.5);
    const bias = Float64Array.of(0.1, -0.2, 0.3);
    const run = () => {
      const out = new Float64Array(n);
      predictDot(columns, n, W, 0.5, out);
      const scores = new Float64Array(3 * n);
      predictScores(columns, n, W, 3, bias, scores);
      const proba = new Float64Array(2 * n);
      predictBinaryProba(columns, n, W, bias, proba);
      return [out, scores, proba, predictLabels(columns, n, W, 3, bias, ['x', 'y', 'z']).labels];
    };
    const withKernels = run();
    setWasmKernels(false);
    try {
      expect(run()).toEqual(withKernels);
    } finally {
      setWasmKernels(true);
    }
  });
});
