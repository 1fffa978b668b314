import { describe, expect, it } from 'vitest';
import { Frame, Lasso, LinearRegression, LogisticRegression, Ridge } from '../../index.js';
import { mulberry32 } from '../tree/prng.js';
import { addGram, addTransposedProduct, axpy, columnsArgmax, columnsDot, columnsScores, dot, rowsDot } from './blas.js';
import { expectClose, expectPldError } from './test-helpers.js';

// The blocked kernels against the plain loops they replace, on sizes that are not multiples of the block.
describe('linear-model kernels', () => {
  const rand = mulberry32(3);
  const n = 23;
  const d = 7;
  const K = 3;
  const X = Float64Array.from({ length: n * d }, () => rand() - 0.5);
  const columns = Array.from({ length: d }, (_, j) => Float64Array.from({ length: n }, (_, i) => X[i * d + j]));
  const W = Float64Array.from({ length: K * d + K }, () => rand() - 0.5);
  const R = Float64Array.from({ length: n * K }, () => rand() - 0.5);

  it('rowsDot: scores of every class, bit-identical to the left-to-right loop', () => {
    const out = new Float64Array(n * K);
    rowsDot(X, n, d, W, K, true, out);
    for (let i = 0; i < n; i++) {
      for (let k = 0; k < K; k++) {
        let s = W[K * d + k];
        for (let j = 0; j < d; j++) s += W[k * d + j] * X[i * d + j];
        expect(out[i * K + k]).toBe(s);
      }
    }
  });

  it('addTransposedProduct: RᵀX added in row order, bit-identical', () => {
    const grad = Float64Array.from({ length: K * d }, () => 1);
    addTransposedProduct(X, n, d, R, K, grad);
    for (let k = 0; k < K; k++) {
      for (let j = 0; j < d; j++) {
        let s = 1;
        for (let i = 0; i < n; i++) s += R[i * K + k] * X[i * d + j];
        expect(grad[k * d + j]).toBe(s);
      }
    }
  });

  it('columnsDot, addGram, dot and axpy agree with the plain loops', () => {
    const out = new Float64Array(n * 2);
    columnsDot(columns, n, W, d, 0.5, out, 1, 2);
    const A = new Float64Array(d * d);
    addGram(columns, n, A);
    for (let i = 0; i < n; i++) {
      let s = 0.5;
      for (let j = 0; j < d; j++) s += W[d + j] * X[i * d + j];
      expect(out[2 * i + 1]).toBeCloseTo(s, 14);
      expect(out[2 * i]).toBe(0);
    }
    for (let j = 0; j < d; j++) {
      for (let k = 0; k < d; k++) {
        let s = 0;
        for (let i = 0; i < n; i++) s += X[i * d + j] * X[i * d + k];
        expect(A[j * d + k]).toBeCloseTo(s, 14);
      }
      expect(dot(columns[j], columns[j])).toBeCloseTo(A[j * d + j], 14);
    }
    const y = Float64Array.from(columns[0]);
    axpy(2, columns[1], y, n);
    expectClose(
      y,
      columns[0].map((v, i) => v + 2 * columns[1][i]),
      1e-15,
    );
  });
});

// Batch predict checks finiteness only when its output is not finite: every way a bad value can hide
// (a zero coefficient, +Infinity and −Infinity in one row) must still be reported, naming the column.
// The blocked multi-class scores against one columnsDot per class: every class-group and column
// remainder (K 1–7, d 1–9) over rows that span a partial third block of 512.
describe('columnsScores and columnsArgmax', () => {
  const rand = mulberry32(5);
  const n = 1100;
  for (const d of [1, 3, 4, 5, 8, 9]) {
    for (const K of [1, 2, 3, 4, 5, 6, 7]) {
      it(`K=${K}, d=${d}: bit-identical to columnsDot, argmax the first highest score`, () => {
        const columns = Array.from({ length: d }, () => Float64Array.from({ length: n }, () => rand() * 4 - 2));
        const W = Float64Array.from({ length: K * d }, () => rand() - 0.5);
        const bias = Float64Array.from({ length: K }, () => rand() - 0.5);
        const expected = new Float64Array(n * K);
        for (let k = 0; k < K; k++) columnsDot(columns, n, W, k * d, bias[k], expected, k, K);
        const out = new Float64Array(n * K);
        columnsScores(columns, n, W, K, bias, out);
        expect(out).toEqual(expected);
        const codes = new Int32Array(n);
        expect(columnsArgmax(columns, n, W, K, bias, codes)).toBe(true);
        for (let i = 0; i < n; i++) {
          const row = Array.from(expected.subarray(i * K, i * K + K));
          expect(codes[i]).toBe(K === 1 ? Number(row[0] > 0) : row.indexOf(Math.max(...row)));
        }
      });
    }
  }

  it('columnsArgmax reports a non-finite score in a later block', () => {
    const columns = [Float64Array.from({ length: n }, (_, i) => i / n), new Float64Array(n).fill(1)];
    const W = Float64Array.of(1, 2, -1, 0.5, 0, 1);
    const codes = new Int32Array(n);
    expect(columnsArgmax(columns, n, W, 3, new Float64Array(3), codes)).toBe(true);
    columns[1][1050] = Number.NaN;
    expect(columnsArgmax(columns, n, W, 3, new Float64Array(3), codes)).toBe(false);
  });
});

describe('batch predict rejects non-finite inputs naming the column', () => {
  const rand = mulberry32(9);
  const n = 50;
  const cols = Array.from({ length: 6 }, () => Float64Array.from({ length: n }, () => rand()));
  const X = new Frame(Object.fromEntries(cols.map((c, j) => [`f${j}`, c])));
  const y = Float64Array.from(cols[0], (v, i) => v + cols[1][i]);
  const labels = Array.from(y, (v) => (v < 0.7 ? 'a' : v < 1.3 ? 'b' : 'c'));
  const broken = (cells: Record<string, [number, number]>) =>
    new Frame(
      Object.fromEntries(
        cols.map((c, j) => {
          const copy = Float64Array.from(c);
          const cell = cells[`f${j}`];
          if (cell) copy[cell[0]] = cell[1];
          return [`f${j}`, copy];
        }),
      ),
    );

  for (const [name, make] of [
    ['LinearRegression', () => new LinearRegression()],
    ['Ridge', () => new Ridge()],
    // alpha large enough that every coefficient is exactly 0: a NaN times 0 is still NaN.
    ['Lasso (all coefficients 0)', () => new Lasso({ alpha: 100 })],
    ['LogisticRegression', () => new LogisticRegression()],
  ] as const) {
    it(name, async () => {
      const model = make();
      await model.fit(X, name === 'LogisticRegression' ? labels : y);
      if (model instanceof Lasso) expect(Array.from(model.coef).every((w) => w === 0)).toBe(true);
      await expectPldError(() => model.predict(broken({ f4: [7, Number.NaN] })), 'PLD_ERR_ESTIMATOR_BAD_INPUT', "'f4' has NaN at row 7");
      await expectPldError(() => model.predict(broken({ f2: [3, Number.POSITIVE_INFINITY] })), 'PLD_ERR_ESTIMATOR_BAD_INPUT', "'f2' has Infinity at row 3");
      await expectPldError(
        () => model.predict(broken({ f1: [5, Number.POSITIVE_INFINITY], f3: [5, Number.NEGATIVE_INFINITY] })),
        'PLD_ERR_ESTIMATOR_BAD_INPUT',
        "'f1' has Infinity at row 5",
      );
    });
  }
});
