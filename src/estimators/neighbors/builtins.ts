import type { ComponentDefinition } from '../../config/registry.js';
import { KNeighborsClassifier, KNeighborsRegressor } from './k-neighbors.js';
import { type KNeighborsParams, kNeighborsParams } from './params.js';

/**
 * The nearest-neighbour estimators, for the config registry, with `sklearn.neighbors.*` aliases.
 * @example
 * for (const definition of neighborsEstimators) registry.register(definition);
 */
export const neighborsEstimators: ComponentDefinition[] = [
  {
    name: 'KNeighborsClassifier',
    aliases: ['sklearn.neighbors.KNeighborsClassifier'],
    kind: 'estimator',
    params: kNeighborsParams,
    ctor: KNeighborsClassifier,
    create: (params: KNeighborsParams) => new KNeighborsClassifier(params),
    summary: 'k-nearest-neighbours vote (uniform or distance weights; KD-tree or brute force; Minkowski p).',
  } satisfies ComponentDefinition<KNeighborsClassifier, KNeighborsParams> as ComponentDefinition,
  {
    name: 'KNeighborsRegressor',
    aliases: ['sklearn.neighbors.KNeighborsRegressor'],
    kind: 'estimator',
    params: kNeighborsParams,
    ctor: KNeighborsRegressor,
    create: (params: KNeighborsParams) => new KNeighborsRegressor(params),
    summary: 'k-nearest-neighbours regression (mean or inverse-distance weighted mean of the neighbours).',
  } satisfies ComponentDefinition<KNeighborsRegressor, KNeighborsParams> as ComponentDefinition,
];
