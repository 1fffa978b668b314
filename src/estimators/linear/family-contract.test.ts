import { describe, expect, it } from 'vitest';
import { Frame } from '../../data/frame.js';
import { createEstimatorCodec, createRegistry, type Estimator } from '../../index.js';
import { decodeArtifact, encodeArtifact } from '../../persistence/artifact.js';
import { ARTIFACT_FORMAT } from '../../persistence/types.js';
import { mulberry32 } from '../tree/prng.js';
import { expectPldError } from './test-helpers.js';

// The contract every estimator of this branch keeps (the shared suite checks it again after the merge):
// registry build, clone, refit, persistence round trip, NaN naming the column, not-fitted errors.
const CLASSIFIERS = ['LogisticRegression', 'KNeighborsClassifier', 'GaussianNB', 'MultinomialNB', 'DummyClassifier'];
const REGRESSORS = ['LinearRegression', 'Ridge', 'Lasso', 'KNeighborsRegressor', 'DummyRegressor'];

function _data(seed: number) {
  const rand = mulberry32(seed);
  const cols = Array.from({ length: 5 }, () => Float64Array.from({ length: 200 }, () => rand() * 4));
  const X = new Frame(Object.fromEntries(cols.map((c, j) => [`f${j}`, c])));
  const score = cols[0].map((v, i) => v - cols[1][i] + 0.5 * cols[2][i]);
  return { X, labels: Array.from(score, (s) => (s < 0 ? 'low' : s < 2 ? 'mid' : 'high')), numeric: Float64Array.from(score, (s) => (s < 1 ? 0 : 1)), target: score };
}

describe.each([...CLASSIFIERS, ...REGRESSORS])('%s keeps the estimator contract', (name) => {
  const registry = createRegistry();
  const codec = createEstimatorCodec(registry);
  const definition = registry.get(name);
  const make = (params: Record<string, unknown> = {}) =>
    definition?.create(definition.params.parse(params), { registry, baseDir: '.', file: '<test>', keyPath: 'model' }) as Estimator;
  const isClassifier = CLASSIFIERS.includes(name);

  it('is registered with its scikit-learn alias, clones unfitted and refits', async () => {
    expect(definition).toBeDefined();
    expect(registry.get(`sklearn.${_module(name)}.${name}`)).toBe(definition);
    const { X, labels, target } = _data(1);
    const model = make();
    const y = isClassifier ? labels : target;
    expect(await model.fit(X, y)).toBe(model);
    const copy = model.clone();
    expect(copy.isFitted()).toBe(false);
    expect(copy.getParams()).toEqual(model.getParams());
    await expectPldError(() => copy.predict(X), 'PLD_ERR_ESTIMATOR_NOT_FITTED', 'fit');
    const other = _data(2);
    await model.fit(other.X, isClassifier ? other.numeric : other.target.map((v) => v * 3));
    if (isClassifier) expect(model.classes).toEqual(Float64Array.of(0, 1));
  });

  it('survives the model store bit-exactly', async () => {
    const { X, labels, target } = _data(3);
    const model = await make(name.startsWith('Dummy') && isClassifier ? { strategy: 'stratified', random_state: 0 } : {}).fit(X, isClassifier ? labels : target);
    const spec = codec.encode(model);
    const bytes = encodeArtifact({ format: ARTIFACT_FORMAT, factory: spec.factory, params: spec.params, state: spec.state, metadata: { version: 1 } });
    const decoded = decodeArtifact(bytes);
    const restored = codec.decode({ factory: decoded.factory, params: decoded.params, state: decoded.state });
    expect(await restored.predict(X)).toEqual(await model.predict(X));
    if (model.predictProba && restored.predictProba) {
      const proba = await model.predictProba(X);
      expect((await restored.predictProba(X)).data).toEqual(proba.data);
      for (let i = 0; i < proba.nRows; i++) expect(proba.row(i).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    }
  });

  it('rejects NaN naming the column, and a predict frame missing a feature', async () => {
    const { X, labels, target } = _data(4);
    const broken = new Frame({ ...Object.fromEntries(X.columns.map((c) => [c, X.numeric(c)])), f3: Float64Array.from(X.numeric('f3'), (v, i) => (i === 9 ? Number.NaN : v)) });
    await expectPldError(() => make().fit(broken, isClassifier ? labels : target), 'PLD_ERR_ESTIMATOR_BAD_INPUT', "'f3'");
    // ±Infinity in the first and the last row too: the fits find them from their own passes over the data.
    const last = X.nRows - 1;
    for (const [row, bad] of [
      [0, Number.POSITIVE_INFINITY],
      [last, Number.NEGATIVE_INFINITY],
    ]) {
      const inf = new Frame({ ...Object.fromEntries(X.columns.map((c) => [c, X.numeric(c)])), f1: Float64Array.from(X.numeric('f1'), (v, i) => (i === row ? bad : v)) });
      await expectPldError(() => make().fit(inf, isClassifier ? labels : target), 'PLD_ERR_ESTIMATOR_BAD_INPUT', `'f1' has ${bad} at row ${row}`);
    }
    const model = await make().fit(X, isClassifier ? labels : target);
    await expectPldError(() => model.predict(X.drop('f2')), 'PLD_ERR_ESTIMATOR_BAD_INPUT', 'f2');
    await expectPldError(
      () => model.predict(new Frame({ ...Object.fromEntries(X.columns.map((c) => [c, X.numeric(c)])), f0: Array.from(X.numeric('f0'), String) })),
      'PLD_ERR_ESTIMATOR_BAD_INPUT',
      'encoder',
    );
  });
});

function _module(name: string): string {
  if (name.startsWith('KNeighbors')) return 'neighbors';
  if (name.endsWith('NB')) return 'naive_bayes';
  if (name.startsWith('Dummy')) return 'dummy';
  return 'linear_model';
}
