import { z } from 'zod';

/**
 * Hyper-parameters of {@link DecisionTreeClassifier}, with scikit-learn's names and defaults.
 *
 * JSON has no int/float distinction, so a whole number is read as a count and a fraction as a share:
 * `min_samples_split: 1` means "a share of 1.0" (scikit-learn rejects the int 1), and `max_features: 1`
 * means one feature (a share of 1.0 is `null`, all features).
 * @example
 * decisionTreeClassifierParams.parse({ max_depth: 3 }).criterion; // 'gini'
 */
export const decisionTreeClassifierParams = z
  .object({
    criterion: z.enum(['gini', 'entropy', 'log_loss'], { error: "must be one of 'gini', 'entropy', 'log_loss'" }).default('gini'),
    splitter: z.enum(['best', 'random'], { error: "must be 'best' or 'random'" }).default('best'),
    max_depth: z.int({ error: 'must be an int >= 1 or null' }).min(1, { error: 'must be an int >= 1 or null' }).nullable().default(null),
    min_samples_split: z.union([z.int().min(2), z.number().gt(0).lte(1)], { error: 'must be an int >= 2 or a float in (0, 1]' }).default(2),
    min_samples_leaf: z.union([z.int().min(1), z.number().gt(0).lt(0.5)], { error: 'must be an int >= 1 or a float in (0, 0.5)' }).default(1),
    max_features: z
      .union([z.enum(['sqrt', 'log2']), z.int().min(1), z.number().gt(0).lte(1)], {
        error: "must be null, 'sqrt', 'log2', an int >= 1 or a float in (0, 1]",
      })
      .nullable()
      .default(null),
    random_state: z.int({ error: 'must be an int or null' }).nullable().default(null),
    min_impurity_decrease: z.number({ error: 'must be a number >= 0' }).min(0, { error: 'must be a number >= 0' }).default(0),
    max_leaf_nodes: z.int({ error: 'must be an int >= 2 or null' }).min(2, { error: 'must be an int >= 2 or null' }).nullable().default(null),
    class_weight: z
      .union([z.literal('balanced'), z.record(z.string(), z.number().positive())], {
        error: "must be null, 'balanced' or an object mapping class labels to weights > 0",
      })
      .nullable()
      .default(null),
  })
  .strict();

/**
 * Parsed (defaults filled in) parameters of {@link DecisionTreeClassifier}.
 * @example
 * const params: DecisionTreeClassifierParams = decisionTreeClassifierParams.parse({});
 */
export type DecisionTreeClassifierParams = z.infer<typeof decisionTreeClassifierParams>;
