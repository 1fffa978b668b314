import { type CartOptions, growClassificationTree, growRegressionTree } from '../tree/cart.js';
import { mulberry32 } from '../tree/prng.js';
import { growRandomClassificationTree, growRandomRegressionTree } from '../tree/random-builder.js';
import type { TreeArrays } from '../tree/tree-arrays.js';

/**
 * Everything needed to grow any tree of a forest, as plain data so it can be posted to worker threads
 * once (the typed arrays may sit on SharedArrayBuffers). Tree `t` depends only on this and `seeds[t]`,
 * so a forest is identical whatever the number of threads.
 * @example
 * const job: ForestJob = { target: { kind: 'regression', y }, columns, presorted, options, bootstrap: true, nBootstrap: n, seeds };
 */
export interface ForestJob {
  readonly target:
    | { readonly kind: 'classification'; readonly y: Int32Array; readonly nClasses: number; readonly classWeight: Float64Array }
    | { readonly kind: 'regression'; readonly y: Float64Array };
  readonly columns: readonly Float64Array[];
  /** Per-column argsorts for the best splitter; undefined for the random one. */
  readonly presorted: readonly Int32Array[] | undefined;
  /** The features as float32 rows for the random splitter; undefined for the best one. */
  readonly rows: Float32Array | undefined;
  readonly options: Omit<CartOptions, 'random'>;
  readonly bootstrap: boolean;
  /** Draws per bootstrap sample (scikit-learn's max_samples resolved). */
  readonly nBootstrap: number;
  readonly seeds: Uint32Array;
}

/**
 * Grows tree `t` of the forest: the bootstrap draw (as sample-weight counts, like scikit-learn) and the
 * feature sampling both come from one PRNG seeded with `seeds[t]`.
 * @example
 * const tree = growForestTree(job, 0);
 */
export function growForestTree(job: ForestJob, t: number): TreeArrays {
  const random = mulberry32(job.seeds[t]);
  const n = job.target.y.length;
  const sampleWeight = job.bootstrap ? bootstrapCounts(random, n, job.nBootstrap) : undefined;
  const options: CartOptions = { ...job.options, random };
  const common = { columns: job.columns, presorted: job.presorted, rows: job.rows, sampleWeight };
  const sortFree = options.splitter === 'random';
  if (job.target.kind === 'classification') {
    const { y, nClasses, classWeight } = job.target;
    const input = { ...common, y, nClasses, classWeight };
    return sortFree ? growRandomClassificationTree(input, options) : growClassificationTree(input, options);
  }
  const input = { ...common, y: job.target.y };
  return sortFree ? growRandomRegressionTree(input, options) : growRegressionTree(input, options);
}

/**
 * How often each row is drawn in `draws` uniform draws with replacement.
 * @example
 * bootstrapCounts(mulberry32(1), 5, 5); // e.g. Float64Array [2, 0, 1, 1, 1]
 */
export function bootstrapCounts(random: () => number, n: number, draws: number): Float64Array {
  const counts = new Float64Array(n);
  for (let k = 0; k < draws; k++) counts[Math.floor(random() * n)]++;
  return counts;
}

/**
 * The rows tree `t` did not see (its out-of-bag rows), replaying its bootstrap draw from the seed.
 * @example
 * const oob = outOfBag(job, 3); // Uint8Array, 1 = out of bag
 */
export function outOfBag(job: Pick<ForestJob, 'seeds' | 'nBootstrap'>, n: number, t: number): Uint8Array {
  const counts = bootstrapCounts(mulberry32(job.seeds[t]), n, job.nBootstrap);
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = counts[i] === 0 ? 1 : 0;
  return out;
}
