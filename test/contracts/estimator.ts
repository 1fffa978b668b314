import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { configFromObject } from '../../src/config/config.js';
import type { ComponentDefinition, Registry } from '../../src/config/registry.js';
import type { Frame, Labels } from '../../src/data/frame.js';
import { isPldError } from '../../src/errors.js';
import { createEstimatorCodec } from '../../src/estimators/codec.js';
import { type Estimator, isTransformer, type Params, type Transformer } from '../../src/estimators/types.js';
import { decodeArtifact, encodeArtifact } from '../../src/persistence/artifact.js';
import { ARTIFACT_FORMAT, type ModelMetadata } from '../../src/persistence/types.js';
import { type ContractData, categoricalData, classificationData, regressionData, withNaN } from './data.js';

/** The checks of the suite, by name; an exceptions table skips them per estimator with a reason. */
export type EstimatorCheck = 'params' | 'clone' | 'fit' | 'refit' | 'notFitted' | 'determinism' | 'persistence' | 'proba' | 'labels' | 'badParam' | 'nan' | 'config';

/** How to test one registry entry beyond what the suite derives from it. */
export interface EstimatorCase {
  /** Builds an instance with extra params (composites need their parts); default `new definition.ctor(params)`. */
  readonly make?: (params: Params) => Estimator | Transformer;
  /** The config value (without `__factory__`) that builds the same thing; default: no params. */
  readonly config?: Record<string, unknown>;
  /** Data set for transformers: numeric (default) or text columns. */
  readonly data?: 'numeric' | 'categorical';
  /** A valid non-default setting, when the one derived from the schema is not valid with the defaults. */
  readonly altParam?: Params;
  /** A hyper-parameter value the estimator must reject, when the schema cannot give one. */
  readonly badParam?: readonly [string, unknown];
  /** Checks this estimator cannot support, each with the reason. */
  readonly skip?: Partial<Record<EstimatorCheck, string>>;
}

type Component = Estimator | Transformer;

/**
 * The contract every registered estimator and transformer must pass (scikit-learn's
 * `check_estimator`, unstorage's `testDriver`): picks the data by `estimatorType` and runs each check
 * unless the case skips it with a reason.
 * @example
 * for (const definition of registry.list('estimator')) testEstimator(definition, registry, cases[definition.name]);
 */
