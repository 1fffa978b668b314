import { z } from 'zod';

const _priors = z
  .array(z.number({ error: 'must be an array of numbers >= 0' }).min(0, { error: 'must be an array of numbers >= 0' }), { error: 'must be null or an array of numbers >= 0' })
  .nullable()
  .default(null);

/**
 * Hyper-parameters of {@link GaussianNB}: `priors` (one per class, summing to 1; null = class shares)
 * and `var_smoothing` (a share of the largest feature variance added to every variance).
 * @example
 * gaussianNBParams.parse({}).var_smoothing; // 1e-9
 */
export const gaussianNBParams = z
  .object({
    priors: _priors,
    var_smoothing: z.number({ error: 'must be a number >= 0' }).min(0, { error: 'must be a number >= 0' }).default(1e-9),
  })
  .strict();

/**
 * Parsed parameters of {@link GaussianNB}.
 * @example
 * const params: GaussianNBParams = gaussianNBParams.parse({});
 */
export type GaussianNBParams = z.infer<typeof gaussianNBParams>;

/**
 * Hyper-parameters of {@link MultinomialNB}: additive smoothing `alpha` (raised to 1e-10 unless
 * `force_alpha`), `fit_prior` and `class_prior`, as scikit-learn's.
 * @example
 * multinomialNBParams.parse({}).alpha; // 1
 */
export const multinomialNBParams = z
  .object({
    alpha: z.number({ error: 'must be a number >= 0' }).min(0, { error: 'must be a number >= 0' }).default(1),
    force_alpha: z.boolean({ error: 'must be true or false' }).default(false),
    fit_prior: z.boolean({ error: 'must be true or false' }).default(true),
    class_prior: _priors,
  })
  .strict();

/**
 * Parsed parameters of {@link MultinomialNB}.
 * @example
 * const params: MultinomialNBParams = multinomialNBParams.parse({ alpha: 0.5 });
 */
export type MultinomialNBParams = z.infer<typeof multinomialNBParams>;
