import { describe, expect, it } from 'vitest';
import { loadIris } from '../../../test/fixtures/iris.js';
import { Frame } from '../../data/frame.js';
import { Lasso, LinearRegression, Ridge } from '../../index.js';
import { choleskySolve, symmetricEigen } from './least-squares.js';
import { expectClose, expectPldError, frameOf, fromConfig } from './test-helpers.js';

// References: scikit-learn 1.2.1, computed once with /usr/bin/python3 on iris: X = the first three
// columns, y = petal width; `Model(**kw).fit(X, y)` → coef_, intercept_, n_iter_, score(X, y).
const SK = {
  ols: { coef: [-0.21027132884518496, 0.22877721396397976, 0.5260881800630963], intercept: -0.24872358602445477, r2: 0.9380481344518986 },
  olsOrigin: { coef: [-0.250104190543225, 0.20945778312940755, 0.538049573419313] },
  ridge: { coef: [-0.17746527004081755, 0.19832103748810206, 0.5084230007851461], intercept: -0.28100963950125557 },
  ridge10Origin: { coef: [-0.09749792496447747, 0.03277807772460261, 0.44497091900250296] },
  lasso01: { coef: [0, 0, 0.38408204938346835], intercept: -0.24496972961599628, nIter: 6 },
  lasso001: { coef: [-0.019898293515510822, 0.04335622089518031, 0.4258067183785804], intercept: -0.41793638898386987, nIter: 40 },
  lassoPositive005: { coef: [0, 0, 0.4002505908344347], intercept: -0.30574188741636177 },
  lassoDefault: { coef: [0, 0, 0.09304830326607405], intercept: 0.848929110790583 },
};

function irisRegression() {
  const { X } = loadIris();
  return { X: X.select(['sepal length', 'sepal width', 'petal length']), y: X.numeric('petal width') };
}

