import { z } from 'zod';

const _classWeight = z
  .union([z.literal('balanced'), z.record(z.string(), z.number().positive())], {
    error: "must be null, 'balanced' or an object mapping class labels to weights > 0",
  })
  .nullable()
  .default(null);

/**
 * Hyper-parameters of {@link SVC}, with scikit-learn's names and defaults. `max_iter: -1` means no
 * limit (libsvm still stops at max(10⁷, 100·n) iterations); `cache_size` is in MB, as in scikit-learn.
 * `decision_function_shape` and `break_ties` only shape a decision function this port does not expose,
 * so they are not accepted.
 * @example
 * svcParams.parse({}).gamma; // 'scale'
 */
export const svcParams = z
  .object({
    C: z.number({ error: 'must be a number > 0' }).gt(0, { error: 'must be a number > 0' }).default(1),
    kernel: z.enum(['linear', 'rbf', 'poly', 'sigmoid'], { error: "must be 'linear', 'rbf', 'poly' or 'sigmoid'" }).default('rbf'),
    degree: z.int({ error: 'must be an int >= 0' }).min(0, { error: 'must be an int >= 0' }).default(3),
    gamma: z.union([z.enum(['scale', 'auto']), z.number().min(0)], { error: "must be 'scale', 'auto' or a number >= 0" }).default('scale'),
    coef0: z.number({ error: 'must be a number' }).default(0),
    shrinking: z.boolean({ error: 'must be true or false' }).default(true),
    probability: z.boolean({ error: 'must be true or false' }).default(false),
    tol: z.number({ error: 'must be a number > 0' }).gt(0, { error: 'must be a number > 0' }).default(1e-3),
    cache_size: z.number({ error: 'must be a number > 0 (MB)' }).gt(0, { error: 'must be a number > 0 (MB)' }).default(200),
    class_weight: _classWeight,
    max_iter: z
      .int({ error: 'must be an int >= 1, or -1 for no limit' })
      .refine((v) => v === -1 || v >= 1, { error: 'must be an int >= 1, or -1 for no limit' })
      .default(-1),
    random_state: z.int({ error: 'must be an int >= 0 or null' }).min(0, { error: 'must be an int >= 0 or null' }).nullable().default(null),
  })
  .strict();

/**
 * Parsed parameters of {@link SVC}.
 * @example
 * const params: SVCParams = svcParams.parse({ C: 10, kernel: 'linear' });
 */
export type SVCParams = z.infer<typeof svcParams>;
