import { z } from 'zod';
import { decisionTreeClassifierParams } from '../tree/params.js';
import { regressionCriterion } from '../tree/regressor-params.js';

const tree = decisionTreeClassifierParams.shape;
const maxFeatures = z.union([z.enum(['sqrt', 'log2']), z.int().min(1), z.number().gt(0).lte(1)], {
  error: "must be null, 'sqrt', 'log2', an int >= 1 or a float in (0, 1]",
});

/** What every forest shares (scikit-learn's BaseForest parameters), minus the criterion and max_features defaults. */
const common = {
  n_estimators: z.int({ error: 'must be an int >= 1' }).min(1, { error: 'must be an int >= 1' }).default(100),
  max_depth: tree.max_depth,
  min_samples_split: tree.min_samples_split,
  min_samples_leaf: tree.min_samples_leaf,
  max_leaf_nodes: tree.max_leaf_nodes,
  min_impurity_decrease: tree.min_impurity_decrease,
  oob_score: z.boolean({ error: 'must be true or false' }).default(false),
  n_jobs: z
    .int({ error: 'must be null, -1 (all cores) or an int >= 1' })
    .refine((v) => v !== 0 && v >= -1, { error: 'must be null, -1 (all cores) or an int >= 1' })
    .nullable()
    .default(null),
  random_state: tree.random_state,
  verbose: z.int({ error: 'must be an int >= 0' }).min(0).default(0),
  max_samples: z
    .union([z.int().min(1), z.number().gt(0).lte(1)], { error: 'must be null, an int >= 1 or a float in (0, 1]' })
    .nullable()
    .default(null),
};

const classifier = { ...common, criterion: tree.criterion, max_features: maxFeatures.nullable().default('sqrt'), class_weight: tree.class_weight };
// scikit-learn's regressor default max_features=1.0 is "all features"; in JSON 1 would read as one feature, so the default is null.
const regressor = { ...common, criterion: regressionCriterion.default('squared_error'), max_features: maxFeatures.nullable().default(null) };

/**
 * Hyper-parameters of {@link RandomForestClassifier}, scikit-learn's names and defaults (`bootstrap: true`).
 * @example
 * randomForestClassifierParams.parse({}).n_estimators; // 100
 */
export const randomForestClassifierParams = z.object({ ...classifier, bootstrap: z.boolean({ error: 'must be true or false' }).default(true) }).strict();

/**
 * Hyper-parameters of {@link ExtraTreesClassifier}: as the random forest's, but `bootstrap: false` by default.
 * @example
 * extraTreesClassifierParams.parse({}).bootstrap; // false
 */
export const extraTreesClassifierParams = z.object({ ...classifier, bootstrap: z.boolean({ error: 'must be true or false' }).default(false) }).strict();

/**
 * Hyper-parameters of {@link RandomForestRegressor} (`max_features` null = all features, scikit-learn's 1.0).
 * @example
 * randomForestRegressorParams.parse({}).criterion; // 'squared_error'
 */
export const randomForestRegressorParams = z.object({ ...regressor, bootstrap: z.boolean({ error: 'must be true or false' }).default(true) }).strict();

/**
 * Hyper-parameters of {@link ExtraTreesRegressor}.
 * @example
 * extraTreesRegressorParams.parse({}).bootstrap; // false
 */
export const extraTreesRegressorParams = z.object({ ...regressor, bootstrap: z.boolean({ error: 'must be true or false' }).default(false) }).strict();

/**
 * Parsed parameters of the forest classifiers.
 * @example
 * const params: ForestClassifierParams = randomForestClassifierParams.parse({ n_estimators: 10 });
 */
export type ForestClassifierParams = z.infer<typeof randomForestClassifierParams>;

/**
 * Parsed parameters of the forest regressors.
 * @example
 * const params: ForestRegressorParams = randomForestRegressorParams.parse({ n_estimators: 10 });
 */
export type ForestRegressorParams = z.infer<typeof randomForestRegressorParams>;
