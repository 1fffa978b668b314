import type { ComponentDefinition } from '../../config/registry.js';
import { ExtraTreesClassifier, RandomForestClassifier } from './forest-classifier.js';
import {
  extraTreesClassifierParams,
  extraTreesRegressorParams,
  type ForestClassifierParams,
  type ForestRegressorParams,
  randomForestClassifierParams,
  randomForestRegressorParams,
} from './forest-params.js';
import { ExtraTreesRegressor, RandomForestRegressor } from './forest-regressor.js';
import { type HistGradientBoostingParams, histGradientBoostingClassifierParams, histGradientBoostingRegressorParams } from './hgb-params.js';
import { HistGradientBoostingClassifier, HistGradientBoostingRegressor } from './hist-gradient-boosting.js';

/**
 * The ensemble estimators, for the config registry: scikit-learn class names with `sklearn.ensemble.*` aliases.
 * @example
 * for (const definition of ensembleEstimators) registry.register(definition);
 */
export const ensembleEstimators: ComponentDefinition[] = [
  {
    name: 'RandomForestClassifier',
    aliases: ['sklearn.ensemble.RandomForestClassifier'],
    kind: 'estimator',
    params: randomForestClassifierParams,
    ctor: RandomForestClassifier,
    create: (params: ForestClassifierParams) => new RandomForestClassifier(params),
    summary: 'Random forest of bootstrapped CART classifiers; n_jobs fits trees on worker threads.',
  } satisfies ComponentDefinition<RandomForestClassifier, ForestClassifierParams> as ComponentDefinition,
  {
    name: 'ExtraTreesClassifier',
    aliases: ['sklearn.ensemble.ExtraTreesClassifier'],
    kind: 'estimator',
    params: extraTreesClassifierParams,
    ctor: ExtraTreesClassifier,
    create: (params: ForestClassifierParams) => new ExtraTreesClassifier(params),
    summary: 'Extremely randomized trees classifier (random thresholds); n_jobs fits trees on worker threads.',
  } satisfies ComponentDefinition<ExtraTreesClassifier, ForestClassifierParams> as ComponentDefinition,
  {
    name: 'RandomForestRegressor',
    aliases: ['sklearn.ensemble.RandomForestRegressor'],
    kind: 'estimator',
    params: randomForestRegressorParams,
    ctor: RandomForestRegressor,
    create: (params: ForestRegressorParams) => new RandomForestRegressor(params),
    summary: 'Random forest of bootstrapped CART regressors; n_jobs fits trees on worker threads.',
  } satisfies ComponentDefinition<RandomForestRegressor, ForestRegressorParams> as ComponentDefinition,
  {
    name: 'ExtraTreesRegressor',
    aliases: ['sklearn.ensemble.ExtraTreesRegressor'],
    kind: 'estimator',
    params: extraTreesRegressorParams,
    ctor: ExtraTreesRegressor,
    create: (params: ForestRegressorParams) => new ExtraTreesRegressor(params),
    summary: 'Extremely randomized trees regressor (random thresholds); n_jobs fits trees on worker threads.',
  } satisfies ComponentDefinition<ExtraTreesRegressor, ForestRegressorParams> as ComponentDefinition,
  {
    name: 'HistGradientBoostingClassifier',
    aliases: ['sklearn.ensemble.HistGradientBoostingClassifier'],
    kind: 'estimator',
    params: histGradientBoostingClassifierParams,
    ctor: HistGradientBoostingClassifier,
    create: (params: HistGradientBoostingParams) => new HistGradientBoostingClassifier(params),
    summary: 'Histogram-based gradient boosting classifier (binned features, leaf-wise trees, log loss, early stopping).',
  } satisfies ComponentDefinition<HistGradientBoostingClassifier, HistGradientBoostingParams> as ComponentDefinition,
  {
    name: 'HistGradientBoostingRegressor',
    aliases: ['sklearn.ensemble.HistGradientBoostingRegressor'],
    kind: 'estimator',
    params: histGradientBoostingRegressorParams,
    ctor: HistGradientBoostingRegressor,
    create: (params: HistGradientBoostingParams) => new HistGradientBoostingRegressor(params),
    summary: 'Histogram-based gradient boosting regressor (binned features, leaf-wise trees, squared error, early stopping).',
  } satisfies ComponentDefinition<HistGradientBoostingRegressor, HistGradientBoostingParams> as ComponentDefinition,
];
