import { BaseEstimator, type Frame, type Labels, Matrix, z } from 'palladium-ts';

const params = z.object({ shrinkage: z.number().min(0).default(0) }).strict();
type Params = z.output<typeof params>;
interface State {
  classes: string[];
  centroids: Float64Array[];
}

/**
 * A nearest-centroid classifier: each class is the mean of its rows; a sample gets the class of the
 * closest mean. `shrinkage` pulls every centroid towards the overall mean. Written against
 * Palladium-TS's estimator contract: params in the constructor, validation and state in fit.
 */
export class NearestCentroid extends BaseEstimator<Params, State> {
  readonly estimatorType = 'classifier' as const;

  protected get schema() {
    return params;
  }

  get classes(): Labels | undefined {
    return this.state?.classes;
  }

  protected fitState(X: Frame, y: Labels | undefined, p: Params): State {
    if (y === undefined) throw new Error('NearestCentroid needs a target column');
    const columns = this.numericFeatures(X);
    const classes = [...new Set(Array.from(y, String))].sort();
    const overall = columns.map((column) => column.reduce((sum, v) => sum + v, 0) / column.length);
    const centroids = classes.map((label) => {
      const rows = Array.from(y, String).flatMap((value, i) => (value === label ? [i] : []));
      return Float64Array.from(columns, (column, j) => {
        const mean = rows.reduce((sum, i) => sum + column[i], 0) / rows.length;
        return mean + p.shrinkage * (overall[j] - mean);
      });
    });
    return { classes, centroids };
  }

  predict(X: Frame): string[] {
    const { classes } = this.fitted();
    const distances = this.#distances(X);
    return distances.map((row) => classes[row.indexOf(Math.min(...row))]);
  }

  predictProba(X: Frame): Matrix {
    const { classes } = this.fitted();
    const distances = this.#distances(X);
    const proba = new Matrix(distances.length, classes.length);
    distances.forEach((row, i) => {
      const weights = row.map((d) => Math.exp(-d));
      const total = weights.reduce((sum, w) => sum + w, 0);
      weights.forEach((w, k) => proba.set(i, k, w / total));
    });
    return proba;
  }

  #distances(X: Frame): number[][] {
    const { centroids } = this.fitted();
    const columns = this.numericFeatures(X);
    return Array.from({ length: X.nRows }, (_, i) => centroids.map((c) => Math.sqrt(columns.reduce((sum, column, j) => sum + (column[i] - c[j]) ** 2, 0))));
  }
}
