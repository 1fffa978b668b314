import { describe, expect, it } from 'vitest';
import { Frame } from '../../data/frame.js';
import { DummyClassifier, DummyRegressor } from '../../index.js';
import { expectClose, expectPldError, fromConfig } from '../linear/test-helpers.js';

const X = new Frame({ x: Float64Array.from({ length: 8 }, (_, i) => i) });
const labels = ['b', 'a', 'b', 'c', 'b', 'a', 'b', 'b'];

describe('DummyClassifier', () => {
  it("'prior' predicts the commonest class with the class shares as probabilities", async () => {
    const dummy = await new DummyClassifier().fit(X, labels);
    expect(dummy.classes).toEqual(['a', 'b', 'c']);
    expectClose(dummy.classPrior, [2 / 8, 5 / 8, 1 / 8], 1e-15);
    expect(dummy.predict(X.slice(0, 2))).toEqual(['b', 'b']);
    expectClose(dummy.predictProba(X.slice(0, 1)).data, [0.25, 0.625, 0.125], 1e-15);
    expect(dummy.score(X, labels)).toBe(5 / 8);
  });

  it("'most_frequent' and 'constant' give one-hot probabilities; numeric labels stay numeric", async () => {
    const y = Float64Array.of(3, 1, 3, 2, 3, 1, 3, 3);
    const frequent = await new DummyClassifier({ strategy: 'most_frequent' }).fit(X, y);
    expect(frequent.predict(X.slice(0, 2))).toEqual(Float64Array.of(3, 3));
    expect(Array.from(frequent.predictProba(X.slice(0, 1)).data)).toEqual([0, 0, 1]);
    const constant = await new DummyClassifier({ strategy: 'constant', constant: 2 }).fit(X, y);
    expect(constant.predict(X.slice(0, 2))).toEqual(Float64Array.of(2, 2));
    await expectPldError(() => new DummyClassifier({ strategy: 'constant', constant: 'z' }).fit(X, labels), 'PLD_ERR_ESTIMATOR_INVALID_PARAM', 'constant');
    await expectPldError(() => new DummyClassifier({ strategy: 'constant' }).fit(X, labels), 'PLD_ERR_ESTIMATOR_INVALID_PARAM', 'constant');
  });

  it("'stratified' and 'uniform' draw reproducibly under random_state, in proportion", async () => {
    const big = new Frame({ x: new Float64Array(20000) });
    const y = Array.from({ length: 20000 }, (_, i) => (i % 4 === 0 ? 'rare' : 'common'));
    const stratified = await new DummyClassifier({ strategy: 'stratified', random_state: 7 }).fit(big, y);
    const first = stratified.predict(big) as string[];
    expect(stratified.predict(big)).toEqual(first);
    const rareShare = first.filter((label) => label === 'rare').length / first.length;
    expect(Math.abs(rareShare - 0.25)).toBeLessThan(0.02);
    const uniform = await new DummyClassifier({ strategy: 'uniform', random_state: 7 }).fit(big, y);
    const drawn = uniform.predict(big) as string[];
    expect(Math.abs(drawn.filter((label) => label === 'rare').length / drawn.length - 0.5)).toBeLessThan(0.02);
    expectClose(uniform.predictProba(big.slice(0, 1)).data, [0.5, 0.5], 0);
  });
});

describe('DummyRegressor', () => {
  const y = Float64Array.of(1, 2, 3, 4, 10, 6, 7, 8);

  it('predicts the mean, median, quantile or constant', async () => {
    expect((await new DummyRegressor().fit(X, y)).constant).toBe(41 / 8);
    expect((await new DummyRegressor({ strategy: 'median' }).fit(X, y)).constant).toBe(5);
    // np.percentile(y, 90) == 8.6 (linear interpolation between the 7th and 8th order statistics).
    expect((await new DummyRegressor({ strategy: 'quantile', quantile: 0.9 }).fit(X, y)).constant).toBeCloseTo(8.6, 12);
    const constant = await new DummyRegressor({ strategy: 'constant', constant: -1 }).fit(X, y);
    expect(constant.predict(X.slice(0, 3))).toEqual(Float64Array.of(-1, -1, -1));
    expect((await new DummyRegressor().fit(X, y)).score(X, y)).toBe(0);
  });

  it('names the missing parameter and is built by the registry', async () => {
    await expectPldError(() => new DummyRegressor({ strategy: 'quantile' }).fit(X, y), 'PLD_ERR_ESTIMATOR_INVALID_PARAM', 'quantile');
    await expectPldError(() => new DummyRegressor({ strategy: 'constant' }).fit(X, y), 'PLD_ERR_ESTIMATOR_INVALID_PARAM', 'constant');
    await expectPldError(() => new DummyRegressor({ strategy: 'quantile', quantile: 2 }).fit(X, y), 'PLD_ERR_ESTIMATOR_INVALID_PARAM', 'quantile');
    const model = await fromConfig({ __factory__: 'sklearn.dummy.DummyRegressor', strategy: 'median' });
    expect(model).toBeInstanceOf(DummyRegressor);
  });
});
