import { PldError } from '../../errors.js';
import { argsortColumns } from '../tree/cart.js';
import { resolveLimits, resolveMaxFeatures } from '../tree/fit-helpers.js';
import { rowMajorFloat32 } from '../tree/float32-rows.js';
import { mulberry32 } from '../tree/prng.js';
import type { TreeArrays } from '../tree/tree-arrays.js';
import type { ForestJob } from './forest-core.js';
import type { ForestClassifierParams, ForestRegressorParams } from './forest-params.js';

/**
 * Fitted state shared by every forest: the trees (plain typed arrays) and the averaged importances.
 * @example
 * state.trees.length; // n_estimators
 */
export interface ForestState {
  trees: TreeArrays[];
  nFeatures: number;
  featureImportances: Float64Array;
  /** Out-of-bag accuracy or R² when `oob_score` was set, else null. */
  oobScore: number | null;
}

/**
 * The growth job of a forest from its validated params: per-tree seeds drawn up front from
 * `random_state`, and what all trees share: for the best splitter one presort of every column, for the random
 * splitter (which sorts nothing) the features as float32 rows.
 * @example
 * const job = buildForestJob(params, columns, target, 'RandomForestClassifier', 'best');
 */
export function buildForestJob(
  params: ForestClassifierParams | ForestRegressorParams,
  columns: readonly Float64Array[],
  target: ForestJob['target'],
  owner: string,
  splitter: 'best' | 'random',
): ForestJob {
  const n = target.y.length;
  if (!params.bootstrap && params.max_samples !== null) {
    throw new PldError('PLD_ERR_ESTIMATOR_INVALID_PARAM', `${owner}: max_samples: can only be set when bootstrap is true, got ${params.max_samples}`, {
      details: { params: ['max_samples'] },
    });
  }
  if (!params.bootstrap && params.oob_score) {
    throw new PldError('PLD_ERR_ESTIMATOR_INVALID_PARAM', `${owner}: oob_score: needs bootstrap true, got oob_score true with bootstrap false`, {
      details: { params: ['oob_score'] },
    });
  }
  const seedRandom = mulberry32(params.random_state);
  const seeds = new Uint32Array(params.n_estimators);
  for (let t = 0; t < seeds.length; t++) seeds[t] = Math.floor(seedRandom() * 0x1_0000_0000);
  return {
    target,
    columns,
    presorted: splitter === 'best' ? argsortColumns(columns) : undefined,
    rows: splitter === 'random' ? rowMajorFloat32(columns) : undefined,
    options: {
      ...resolveLimits(params, n),
      criterion: params.criterion === 'log_loss' ? 'entropy' : params.criterion,
      splitter,
      maxFeatures: resolveMaxFeatures(params.max_features, columns.length, owner),
      minImpurityDecrease: params.min_impurity_decrease,
      maxLeafNodes: params.max_leaf_nodes,
    },
    bootstrap: params.bootstrap,
    nBootstrap: _nBootstrap(params.max_samples, n, owner),
    seeds,
  };
}

/**
 * scikit-learn's forest feature_importances_: the mean of the trees' normalized importances, renormalized.
 * @example
 * meanImportances(trees, 4);
 */
export function meanImportances(trees: readonly TreeArrays[], nFeatures: number): Float64Array {
  const out = new Float64Array(nFeatures);
  let count = 0;
  for (const tree of trees) {
    // Single-leaf trees have no importances; scikit-learn leaves them out of the mean.
    if (tree.nodeCount <= 1) continue;
    count++;
    for (let f = 0; f < nFeatures; f++) out[f] += tree.featureImportances[f];
  }
  let total = 0;
  for (let f = 0; f < nFeatures; f++) total += out[f];
  for (let f = 0; f < nFeatures; f++) out[f] = count === 0 || total === 0 ? 0 : out[f] / total;
  return out;
}

function _nBootstrap(maxSamples: number | null, n: number, owner: string): number {
  if (maxSamples === null) return n;
  if (Number.isInteger(maxSamples) && maxSamples > 1) {
    if (maxSamples > n)
      throw new PldError('PLD_ERR_ESTIMATOR_INVALID_PARAM', `${owner}: max_samples: must be <= the number of samples (${n}), got ${maxSamples}`, {
        details: { params: ['max_samples'] },
      });
    return maxSamples;
  }
  return Math.max(1, Math.round(n * maxSamples));
}
