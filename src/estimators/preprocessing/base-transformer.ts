import type { z } from 'zod';
import { type Column, Frame, isNumericColumn, type Labels } from '../../data/frame.js';
import { PldError } from '../../errors.js';
import { formatZodError } from '../../internal/zod-format.js';
import type { EstimatorCodec, Params, Transformer } from '../types.js';

/**
 * Base class for built-in transformers, the twin of `BaseEstimator`: the constructor only stores
 * params, `fit` validates them against the class's zod schema and learns `state`, `transform` reads the
 * columns seen in fit by name. Subclasses implement `fitState`, `transformState` and `namesOut`.
 * @example
 * class Center extends BaseTransformer<{}, { means: Float64Array }> { ... }
 */
export abstract class BaseTransformer<P extends Params, S> implements Transformer {
  readonly estimatorType = 'transformer' as const;
  protected params: Partial<P>;
  protected state: S | undefined;
  featureNames?: readonly string[];

  constructor(params: Partial<P> = {}) {
    this.params = { ...params };
  }

  /** The zod schema of the parameters, with scikit-learn's defaults. */
  protected abstract get schema(): z.ZodType<P>;

  /** Learns the state from the feature columns (in fit order) and validated params. */
  protected abstract fitState(columns: Column[], names: readonly string[], params: P): S;

  /** Output columns, in `getFeatureNamesOut()` order. */
  protected abstract transformState(columns: Column[], state: S, nRows: number): Column[];

  /** Output names for the fitted state. */
  protected abstract namesOut(state: S, names: readonly string[]): string[];

  async fit(X: Frame, _y?: Labels): Promise<this> {
    const params = this.resolvedParams();
    if (X.nRows === 0) throw new PldError('PLD_ERR_DATA_EMPTY', `${this.constructor.name}: cannot fit on 0 rows`);
    const names = [...X.columns];
    const state = this.fitState(
      names.map((name) => X.column(name)),
      names,
      params,
    );
    this.featureNames = names;
    this.state = state;
    return this;
  }

  transform(X: Frame): Frame {
    const state = this.fitted();
    const names = this.featureNames as readonly string[];
    const columns = names.map((name) => {
      if (!X.has(name))
        throw new PldError('PLD_ERR_ESTIMATOR_BAD_INPUT', `Missing feature '${name}'; the ${this.constructor.name} was fitted on ${JSON.stringify(names)}`, {
          details: { field: name },
        });
      return X.column(name);
    });
    const out = this.transformState(columns, state, X.nRows);
    const namesOut = this.namesOut(state, names);
    return _frameOf(namesOut, out);
  }

  async fitTransform(X: Frame, y?: Labels): Promise<Frame> {
    await this.fit(X, y);
    return this.transform(X);
  }

  getFeatureNamesOut(): string[] {
    return this.namesOut(this.fitted(), this.featureNames as readonly string[]);
  }

  /** Params with defaults filled in, validated; throws PLD_ERR_ESTIMATOR_INVALID_PARAM naming the param. */
  protected resolvedParams(): P {
    const parsed = this.schema.safeParse(this.params);
    if (!parsed.success) {
      throw new PldError('PLD_ERR_ESTIMATOR_INVALID_PARAM', `${this.constructor.name}: ${formatZodError(parsed.error, '', this.params)}`);
    }
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

  clone(): Transformer {
    const Ctor = this.constructor as new (params: Partial<P>) => Transformer;
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

  /** The column as numbers; text is an error naming the column and what to do instead. */
  protected numericColumn(column: Column, name: string): Float64Array {
    if (!isNumericColumn(column)) {
      throw new PldError(
        'PLD_ERR_ESTIMATOR_BAD_INPUT',
        `${this.constructor.name}: column '${name}' holds text; it needs numbers (encode categorical columns with OneHotEncoder or OrdinalEncoder first)`,
        { details: { column: name } },
      );
    }
    return column;
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

function _frameOf(names: string[], columns: Column[]): Frame {
  const seen = new Set<string>();
  for (const name of names) {
    if (seen.has(name)) throw new PldError('PLD_ERR_ESTIMATOR_BAD_INPUT', `Two output columns are named '${name}'`, { details: { column: name } });
    seen.add(name);
  }
  return new Frame(new Map(names.map((name, i) => [name, columns[i]])));
}
