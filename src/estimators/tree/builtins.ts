import type { ComponentDefinition } from '../../config/registry.js';
import { DecisionTreeClassifier } from './decision-tree-classifier.js';
import { DecisionTreeRegressor } from './decision-tree-regressor.js';
import { type DecisionTreeClassifierParams, decisionTreeClassifierParams } from './params.js';
import { type DecisionTreeRegressorParams, decisionTreeRegressorParams } from './regressor-params.js';

/**
 * The tree estimators, for the config registry: short names with scikit-learn dotted aliases.
 * The registry validates config params with each `params` schema and hands the parsed result to `create`.
 * @example
 * for (const definition of treeEstimators) registry.register(definition);
 */
export const treeEstimators: ComponentDefinition[] = [
  {
    name: 'DecisionTreeClassifier',
    aliases: ['sklearn.tree.DecisionTreeClassifier'],
    kind: 'estimator',
    params: decisionTreeClassifierParams,
    ctor: DecisionTreeClassifier,
    create: (params: DecisionTreeClassifierParams) => new DecisionTreeClassifier(params),
    summary: 'CART decision tree classifier (gini/entropy, depth/leaf limits, best-first growth), scikit-learn parameters.',
  } satisfies ComponentDefinition<DecisionTreeClassifier, DecisionTreeClassifierParams> as ComponentDefinition,
  {
    name: 'DecisionTreeRegressor',
    aliases: ['sklearn.tree.DecisionTreeRegressor'],
    kind: 'estimator',
    params: decisionTreeRegressorParams,
    ctor: DecisionTreeRegressor,
    create: (params: DecisionTreeRegressorParams) => new DecisionTreeRegressor(params),
    summary: 'CART regression tree (squared_error/friedman_mse, depth/leaf limits, best-first growth), scikit-learn parameters.',
  } satisfies ComponentDefinition<DecisionTreeRegressor, DecisionTreeRegressorParams> as ComponentDefinition,
];
