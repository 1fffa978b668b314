import type { ComponentDefinition } from '../../config/registry.js';
import { DummyClassifier } from './dummy-classifier.js';
import { DummyRegressor } from './dummy-regressor.js';
import { type DummyClassifierParams, type DummyRegressorParams, dummyClassifierParams, dummyRegressorParams } from './params.js';

/**
 * The baseline estimators, for the config registry, with `sklearn.dummy.*` aliases.
 * @example
 * for (const definition of dummyEstimators) registry.register(definition);
 */
export const dummyEstimators: ComponentDefinition[] = [
  {
    name: 'DummyClassifier',
    aliases: ['sklearn.dummy.DummyClassifier'],
    kind: 'estimator',
    params: dummyClassifierParams,
    ctor: DummyClassifier,
    create: (params: DummyClassifierParams) => new DummyClassifier(params),
    summary: 'Baseline classifier ignoring the features (prior, most_frequent, stratified, uniform, constant).',
  } satisfies ComponentDefinition<DummyClassifier, DummyClassifierParams> as ComponentDefinition,
  {
    name: 'DummyRegressor',
    aliases: ['sklearn.dummy.DummyRegressor'],
    kind: 'estimator',
    params: dummyRegressorParams,
    ctor: DummyRegressor,
    create: (params: DummyRegressorParams) => new DummyRegressor(params),
    summary: 'Baseline regressor ignoring the features (mean, median, quantile, constant).',
  } satisfies ComponentDefinition<DummyRegressor, DummyRegressorParams> as ComponentDefinition,
];
