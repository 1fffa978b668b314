import { describe, expect, it } from 'vitest';
import { expectPldError, generateRegression, persistRoundTrip } from '../../../test/fixtures/trees.js';
import { loadIris } from '../../../test/fixtures/iris.js';
import { createRegistry } from '../../config/builtins.js';
import { configFromObject } from '../../config/config.js';
import { Frame } from '../../data/frame.js';
import { isEstimator } from '../types.js';
import { ExtraTreesClassifier, RandomForestClassifier } from './forest-classifier.js';
import { ExtraTreesRegressor, RandomForestRegressor } from './forest-regressor.js';

function irisHalves() {
  const { X, y } = loadIris();
  const even = [...Array(150).keys()].filter((i) => i % 2 === 0);
  const odd = [...Array(150).keys()].filter((i) => i % 2 === 1);
  return { Xtr: X.take(even), ytr: even.map((i) => y[i]), Xte: X.take(odd), yte: odd.map((i) => y[i]) };
}

// scikit-learn 1.2.1 (/usr/bin/python3), iris even rows → odd rows, random_state 0..9:
// RandomForestClassifier mean accuracy 0.9493 (0.9467–0.96), importances [0.086, 0.029, 0.457, 0.428], oob_score_ 0.92;
// ExtraTreesClassifier 0.96 (all seeds), importances [0.084, 0.077, 0.417, 0.423].
// On generateRegression(0, 300) → (300, 400), random_state 0..4: RandomForestRegressor R² mean 0.8855 (0.8826–0.8902),
// oob_score_ 0.952; ExtraTreesRegressor R² 0.9141 (0.9091–0.9193), oob_score_ (bootstrap=True) 0.959.
describe('forests', () => {
  it('classify held-out iris as well as scikit-learn, with importances led by the petals', async () => {
    const { Xtr, ytr, Xte, yte } = irisHalves();
    for (const [Ctor, reference] of [
      [RandomForestClassifier, 0.9493],
      [ExtraTreesClassifier, 0.96],
    ] as const) {
      const scores: number[] = [];
      for (let seed = 0; seed < 3; seed++) {
        const forest = await new Ctor({ random_state: seed }).fit(Xtr, ytr);
        scores.push(forest.score(Xte, yte));
        expect(forest.estimators).toHaveLength(100);
        const importances = forest.featureImportances;
        expect(importances.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
        expect(importances[2] + importances[3]).toBeGreaterThan(0.75);
      }
      expect(Math.abs(scores.reduce((a, b) => a + b) / scores.length - reference)).toBeLessThanOrEqual(0.03);
    }
  });

  it('averages the trees: probabilities are the mean of tree leaf shares and sum to 1', async () => {
    const { X, y } = loadIris();
    const forest = await new RandomForestClassifier({ n_estimators: 7, max_depth: 2, random_state: 1 }).fit(X, y);
    const proba = forest.predictProba(X);
    for (let i = 0; i < proba.nRows; i++) expect(proba.row(i).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    // Recompute row 70 by hand from the trees' node arrays.
    const row = X.row(70);
    const columns = forest.featureNames as string[];
    const expected = [0, 0, 0];
    for (const tree of forest.estimators) {
      let node = 0;
      while (tree.left[node] !== -1) node = (row[columns[tree.feature[node]]] as number) <= tree.threshold[node] ? tree.left[node] : tree.right[node];
      for (let c = 0; c < 3; c++) expected[c] += tree.value[node * 3 + c] / 7;
    }
    for (let c = 0; c < 3; c++) expect(proba.get(70, c)).toBeCloseTo(expected[c], 12);
  });

  it('regress a generated set as well as scikit-learn, with an out-of-bag R²', async () => {
    const train = generateRegression(0, 300);
    const test = generateRegression(300, 400);
    const rf = await new RandomForestRegressor({ random_state: 0, oob_score: true }).fit(train.X, train.y);
    expect(Math.abs(rf.score(test.X, test.y) - 0.8855)).toBeLessThan(0.02);
    expect(Math.abs(rf.oobScore - 0.952)).toBeLessThan(0.02);
    expect(rf.featureImportances[1]).toBeGreaterThan(rf.featureImportances[0]);
    const et = await new ExtraTreesRegressor({ random_state: 0 }).fit(train.X, train.y);
    expect(Math.abs(et.score(test.X, test.y) - 0.9141)).toBeLessThan(0.02);
    const oob = await new RandomForestClassifier({ random_state: 0, oob_score: true }).fit(irisHalves().Xtr, irisHalves().ytr);
    expect(oob.oobScore).toBeGreaterThan(0.85);
  });

  it('are deterministic under random_state and differ between seeds', async () => {
    const { X, y } = loadIris();
    const a = await new RandomForestClassifier({ n_estimators: 10, random_state: 5 }).fit(X, y);
    const b = await new RandomForestClassifier({ n_estimators: 10, random_state: 5 }).fit(X, y);
    const c = await new RandomForestClassifier({ n_estimators: 10, random_state: 6 }).fit(X, y);
    expect(b.predictProba(X).data).toEqual(a.predictProba(X).data);
    expect(c.predictProba(X).data).not.toEqual(a.predictProba(X).data);
  });

  it('bootstrap draws rows with replacement, max_samples limits the draw, no bootstrap uses every row', async () => {
    const { X, y } = loadIris();
    const rf = await new RandomForestClassifier({ n_estimators: 5, random_state: 0, max_samples: 30 }).fit(X, y);
    for (const tree of rf.estimators) {
      expect(tree.weightedNNodeSamples[0]).toBe(30);
      expect(tree.nNodeSamples[0]).toBeLessThan(30); // repeats: distinct rows < draws
    }
    const et = await new ExtraTreesClassifier({ n_estimators: 3, random_state: 0 }).fit(X, y);
    for (const tree of et.estimators) expect(tree.nNodeSamples[0]).toBe(150);
    await expectPldError(() => new ExtraTreesClassifier({ max_samples: 10 }).fit(X, y), 'PLD_ERR_ESTIMATOR_INVALID_PARAM', 'max_samples');
    await expectPldError(() => new RandomForestClassifier({ max_samples: 500 }).fit(X, y), 'PLD_ERR_ESTIMATOR_INVALID_PARAM', 'max_samples');
  });

  it('build from config by scikit-learn names, persist through the artifact codec, predict identically', async () => {
    const { X, y } = loadIris();
    for (const factory of ['sklearn.ensemble.RandomForestClassifier', 'ExtraTreesClassifier']) {
      const config = configFromObject({ model: { __factory__: factory, n_estimators: 20, random_state: 3 } }, createRegistry());
      const model = (await config.component('model', 'estimator', isEstimator)) as RandomForestClassifier;
      await model.fit(X, y);
      const copy = persistRoundTrip(model);
      expect(copy.predictProba(X).data).toEqual(model.predictProba(X).data);
      expect(copy.predict(X)).toEqual(model.predict(X));
    }
    const train = generateRegression(0, 200);
    const config = configFromObject({ model: { __factory__: 'sklearn.ensemble.RandomForestRegressor', n_estimators: 10, random_state: 3 } }, createRegistry());
    const model = (await config.component('model', 'estimator', isEstimator)) as RandomForestRegressor;
    await model.fit(train.X, train.y);
    expect(persistRoundTrip(model).predict(train.X)).toEqual(model.predict(train.X));
  });

  it('return the label kind of y and reject bad params, NaN and text columns', async () => {
    const X = new Frame({ a: Float64Array.of(1, 2, 3, 4, 5, 6), b: Float64Array.of(6, 5, 4, 3, 2, 1) });
    const numeric = await new RandomForestClassifier({ n_estimators: 5, random_state: 0 }).fit(X, Float64Array.of(3, 3, 3, 7, 7, 7));
    expect(numeric.predict(X)).toBeInstanceOf(Float64Array);
    await expectPldError(() => new RandomForestClassifier({ n_estimators: 0 }).fit(X, ['a', 'a', 'a', 'b', 'b', 'b']), 'PLD_ERR_ESTIMATOR_INVALID_PARAM', 'n_estimators');
    await expectPldError(() => new RandomForestRegressor({ n_jobs: 0 }).fit(X, Float64Array.of(1, 2, 3, 4, 5, 6)), 'PLD_ERR_ESTIMATOR_INVALID_PARAM', 'n_jobs');
    await expectPldError(() => new RandomForestRegressor({ criterion: 'gini' as never }).fit(X, Float64Array.of(1, 2, 3, 4, 5, 6)), 'PLD_ERR_ESTIMATOR_INVALID_PARAM', 'criterion');
    const holes = new Frame({ a: Float64Array.of(1, Number.NaN, 3), b: Float64Array.of(1, 2, 3) });
    await expectPldError(() => new ExtraTreesRegressor().fit(holes, Float64Array.of(1, 2, 3)), 'PLD_ERR_ESTIMATOR_BAD_INPUT', "'a'");
    await expectPldError(() => new RandomForestClassifier().fit(new Frame({ c: ['x', 'y'] }), ['a', 'b']), 'PLD_ERR_ESTIMATOR_BAD_INPUT', 'encoder');
    await expectPldError(() => new RandomForestClassifier().predict(X), 'PLD_ERR_ESTIMATOR_NOT_FITTED', 'fit');
    await expectPldError(() => numeric.oobScore, 'PLD_ERR_ESTIMATOR_NOT_FITTED', 'oob_score');
  });
});
