import { z } from 'zod';
import { decisionTreeClassifierParams } from './params.js';

const shape = decisionTreeClassifierParams.shape;

/**
 * The split criteria of the regression trees. scikit-learn's `absolute_error` and `poisson` are not
 * implemented: the schema rejects them by name.
 */
export const regressionCriterion = z.enum(['squared_error', 'friedman_mse'], {
  error: "must be 'squared_error' or 'friedman_mse' (absolute_error and poisson are not implemented)",
});

/**
 * Hyper-parameters of {@link DecisionTreeRegressor}: the classifier's growth controls with a regression
 * criterion and no class weights, scikit-learn's defaults.
 * @example
 * decisionTreeRegressorParams.parse({}).criterion; // 'squared_error'
 */
export const decisionTreeRegressorParams = z
  .object({
    criterion: regressionCriterion.default('squared_error'),
    splitter: shape.splitter,
    max_depth: shape.max_depth,
    min_samples_split: shape.min_samples_split,
    min_samples_leaf: shape.min_samples_leaf,
    max_features: shape.max_features,
    random_state: shape.random_state,
    min_impurity_decrease: shape.min_impurity_decrease,
    max_leaf_nodes: shape.max_leaf_nodes,
  })
  .strict();

/**
 * Parsed parameters of {@link DecisionTreeRegressor}.
 * @example
 * const params: DecisionTreeRegressorParams = decisionTreeRegressorParams.parse({ max_depth: 4 });
 */
export type DecisionTreeRegressorParams = z.infer<typeof decisionTreeRegressorParams>;
