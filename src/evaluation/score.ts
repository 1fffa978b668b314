import type { Frame, Labels } from '../data/frame.js';
import { PldError } from '../errors.js';
import type { Estimator } from '../estimators/types.js';
import { builtinScorer, isScorer, SCORER_NAMES, type PredictionCache, type Scorer } from './scorers.js';
import { defaultScorer } from './scoring.js';

/** One named score, e.g. `{ name: 'accuracy', value: 0.96 }`. */
export interface Score {
  readonly name: string;
  readonly value: number;
}

/** `scoring` by built-in names only: a scorer name, or a list of names (see `resolveScoring` for every form). */
export type Scoring = string | readonly string[] | undefined;

/**
 * Scores a fitted model on (X, y): with no `scoring`, the estimator's own default (accuracy for
 * classifiers, R² for regressors, as scikit-learn's `score`); otherwise each scorer, in order, with
 * predictions computed once for all of them.
 * @example
 * await scoreModel(tree, X, y); // [{ name: 'accuracy', value: 0.96 }]
 * await scoreModel(tree, X, y, ['accuracy', 'f1_macro']);
 */
export async function scoreModel(estimator: Estimator, X: Frame, y: Labels | undefined, scoring: Scoring | readonly Scorer[]): Promise<Score[]> {
  if (y === undefined) throw new PldError('PLD_ERR_EVAL_NO_TEST_DATA', 'Scoring needs targets, but the data set has no target_column');
  const scorers = _scorers(estimator, scoring);
  const cache: PredictionCache = {};
  const scores: Score[] = [];
  for (const scorer of scorers) scores.push({ name: scorer.name, value: await scorer.score(estimator, X, y, cache) });
  return scores;
}

function _scorers(estimator: Estimator, scoring: Scoring | readonly Scorer[]): readonly Scorer[] {
  if (scoring === undefined) return [defaultScorer(estimator)];
  if (typeof scoring !== 'string' && scoring.length > 0 && scoring.every(isScorer)) return scoring as readonly Scorer[];
  const names = typeof scoring === 'string' ? [scoring] : (scoring as readonly string[]);
  const unknown = names.filter((name) => builtinScorer(name) === undefined);
  if (unknown.length > 0) {
    throw new PldError('PLD_ERR_EVAL_NO_SCORER', `scoring: unknown scorer ${unknown.map((name) => `'${name}'`).join(', ')}; known: ${SCORER_NAMES.join(', ')}`);
  }
  return names.map((name) => builtinScorer(name)!);
}
