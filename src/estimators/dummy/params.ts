import { z } from 'zod';

/**
 * Hyper-parameters of {@link DummyClassifier}, with scikit-learn's names and defaults.
 * @example
 * dummyClassifierParams.parse({}).strategy; // 'prior'
 */
export const dummyClassifierParams = z
  .object({
    strategy: z
      .enum(['most_frequent', 'prior', 'stratified', 'uniform', 'constant'], {
        error: "must be one of 'most_frequent', 'prior', 'stratified', 'uniform', 'constant'",
      })
      .default('prior'),
    random_state: z.int({ error: 'must be an int or null' }).nullable().default(null),
    constant: z.union([z.string(), z.number()], { error: 'must be null, a string or a number' }).nullable().default(null),
  })
  .strict();

/**
 * Parsed parameters of {@link DummyClassifier}.
 * @example
 * const params: DummyClassifierParams = dummyClassifierParams.parse({ strategy: 'uniform' });
 */
export type DummyClassifierParams = z.infer<typeof dummyClassifierParams>;

/**
 * Hyper-parameters of {@link DummyRegressor}, with scikit-learn's names and defaults.
 * @example
 * dummyRegressorParams.parse({ strategy: 'quantile', quantile: 0.9 }).quantile; // 0.9
 */
export const dummyRegressorParams = z
  .object({
    strategy: z.enum(['mean', 'median', 'quantile', 'constant'], { error: "must be one of 'mean', 'median', 'quantile', 'constant'" }).default('mean'),
    constant: z.number({ error: 'must be null or a number' }).nullable().default(null),
    quantile: z
      .number({ error: 'must be null or a number in [0, 1]' })
      .min(0, { error: 'must be null or a number in [0, 1]' })
      .max(1, { error: 'must be null or a number in [0, 1]' })
      .nullable()
      .default(null),
  })
  .strict();

/**
 * Parsed parameters of {@link DummyRegressor}.
 * @example
 * const params: DummyRegressorParams = dummyRegressorParams.parse({});
 */
export type DummyRegressorParams = z.infer<typeof dummyRegressorParams>;
