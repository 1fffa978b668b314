import { describe, expect, it } from 'vitest';
import { loadIris } from '../../../test/fixtures/iris.js';
import { expectPldError, generateRegression, persistRoundTrip } from '../../../test/fixtures/trees.js';
import { createRegistry } from '../../config/builtins.js';
import { configFromObject } from '../../config/config.js';
import { Frame } from '../../data/frame.js';
import { isEstimator } from '../types.js';
import { binColumn, binThresholds } from './binning.js';
import { HistGradientBoostingClassifier, HistGradientBoostingRegressor } from './hist-gradient-boosting.js';

// Figures from scikit-learn 1.2.1 (/usr/bin/python3). `early_stopping=True, validation_fraction=None,
// n_iter_no_change=1000` makes scikit-learn record train_score_ (-loss per iteration) without stopping.
// scikit-learn keeps gradients in float32, hence agreement to ~1e-8 rather than bit for bit.
const TRACKED = { early_stopping: true, validation_fraction: null, n_iter_no_change: 1000 } as const;

function irisHalves() {
  const { X, y } = loadIris();
  const even = [...Array(150).keys()].filter((i) => i % 2 === 0);
  const odd = [...Array(150).keys()].filter((i) => i % 2 === 1);
  return { Xtr: X.take(even), ytr: even.map((i) => y[i]), Xte: X.take(odd), yte: odd.map((i) => y[i]) };
}

