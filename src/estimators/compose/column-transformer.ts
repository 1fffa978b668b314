import { z } from 'zod';
import { type Column, Frame, type Labels } from '../../data/frame.js';
import { PldError } from '../../errors.js';
import { formatZodError } from '../../internal/zod-format.js';
import type { EstimatorCodec, Params, Transformer } from '../types.js';
import { isTransformer } from '../types.js';
import { type Component, checkPartNames, componentSchema, deepParams, isComponent, routeParams } from './nested-params.js';

/**
 * Which columns a part reads: a name, a position, or a list of either (positions count in the
 * columns seen by fit; negative ones from the end, as in Python).
 * @example
 * const columns: ColumnSelector = ['color', 'size'];
 */
export type ColumnSelector = string | number | (string | number)[];

/**
 * One entry of `transformers`: `[name, transformer | 'drop' | 'passthrough', columns]`.
 * @example
 * const entry: ColumnTransformerEntry = ['onehot', new OneHotEncoder(), ['color']];
 */
export type ColumnTransformerEntry = [string, Component | 'drop' | 'passthrough', ColumnSelector];

const _selector = z.union([z.string(), z.int(), z.array(z.union([z.string(), z.int()]))], {
  error: 'must be a column name, a column index or a list of them',
});

/**
 * Parameters of {@link ColumnTransformer}, with scikit-learn's names; `sparse_threshold`, `n_jobs`
 * and `verbose` are accepted and ignored (output is dense, fitting is sequential).
 * @example
 * columnTransformerParams.parse({ transformers: [['scale', new StandardScaler(), ['age']]], remainder: 'passthrough' });
 */
export const columnTransformerParams = z
  .object({
    transformers: z.array(z.tuple([z.string({ error: 'a transformer name must be a string' }), componentSchema(['drop', 'passthrough']), _selector]), {
      error: 'must be a list of [name, transformer, columns] triples',
    }),
    remainder: z.enum(['drop', 'passthrough'], { error: "must be 'drop' or 'passthrough'" }).default('drop'),
    sparse_threshold: z.number({ error: 'must be a number in [0, 1]' }).min(0).max(1).default(0.3),
    n_jobs: z.int({ error: 'must be an int or null' }).nullable().default(null),
    transformer_weights: z.null({ error: 'must be null (weights are not supported)' }).default(null),
    verbose: z.boolean({ error: 'must be true or false' }).default(false),
    verbose_feature_names_out: z.boolean({ error: 'must be true or false' }).default(true),
  })
  .strict();

/** Parsed {@link columnTransformerParams}. @example const p: ColumnTransformerParams = columnTransformerParams.parse({ transformers: [] }); */
export type ColumnTransformerParams = Omit<z.infer<typeof columnTransformerParams>, 'transformers'> & { transformers: ColumnTransformerEntry[] };

interface _Fitted {
  featureNames: string[];
  /** Input columns of each entry of `transformers`, by name. */
  columns: string[][];
  remainder: string[];
  namesOut: string[];
}

const _OWN_KEYS = ['transformers', 'remainder', 'sparse_threshold', 'n_jobs', 'transformer_weights', 'verbose', 'verbose_feature_names_out'] as const;

/**
 * Applies a transformer to each group of columns and puts the results side by side
 * (`sklearn.compose.ColumnTransformer`); columns no entry names are dropped or passed through by
 * `remainder`. Output names are `name__column` (scikit-learn's `verbose_feature_names_out`). The
 * transformers are fitted in place (scikit-learn fits clones), so `getParams()` shows the fitted parts.
 * @example
 * const ct = new ColumnTransformer({ transformers: [['onehot', new OneHotEncoder(), ['color']]], remainder: 'passthrough' });
 * const Xt = await ct.fitTransform(X); // onehot__color_blue, onehot__color_red, remainder__size
 */
export class ColumnTransformer implements Transformer {
  readonly estimatorType = 'transformer' as const;
  protected params: Partial<ColumnTransformerParams>;
  #fitted: _Fitted | undefined;

  constructor(params: Partial<ColumnTransformerParams> = {}) {
    this.params = { ...params };
  }

