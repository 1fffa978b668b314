import { z } from 'zod';

/**
 * Hyper-parameters of {@link KNeighborsClassifier} and {@link KNeighborsRegressor}, with scikit-learn's
 * names and defaults. `algorithm: 'auto'` picks the KD-tree for at most 15 features and
 * `n_neighbors` below half the rows, brute force otherwise (scikit-learn's rule); the metric is
 * Minkowski with any `p` ≥ 1 (2 Euclidean, 1 Manhattan).
 * @example
 * kNeighborsParams.parse({ n_neighbors: 3 }).weights; // 'uniform'
 */
export const kNeighborsParams = z
  .object({
    n_neighbors: z.int({ error: 'must be an int >= 1' }).min(1, { error: 'must be an int >= 1' }).default(5),
    weights: z.enum(['uniform', 'distance'], { error: "must be 'uniform' or 'distance'" }).default('uniform'),
    algorithm: z.enum(['auto', 'kd_tree', 'brute'], { error: "must be 'auto', 'kd_tree' or 'brute'" }).default('auto'),
    leaf_size: z.int({ error: 'must be an int >= 1' }).min(1, { error: 'must be an int >= 1' }).default(30),
    p: z.number({ error: 'must be a number >= 1' }).min(1, { error: 'must be a number >= 1' }).default(2),
    metric: z.enum(['minkowski'], { error: "must be 'minkowski'" }).default('minkowski'),
  })
  .strict();

/**
 * Parsed parameters of the k-nearest-neighbours estimators.
 * @example
 * const params: KNeighborsParams = kNeighborsParams.parse({});
 */
export type KNeighborsParams = z.infer<typeof kNeighborsParams>;
