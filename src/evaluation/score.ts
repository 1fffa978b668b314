import type { Frame, Labels } from '../data/frame.js';
import { PldError } from '../errors.js';
import type { Estimator } from '../estimators/types.js';
import { accuracy, r2 } from './metrics.js';

/** One named score, e.g. `{ name: 'accuracy', value: 0.96 }`. */
export interface Score {
  readonly name: string;
  readonly value: number;
}

/** `scoring` as the config gives it: a scorer name, or a list of names. */
export type Scoring = string | readonly string[] | undefined;

const _METRICS: Record<string, (yTrue: Labels, yPred: Labels) => number> = { accuracy, r2 };

/**
 * Scores a fitted model on (X, y): with no `scoring`, the estimator's own default (accuracy for
 * classifiers, R² for regressors, as scikit-learn's `score`); otherwise each named metric.
 * @example
 * await scoreModel(tree, X, y); // [{ name: 'accuracy', value: 0.96 }]
 */
export async function scoreModel(estimator: Estimator, X: Frame, y: Labels | undefined, scoring: Scoring): Promise<Score[]> {
  if (y === undefined) throw new PldError('PLD_ERR_EVAL_NO_TEST_DATA', 'Scoring needs targets, but the data set has no target_column');
  const names = scoring === undefined ? [_defaultMetric(estimator)] : typeof scoring === 'string' ? [scoring] : [...scoring];
  const unknown = names.filter((name) => !(name in _METRICS));
  if (unknown.length > 0) {
    throw new PldError('PLD_ERR_EVAL_NO_SCORER', `scoring: unknown scorer ${unknown.map((name) => `'${name}'`).join(', ')}; known: ${Object.keys(_METRICS).join(', ')}`);
  }
  const predicted = await estimator.predict(X);
  return names.map((name) => ({ name, value: _METRICS[name](y, predicted) }));
}

function _defaultMetric(estimator: Estimator): string {
  if (estimator.estimatorType === 'classifier') return 'accuracy';
  if (estimator.estimatorType === 'regressor') return 'r2';
  throw new PldError('PLD_ERR_EVAL_NO_SCORER', `A ${estimator.estimatorType} has no default score; set \`scoring\` in the config`);
}