export function testEstimator(definition: ComponentDefinition, registry: Registry, testCase: EstimatorCase = {}): void {
  const make = (params: Params = {}): Component => {
    if (testCase.make) return testCase.make(params);
    if (definition.ctor === undefined) throw new Error(`${definition.name} has no ctor; give it a make() in the exceptions table`);
    return new (definition.ctor as new (p: Params) => Component)(params);
  };
  const type = make().estimatorType;
  const check = (name: EstimatorCheck, title: string, body: () => Promise<void>) => {
    const reason = testCase.skip?.[name];
    if (reason === undefined) it(title, body);
    else it.skip(`${title} — skipped: ${reason}`, body);
  };
  const data = (): ContractData =>
    type === 'classifier' ? classificationData() : type === 'regressor' ? regressionData() : testCase.data === 'categorical' ? categoricalData() : regressionData();
  // Probe the schema around the case's real params (composites need their parts present to parse).
  const base = testCase.make ? (make().getParams as (deep?: boolean) => Params).call(make(), false) : {};
  const alt = (): Params => testCase.altParam ?? _altParam(definition, base);
  const seeded = (): Params => (_hasKey(definition.params, 'random_state') ? { random_state: 0 } : {});

  describe(`${definition.name} (${type})`, () => {
    check('params', 'stores params: new Ctor(p).getParams() contains p', async () => {
      const p = { ...seeded(), ...alt() };
      expect(make(p).getParams()).toMatchObject(p);
    });

    check('clone', 'clone() is unfitted, has equal params and is independent', async () => {
      const { X, y } = data();
      const original = make(seeded());
      await original.fit(X, _labelsFor(type, y));
      const copy = original.clone();
      expect(copy.isFitted()).toBe(false);
      expect(_comparable(copy.getParams())).toEqual(_comparable(original.getParams()));
      const before = _comparable(original.getParams());
      copy.setParams(alt());
      await copy.fit(X, _labelsFor(type, y));
      expect(_comparable(original.getParams())).toEqual(before);
      expect(original.isFitted()).toBe(true);
    });

    check('fit', 'fit returns this and gives one output row per input row', async () => {
      const { X, y } = data();
      const estimator = make(seeded());
      expect(await estimator.fit(X, _labelsFor(type, y))).toBe(estimator);
      if (isTransformer(estimator)) {
        const Xt = await estimator.transform(X);
        expect(Xt.nRows).toBe(X.nRows);
        expect([...Xt.columns]).toEqual(estimator.getFeatureNamesOut());
      } else expect((await estimator.predict(X)).length).toBe(X.nRows);
    });

    check('refit', 'refitting replaces the state', async () => {
      const { X, y } = data();
      const estimator = make(seeded());
      await estimator.fit(X, _labelsFor(type, y));
      if (type === 'classifier') {
        const first = await (estimator as Estimator).predict(X);
        await estimator.fit(
          X,
          Float64Array.from(y, (v) => 10 * v + 10),
        );
        const second = await (estimator as Estimator).predict(X);
        expect(typeof first[0]).toBe('string');
        expect(second).toBeInstanceOf(Float64Array);
        for (const label of Array.from(second as ArrayLike<unknown>)) expect([10, 20, 30]).toContain(label);
      } else if (type === 'regressor') {
        const first = _mean(await (estimator as Estimator).predict(X));
        await estimator.fit(
          X,
          Float64Array.from(y, (v) => v + 1000),
        );
        expect(_mean(await (estimator as Estimator).predict(X)) - first).toBeGreaterThan(500);
      } else {
        const first = (estimator as Transformer).getFeatureNamesOut();
        const fewer = X.select(X.columns.slice(0, 2));
        await estimator.fit(fewer);
        expect((estimator as Transformer).getFeatureNamesOut().length).toBeLessThan(first.length);
      }
    });

    check('notFitted', 'predict / transform before fit is PLD_ERR_ESTIMATOR_NOT_FITTED', async () => {
      const { X } = data();
      const estimator = make();
      const run = async () => (isTransformer(estimator) ? estimator.transform(X) : (estimator as Estimator).predict(X));
      await expect(run()).rejects.toSatisfy((error: unknown) => isPldError(error) && error.code === 'PLD_ERR_ESTIMATOR_NOT_FITTED');
    });

    check('determinism', 'two fits with the same random_state agree', async () => {
      const { X, y } = data();
      const a = await make(seeded()).fit(X, _labelsFor(type, y));
      const b = await make(seeded()).fit(X, _labelsFor(type, y));
      expect(await _output(b, X)).toEqual(await _output(a, X));
    });

    check('persistence', 'round-trips through the codec and the artifact bytes with identical output', async () => {
      const { X, y } = data();
      const fitted = await make(seeded()).fit(X, _labelsFor(type, y));
      const codec = createEstimatorCodec(registry);
      const spec = codec.encode(fitted as Estimator);
      const metadata = { version: 1 } as unknown as ModelMetadata;
      const artifact = decodeArtifact(encodeArtifact({ format: ARTIFACT_FORMAT, factory: spec.factory, params: spec.params, state: spec.state, metadata }));
      const restored = codec.decode({ factory: artifact.factory, params: artifact.params, state: artifact.state }) as Component;
      expect(await _output(restored, X)).toEqual(await _output(fitted, X));
      const proba = (fitted as Estimator).predictProba;
      if (typeof proba === 'function') expect((await (restored as Required<Estimator>).predictProba(X)).data).toEqual((await proba.call(fitted, X)).data);
    });

    if (type === 'classifier') {
      check('proba', 'predictProba rows sum to 1 with one column per class', async () => {
        const { X, y } = data();
        const estimator = (await make(seeded()).fit(X, _labelsFor(type, y))) as Estimator;
        if (typeof estimator.predictProba !== 'function') return;
        const proba = await estimator.predictProba(X);
        expect(proba.nRows).toBe(X.nRows);
        expect(proba.nCols).toBe(estimator.classes?.length);
        for (let i = 0; i < proba.nRows; i++) expect(proba.row(i).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
      });

      check('labels', 'takes string and numeric labels and predicts the same kind', async () => {
        const { X, y } = data();
        const strings = (await make(seeded()).fit(X, _labelsFor(type, y))) as Estimator;
        const fromStrings = await strings.predict(X);
        expect(Array.isArray(fromStrings)).toBe(true);
        expect(new Set(fromStrings as string[])).toEqual(new Set(['class-a', 'class-b', 'class-c']));
        const numbers = (await make(seeded()).fit(
          X,
          Float64Array.from(y, (v) => 7 - v),
        )) as Estimator;
        const fromNumbers = await numbers.predict(X);
        expect(fromNumbers).toBeInstanceOf(Float64Array);
        expect(Array.from((numbers.classes ?? []) as ArrayLike<unknown>)).toEqual([5, 6, 7]);
        expect(
          _accuracy(
            fromNumbers,
            Float64Array.from(y, (v) => 7 - v),
          ),
        ).toBeGreaterThan(0.9);
      });
    }

    check('badParam', 'rejects a bad hyper-parameter naming it, in fit and in a config', async () => {
      const [key, value] = testCase.badParam ?? _badParam(definition, base) ?? [];
      if (key === undefined) throw new Error(`No bad value found for ${definition.name}; add badParam to its case`);
      const { X, y } = data();
      await expect(Promise.resolve().then(() => make({ [key]: value }).fit(X, _labelsFor(type, y)))).rejects.toSatisfy(
        (error: unknown) => isPldError(error) && error.code === 'PLD_ERR_ESTIMATOR_INVALID_PARAM' && error.message.includes(key),
      );
      const config = configFromObject({ model: { __factory__: definition.name, ...testCase.config, [key]: value } }, registry);
      await expect(config.component('model', 'estimator', () => true)).rejects.toSatisfy(
        (error: unknown) => isPldError(error) && error.code === 'PLD_ERR_CONFIG_INVALID_PARAM' && error.message.includes(`model.${key}`),
      );
    });

    if (type !== 'transformer') {
      check('nan', 'NaN in a feature is rejected naming the column', async () => {
        const { X, y } = data();
        await expect(Promise.resolve().then(() => make(seeded()).fit(withNaN(X, 'x2', 3), _labelsFor(type, y)))).rejects.toThrow(/x2/);
      });
    }

    check('config', 'is built by the config registry under its name and aliases', async () => {
      for (const name of [definition.name, ...(definition.aliases ?? [])]) {
        const config = configFromObject({ model: { __factory__: name, ...testCase.config } }, registry);
        const built = await config.component<Component>('model', 'estimator', () => true);
        if (definition.ctor) expect(built).toBeInstanceOf(definition.ctor);
        expect(built.estimatorType).toBe(type);
      }
    });
  });
}

function _labelsFor(type: string, y: Float64Array): Labels | undefined {
  if (type === 'classifier') return Array.from(y, (v) => `class-${'abc'[v]}`);
  return type === 'regressor' ? y : undefined;
}

async function _output(estimator: Component, X: Frame): Promise<unknown> {
  if (isTransformer(estimator)) {
    const Xt = await estimator.transform(X);
    return [...Xt.entries()].map(([name, column]) => [name, Array.from(column as ArrayLike<unknown>)]);
  }
  return Array.from((await (estimator as Estimator).predict(X)) as ArrayLike<unknown>);
}

function _mean(values: Labels): number {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += Number(values[i]);
  return sum / values.length;
}

function _accuracy(a: Labels, b: Labels): number {
  let hits = 0;
  for (let i = 0; i < a.length; i++) if (a[i] === b[i]) hits++;
  return hits / a.length;
}

// Params hold estimator instances in composites; compare their params instead of their objects.
function _comparable(params: Params): unknown {
  return JSON.parse(
    JSON.stringify(params, (_key, value) =>
      typeof value === 'object' && value !== null && typeof value.getParams === 'function' ? { [value.constructor.name]: _comparable(value.getParams()) } : value,
    ),
  );
}

const _CANDIDATES: readonly unknown[] = [3, 2, 0.5, 1, true, false, 'sqrt', 'entropy', 'ignore', 'median', 'first', 'passthrough'];
const _BAD: readonly unknown[] = ['__not_a_valid_value__', -1, 1.5, 0, { bad: true }];

/** A valid, non-default value of some param (scikit-learn's "set a param on the clone"), from the schema. */
function _altParam(definition: ComponentDefinition, base: Params): Params {
  const defaults = definition.params.safeParse(base);
  for (const key of _keys(definition.params)) {
    if (key === 'random_state') continue;
    for (const value of _CANDIDATES) {
      const parsed = definition.params.safeParse({ ...base, [key]: value });
      const current = defaults.success ? (defaults.data as Params)[key] : base[key];
      if (parsed.success && JSON.stringify(current) !== JSON.stringify(value)) return { [key]: value };
    }
  }
  return {};
}

/** A value the schema rejects for some param, reported on that param's path. */
function _badParam(definition: ComponentDefinition, base: Params): readonly [string, unknown] | undefined {
  for (const key of _keys(definition.params)) {
    for (const value of _BAD) {
      const parsed = definition.params.safeParse({ ...base, [key]: value });
      if (!parsed.success && parsed.error.issues.every((issue) => issue.path[0] === key)) return [key, value];
    }
  }
  return undefined;
}

function _keys(schema: z.ZodType): string[] {
  const shape = (schema as unknown as { shape?: Record<string, unknown> }).shape;
  return shape === undefined ? [] : Object.keys(shape);
}

function _hasKey(schema: z.ZodType, key: string): boolean {
  return _keys(schema).includes(key);
}