describe('LinearRegression and Ridge', () => {
  it('recover an exact linear relation', async () => {
    const X = frameOf([
      [1, 2, 3, 4, 5],
      [2, 0, 1, 3, 1],
    ]);
    const y = Float64Array.from({ length: 5 }, (_, i) => 3 - 2 * X.numeric('x0')[i] + 0.5 * X.numeric('x1')[i]);
    const ols = await new LinearRegression().fit(X, y);
    expectClose(ols.coef, [-2, 0.5], 1e-12);
    expect(ols.intercept).toBeCloseTo(3, 12);
    expect(ols.score(X, y)).toBeCloseTo(1, 12);
  });

  it('agree with scikit-learn on iris', async () => {
    const { X, y } = irisRegression();
    const ols = await new LinearRegression().fit(X, y);
    expectClose(ols.coef, SK.ols.coef, 1e-10);
    expect(ols.intercept).toBeCloseTo(SK.ols.intercept, 10);
    expect(ols.score(X, y)).toBeCloseTo(SK.ols.r2, 10);
    expectClose((await new LinearRegression({ fit_intercept: false }).fit(X, y)).coef, SK.olsOrigin.coef, 1e-10);
    const ridge = await new Ridge().fit(X, y);
    expectClose(ridge.coef, SK.ridge.coef, 1e-10);
    expect(ridge.intercept).toBeCloseTo(SK.ridge.intercept, 10);
    const stiff = await new Ridge({ alpha: 10, fit_intercept: false }).fit(X, y);
    expectClose(stiff.coef, SK.ridge10Origin.coef, 1e-10);
    expect(stiff.intercept).toBe(0);
  });

  it('ridge shrinks towards zero as alpha grows; alpha 0 is least squares', async () => {
    const { X, y } = irisRegression();
    const norms = [];
    for (const alpha of [0, 1, 100, 1e6]) {
      const coef = (await new Ridge({ alpha }).fit(X, y)).coef;
      norms.push(Math.hypot(...coef));
    }
    expect(norms[0]).toBeCloseTo(Math.hypot(...SK.ols.coef), 10);
    for (let i = 1; i < norms.length; i++) expect(norms[i]).toBeLessThan(norms[i - 1]);
    expect(norms[3]).toBeLessThan(1e-3);
  });

  it('gives the minimum-norm solution for duplicated features', async () => {
    const { X, y } = irisRegression();
    const single = await new LinearRegression().fit(X.select(['sepal length', 'sepal width']), y);
    const twice = new Frame({ a: X.numeric('sepal length'), b: X.numeric('sepal width'), c: X.numeric('sepal length') });
    const ols = await new LinearRegression().fit(twice, y);
    // The weight of the duplicated column is split evenly: the least-norm point of the solution line.
    expectClose(ols.coef, [single.coef[0] / 2, single.coef[1], single.coef[0] / 2], 1e-8);
    expect(ols.intercept).toBeCloseTo(single.intercept, 8);
  });

  it('solves small systems exactly', () => {
    expectClose(choleskySolve(Float64Array.of(4, 2, 2, 3), Float64Array.of(2, 1), 2) as Float64Array, [0.5, 0], 1e-15);
    expect(choleskySolve(Float64Array.of(1, 1, 1, 1), Float64Array.of(1, 1), 2)).toBeNull();
    const { values } = symmetricEigen(Float64Array.of(2, 1, 1, 2), 2);
    expectClose(Array.from(values).sort(), [1, 3], 1e-12);
  });

  it('are built by the registry, reject text targets and NaN naming the column', async () => {
    const model = await fromConfig({ __factory__: 'sklearn.linear_model.Ridge', alpha: 2 });
    expect(model).toBeInstanceOf(Ridge);
    expect(model.getParams()).toEqual({ alpha: 2, fit_intercept: true, solver: 'auto' });
    const X = frameOf([[1, 2, 3]]);
    await expectPldError(() => new Ridge({ alpha: -1 }).fit(X, Float64Array.of(1, 2, 3)), 'PLD_ERR_ESTIMATOR_INVALID_PARAM', 'alpha');
    await expectPldError(() => new LinearRegression().fit(X, ['a', 'b', 'c']), 'PLD_ERR_ESTIMATOR_BAD_INPUT', 'numeric target');
    await expectPldError(() => new LinearRegression().fit(frameOf([[1, Number.POSITIVE_INFINITY, 3]]), Float64Array.of(1, 2, 3)), 'PLD_ERR_ESTIMATOR_BAD_INPUT', "'x0'");
  });
});

describe('Lasso', () => {
  it('agrees with scikit-learn on iris, including sparsity and iteration counts', async () => {
    const { X, y } = irisRegression();
    for (const [params, ref, tol] of [
      [{ alpha: 0.1 }, SK.lasso01, 1e-8],
      [{ alpha: 0.01 }, SK.lasso001, 1e-4],
      [{ alpha: 0.05, positive: true }, SK.lassoPositive005, 1e-8],
      [{}, SK.lassoDefault, 1e-8],
    ] as const) {
      const lasso = await new Lasso(params).fit(X, y);
      expectClose(lasso.coef, ref.coef, tol);
      expect(Math.abs(lasso.intercept - ref.intercept)).toBeLessThan(tol * 10);
      if ('nIter' in ref) expect(lasso.nIter).toBe(ref.nIter);
    }
  });

  it('soft-thresholds a single standardised feature in closed form', async () => {
    // One centred feature with x·x = n: w = sign(ρ)·max(|ρ|/n − alpha, 0), ρ = x·y.
    const X = frameOf([[-1, 1, -1, 1]]);
    const y = Float64Array.of(-3, 3, -1, 1);
    const lasso = await new Lasso({ alpha: 0.5 }).fit(X, y);
    expectClose(lasso.coef, [2 - 0.5], 1e-12);
    expect((await new Lasso({ alpha: 5 }).fit(X, y)).coef[0]).toBe(0);
  });

  it('stops at max_iter without throwing', async () => {
    const { X, y } = irisRegression();
    const lasso = await new Lasso({ alpha: 0.001, max_iter: 2 }).fit(X, y);
    expect(lasso.nIter).toBe(2);
    expect(lasso.dualGap).toBeGreaterThan(0);
  });
});
