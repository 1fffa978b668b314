import { describe, expect, it } from 'vitest';
import { loadIris } from '../../../test/fixtures/iris.js';
import { Frame } from '../../data/frame.js';
import { LogisticRegression } from '../../index.js';
import { mulberry32 } from '../tree/prng.js';
import { minimizeLbfgs } from './lbfgs.js';
import { expectClose, expectPldError, fromConfig } from './test-helpers.js';

// References: scikit-learn 1.2.1 on test/fixtures/iris.data, computed once with /usr/bin/python3:
//   LogisticRegression(**kw).fit(X, y).coef_.ravel(), .intercept_   (lbfgs, its default stopping rules)
//   LogisticRegression(solver='newton-cg', tol=1e-12, max_iter=10000) for the exact optimum.
// scikit-learn's own lbfgs stops ~1e-3 (relative) short of the optimum on unscaled iris (ftol rule), so
// default runs are compared loosely and tightly converged runs against the optimum.
const SK_DEFAULT = {
  coef: [
    -0.4234025945285726, 0.9617178861123078, -2.519530002389848, -1.0859123455218913, 0.5341655302390417, -0.3179820244083353, -0.2053783257316609, -0.9396907049683897,
    -0.110762935710467, -0.6437358617039752, 2.724908328121518, 2.0256030504902824,
  ],
  intercept: [9.881287159263849, 2.2193040079729354, -12.100591167236816],
};
const OPTIMUM_C1 = {
  coef: [
    -0.4236573168907154, 0.9615776353458315, -2.519345582117396, -1.0864023691615574, 0.5342740095092342, -0.3175844050125481, -0.2054780832128089, -0.939288331215489,
    -0.11061669261852383, -0.6439932303332875, 2.7248236653302054, 2.0256907003770483,
  ],
  intercept: [9.882847673609303, 2.217440053132554, -12.100287726741902],
};
const OPTIMUM_C05 = {
  coef: [
    -0.4067252427309104, 0.726172802933792, -2.064640687658516, -0.8688064821201346, 0.3709779951007055, -0.3571235641437751, -0.1074173895955528, -0.6727566814009589,
    0.035747247630207785, -0.36904923879001333, 2.1720580772540705, 1.5415631635210945,
  ],
  intercept: [8.527537441658383, 2.0935646475938094, -10.621102089252151],
};
// Binary: versicolor vs virginica, LogisticRegression(max_iter=10000, tol=1e-10, **kw); predict_proba of rows 0-1.
const BINARY = {
  default: { coef: [-0.3944313643022876, -0.5132702454108514, 2.9307504270762004, 2.417043300829756], intercept: -14.430804325581995 },
  C01: { coef: [0.24155154250913954, 0.03206235917689417, 1.1375763864388013, 0.7549576928406746], intercept: -8.436879352522196 },
  noIntercept: { coef: [-1.8633417805442576, -1.6460207487699228, 2.477247369119741, 2.5931438449029365], intercept: 0 },
  proba: [0.796650328150446, 0.20334967184955405, 0.00657687427175635, 0.9934231257282437],
};
// class_weight='balanced' on iris rows 40.. (10 setosa, 50, 50), tight tolerance.
const BALANCED = {
  coef: [
    -0.4960972400971565, 0.8033661829947517, -2.2937807242291153, -0.9642153899621604, 0.4162581601987682, -0.3796237908304573, -0.18917305233692008, -0.8087547507740664,
    0.07983907989835526, -0.4237423921643089, 2.482953776566009, 1.772970140736212,
  ],
  intercept: [9.92767994233543, 2.629375084895291, -12.557055027230726],
};
const TIGHT = { max_iter: 10000, tol: 1e-10 };

function relClose(actual: ArrayLike<number>, expected: ArrayLike<number>, rel: number): void {
  const scale = Math.max(...Array.from(expected, Math.abs));
  expectClose(actual, expected, rel * scale);
}

function binaryIris() {
  const { X, y } = loadIris();
  const rows = y.flatMap((label, i) => (label === 'Iris-setosa' ? [] : [i]));
  return { X: X.take(rows), y: rows.map((i) => y[i]) };
}

