import { z } from 'zod';

const _classWeight = z
  .union([z.literal('balanced'), z.record(z.string(), z.number().positive())], {
    error: "must be null, 'balanced' or an object mapping class labels to weights > 0",
  })
  .nullable()
  .default(null);
const _positive = (what: string) => z.number({ error: `must be a number ${what}` });

/**
 * Hyper-parameters of {@link LogisticRegression}, with scikit-learn's names and defaults (only the
 * 'lbfgs' solver and the 'l2'/null penalties are implemented; `multi_class: 'auto'` means binary
 * logistic for two classes and multinomial for more).
 * @example
 * logisticRegressionParams.parse({}).C; // 1
 */
export const logisticRegressionParams = z
  .object({
    penalty: z.enum(['l2'], { error: "must be 'l2' or null (only the 'lbfgs' solver is implemented)" }).nullable().default('l2'),
    C: _positive('> 0').gt(0, { error: 'must be a number > 0' }).default(1),
    fit_intercept: z.boolean({ error: 'must be true or false' }).default(true),
    max_iter: z.int({ error: 'must be an int >= 0' }).min(0, { error: 'must be an int >= 0' }).default(100),
    tol: _positive('>= 0').min(0, { error: 'must be a number >= 0' }).default(1e-4),
    solver: z.enum(['lbfgs'], { error: "must be 'lbfgs' (the only solver implemented)" }).default('lbfgs'),
    multi_class: z.enum(['auto'], { error: "must be 'auto'" }).default('auto'),
    class_weight: _classWeight,
  })
  .strict();

/**
 * Parsed parameters of {@link LogisticRegression}.
 * @example
 * const params: LogisticRegressionParams = logisticRegressionParams.parse({ C: 0.5 });
 */
export type LogisticRegressionParams = z.infer<typeof logisticRegressionParams>;

/**
 * Hyper-parameters of {@link LinearRegression} (scikit-learn's `fit_intercept`, `positive: false` only).
 * @example
 * linearRegressionParams.parse({}).fit_intercept; // true
 */
export const linearRegressionParams = z
  .object({
    fit_intercept: z.boolean({ error: 'must be true or false' }).default(true),
    positive: z.literal(false, { error: 'must be false (non-negative least squares is not implemented)' }).default(false),
  })
  .strict();

/**
 * Parsed parameters of {@link LinearRegression}.
 * @example
 * const params: LinearRegressionParams = linearRegressionParams.parse({});
 */
export type LinearRegressionParams = z.infer<typeof linearRegressionParams>;

/**
 * Hyper-parameters of {@link Ridge}: `alpha` (1.0) scales the L2 penalty; solved in closed form
 * (scikit-learn's 'cholesky'; `solver: 'auto'` picks it for dense data too).
 * @example
 * ridgeParams.parse({ alpha: 10 }).solver; // 'auto'
 */
export const ridgeParams = z
  .object({
    alpha: _positive('>= 0').min(0, { error: 'must be a number >= 0' }).default(1),
    fit_intercept: z.boolean({ error: 'must be true or false' }).default(true),
    solver: z.enum(['auto', 'cholesky'], { error: "must be 'auto' or 'cholesky'" }).default('auto'),
  })
  .strict();

/**
 * Parsed parameters of {@link Ridge}.
 * @example
 * const params: RidgeParams = ridgeParams.parse({});
 */
export type RidgeParams = z.infer<typeof ridgeParams>;

/**
 * Hyper-parameters of {@link Lasso}: minimises 1/(2n)·‖y − Xw − b‖² + alpha·‖w‖₁ by cyclic coordinate
 * descent, stopping when the duality gap falls below `tol`·‖y − ȳ‖² (scikit-learn's rule).
 * @example
 * lassoParams.parse({ alpha: 0.1 }).max_iter; // 1000
 */
export const lassoParams = z
  .object({
    alpha: _positive('>= 0').min(0, { error: 'must be a number >= 0' }).default(1),
    fit_intercept: z.boolean({ error: 'must be true or false' }).default(true),
    max_iter: z.int({ error: 'must be an int >= 1' }).min(1, { error: 'must be an int >= 1' }).default(1000),
    tol: _positive('>= 0').min(0, { error: 'must be a number >= 0' }).default(1e-4),
    positive: z.boolean({ error: 'must be true or false' }).default(false),
  })
  .strict();

/**
 * Parsed parameters of {@link Lasso}.
 * @example
 * const params: LassoParams = lassoParams.parse({});
 */
export type LassoParams = z.infer<typeof lassoParams>;
