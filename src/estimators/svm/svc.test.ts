import { describe, expect, it } from 'vitest';
import { loadIris } from '../../../test/fixtures/iris.js';
import { Frame, SVC } from '../../index.js';
import { expectClose, expectPldError, fromConfig } from '../linear/test-helpers.js';

// References: scikit-learn 1.2.1 (its bundled libsvm) on test/fixtures/iris.data, computed once with
// /usr/bin/python3: SVC(**kw).fit(X, y) → n_support_, intercept_, support_[:10]. The same SMO on the same
// rows lands on the same support vectors; intercepts agree to the solver's tolerance (tol = 1e-3).
const SK = [
  { kw: {}, nSupport: [7, 29, 24], intercept: [0.12630449376657804, -0.06449875188168862, -0.10688287019729609], support: [50, 63, 77, 131, 137, 141, 142, 2, 7, 14] },
  {
    kw: { kernel: 'linear', C: 0.5 },
    nSupport: [3, 16, 15],
    intercept: [1.3802066670882265, 1.5064894973698977, 7.5610431154430255],
    support: [63, 137, 141, 2, 22, 23, 32, 33, 42, 55],
  },
  {
    kw: { kernel: 'poly', degree: 2, gamma: 'auto', coef0: 1 },
    nSupport: [4, 7, 7],
    intercept: [1.2359194914630294, 1.3183053332496009, 6.476076116067526],
    support: [50, 63, 137, 141, 55, 57, 69, 128, 132, 140],
  },
  {
    kw: { class_weight: 'balanced', C: 2 },
    nSupport: [4, 22, 20],
    intercept: [0.14092159271240245, -0.12080176604498771, -0.2663015733554496],
    support: [50, 63, 137, 141, 2, 7, 19, 22, 23, 32],
  },
] as const;

