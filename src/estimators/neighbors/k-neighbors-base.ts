import type { Frame } from '../../data/frame.js';
import { PldError } from '../../errors.js';
import { DenseEstimator, toRowMajor } from '../linear/dense-estimator.js';
import { bruteKneighborsL2 } from './brute-l2.js';
import { buildKdTree, type KdTree, queryKdTree, reducedDistance } from './kd-tree.js';
import { NeighborHeap } from './neighbor-heap.js';
import type { KNeighborsParams } from './params.js';

/**
 * The fitted search structure shared by the k-NN estimators: the training rows (row-major), and the
 * KD-tree when the algorithm chose one.
 * @example
 * const index: NeighborIndex = { data, nRows: 150, nFeatures: 4, method: 'kd_tree', tree };
 */
export interface NeighborIndex {
  data: Float64Array;
  nRows: number;
  nFeatures: number;
  method: 'kd_tree' | 'brute';
  tree?: KdTree;
}

/**
 * Neighbours of each query row, nearest first: row i's k entries start at i·k.
 * @example
 * const { distances, indices } = knn.kneighbors(X); indices[0]; // nearest training row of X's row 0
 */
export interface Neighbors {
  distances: Float64Array;
  indices: Int32Array;
  k: number;
}

/**
 * Base of the k-nearest-neighbours estimators: builds the index in fit and answers `kneighbors`.
 * @example
 * class Knn extends KNeighborsBase<State> { ... }
 */
export abstract class KNeighborsBase<S extends { index: NeighborIndex }> extends DenseEstimator<KNeighborsParams, S> {
  /** 'kd_tree' or 'brute': what `algorithm` resolved to in fit (scikit-learn's _fit_method). */
  get fitMethod(): 'kd_tree' | 'brute' {
    return this.fitted().index.method;
  }

  /** The `n_neighbors` (or `k`) nearest training rows of each row of X, with their distances. */
  kneighbors(X: Frame, k?: number): Neighbors {
    const { index } = this.fitted();
    const params = this.resolvedParams();
    const kk = k ?? params.n_neighbors;
    if (kk > index.nRows)
      throw new PldError('PLD_ERR_ESTIMATOR_INVALID_PARAM', `${this.constructor.name}: n_neighbors: must be <= the number of training rows (${index.nRows}), got ${kk}`, {
        details: { params: ['n_neighbors'] },
      });
    const m = X.nRows;
    const d = index.nFeatures;
    const queries = toRowMajor(this.finiteFeatures(X), m);
    const distances = new Float64Array(m * kk);
    const indices = new Int32Array(m * kk);
    const heap = new NeighborHeap(kk);
    const p = params.p;
    const scanned = !index.tree && p === 2 && bruteKneighborsL2(index, queries, m, kk, distances, indices);
    for (let i = 0; i < m && !scanned; i++) {
      if (index.tree) {
        queryKdTree(index.tree, d, p, queries, i * d, heap);
      } else {
        heap.reset();
        for (let t = 0; t < index.nRows; t++) {
          const dist = reducedDistance(index.data, t * d, queries, i * d, d, p);
          if (dist <= heap.worst()) heap.push(dist, t);
        }
      }
      heap.drainSorted(distances, indices, i * kk);
    }
    if (p === 2) for (let q = 0; q < distances.length; q++) distances[q] = Math.sqrt(distances[q]);
    else if (p !== 1) for (let q = 0; q < distances.length; q++) distances[q] = distances[q] ** (1 / p);
    return { distances, indices, k: kk };
  }

  /** The search index over the training rows, with the method `algorithm` resolves to. */
  protected buildIndex(X: Frame, params: KNeighborsParams): NeighborIndex {
    const columns = this.fitFeatures(X);
    const n = X.nRows;
    const d = columns.length;
    if (params.n_neighbors > n)
      throw new PldError('PLD_ERR_ESTIMATOR_INVALID_PARAM', `${this.constructor.name}: n_neighbors: must be <= the number of training rows (${n}), got ${params.n_neighbors}`, {
        details: { params: ['n_neighbors'] },
      });
    const data = toRowMajor(columns, n);
    // scikit-learn's 'auto': trees stop paying off in high dimensions or when k is a large share of the rows.
    const method = params.algorithm !== 'auto' ? params.algorithm : d > 15 || params.n_neighbors >= Math.floor(n / 2) ? 'brute' : 'kd_tree';
    return method === 'kd_tree' ? { data, nRows: n, nFeatures: d, method, tree: buildKdTree(data, n, d, params.leaf_size) } : { data, nRows: n, nFeatures: d, method };
  }
}

/**
 * Neighbour weights for `weights`: 1 each for 'uniform'; 1/distance for 'distance', where a query that
 * coincides with training rows gives those rows weight 1 and the rest 0 (scikit-learn's rule).
 * Writes the k weights of query row `row` into `out`.
 * @example
 * neighborWeights('distance', { distances, indices, k }, 0, out);
 */
export function neighborWeights(kind: 'uniform' | 'distance', found: Neighbors, row: number, out: Float64Array): void {
  const { k, distances } = found;
  if (kind === 'uniform') {
    out.fill(1);
    return;
  }
  let exact = false;
  for (let q = 0; q < k; q++) if (distances[row * k + q] === 0) exact = true;
  for (let q = 0; q < k; q++) {
    const dist = distances[row * k + q];
    out[q] = exact ? (dist === 0 ? 1 : 0) : 1 / dist;
  }
}