  /** Columns seen in fit. */
  get featureNames(): readonly string[] | undefined {
    return this.#fitted?.featureNames;
  }

  get transformers(): readonly ColumnTransformerEntry[] {
    return this.params.transformers ?? [];
  }

  async fit(X: Frame, y?: Labels): Promise<this> {
    await this.fitTransform(X, y);
    return this;
  }

  async fitTransform(X: Frame, y?: Labels): Promise<Frame> {
    const params = this.#validated();
    const featureNames = [...X.columns];
    const columns = params.transformers.map(([name, , selector]) => _resolve(selector, featureNames, name));
    const used = new Set(columns.flat());
    const remainder = params.remainder === 'passthrough' ? featureNames.filter((name) => !used.has(name)) : [];
    const parts: Frame[] = [];
    for (const [i, [, part]] of params.transformers.entries()) {
      if (part === 'drop' || columns[i].length === 0) continue;
      parts.push(part === 'passthrough' ? X.select(columns[i]) : await (part as Transformer).fitTransform(X.select(columns[i]), y));
    }
    const fitted: _Fitted = { featureNames, columns, remainder, namesOut: [] };
    fitted.namesOut = this.#namesOut(parts, fitted, params.verbose_feature_names_out);
    this.#fitted = fitted;
    return this.#assemble(parts, X, fitted);
  }

  async transform(X: Frame): Promise<Frame> {
    const fitted = this.#fittedOrThrow();
    const parts: Frame[] = [];
    for (const [i, [, part]] of this.transformers.entries()) {
      if (part === 'drop' || fitted.columns[i].length === 0) continue;
      parts.push(part === 'passthrough' ? X.select(fitted.columns[i]) : await (part as Transformer).transform(X.select(fitted.columns[i])));
    }
    return this.#assemble(parts, X, fitted);
  }

  getFeatureNamesOut(): string[] {
    return [...this.#fittedOrThrow().namesOut];
  }

  /** scikit-learn's `get_params(deep)`: own params, and when deep each transformer and its `name__param`s. */
  getParams(deep = true): Params {
    const given = _pick(this.params, _OWN_KEYS.slice(1));
    const parsed = columnTransformerParams.omit({ transformers: true }).safeParse(given);
    const own: Params = {
      ...(parsed.success ? parsed.data : given),
      transformers: this.transformers.map(([name, part, columns]) => [name, part, columns]),
    };
    return deep ? { ...own, ...deepParams(this.transformers.map(([name, part]) => [name, part] as const)) } : own;
  }

  setParams(params: Params): this {
    if ('transformers' in params) this.params = { ...this.params, transformers: params.transformers as ColumnTransformerEntry[] };
    const rest = Object.fromEntries(Object.entries(params).filter(([key]) => key !== 'transformers'));
    const routed = routeParams(
      rest,
      _OWN_KEYS,
      this.transformers.map(([name]) => name),
      'ColumnTransformer',
    );
    this.params = { ...this.params, ...(routed.own as Partial<ColumnTransformerParams>) };
    if (routed.replace.size > 0) {
      this.params.transformers = this.transformers.map(([name, part, columns]) => [name, (routed.replace.has(name) ? routed.replace.get(name) : part) as Component, columns]);
    }
    for (const [name, sub] of routed.nested) {
      const part = this.transformers.find(([partName]) => partName === name)?.[1];
      if (!isComponent(part)) throw new PldError('PLD_ERR_ESTIMATOR_INVALID_PARAM', `ColumnTransformer: '${name}' is '${part}' and has no params`, { details: { params: [name] } });
      part.setParams(sub);
    }
    return this;
  }

  /** An unfitted copy whose transformers are clones. */
  clone(): ColumnTransformer {
    return new ColumnTransformer({
      ...this.params,
      transformers: this.transformers.map(([name, part, columns]) => [
        name,
        isComponent(part) ? (part.clone() as Component) : part,
        Array.isArray(columns) ? [...columns] : columns,
      ]),
    });
  }

  isFitted(): boolean {
    return this.#fitted !== undefined;
  }

  getState(codec: EstimatorCodec): unknown {
    const fitted = this.#fittedOrThrow();
    return { ...fitted, parts: this.transformers.map(([, part]) => (isComponent(part) && part.isFitted() ? part.getState(codec) : null)) };
  }

  setState(state: unknown, codec: EstimatorCodec): this {
    const { parts, ...fitted } = state as _Fitted & { parts: unknown[] };
    this.transformers.forEach(([, part], i) => {
      if (isComponent(part) && parts[i] !== null && parts[i] !== undefined) part.setState(parts[i], codec);
    });
    this.#fitted = fitted;
    return this;
  }

  #fittedOrThrow(): _Fitted {
    if (this.#fitted === undefined) throw new PldError('PLD_ERR_ESTIMATOR_NOT_FITTED', 'This ColumnTransformer is not fitted yet; call fit first');
    return this.#fitted;
  }

  #namesOut(parts: Frame[], fitted: _Fitted, verbose: boolean): string[] {
    const names: string[] = [];
    let p = 0;
    for (const [i, [name, part]] of this.transformers.entries()) {
      if (part === 'drop' || fitted.columns[i].length === 0) continue;
      for (const column of parts[p++].columns) names.push(verbose ? `${name}__${column}` : column);
    }
    for (const column of fitted.remainder) names.push(verbose ? `remainder__${column}` : column);
    const seen = new Set<string>();
    for (const name of names) {
      if (seen.has(name)) {
        throw new PldError('PLD_ERR_ESTIMATOR_INVALID_PARAM', `ColumnTransformer: two output columns are named '${name}'; set verbose_feature_names_out to true`, {
          details: { params: ['verbose_feature_names_out'] },
        });
      }
      seen.add(name);
    }
    return names;
  }

