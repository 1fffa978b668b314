import type { z } from 'zod';
import { type Frame, type Labels, Matrix } from '../../data/frame.js';
import { accuracyScore, argmaxRows, numericTarget, r2Score } from '../linear/dense-estimator.js';
import { decodeLabels, encodeLabels } from '../tree/labels.js';
import { KNeighborsBase, type NeighborIndex, neighborWeights } from './k-neighbors-base.js';
import { type KNeighborsParams, kNeighborsParams } from './params.js';

/**
 * Fitted state of a {@link KNeighborsClassifier}: the search index and the training labels as codes.
 * @example
 * const state: KNeighborsClassifierState = { index, classes: ['a', 'b'], codes };
 */
export interface KNeighborsClassifierState {
  index: NeighborIndex;
  classes: Labels;
  codes: Int32Array;
}

/**
 * k-nearest-neighbours vote (`sklearn.neighbors.KNeighborsClassifier`): uniform or inverse-distance
 * weights, a KD-tree or brute-force search; ties go to the first class in `classes`, as scikit-learn's mode.
 * @example
 * const knn = await new KNeighborsClassifier({ n_neighbors: 3 }).fit(X, y);
 * knn.predict(X);
 */
export class KNeighborsClassifier extends KNeighborsBase<KNeighborsClassifierState> {
  readonly estimatorType = 'classifier' as const;

  protected override get schema(): z.ZodType<KNeighborsParams> {
    return kNeighborsParams as unknown as z.ZodType<KNeighborsParams>;
  }

  /** Class labels in predictProba's column order; undefined before fit. */
  get classes(): Labels | undefined {
    return this.state?.classes;
  }

  protected override fitState(X: Frame, y: Labels | undefined, params: KNeighborsParams): KNeighborsClassifierState {
    const { classes, codes } = encodeLabels(y);
    return { index: this.buildIndex(X, params), classes, codes };
  }

  /** Weighted share of each class among the neighbours; rows sum to 1. */
  override predictProba(X: Frame): Matrix {
    const { classes, codes } = this.fitted();
    const found = this.kneighbors(X);
    const nClasses = classes.length;
    const out = new Matrix(X.nRows, nClasses);
    const weights = new Float64Array(found.k);
    const kind = this.resolvedParams().weights;
    for (let i = 0; i < X.nRows; i++) {
      neighborWeights(kind, found, i, weights);
      let total = 0;
      for (let q = 0; q < found.k; q++) {
        out.data[i * nClasses + codes[found.indices[i * found.k + q]]] += weights[q];
        total += weights[q];
      }
      for (let c = 0; c < nClasses; c++) out.data[i * nClasses + c] /= total;
    }
    return out;
  }

  /** The class with the largest (weighted) vote, as string[] or Float64Array like the y given to fit. */
  predict(X: Frame): Labels {
    return decodeLabels(this.fitted().classes, argmaxRows(this.predictProba(X)));
  }

  /** Mean accuracy of predict(X) against y. */
  score(X: Frame, y: Labels): number {
    return accuracyScore(y, this.predict(X));
  }
}

/**
 * Fitted state of a {@link KNeighborsRegressor}: the search index and the training targets.
 * @example
 * const state: KNeighborsRegressorState = { index, y: Float64Array.of(1, 2) };
 */
export interface KNeighborsRegressorState {
  index: NeighborIndex;
  y: Float64Array;
}

/**
 * k-nearest-neighbours regression (`sklearn.neighbors.KNeighborsRegressor`): the (inverse-distance
 * weighted) mean target of the neighbours.
 * @example
 * const knn = await new KNeighborsRegressor({ weights: 'distance' }).fit(X, y);
 * knn.predict(X); // Float64Array
 */
export class KNeighborsRegressor extends KNeighborsBase<KNeighborsRegressorState> {
  readonly estimatorType = 'regressor' as const;

  protected override get schema(): z.ZodType<KNeighborsParams> {
    return kNeighborsParams as unknown as z.ZodType<KNeighborsParams>;
  }

  protected override fitState(X: Frame, y: Labels | undefined, params: KNeighborsParams): KNeighborsRegressorState {
    const target = numericTarget(y);
    return { index: this.buildIndex(X, params), y: Float64Array.from(target) };
  }

  /** The weighted mean target of each row's neighbours. */
  predict(X: Frame): Float64Array {
    const { y } = this.fitted();
    const found = this.kneighbors(X);
    const out = new Float64Array(X.nRows);
    const weights = new Float64Array(found.k);
    const kind = this.resolvedParams().weights;
    for (let i = 0; i < X.nRows; i++) {
      neighborWeights(kind, found, i, weights);
      let sum = 0;
      let total = 0;
      for (let q = 0; q < found.k; q++) {
        sum += weights[q] * y[found.indices[i * found.k + q]];
        total += weights[q];
      }
      out[i] = sum / total;
    }
    return out;
  }

  /** R² of predict(X) against y. */
  score(X: Frame, y: Labels): number {
    return r2Score(y, this.predict(X));
  }
}
