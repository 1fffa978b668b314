import { z } from 'zod';

const common = {
  learning_rate: z.number({ error: 'must be a number > 0' }).gt(0, { error: 'must be a number > 0' }).default(0.1),
  max_iter: z.int({ error: 'must be an int >= 1' }).min(1, { error: 'must be an int >= 1' }).default(100),
  max_leaf_nodes: z.int({ error: 'must be an int >= 2 or null' }).min(2, { error: 'must be an int >= 2 or null' }).nullable().default(31),
  max_depth: z.int({ error: 'must be an int >= 1 or null' }).min(1, { error: 'must be an int >= 1 or null' }).nullable().default(null),
  min_samples_leaf: z.int({ error: 'must be an int >= 1' }).min(1, { error: 'must be an int >= 1' }).default(20),
  l2_regularization: z.number({ error: 'must be a number >= 0' }).min(0, { error: 'must be a number >= 0' }).default(0),
  max_bins: z.int({ error: 'must be an int in [2, 255]' }).min(2, { error: 'must be an int in [2, 255]' }).max(255, { error: 'must be an int in [2, 255]' }).default(255),
  early_stopping: z.union([z.literal('auto'), z.boolean()], { error: "must be 'auto', true or false" }).default('auto'),
  scoring: z.literal('loss', { error: "must be 'loss' (other scorers are not implemented)" }).default('loss'),
  validation_fraction: z
    .union([z.int().min(1), z.number().gt(0).lt(1)], { error: 'must be null, an int >= 1 or a float in (0, 1)' })
    .nullable()
    .default(0.1),
  n_iter_no_change: z.int({ error: 'must be an int >= 1' }).min(1, { error: 'must be an int >= 1' }).default(10),
  tol: z.number({ error: 'must be a number >= 0' }).min(0, { error: 'must be a number >= 0' }).default(1e-7),
  verbose: z.int({ error: 'must be an int >= 0' }).min(0).default(0),
  random_state: z.int({ error: 'must be an int or null' }).nullable().default(null),
  // Not a scikit-learn parameter (it uses OpenMP threads): threads for histogram building, as forests' n_jobs.
  n_jobs: z
    .int({ error: 'must be null, -1 (all cores) or an int >= 1' })
    .refine((v) => v !== 0 && v >= -1, { error: 'must be null, -1 (all cores) or an int >= 1' })
    .nullable()
    .default(null),
};

/**
 * Hyper-parameters of {@link HistGradientBoostingClassifier}, scikit-learn 1.2's names and defaults
 * (no categorical_features, monotonic_cst, interaction_cst, warm_start or class_weight).
 * @example
 * histGradientBoostingClassifierParams.parse({}).max_leaf_nodes; // 31
 */
export const histGradientBoostingClassifierParams = z.object({ ...common, loss: z.literal('log_loss', { error: "must be 'log_loss'" }).default('log_loss') }).strict();

/**
 * Hyper-parameters of {@link HistGradientBoostingRegressor} (loss `squared_error` only).
 * @example
 * histGradientBoostingRegressorParams.parse({}).loss; // 'squared_error'
 */
export const histGradientBoostingRegressorParams = z
  .object({
    ...common,
    loss: z.literal('squared_error', { error: "must be 'squared_error' (absolute_error, gamma, poisson and quantile are not implemented)" }).default('squared_error'),
  })
  .strict();

/**
 * Parsed parameters of either histogram gradient boosting estimator.
 * @example
 * const params: HistGradientBoostingParams = histGradientBoostingRegressorParams.parse({});
 */
export type HistGradientBoostingParams = z.infer<typeof histGradientBoostingClassifierParams> | z.infer<typeof histGradientBoostingRegressorParams>;
