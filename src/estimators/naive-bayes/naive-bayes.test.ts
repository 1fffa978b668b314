import { describe, expect, it } from 'vitest';
import { loadIris } from '../../../test/fixtures/iris.js';
import { Frame } from '../../data/frame.js';
import { GaussianNB, MultinomialNB } from '../../index.js';
import { expectClose, expectPldError, fromConfig } from '../linear/test-helpers.js';

// References: scikit-learn 1.2.1 on test/fixtures/iris.data, computed once with /usr/bin/python3:
// GaussianNB(**kw).fit(X, y) → var_[0], epsilon_, score, predict_proba(X[[0, 70, 120]]); the same for
// MultinomialNB (feature_log_prob_, predict_proba), the `m2`/`m3` cases fitted on rows 40.. .
const SK = {
  gaussian: {
    var0: [0.12176400309242491, 0.1422760030924249, 0.02950400309242489, 0.01126400309242489],
    epsilon: 3.092424888888889e-9,
    score: 0.96,
    proba: [
      1.0, 7.359802321420946e-18, 4.42389485054465e-25, 1.8712793103174244e-108, 0.804037665553556, 0.1959623344464437, 3.6894902424433724e-153, 0.48619928542465485,
      0.5138007145753453,
    ],
  },
  gaussianPriors: {
    proba: [
      0.9999861244097844, 1.3874644468752837e-5, 9.457467063750396e-10, 1.39224925023086e-9, 0.5282031554040438, 0.471796843203707, 8.928204161338505e-13, 0.33433299411158324,
      0.665667005887524,
    ],
    score: 0.9333333333333333,
  },
  multinomial: {
    featureLogProb: [
      -0.7089390602578369, -1.08867359241858, -1.9288223546340486, -3.6553696752150593, -0.8808827544295097, -1.6392402734179985, -1.2113288596575673, -2.3681446380287365,
      -0.957790462780908, -1.7494612130021476, -1.1283174430820253, -2.1301848314701495,
    ],
    score: 0.9533333333333334,
    proba: [
      0.7416782873328784, 0.1675882755811794, 0.09073343708594143, 0.05616303783204997, 0.5114112651916345, 0.4324256969763145, 0.017052353961584204, 0.48108163514744395,
      0.5018660108909732,
    ],
  },
  multinomialPrior: {
    proba: [
      0.6072960664579967, 0.20355539285204924, 0.18914854068995413, 0.029215111049981934, 0.4016850157654462, 0.5690998731845703, 0.008434304832821296, 0.3629376806685033,
      0.6286280144986768,
    ],
  },
};
const ROWS = [0, 70, 120];

describe('GaussianNB', () => {
  it('agrees with scikit-learn on iris', async () => {
    const { X, y } = loadIris();
    const nb = await new GaussianNB().fit(X, y);
    expectClose(nb.variance.row(0), SK.gaussian.var0, 1e-14);
    expect(nb.epsilon).toBeCloseTo(SK.gaussian.epsilon, 20);
    expect(nb.score(X, y)).toBe(SK.gaussian.score);
    expectClose(nb.predictProba(X.take(ROWS)).data, SK.gaussian.proba, 1e-12);
    expectClose(nb.classPrior, [1 / 3, 1 / 3, 1 / 3], 1e-15);
    const withPriors = await new GaussianNB({ priors: [0.5, 0.25, 0.25], var_smoothing: 0.1 }).fit(X, y);
    expectClose(withPriors.predictProba(X.take(ROWS)).data, SK.gaussianPriors.proba, 1e-12);
    expect(withPriors.score(X, y)).toBeCloseTo(SK.gaussianPriors.score, 12);
  });

  it('computes a hand-checkable posterior', async () => {
    // Class a: x ∈ {0, 2} (mean 1, var 1); class b: x ∈ {4, 6} (mean 5, var 1); equal priors.
    const nb = await new GaussianNB({ var_smoothing: 0 }).fit(new Frame({ x: Float64Array.of(0, 2, 4, 6) }), ['a', 'a', 'b', 'b']);
    const at = 2.5;
    const odds = Math.exp(-0.5 * (at - 1) ** 2) / Math.exp(-0.5 * (at - 5) ** 2);
    expect(nb.predictProba(new Frame({ x: Float64Array.of(at) })).get(0, 0)).toBeCloseTo(odds / (1 + odds), 14);
    expectClose(nb.theta.data, [1, 5], 0);
  });

  it('predicts from the current fit after a refit or a restored state (one-row predicts reuse per-fit terms)', async () => {
    const X = new Frame({ x: Float64Array.of(0, 2, 4, 6) });
    const row = new Frame({ x: Float64Array.of(2.9) });
    const nb = await new GaussianNB().fit(X, ['a', 'a', 'b', 'b']);
    expect(nb.predict(row)).toEqual(['a']);
    await nb.fit(X, ['a', 'b', 'b', 'b']);
    expect(nb.predictProba(row).data).toEqual((await new GaussianNB().fit(X, ['a', 'b', 'b', 'b'])).predictProba(row).data);
    const codec = { encodeArray: (a: unknown) => a, decodeArray: (a: unknown) => a } as never;
    const other = await new GaussianNB().fit(new Frame({ x: Float64Array.of(3, 5, 0, 1) }), ['a', 'a', 'b', 'b']);
    nb.setState(other.getState(codec), codec);
    expect(nb.predictProba(row).data).toEqual(other.predictProba(row).data);
  });

  it('encodes numeric labels like np.unique: sorted, -0 and 0 one class, many classes, NaN named', async () => {
    const X = new Frame({ x: Float64Array.from({ length: 100 }, (_, i) => i) });
    const signed = await new GaussianNB().fit(X.slice(0, 4), Float64Array.of(3, -0, 0, -2.5));
    expect(Array.from(signed.classes as Float64Array)).toEqual([-2.5, -0, 3]);
    const many = await new GaussianNB().fit(
      X,
      Float64Array.from({ length: 100 }, (_, i) => 99 - i),
    );
    expect(Array.from(many.classes as Float64Array)).toEqual(Array.from({ length: 100 }, (_, i) => i));
    expect(many.predict(X.slice(10, 12))).toEqual(Float64Array.of(89, 88));
    await expectPldError(() => new GaussianNB().fit(X.slice(0, 3), Float64Array.of(1, Number.NaN, 2)), 'PLD_ERR_ESTIMATOR_BAD_INPUT', 'y[1]');
    await expectPldError(() => new GaussianNB().fit(X.slice(0, 2), Float64Array.of(1, Number.POSITIVE_INFINITY)), 'PLD_ERR_ESTIMATOR_BAD_INPUT', 'y[1]');
  });

  it('rejects priors that do not fit the classes', async () => {
    const { X, y } = loadIris();
    await expectPldError(() => new GaussianNB({ priors: [0.5, 0.5] }).fit(X, y), 'PLD_ERR_ESTIMATOR_INVALID_PARAM', 'priors');
    await expectPldError(() => new GaussianNB({ priors: [0.5, 0.5, 0.5] }).fit(X, y), 'PLD_ERR_ESTIMATOR_INVALID_PARAM', 'sum to 1');
    await expectPldError(() => new GaussianNB({ var_smoothing: -1 }).fit(X, y), 'PLD_ERR_ESTIMATOR_INVALID_PARAM', 'var_smoothing');
  });
});

