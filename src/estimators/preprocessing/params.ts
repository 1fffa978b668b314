import { z } from 'zod';

/** One category value: text, a number, or `null` for "missing" (NaN in numeric columns). */
const category = z.union([z.string(), z.number(), z.null()]);
const categories = z.union([z.literal('auto'), z.array(z.array(category))], { error: "must be 'auto' or a list with one list of categories per column" }).default('auto');

/**
 * Hyper-parameters of {@link StandardScaler} (`copy` is accepted and ignored: transform never mutates).
 * @example
 * standardScalerParams.parse({}); // { copy: true, with_mean: true, with_std: true }
 */
export const standardScalerParams = z
  .object({
    copy: z.boolean({ error: 'must be true or false' }).default(true),
    with_mean: z.boolean({ error: 'must be true or false' }).default(true),
    with_std: z.boolean({ error: 'must be true or false' }).default(true),
  })
  .strict();
/** Parsed {@link standardScalerParams}. @example const p: StandardScalerParams = standardScalerParams.parse({}); */
export type StandardScalerParams = z.infer<typeof standardScalerParams>;

/**
 * Hyper-parameters of {@link MinMaxScaler}.
 * @example
 * minMaxScalerParams.parse({ feature_range: [-1, 1] }).clip; // false
 */
export const minMaxScalerParams = z
  .object({
    feature_range: z
      .tuple([z.number(), z.number()], { error: 'must be a pair [min, max] with min < max' })
      .refine(([low, high]) => low < high, { error: 'must be a pair [min, max] with min < max' })
      .default([0, 1]),
    copy: z.boolean({ error: 'must be true or false' }).default(true),
    clip: z.boolean({ error: 'must be true or false' }).default(false),
  })
  .strict();
/** Parsed {@link minMaxScalerParams}. @example const p: MinMaxScalerParams = minMaxScalerParams.parse({}); */
export type MinMaxScalerParams = z.infer<typeof minMaxScalerParams>;

/**
 * Hyper-parameters of {@link OneHotEncoder}. Output is always dense, so `sparse_output` defaults to
 * (and only accepts) `false`, unlike scikit-learn's default `true`.
 * @example
 * oneHotEncoderParams.parse({ handle_unknown: 'ignore' }).drop; // null
 */
export const oneHotEncoderParams = z
  .object({
    categories,
    drop: z
      .union([z.enum(['first', 'if_binary']), z.array(category)], { error: "must be null, 'first', 'if_binary' or a list with one category per column" })
      .nullable()
      .default(null),
    sparse_output: z.literal(false, { error: 'must be false: palladium-ts frames are dense' }).default(false),
    handle_unknown: z.enum(['error', 'ignore'], { error: "must be 'error' or 'ignore'" }).default('error'),
  })
  .strict();
/** Parsed {@link oneHotEncoderParams}. @example const p: OneHotEncoderParams = oneHotEncoderParams.parse({}); */
export type OneHotEncoderParams = z.infer<typeof oneHotEncoderParams>;

/**
 * Hyper-parameters of {@link OrdinalEncoder}; `null` stands for NaN in `unknown_value` and
 * `encoded_missing_value` (JSON has no NaN).
 * @example
 * ordinalEncoderParams.parse({ handle_unknown: 'use_encoded_value', unknown_value: -1 });
 */
export const ordinalEncoderParams = z
  .object({
    categories,
    handle_unknown: z.enum(['error', 'use_encoded_value'], { error: "must be 'error' or 'use_encoded_value'" }).default('error'),
    unknown_value: z.number({ error: 'must be a number, or null for NaN' }).nullable().default(null),
    encoded_missing_value: z.number({ error: 'must be a number, or null for NaN' }).nullable().default(null),
  })
  .strict();
/** Parsed {@link ordinalEncoderParams}. @example const p: OrdinalEncoderParams = ordinalEncoderParams.parse({}); */
export type OrdinalEncoderParams = z.infer<typeof ordinalEncoderParams>;

/**
 * Hyper-parameters of {@link SimpleImputer}. Missing means NaN in numeric columns and `null` in text
 * columns (scikit-learn's `missing_values=np.nan`); `copy` is accepted and ignored.
 * @example
 * simpleImputerParams.parse({ strategy: 'median' }).fill_value; // null
 */
export const simpleImputerParams = z
  .object({
    strategy: z.enum(['mean', 'median', 'most_frequent', 'constant'], { error: "must be one of 'mean', 'median', 'most_frequent', 'constant'" }).default('mean'),
    fill_value: z.union([z.string(), z.number()], { error: 'must be a string, a number or null' }).nullable().default(null),
    copy: z.boolean({ error: 'must be true or false' }).default(true),
  })
  .strict();
/** Parsed {@link simpleImputerParams}. @example const p: SimpleImputerParams = simpleImputerParams.parse({}); */
export type SimpleImputerParams = z.infer<typeof simpleImputerParams>;
