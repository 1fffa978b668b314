import { z } from 'zod';
import type { ComponentDefinition } from '../config/registry.js';
import type { Frame, Labels, Matrix } from '../data/frame.js';
import { PldError } from '../errors.js';
import type { Estimator } from '../estimators/types.js';
import { balancedAccuracy, precisionRecallF1, type Average } from './classification-metrics.js';
import { accuracy, r2 } from './metrics.js';
import { logLoss, rocAucFromProba } from './probability-metrics.js';
import { meanAbsoluteError, meanSquaredError, rootMeanSquaredError } from './regression-metrics.js';

/**
 * Predictions of one fitted model on one data set, computed at most once however many scorers read
 * them (scikit-learn's multi-metric scoring caches the same way).
 */
export interface PredictionCache {
  predict?: Labels;
  proba?: Matrix;
}

/**
 * A scorer in scikit-learn's sense: `(fitted estimator, X, y) → number`, greater is better (error
 * metrics are negated: `neg_mean_squared_error`).
 * @example
 * const value = await accuracyScorer.score(tree, X, y);
 */
export interface Scorer {
  readonly name: string;
  /** The built-in scorer behind this one (also when relabelled by a dict), so worker threads can rebuild it by name. */
  readonly builtinName?: string;
  score(estimator: Estimator, X: Frame, y: Labels, cache?: PredictionCache): Promise<number>;
}

/**
 * A user scoring function, as `./file.ts#fn` references it: scikit-learn's `scorer(estimator, X, y)`.
 * @example
 * export const meanProba: ScoringFunction = async (model, X) => ...;
 */
export type ScoringFunction = (estimator: Estimator, X: Frame, y: Labels) => number | Promise<number>;

type _PredictMetric = (yTrue: Labels, yPred: Labels) => number;
type _ProbaMetric = (yTrue: Labels, proba: Matrix, classes: Labels) => number;

const _prf =
  (which: 'precision' | 'recall' | 'f1', average: Average): _PredictMetric =>
  (t, p) =>
    precisionRecallF1(t, p, average, which)[which];

const _PREDICT: Record<string, _PredictMetric> = {
  accuracy,
  balanced_accuracy: balancedAccuracy,
  r2,
  neg_mean_squared_error: (t, p) => -meanSquaredError(t, p),
  neg_root_mean_squared_error: (t, p) => -rootMeanSquaredError(t, p),
  neg_mean_absolute_error: (t, p) => -meanAbsoluteError(t, p),
};
for (const which of ['precision', 'recall', 'f1'] as const) {
  for (const average of ['binary', 'macro', 'micro', 'weighted'] as const) _PREDICT[average === 'binary' ? which : `${which}_${average}`] = _prf(which, average);
}

const _PROBA: Record<string, _ProbaMetric> = {
  roc_auc: (t, proba, classes) => rocAucFromProba(t, proba, classes, 'raise', 'roc_auc'),
  roc_auc_ovr: (t, proba, classes) => rocAucFromProba(t, proba, classes, 'ovr', 'roc_auc_ovr'),
  roc_auc_ovr_weighted: (t, proba, classes) => rocAucFromProba(t, proba, classes, 'ovr_weighted', 'roc_auc_ovr_weighted'),
  neg_log_loss: (t, proba, classes) => -logLoss(t, proba, classes),
};

/** Every built-in scorer name, scikit-learn's spelling. */
export const SCORER_NAMES: readonly string[] = [...Object.keys(_PREDICT), ...Object.keys(_PROBA)];

/**
 * The built-in scorer of that name, or `undefined`.
 * @example
 * await builtinScorer('f1_macro')!.score(tree, X, y);
 */
export function builtinScorer(name: string): Scorer | undefined {
  const predictMetric = _PREDICT[name];
  if (predictMetric !== undefined) {
    return {
      name,
      builtinName: name,
      async score(estimator, X, y, cache = {}) {
        cache.predict ??= await estimator.predict(X);
        return predictMetric(y, cache.predict);
      },
    };
  }
  const probaMetric = _PROBA[name];
  if (probaMetric === undefined) return undefined;
  return {
    name,
    builtinName: name,
    async score(estimator, X, y, cache = {}) {
      if (typeof estimator.predictProba !== 'function' || estimator.classes === undefined) {
        throw new PldError('PLD_ERR_EVAL_METRIC_INPUT', `${name}: needs a classifier with predictProba; ${estimator.constructor.name} has none`);
      }
      cache.proba ??= await estimator.predictProba(X);
      return probaMetric(y, cache.proba, estimator.classes);
    },
  };
}

/**
 * A scorer around a user function (`./file.ts#fn`), named `name`.
 * @example
 * const scorer = functionScorer('custom', (model, X, y) => 1);
 */
export function functionScorer(name: string, fn: ScoringFunction): Scorer {
  return { name, score: async (estimator, X, y) => Number(await fn(estimator, X, y)) };
}

/**
 * The built-in scorers as registry entries (kind `scorer`), so `{"__factory__": "f1_macro"}` and the
 * plain name `"f1_macro"` both work, as does any `./file.ts#fn` user reference.
 * @example
 * for (const definition of builtinScorers) registry.register(definition);
 */
export const builtinScorers: ComponentDefinition[] = SCORER_NAMES.map(
  (name) =>
    ({
      name,
      kind: 'scorer',
      params: z.object({}).strict(),
      create: () => builtinScorer(name)!,
      summary: `scikit-learn's '${name}' scorer.`,
    }) satisfies ComponentDefinition<Scorer, object> as ComponentDefinition,
);

/**
 * True for a {@link Scorer} object.
 * @example
 * isScorer(builtinScorer('accuracy')); // true
 */
export function isScorer(value: unknown): value is Scorer {
  return typeof value === 'object' && value !== null && typeof (value as Scorer).score === 'function' && typeof (value as Scorer).name === 'string';
}