describe('LogisticRegression', () => {
  it('agrees with scikit-learn on iris (multinomial, defaults)', async () => {
    const { X, y } = loadIris();
    const clf = await new LogisticRegression().fit(X, y);
    relClose(clf.coef.data, SK_DEFAULT.coef, 1e-3);
    relClose(clf.intercept, SK_DEFAULT.intercept, 1e-3);
    expect([clf.coef.nRows, clf.coef.nCols]).toEqual([3, 4]);
    expect(clf.nIter).toBeGreaterThan(0);
    expect(clf.nIter).toBeLessThanOrEqual(100);
    expect(clf.score(X, y)).toBeCloseTo(0.9733, 3); // scikit-learn: 0.9733333333333334
  });

  it('reaches the exact optimum when run to a tight tolerance', async () => {
    const { X, y } = loadIris();
    for (const [C, ref] of [
      [1, OPTIMUM_C1],
      [0.5, OPTIMUM_C05],
    ] as const) {
      const clf = await new LogisticRegression({ C, ...TIGHT }).fit(X, y);
      relClose(clf.coef.data, ref.coef, 1e-3);
      relClose(clf.intercept, ref.intercept, 1e-3);
    }
  });

  it('fits binary logistic with one coefficient row (scikit-learn figures)', async () => {
    const { X, y } = binaryIris();
    const clf = await new LogisticRegression(TIGHT).fit(X, y);
    expect(clf.coef.nRows).toBe(1);
    relClose(clf.coef.data, BINARY.default.coef, 1e-5);
    expect(clf.intercept[0]).toBeCloseTo(BINARY.default.intercept, 3);
    expectClose(clf.predictProba(X.slice(0, 2)).data, BINARY.proba, 1e-5);
    const small = await new LogisticRegression({ C: 0.1, ...TIGHT }).fit(X, y);
    relClose(small.coef.data, BINARY.C01.coef, 1e-5);
    const origin = await new LogisticRegression({ fit_intercept: false, ...TIGHT }).fit(X, y);
    relClose(origin.coef.data, BINARY.noIntercept.coef, 1e-5);
    expect(origin.intercept[0]).toBe(0);
  });

  it("weights classes with class_weight: 'balanced'", async () => {
    const { X, y } = loadIris();
    const clf = await new LogisticRegression({ class_weight: 'balanced', ...TIGHT }).fit(X.slice(40), y.slice(40));
    relClose(clf.coef.data, BALANCED.coef, 1e-3);
    relClose(clf.intercept, BALANCED.intercept, 1e-3);
  });

  it('without a penalty, separates separable data with growing coefficients and never throws at max_iter', async () => {
    const X = new Frame({ x: Float64Array.of(-2, -1, 1, 2) });
    const clf = await new LogisticRegression({ penalty: null, max_iter: 5 }).fit(X, ['a', 'a', 'b', 'b']);
    expect(clf.nIter).toBe(5);
    expect(clf.converged).toBe(false);
    expect(clf.predict(X)).toEqual(['a', 'a', 'b', 'b']);
    expect(clf.coef.data[0]).toBeGreaterThan(1);
  });

  it('is symmetric on a hand-checkable problem: balanced labels at ±1 give a zero intercept', async () => {
    const X = new Frame({ x: Float64Array.of(-1, -1, 1, 1, -1, 1) });
    const y = Float64Array.of(0, 0, 1, 1, 1, 0);
    const clf = await new LogisticRegression(TIGHT).fit(X, y);
    // Loss 2·log(1+e^{-w})·2 + 2·log(1+e^{w}) + w²/2 by symmetry with b = 0; its stationary point solves
    // w = 4σ(-w) - 2σ(w), checked here directly.
    const w = clf.coef.data[0];
    const sigma = (t: number) => 1 / (1 + Math.exp(-t));
    expect(clf.intercept[0]).toBeCloseTo(0, 8);
    expect(w).toBeCloseTo(4 * sigma(-w) - 2 * sigma(w), 8);
    expect(clf.predict(new Frame({ x: Float64Array.of(-3, 3) }))).toEqual(Float64Array.of(0, 1));
  });

  it('returns probabilities whose rows sum to 1 and predict agrees with their argmax', async () => {
    const { X, y } = loadIris();
    const clf = await new LogisticRegression().fit(X, y);
    const proba = clf.predictProba(X);
    const predicted = clf.predict(X);
    for (let i = 0; i < X.nRows; i++) {
      const row = Array.from(proba.row(i));
      expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
      expect(predicted[i]).toBe((clf.classes as string[])[row.indexOf(Math.max(...row))]);
    }
  });

  it('predicts the argmax of its decision function for 2 to 5 classes, over many blocks of rows', async () => {
    const random = mulberry32(21);
    const n = 1300;
    const columns = Array.from({ length: 6 }, () => Float64Array.from({ length: n }, () => random() * 2 - 1));
    const X = new Frame(Object.fromEntries(columns.map((c, j) => [`f${j}`, c])));
    for (const K of [2, 3, 4, 5]) {
      const y = Array.from(columns[0], (v, i) => `c${Math.min(K - 1, Math.floor(((v + columns[1][i] * 0.5 + 1.5) / 3) * K))}`);
      const clf = await new LogisticRegression().fit(X, y);
      const scores = clf.decisionFunction(X);
      const expected = Array.from({ length: n }, (_, i) => {
        const row = Array.from(scores.row(i));
        return (clf.classes as string[])[K === 2 ? Number(row[0] > 0) : row.indexOf(Math.max(...row))];
      });
      expect(new Set(expected).size).toBe(K);
      expect(clf.predict(X)).toEqual(expected);
      expect(clf.predict(X.slice(700, 701))).toEqual([expected[700]]);
    }
  });

  it('is built by the registry under its scikit-learn names and validates parameters', async () => {
    const model = await fromConfig({ __factory__: 'sklearn.linear_model.LogisticRegression', C: 0.5 });
    expect(model).toBeInstanceOf(LogisticRegression);
    expect(model.getParams()).toMatchObject({ C: 0.5, penalty: 'l2', max_iter: 100, tol: 1e-4 });
    const { X, y } = loadIris();
    await expectPldError(() => new LogisticRegression({ C: -1 }).fit(X, y), 'PLD_ERR_ESTIMATOR_INVALID_PARAM', 'C');
    await expectPldError(() => new LogisticRegression({ solver: 'saga' } as never).fit(X, y), 'PLD_ERR_ESTIMATOR_INVALID_PARAM', 'solver');
    const bad = new Frame({ a: Float64Array.of(1, Number.NaN), b: Float64Array.of(1, 2) });
    await expectPldError(() => new LogisticRegression().fit(bad, ['x', 'y']), 'PLD_ERR_ESTIMATOR_BAD_INPUT', "'a'");
    await expectPldError(() => new LogisticRegression().predict(X), 'PLD_ERR_ESTIMATOR_NOT_FITTED', 'fit');
  });
});

describe('minimizeLbfgs', () => {
  it('finds the minimum of the Rosenbrock function', () => {
    const rosen = (x: Float64Array, g: Float64Array) => {
      g[0] = -400 * x[0] * (x[1] - x[0] ** 2) - 2 * (1 - x[0]);
      g[1] = 200 * (x[1] - x[0] ** 2);
      return 100 * (x[1] - x[0] ** 2) ** 2 + (1 - x[0]) ** 2;
    };
    const result = minimizeLbfgs(rosen, Float64Array.of(-1.2, 1), { maxIter: 200, gtol: 1e-8, ftol: 0 });
    expect(result.converged).toBe(true);
    expectClose(result.x, [1, 1], 1e-6);
  });

  it('stops after maxIter without converging', () => {
    const quad = (x: Float64Array, g: Float64Array) => {
      let f = 0;
      for (let j = 0; j < x.length; j++) {
        g[j] = 2 * (j + 1) * x[j];
        f += (j + 1) * x[j] ** 2;
      }
      return f;
    };
    const result = minimizeLbfgs(quad, new Float64Array(50).fill(1), { maxIter: 3, gtol: 0, ftol: 0 });
    expect(result.nIter).toBe(3);
    expect(result.converged).toBe(false);
  });
});
