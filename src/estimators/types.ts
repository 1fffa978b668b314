import type { Frame, Labels, Matrix } from '../data/frame.js';

/** A value or a promise of it: in-process estimators answer synchronously, ONNX or external ones do not. */
export type MaybePromise<T> = T | Promise<T>;

/** Hyper-parameters, keyed by scikit-learn's names (`min_samples_leaf`, `n_estimators`). */
export type Params = Record<string, unknown>;

/** What an estimator does; grid search and scoring pick defaults from it (e.g. stratified folds for classifiers). */
export type EstimatorType = 'classifier' | 'regressor' | 'transformer' | 'clusterer';

/**
 * Turns nested estimators into JSON-able specs and back, so composite estimators (pipelines, searches)
 * can persist their parts without knowing the registry.
 */
export interface EstimatorCodec {
  encode(estimator: Estimator): EstimatorSpec;
  decode(spec: EstimatorSpec): Estimator;
}

/** A persisted estimator: registry name, hyper-parameters and fitted state (typed arrays allowed). */
export interface EstimatorSpec {
  readonly factory: string;
  readonly params: Params;
  readonly state?: unknown;
}

/**
 * The estimator contract, after scikit-learn's: the constructor only stores parameters, `fit` validates
 * them and produces state, `clone()` is a fresh unfitted copy with the same parameters.
 *
 * - `fit(X, y)` returns `this`; refitting replaces the state.
 * - `predict(X)` returns one label or value per row of `X`.
 * - `predictProba(X)` (classifiers, optional) returns a row per sample, a column per entry of `classes`,
 *   each row summing to 1.
 * - `getState()`/`setState()` move the fitted state in and out as JSON-able data (typed arrays allowed);
 *   that is all the model store keeps, never code.
 * @example
 * const tree = new DecisionTreeClassifier({ max_depth: 3 });
 * await tree.fit(X, y);
 * const labels = await tree.predict(X);
 */
export interface Estimator {
  readonly estimatorType: EstimatorType;
  /** Class labels in the column order of `predictProba`, after fit (classifiers only). */
  readonly classes?: Labels;
  /** Feature names seen in fit; predict selects these columns by name. */
  readonly featureNames?: readonly string[];
  fit(X: Frame, y?: Labels): MaybePromise<this>;
  /** `params` are extra predict arguments from the request (a PredictService `params` list). */
  predict(X: Frame, params?: Params): MaybePromise<Labels>;
  predictProba?(X: Frame, params?: Params): MaybePromise<Matrix>;
  /** Default score: accuracy for classifiers, R² for regressors. */
  score?(X: Frame, y: Labels): MaybePromise<number>;
  getParams(): Params;
  setParams(params: Params): this;
  clone(): Estimator;
  isFitted(): boolean;
  getState(codec: EstimatorCodec): unknown;
  setState(state: unknown, codec: EstimatorCodec): this;
}

/** Type guard for anything shaped like an {@link Estimator}. */
export function isEstimator(value: unknown): value is Estimator {
  const candidate = value as Estimator | null;
  return (
    typeof candidate === 'object' &&
    candidate !== null &&
    typeof candidate.fit === 'function' &&
    typeof candidate.predict === 'function' &&
    typeof candidate.getParams === 'function' &&
    typeof candidate.clone === 'function'
  );
}

/**
 * The transformer contract, after scikit-learn's `TransformerMixin`: `fit` learns from X (and
 * optionally y), `transform` maps a Frame to a new Frame whose column names are `getFeatureNamesOut()`.
 * Params, clone and state work as for an {@link Estimator}; `estimatorType` is always 'transformer'.
 * @example
 * const scaler = new StandardScaler();
 * const Xt = await scaler.fitTransform(X); // same column names, zero mean, unit variance
 */
export interface Transformer {
  readonly estimatorType: 'transformer';
  /** Feature names seen in fit; transform selects these columns by name. */
  readonly featureNames?: readonly string[];
  fit(X: Frame, y?: Labels): MaybePromise<this>;
  transform(X: Frame): MaybePromise<Frame>;
  fitTransform(X: Frame, y?: Labels): MaybePromise<Frame>;
  /** Output column names, after fit (scikit-learn's `get_feature_names_out()`). */
  getFeatureNamesOut(): string[];
  getParams(): Params;
  setParams(params: Params): this;
  clone(): Transformer;
  isFitted(): boolean;
  getState(codec: EstimatorCodec): unknown;
  setState(state: unknown, codec: EstimatorCodec): this;
}

/**
 * Type guard for anything shaped like a {@link Transformer}.
 * @example
 * if (isTransformer(step)) X = await step.fitTransform(X, y);
 */
export function isTransformer(value: unknown): value is Transformer {
  const candidate = value as Transformer | null;
  return (
    typeof candidate === 'object' &&
    candidate !== null &&
    candidate.estimatorType === 'transformer' &&
    typeof candidate.fit === 'function' &&
    typeof candidate.transform === 'function' &&
    typeof candidate.getParams === 'function' &&
    typeof candidate.clone === 'function'
  );
}
