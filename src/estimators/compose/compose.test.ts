import { describe, expect, it } from 'vitest';
import { loadIris } from '../../../test/fixtures/iris.js';
import {
  ColumnTransformer,
  configFromObject,
  createEstimatorCodec,
  createRegistry,
  DecisionTreeClassifier,
  decodeArtifact,
  describeParams,
  encodeArtifact,
  type Estimator,
  Frame,
  isEstimator,
  OneHotEncoder,
  Pipeline,
  StandardScaler,
} from '../../index.js';
import { ARTIFACT_FORMAT } from '../../persistence/types.js';

const pipe = () =>
  new Pipeline({
    steps: [
      ['scale', new StandardScaler()],
      ['clf', new DecisionTreeClassifier({ random_state: 0 })],
    ],
  });

describe('Pipeline', () => {
  it('exposes scikit-learn deep params and routes step__param to the step', () => {
    const p = pipe();
    const params = p.getParams();
    expect(Object.keys(params)).toEqual(expect.arrayContaining(['steps', 'memory', 'verbose', 'scale', 'clf', 'scale__with_mean', 'clf__max_depth']));
    p.setParams({ clf__max_depth: 3, scale__with_std: false });
    expect(p.getParams().clf__max_depth).toBe(3);
    expect((p.namedStep('scale') as StandardScaler).getParams().with_std).toBe(false);
    expect(() => p.setParams({ nope__x: 1 })).toThrow(/invalid parameter 'nope__x'/);
  });

  it('clone() copies steps, so setParams on the clone leaves the original alone', () => {
    const original = pipe();
    const copy = original.clone().setParams({ clf__max_depth: 2 });
    expect(original.getParams().clf__max_depth).toBeNull();
    expect(copy.getParams().clf__max_depth).toBe(2);
    expect(copy.namedStep('clf')).not.toBe(original.namedStep('clf'));
  });

  it('fits, predicts like its parts by hand, and takes classes from the last step', async () => {
    const { X, y } = await loadIris();
    const p = await pipe().setParams({ clf__max_depth: 2 }).fit(X, y);
    const Xt = await new StandardScaler().fitTransform(X);
    const tree = await new DecisionTreeClassifier({ random_state: 0, max_depth: 2 }).fit(Xt, y);
    expect(await p.predict(X)).toEqual(tree.predict(Xt));
    expect(p.classes).toEqual(tree.classes);
    expect((await p.predictProba?.(X))?.data).toEqual(tree.predictProba(Xt).data);
    expect(await p.score(X, y)).toBe(tree.score(Xt, y));
  });

  it('rejects a non-transformer in the middle and bad step names', async () => {
    const { X, y } = await loadIris();
    const bad = new Pipeline({
      steps: [
        ['clf', new DecisionTreeClassifier()],
        ['scale', new StandardScaler()],
      ],
    });
    await expect(bad.fit(X, y)).rejects.toThrow(/'clf' is a classifier; every step but the last must be a transformer/);
    const dup = new Pipeline({
      steps: [
        ['a__b', new StandardScaler()],
        ['clf', new DecisionTreeClassifier()],
      ],
    });
    await expect(dup.fit(X, y)).rejects.toThrow(/contains '__'/);
  });

  it('is built from a config, and its steps schema rejects non-estimators naming the key', async () => {
    const registry = createRegistry();
    const config = configFromObject(
      {
        model: {
          __factory__: 'sklearn.pipeline.Pipeline',
          steps: [
            ['scale', { __factory__: 'sklearn.preprocessing.StandardScaler' }],
            ['clf', { __factory__: 'DecisionTreeClassifier', max_depth: 2 }],
          ],
          memory: null,
        },
      },
      registry,
    );
    const model = await config.component<Estimator>('model', 'estimator', isEstimator);
    expect(model).toBeInstanceOf(Pipeline);
    expect(model.getParams().clf__max_depth).toBe(2);
    const bad = configFromObject({ model: { __factory__: 'Pipeline', steps: [['clf', { max_depth: 2 }]] } }, registry);
    await expect(bad.component('model', 'estimator', isEstimator)).rejects.toThrow(/model\.steps\.0\.1: must be an estimator or transformer/);
  });

  it('round-trips through the codec and the artifact format, and describes its params as JSON', async () => {
    const { X, y } = await loadIris();
    const fitted = await pipe().fit(X, y);
    const codec = createEstimatorCodec(createRegistry());
    const spec = codec.encode(fitted);
    expect(JSON.stringify(spec.params)).not.toContain('"state"');
    const bytes = encodeArtifact({ format: ARTIFACT_FORMAT, factory: spec.factory, params: spec.params, state: spec.state, metadata: { version: 1 } as never });
    const artifact = decodeArtifact(bytes);
    const restored = codec.decode({ factory: artifact.factory, params: artifact.params, state: artifact.state });
    expect(await restored.predict(X)).toEqual(await fitted.predict(X));
    const described = describeParams(fitted.getParams());
    expect(JSON.parse(JSON.stringify(described)).clf).toMatchObject({ __factory__: 'DecisionTreeClassifier', max_depth: null });
  });
});

describe('ColumnTransformer', () => {
  const X = () => new Frame({ color: ['red', 'blue', 'red', 'green'], size: Float64Array.of(1, 2, 3, 4), weight: Float64Array.of(2, 2, 4, 4) });

  it('transforms column groups, passes the remainder, names outputs name__column', async () => {
    const ct = new ColumnTransformer({
      transformers: [
        ['onehot', new OneHotEncoder(), ['color']],
        ['scale', new StandardScaler(), [1]],
      ],
      remainder: 'passthrough',
    });
    const Xt = await ct.fitTransform(X());
    expect(Xt.columns).toEqual(['onehot__color_blue', 'onehot__color_green', 'onehot__color_red', 'scale__size', 'remainder__weight']);
    expect(Array.from(Xt.numeric('onehot__color_red'))).toEqual([1, 0, 1, 0]);
    expect(Array.from(Xt.numeric('remainder__weight'))).toEqual([2, 2, 4, 4]);
    expect((await ct.transform(X())).columns).toEqual(Xt.columns);
  });

  it('drops columns, routes params and clones its transformers', async () => {
    const ct = new ColumnTransformer({
      transformers: [
        ['onehot', new OneHotEncoder(), 'color'],
        ['gone', 'drop', ['size']],
      ],
    });
    ct.setParams({ onehot__drop: 'first', verbose_feature_names_out: false });
    expect((await ct.fitTransform(X())).columns).toEqual(['color_green', 'color_red']);
    const copy = ct.clone().setParams({ onehot__drop: null });
    expect(ct.getParams().onehot__drop).toBe('first');
    expect(copy.isFitted()).toBe(false);
    expect(() => ct.setParams({ remainder__x: 1 })).toThrow(/invalid parameter 'remainder__x'/);
  });

  it('sits inside a Pipeline that persists and predicts with text columns', async () => {
    const data = X();
    const y = ['a', 'b', 'a', 'b'];
    const model = new Pipeline({
      steps: [
        ['prep', new ColumnTransformer({ transformers: [['onehot', new OneHotEncoder({ handle_unknown: 'ignore' }), ['color']]], remainder: 'passthrough' })],
        ['clf', new DecisionTreeClassifier({ random_state: 0 })],
      ],
    });
    await model.fit(data, y);
    const codec = createEstimatorCodec(createRegistry());
    const restored = codec.decode(codec.encode(model));
    expect(await restored.predict(data)).toEqual(await model.predict(data));
    expect(await model.predict(data)).toEqual(y);
  });
});
