import type { z } from 'zod';
import type { Frame, Labels, Matrix } from '../data/frame.js';
import { PldError } from '../errors.js';
import { formatZodError } from '../internal/zod-format.js';
import type { Estimator, EstimatorCodec, EstimatorType, Params } from './types.js';

/**
 * Base class for built-in estimators: stores params, validates them in `fit` against the class's zod
 * schema (the same schema the config registry validates with), and keeps fitted values in `state`.
 * Subclasses implement `fitState` and `predict`.
 * @example
 * class Mean extends BaseEstimator<{}, { mean: number }> { ... }
 */
export abstract class BaseEstimator<P extends Params, S> implements Estimator {
  abstract readonly estimatorType: EstimatorType;
  protected params: Partial<P>;
  protected state: S | undefined;
  featureNames?: readonly string[];
  #resolved: { from: Partial<P>; params: P } | undefined;

  constructor(params: Partial<P> = {}) {
    this.params = { ...params };
  }

  /** The zod schema of the parameters, with scikit-learn's defaults. */
  protected abstract get schema(): z.ZodType<P>;

  /** Learns the state from validated params. */
  protected abstract fitState(X: Frame, y: Labels | undefined, params: P): S | Promise<S>;

  abstract predict(X: Frame): Labels | Promise<Labels>;

  predictProba?(X: Frame): Matrix | Promise<Matrix>;

  async fit(X: Frame, y?: Labels): Promise<this> {
    const params = this.resolvedParams();
    if (X.nRows === 0) throw new PldError('PLD_ERR_DATA_EMPTY', 'Cannot fit on 0 rows');
    if (y !== undefined && y.length !== X.nRows) {
      throw new PldError('PLD_ERR_ESTIMATOR_BAD_INPUT', `X has ${X.nRows} rows but y has ${y.length}`);
    }
    this.featureNames = [...X.columns];
    this.state = await this.fitState(X, y, params);
    return this;
  }

  /** Params with defaults filled in, validated; throws PLD_ERR_ESTIMATOR_INVALID_PARAM naming the param. */
  protected resolvedParams(): P {
    // Parsed once per params object (setParams replaces it): a schema parse costs more than a one-row predict.
    if (this.#resolved?.from === this.params) return this.#resolved.params;
    const parsed = this.schema.safeParse(this.params);
    if (!parsed.success) {
      throw new PldError('PLD_ERR_ESTIMATOR_INVALID_PARAM', `${this.constructor.name}: ${formatZodError(parsed.error, '', this.params)}`);
    }
    this.#resolved = { from: this.params, params: parsed.data };
    return parsed.data;
  }

  getParams(): Params {
    const parsed = this.schema.safeParse(this.params);
    return parsed.success ? { ...parsed.data } : { ...this.params };
  }

  setParams(params: Params): this {
    this.params = { ...this.params, ...params } as Partial<P>;
    return this;
  }

  clone(): Estimator {
    const Ctor = this.constructor as new (params: Partial<P>) => Estimator;
    return new Ctor({ ...this.params });
  }

  isFitted(): boolean {
    return this.state !== undefined;
  }

  /** The fitted state; PLD_ERR_ESTIMATOR_NOT_FITTED before `fit`. */
  protected fitted(): S {
    if (this.state === undefined) throw new PldError('PLD_ERR_ESTIMATOR_NOT_FITTED', `This ${this.constructor.name} is not fitted yet; call fit first`);
    return this.state;
  }

  /** The feature columns of X, by the names seen in fit, as numbers. */
  protected numericFeatures(X: Frame): Float64Array[] {
    const names = this.featureNames ?? X.columns;
    return names.map((name) => {
      if (!X.has(name))
        throw new PldError('PLD_ERR_ESTIMATOR_BAD_INPUT', `Missing feature '${name}'; the model was fitted on ${JSON.stringify(names)}`, { details: { field: name } });
      return X.numeric(name);
    });
  }

  getState(_codec: EstimatorCodec): unknown {
    return { featureNames: this.featureNames, state: this.fitted() };
  }

  setState(state: unknown, _codec: EstimatorCodec): this {
    const saved = state as { featureNames?: string[]; state: S };
    this.featureNames = saved.featureNames;
    this.state = saved.state;
    return this;
  }
}
