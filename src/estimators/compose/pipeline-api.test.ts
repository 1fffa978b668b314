import { describe, expect, it } from 'vitest';
import { loadIris } from '../../../test/fixtures/iris.js';
import { DecisionTreeClassifier, DecisionTreeRegressor, Pipeline, StandardScaler } from '../../index.js';

const { X, y } = loadIris();

describe('Pipeline methods beyond fit/predict', () => {
  it('scores through the last step, and exposes predictProba only when the last step has it', async () => {
    const clf = await new Pipeline({
      steps: [
        ['scale', new StandardScaler()],
        ['clf', new DecisionTreeClassifier({ random_state: 0, max_depth: 2 })],
      ],
    }).fit(X, y);
    expect(clf.featureNames).toEqual([...X.columns]);
    const tree = await new DecisionTreeClassifier({ random_state: 0, max_depth: 2 }).fit(X, y);
    expect(await clf.score(X, y)).toBeCloseTo(await tree.score(X, y));
    expect((await clf.predictProba!(X)).nRows).toBe(X.nRows);
    const target = X.column('petal width') as Float64Array;
    const reg = await new Pipeline({ steps: [['reg', new DecisionTreeRegressor({ max_depth: 3, random_state: 0 })]] }).fit(X.drop('petal width'), target);
    expect(reg.predictProba).toBeUndefined();
    expect(await reg.score(X.drop('petal width'), target)).toBeGreaterThan(0.9);
  });

  it('transforms when it ends in a transformer or passthrough, and names the step that cannot', async () => {
    const scaling = new Pipeline({ steps: [['scale', new StandardScaler()]] });
    expect(scaling.estimatorType).toBe('transformer');
    const Xt = await scaling.fitTransform(X, y);
    const mean = (values: ArrayLike<number>) => Array.from(values).reduce((a, b) => a + b, 0) / values.length;
    expect(Math.abs(mean(Xt.column('sepal length') as Float64Array))).toBeLessThan(1e-9);
    expect(scaling.getFeatureNamesOut()).toEqual([...X.columns]);
    await expect(scaling.predict(X)).rejects.toThrow(
      expect.objectContaining({ code: 'PLD_ERR_ESTIMATOR_BAD_INPUT', message: "Pipeline: the last step 'scale' cannot predict; it is a transformer" }),
    );

    const through = await new Pipeline({ steps: [['noop', 'passthrough']] }).fit(X, y);
    expect(await through.transform(X)).toBe(X);
    expect(through.getFeatureNamesOut()).toEqual([...X.columns]);
    expect(() => new Pipeline({ steps: [['noop', 'passthrough']] }).getFeatureNamesOut()).toThrow(/not fitted|fit/i);

    const classifier = await new Pipeline({ steps: [['clf', new DecisionTreeClassifier({ random_state: 0 })]] }).fit(X, y);
    await expect(classifier.transform(X)).rejects.toThrow("Pipeline: the last step 'clf' is a classifier, not a transformer");
  });

  it('takes new steps and refuses params for a passthrough step, naming it', () => {
    const p = new Pipeline({
      steps: [
        ['scale', 'passthrough'],
        ['clf', new DecisionTreeClassifier({})],
      ],
    });
    expect(() => p.setParams({ scale__with_mean: false })).toThrow(
      expect.objectContaining({ code: 'PLD_ERR_ESTIMATOR_INVALID_PARAM', message: `Pipeline: step 'scale' is "passthrough" and has no params` }),
    );
    p.setParams({ steps: [['only', new StandardScaler()]] });
    expect(p.steps.map(([name]) => name)).toEqual(['only']);
  });
});
