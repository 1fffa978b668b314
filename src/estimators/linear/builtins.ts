import type { ComponentDefinition } from '../../config/registry.js';
import { Lasso } from './lasso.js';
import { LinearRegression, Ridge } from './linear-regression.js';
import { LogisticRegression } from './logistic-regression.js';
import {
  type LassoParams,
  type LinearRegressionParams,
  type LogisticRegressionParams,
  lassoParams,
  linearRegressionParams,
  logisticRegressionParams,
  type RidgeParams,
  ridgeParams,
} from './params.js';

/**
 * The linear models, for the config registry: scikit-learn class names, `sklearn.linear_model.*` aliases.
 * @example
 * for (const definition of linearEstimators) registry.register(definition);
 */
export const linearEstimators: ComponentDefinition[] = [
  {
    name: 'LogisticRegression',
    aliases: ['sklearn.linear_model.LogisticRegression'],
    kind: 'estimator',
    params: logisticRegressionParams,
    ctor: LogisticRegression,
    create: (params: LogisticRegressionParams) => new LogisticRegression(params),
    summary: 'Logistic regression (binary or multinomial), L2 penalty, L-BFGS solver, scikit-learn parameters.',
  } satisfies ComponentDefinition<LogisticRegression, LogisticRegressionParams> as ComponentDefinition,
  {
    name: 'LinearRegression',
    aliases: ['sklearn.linear_model.LinearRegression'],
    kind: 'estimator',
    params: linearRegressionParams,
    ctor: LinearRegression,
    create: (params: LinearRegressionParams) => new LinearRegression(params),
    summary: 'Ordinary least squares (centred normal equations, Cholesky; minimum-norm for collinear features).',
  } satisfies ComponentDefinition<LinearRegression, LinearRegressionParams> as ComponentDefinition,
  {
    name: 'Ridge',
    aliases: ['sklearn.linear_model.Ridge'],
    kind: 'estimator',
    params: ridgeParams,
    ctor: Ridge,
    create: (params: RidgeParams) => new Ridge(params),
    summary: 'Ridge regression (L2-penalised least squares, closed form).',
  } satisfies ComponentDefinition<Ridge, RidgeParams> as ComponentDefinition,
  {
    name: 'Lasso',
    aliases: ['sklearn.linear_model.Lasso'],
    kind: 'estimator',
    params: lassoParams,
    ctor: Lasso,
    create: (params: LassoParams) => new Lasso(params),
    summary: 'Lasso (L1-penalised least squares, coordinate descent with a duality-gap stop).',
  } satisfies ComponentDefinition<Lasso, LassoParams> as ComponentDefinition,
];