describe('HistGradientBoosting', () => {
  it('bins like scikit-learn: midpoints of few distinct values, midpoint percentiles of many', () => {
    expect(Array.from(binThresholds(Float64Array.of(3, 1, 2, 2, 1), 255))).toEqual([1.5, 2.5]);
    expect(Array.from(binColumn(Float64Array.of(1, 1.5, 2, 3), Float64Array.of(1.5, 2.5)))).toEqual([0, 0, 1, 2]);
    // generateRegression(0, 300) column 0 with max_bins=16: scikit-learn's _bin_mapper.bin_thresholds_[0].
    const sklearn = [0.75, 1.5, 2.3125, 3.0625, 3.875, 4.6875, 5.4375, 6.25, 7.0, 7.75, 8.625, 9.375, 10.125, 10.9375, 11.75];
    expect(Array.from(binThresholds(generateRegression(0, 300).X.numeric('x0'), 16))).toEqual(sklearn);
  });

  it('follows scikit-learn’s multiclass log-loss curve on iris', async () => {
    const { Xtr, ytr, Xte, yte } = irisHalves();
    const model = await new HistGradientBoostingClassifier({ max_iter: 20, ...TRACKED }).fit(Xtr, ytr);
    expect(model.nIter).toBe(20);
    expect(model.nTreesPerIteration).toBe(3);
    const sklearn = [-1.0948075889421989, -0.8465759648889889, -0.6737056757557094, -0.5436487643448108];
    sklearn.forEach((score, j) => {
      expect(model.trainScore[j]).toBeCloseTo(score, 7);
    });
    expect(model.trainScore[20]).toBeCloseTo(-0.06228462236665893, 7);
    expect(model.score(Xte, yte)).toBeCloseTo(0.9466666666666667, 12);
    const defaults = await new HistGradientBoostingClassifier().fit(Xtr, ytr);
    expect(defaults.doEarlyStopping).toBe(false);
    expect(defaults.score(Xte, yte)).toBeCloseTo(0.9333333333333333, 12);
    const proba = defaults.predictProba(Xte);
    // scikit-learn: predict_proba(X_test)[0] = [0.999977155798198, 2.2652e-05, 1.9212e-07].
    expect(proba.get(0, 0)).toBeCloseTo(0.999977155798198, 5);
    for (let i = 0; i < proba.nRows; i++) expect(proba.row(i).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
  });

  it('follows scikit-learn’s binary log-loss and squared-error curves', async () => {
    const { X, y } = loadIris();
    const yb = Float64Array.from(y, (label) => (label === 'Iris-virginica' ? 1 : 0));
    const binary = await new HistGradientBoostingClassifier({ max_iter: 15, ...TRACKED }).fit(X, yb);
    expect(binary.nTreesPerIteration).toBe(1);
    [-0.636514168294813, -0.5556840299636016, -0.49160172921118384].forEach((score, j) => {
      expect(binary.trainScore[j]).toBeCloseTo(score, 7);
    });
    expect(binary.trainScore[15]).toBeCloseTo(-0.16643110077048448, 7);
    expect(binary.predict(X)).toBeInstanceOf(Float64Array);
    expect(binary.score(X, yb)).toBeCloseTo(0.9666666666666667, 12);

    const train = generateRegression(0, 300);
    const test = generateRegression(300, 400);
    const reg = await new HistGradientBoostingRegressor({ max_iter: 30, ...TRACKED }).fit(train.X, train.y);
    [-5.3791882317572055, -4.523381765181598, -3.8187385311709416].forEach((score, j) => {
      expect(reg.trainScore[j]).toBeCloseTo(score, 7);
    });
    expect(reg.trainScore[30]).toBeCloseTo(-0.2882322295234025, 7);
    expect(reg.score(test.X, test.y)).toBeCloseTo(0.841626420652549, 7);
    // Every iteration lowers the training loss.
    for (let j = 1; j < reg.trainScore.length; j++) expect(reg.trainScore[j]).toBeGreaterThan(reg.trainScore[j - 1]);
    expect((await new HistGradientBoostingRegressor().fit(train.X, train.y)).score(test.X, test.y)).toBeCloseTo(0.9108269726257558, 7);
    const tuned = await new HistGradientBoostingRegressor({ max_bins: 16, max_depth: 3, l2_regularization: 1, min_samples_leaf: 5, max_iter: 30, ...TRACKED }).fit(
      train.X,
      train.y,
    );
    expect(tuned.trainScore[30]).toBeCloseTo(-0.4725454725436642, 7);
    expect(tuned.score(test.X, test.y)).toBeCloseTo(0.863785257516043, 7);
    for (const tree of tuned.estimators) {
      let leaves = 0;
      for (let node = 0; node < tree.left.length; node++) if (tree.left[node] === -1) leaves++;
      expect(leaves).toBeLessThanOrEqual(8); // max_depth 3
    }
  });

  it('limits leaves to max_leaf_nodes and leaf sizes to min_samples_leaf', async () => {
    const train = generateRegression(0, 300);
    const model = await new HistGradientBoostingRegressor({ max_leaf_nodes: 5, min_samples_leaf: 30, max_iter: 5 }).fit(train.X, train.y);
    for (const tree of model.estimators) {
      let leaves = 0;
      for (let node = 0; node < tree.left.length; node++) {
        if (tree.left[node] !== -1) continue;
        leaves++;
        expect(tree.count[node]).toBeGreaterThanOrEqual(30);
      }
      expect(leaves).toBe(5);
    }
  });

  it('stops early on a validation split once the loss stalls, and is deterministic under random_state', async () => {
    const train = generateRegression(0, 2000);
    const params = { early_stopping: true, max_iter: 500, learning_rate: 0.5, n_iter_no_change: 3, tol: 1e-3, random_state: 2 } as const;
    const model = await new HistGradientBoostingRegressor(params).fit(train.X, train.y);
    expect(model.nIter).toBeLessThan(500);
    expect(model.validationScore).toHaveLength(model.nIter + 1);
    const v = model.validationScore;
    const n = v.length;
    // The stopping rule: none of the last 3 scores beat the one before them by more than tol.
    for (let j = n - 3; j < n; j++) expect(v[j]).toBeLessThanOrEqual(v[n - 4] + 1e-3);
    const again = await new HistGradientBoostingRegressor(params).fit(train.X, train.y);
    expect(again.predict(train.X)).toEqual(model.predict(train.X));
    const auto = await new HistGradientBoostingRegressor({ max_iter: 3 }).fit(train.X, train.y);
    expect(auto.doEarlyStopping).toBe(false); // 'auto' switches on above 10,000 rows
  });

  it('builds from config, persists through the artifact codec and predicts identically', async () => {
    const { X, y } = loadIris();
    const config = configFromObject({ model: { __factory__: 'sklearn.ensemble.HistGradientBoostingClassifier', max_iter: 10 } }, createRegistry());
    const model = (await config.component('model', 'estimator', isEstimator)) as HistGradientBoostingClassifier;
    await model.fit(X, y);
    const copy = persistRoundTrip(model);
    expect(copy.predictProba(X).data).toEqual(model.predictProba(X).data);
    expect(copy.predict(X)).toEqual(model.predict(X));
    expect(copy.nIter).toBe(10);
  });

  it('rejects bad params, NaN, text columns and single-class y', async () => {
    const X = new Frame({ a: Float64Array.of(1, 2, 3, 4), b: Float64Array.of(1, Number.NaN, 3, 4) });
    const y = ['p', 'q', 'p', 'q'];
    await expectPldError(() => new HistGradientBoostingClassifier({ max_bins: 256 }).fit(X.drop('b'), y), 'PLD_ERR_ESTIMATOR_INVALID_PARAM', 'max_bins');
    await expectPldError(() => new HistGradientBoostingClassifier({ learning_rate: 0 }).fit(X.drop('b'), y), 'PLD_ERR_ESTIMATOR_INVALID_PARAM', 'learning_rate');
    await expectPldError(() => new HistGradientBoostingClassifier({ n_jobs: 0 }).fit(X.drop('b'), y), 'PLD_ERR_ESTIMATOR_INVALID_PARAM', 'n_jobs');
    await expectPldError(
      () => new HistGradientBoostingRegressor({ loss: 'poisson' as never }).fit(X.drop('b'), Float64Array.of(1, 2, 3, 4)),
      'PLD_ERR_ESTIMATOR_INVALID_PARAM',
      'loss',
    );
    await expectPldError(() => new HistGradientBoostingClassifier().fit(X, y), 'PLD_ERR_ESTIMATOR_BAD_INPUT', "'b'");
    await expectPldError(() => new HistGradientBoostingRegressor().fit(new Frame({ c: ['x', 'y'] }), Float64Array.of(1, 2)), 'PLD_ERR_ESTIMATOR_BAD_INPUT', 'encoder');
    await expectPldError(() => new HistGradientBoostingClassifier().fit(X.drop('b'), ['p', 'p', 'p', 'p']), 'PLD_ERR_ESTIMATOR_BAD_INPUT', 'classes');
    await expectPldError(() => new HistGradientBoostingClassifier().predict(X), 'PLD_ERR_ESTIMATOR_NOT_FITTED', 'fit');
  });
});