  #assemble(parts: Frame[], X: Frame, fitted: _Fitted): Frame {
    const columns: Column[] = [];
    for (const part of parts) for (const [, column] of part.entries()) columns.push(column);
    for (const name of fitted.remainder) columns.push(X.column(name));
    if (columns.length !== fitted.namesOut.length) {
      throw new PldError('PLD_ERR_ESTIMATOR_BAD_INPUT', `ColumnTransformer: transform produced ${columns.length} columns, fit produced ${fitted.namesOut.length}`);
    }
    return new Frame(new Map(fitted.namesOut.map((name, i) => [name, columns[i]])));
  }

  #validated(): ColumnTransformerParams {
    const parsed = columnTransformerParams.safeParse(this.params);
    if (!parsed.success) throw new PldError('PLD_ERR_ESTIMATOR_INVALID_PARAM', `ColumnTransformer: ${formatZodError(parsed.error, '', this.params)}`);
    const params = parsed.data as ColumnTransformerParams;
    checkPartNames(
      params.transformers.map(([name]) => name),
      _OWN_KEYS,
      'ColumnTransformer',
      'transformers',
    );
    for (const [name, part] of params.transformers) {
      if (isComponent(part) && !isTransformer(part)) {
        throw new PldError('PLD_ERR_ESTIMATOR_INVALID_PARAM', `ColumnTransformer: transformers: '${name}' is a ${part.estimatorType}, not a transformer`, {
          details: { params: ['transformers'] },
        });
      }
    }
    return params;
  }
}

function _resolve(selector: ColumnSelector, featureNames: readonly string[], owner: string): string[] {
  const items = Array.isArray(selector) ? selector : [selector];
  return items.map((item) => {
    if (typeof item === 'string') {
      if (!featureNames.includes(item)) {
        throw new PldError(
          'PLD_ERR_ESTIMATOR_BAD_INPUT',
          `ColumnTransformer: '${owner}' names the column '${item}', which X lacks; the columns are ${JSON.stringify(featureNames)}`,
          {
            details: { column: item },
          },
        );
      }
      return item;
    }
    const index = item < 0 ? featureNames.length + item : item;
    if (index < 0 || index >= featureNames.length) {
      throw new PldError('PLD_ERR_ESTIMATOR_BAD_INPUT', `ColumnTransformer: '${owner}' names column index ${item}, but X has ${featureNames.length} columns`);
    }
    return featureNames[index];
  });
}

function _pick(params: Params, keys: readonly string[]): Params {
  return Object.fromEntries(keys.filter((key) => params[key] !== undefined).map((key) => [key, params[key]]));
}