describe('SVC', () => {
  const { X, y } = loadIris();

  for (const ref of SK) {
    it(`matches scikit-learn's support vectors and intercepts on iris with ${JSON.stringify(ref.kw)}`, async () => {
      const svc = await new SVC(ref.kw as Record<string, unknown>).fit(X, y);
      expect(Array.from(svc.nSupport)).toEqual(ref.nSupport);
      expect(Array.from(svc.support.slice(0, 10))).toEqual(ref.support);
      expectClose(svc.intercept, ref.intercept, 5e-3);
    });
  }

  it('satisfies the dual constraints and the KKT conditions of every class pair (linear kernel)', async () => {
    const C = 0.5;
    const svc = await new SVC({ kernel: 'linear', C, tol: 1e-6 }).fit(X, y);
    const coef = svc.dualCoef;
    const nSV = coef.nCols;
    // Per pair, Σ αᵢyᵢ = 0 and 0 ≤ αᵢ ≤ C.
    const start = [0, svc.nSupport[0], svc.nSupport[0] + svc.nSupport[1]];
    for (const [i, j] of [
      [0, 1],
      [0, 2],
      [1, 2],
    ]) {
      let sum = 0;
      for (let m = start[i]; m < start[i] + svc.nSupport[i]; m++) sum += coef.data[(j - 1) * nSV + m];
      for (let m = start[j]; m < start[j] + svc.nSupport[j]; m++) sum += coef.data[i * nSV + m];
      expect(Math.abs(sum)).toBeLessThan(1e-9);
    }
    for (const v of coef.data) expect(Math.abs(v)).toBeLessThanOrEqual(C + 1e-12);
    // Margins: y·f(x) ≥ 1 − tol for every training row of a pair off the bound (α < C); ≤ 1 + tol on it.
    const dec = svc.pairwiseDecision(X);
    const classes = svc.classes as string[];
    const svIndex = new Map(Array.from(svc.support, (row, s) => [row, s]));
    let p = 0;
    for (let i = 0; i < 3; i++) {
      for (let j = i + 1; j < 3; j++, p++) {
        for (let r = 0; r < X.nRows; r++) {
          const sign = y[r] === classes[i] ? 1 : y[r] === classes[j] ? -1 : 0;
          if (sign === 0) continue;
          const s = svIndex.get(r);
          const alpha = s === undefined ? 0 : Math.abs(coef.data[(sign > 0 ? j - 1 : i) * nSV + s]);
          const margin = sign * dec.data[r * 3 + p];
          if (alpha < C - 1e-9) expect(margin).toBeGreaterThan(1 - 1e-3);
          if (alpha > 1e-9) expect(margin).toBeLessThan(1 + 1e-3);
        }
      }
    }
  });

  it('gives the same model with and without shrinking, and with a tiny kernel cache', async () => {
    const a = await new SVC({ C: 3 }).fit(X, y);
    const b = await new SVC({ C: 3, shrinking: false }).fit(X, y);
    const c = await new SVC({ C: 3, cache_size: 0.001 }).fit(X, y);
    for (const other of [b, c]) {
      expect(Array.from(other.support)).toEqual(Array.from(a.support));
      expectClose(other.intercept, a.intercept, 1e-3);
      expect(other.predict(X)).toEqual(a.predict(X));
    }
  });

  it('predictProba: rows sum to 1, deterministic with random_state, and agree with predict on confident rows', async () => {
    const fit = async (seed: number) => new SVC({ probability: true, random_state: seed }).fit(X, y);
    const a = await fit(0);
    const proba = a.predictProba(X);
    expect(proba.nCols).toBe(3);
    for (let r = 0; r < proba.nRows; r++) expect(proba.row(r).reduce((s, v) => s + v, 0)).toBeCloseTo(1, 12);
    expect((await fit(0)).predictProba(X).data).toEqual(proba.data);
    expect(Array.from((await fit(1)).probA ?? [])).not.toEqual(Array.from(a.probA ?? []));
    const predicted = a.predict(X) as string[];
    const classes = a.classes as string[];
    for (let r = 0; r < proba.nRows; r++) {
      const row = proba.row(r);
      const best = row.indexOf(Math.max(...row));
      if (row[best] > 0.8) expect(classes[best]).toBe(predicted[r]);
    }
    // Probabilities only come with a probability model: the Platt sigmoid slopes are negative.
    for (const A of a.probA ?? []) expect(A).toBeLessThan(0);
  });

  it('binary problems: two columns of probabilities, numeric labels kept', async () => {
    const keep = Array.from({ length: X.nRows }, (_, i) => i).filter((i) => y[i] !== 'Iris-setosa');
    const Xb = X.take(keep);
    const yb = Float64Array.from(keep, (i) => (y[i] === 'Iris-virginica' ? 2 : 1));
    const svc = await new SVC({ probability: true, random_state: 0 }).fit(Xb, yb);
    expect(Array.from(svc.classes as Float64Array)).toEqual([1, 2]);
    const predicted = svc.predict(Xb) as Float64Array;
    let hits = 0;
    for (let i = 0; i < yb.length; i++) if (predicted[i] === yb[i]) hits++;
    expect(hits / yb.length).toBeGreaterThan(0.93);
    const proba = svc.predictProba(Xb);
    expect(proba.nCols).toBe(2);
    expect(proba.row(0)[0] + proba.row(0)[1]).toBeCloseTo(1, 12);
  });

  it('predictProba without probability: true is PLD_ERR_ESTIMATOR_NO_PROBA', async () => {
    const svc = await new SVC().fit(X, y);
    await expectPldError(() => svc.predictProba(X), 'PLD_ERR_ESTIMATOR_NO_PROBA', 'probability: true');
  });

  it('resolves gamma like scikit-learn and every kernel fits iris', async () => {
    expect((await new SVC({ gamma: 'auto' }).fit(X, y)).gamma).toBe(0.25);
    expect((await new SVC({ gamma: 0.7 }).fit(X, y)).gamma).toBe(0.7);
    // 'scale': 1 / (n_features · X.var()); scikit-learn's _gamma on this file is 0.06415718178772077.
    expect((await new SVC().fit(X, y)).gamma).toBeCloseTo(0.06415718178772077, 12);
    for (const kernel of ['linear', 'rbf', 'poly', 'sigmoid']) {
      const params = kernel === 'sigmoid' ? { kernel, gamma: 0.01, coef0: -1 } : { kernel };
      const svc = await fromConfig({ __factory__: 'sklearn.svm.SVC', ...params });
      await svc.fit(X, y);
      expect(svc.score?.(X, y)).toBeGreaterThan(kernel === 'sigmoid' ? 0.8 : 0.95);
    }
  });

  it('stops at max_iter and says so; rejects one class and bad params naming them', async () => {
    const capped = await new SVC({ max_iter: 2 }).fit(X, y);
    expect(capped.converged).toBe(false);
    expect(Array.from(capped.nIter)).toEqual([2, 2, 2]);
    expect((await new SVC().fit(X, y)).converged).toBe(true);
    await expectPldError(() => new SVC().fit(X.slice(0, 3), ['a', 'a', 'a']), 'PLD_ERR_ESTIMATOR_BAD_INPUT', 'at least 2 classes');
    await expectPldError(() => new SVC({ kernel: 'cubic' } as never).fit(X, y), 'PLD_ERR_ESTIMATOR_INVALID_PARAM', 'kernel');
    await expectPldError(() => new SVC({ max_iter: 0 }).fit(X, y), 'PLD_ERR_ESTIMATOR_INVALID_PARAM', 'max_iter');
    await expectPldError(() => new SVC({ gamma: 'big' } as never).fit(X, y), 'PLD_ERR_ESTIMATOR_INVALID_PARAM', 'gamma');
  });

  it('predicts by the feature names seen in fit, whatever the column order', async () => {
    const svc = await new SVC().fit(X, y);
    const reversed = new Frame(Object.fromEntries([...X.columns].reverse().map((name) => [name, X.numeric(name)])));
    expect(svc.predict(reversed)).toEqual(svc.predict(X));
  });
});