describe('MultinomialNB', () => {
  it('agrees with scikit-learn on iris', async () => {
    const { X, y } = loadIris();
    const nb = await new MultinomialNB().fit(X, y);
    expectClose(nb.featureLogProb.data, SK.multinomial.featureLogProb, 1e-14);
    expect(nb.score(X, y)).toBe(SK.multinomial.score);
    expectClose(nb.predictProba(X.take(ROWS)).data, SK.multinomial.proba, 1e-12);
    const tail = { X: X.slice(40), y: y.slice(40) };
    const prior = await new MultinomialNB({ alpha: 0.5, class_prior: [0.2, 0.3, 0.5] }).fit(tail.X, tail.y);
    expectClose(prior.predictProba(X.take(ROWS)).data, SK.multinomialPrior.proba, 1e-12);
    const flat = await new MultinomialNB({ fit_prior: false }).fit(tail.X, tail.y);
    expectClose(flat.classLogPrior, [-Math.log(3), -Math.log(3), -Math.log(3)], 1e-15);
  });

  it('smooths counts by alpha (hand-checked)', async () => {
    const X = new Frame({ w1: Float64Array.of(2, 0), w2: Float64Array.of(0, 3) });
    const nb = await new MultinomialNB({ alpha: 1 }).fit(X, ['spam', 'ham']);
    // ham counts (0, 3) → (1, 4)/5; spam counts (2, 0) → (3, 1)/4.
    expectClose(nb.featureLogProb.data, [Math.log(1 / 5), Math.log(4 / 5), Math.log(3 / 4), Math.log(1 / 4)], 1e-15);
    expect(nb.predict(new Frame({ w1: Float64Array.of(5), w2: Float64Array.of(1) }))).toEqual(['spam']);
  });

  it('rejects negative features naming the column; is built by the registry', async () => {
    const X = new Frame({ good: Float64Array.of(1, 2), bad: Float64Array.of(0, -1) });
    await expectPldError(() => new MultinomialNB().fit(X, ['a', 'b']), 'PLD_ERR_ESTIMATOR_BAD_INPUT', "'bad'");
    const model = await fromConfig({ __factory__: 'sklearn.naive_bayes.MultinomialNB', alpha: 0.5 });
    expect(model.getParams()).toEqual({ alpha: 0.5, force_alpha: false, fit_prior: true, class_prior: null });
  });
});

describe('naive Bayes from config', () => {
  it('builds GaussianNB under its scikit-learn name', async () => {
    const model = await fromConfig({ __factory__: 'sklearn.naive_bayes.GaussianNB' });
    expect(model).toBeInstanceOf(GaussianNB);
  });
});
