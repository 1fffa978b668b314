import type { Params } from '../../estimators/types.js';
import type { TaskResult } from './run-task.js';

/**
 * scikit-learn's `cv_results_`: one array per key, one entry per candidate (`mean_fit_time`,
 * `param_<name>`, `params`, `split<k>_test_<metric>`, `mean_test_<metric>`, `std_test_<metric>`,
 * `rank_test_<metric>`, and the `_train_` keys with `return_train_score`). NaN marks a failed fit.
 * @example
 * results.mean_test_score[results.rank_test_score.indexOf(1)];
 */
export type CvResults = Record<string, unknown[]>;

/**
 * Builds `cv_results_` from the task results (task `c * nSplits + k` is candidate c, fold k).
 * `metrics` are the result suffixes: `['score']` for one scorer, the scorer names for several.
 * @example
 * const cv = buildCvResults(candidates, 5, ['score'], results, false, Number.NaN);
 */
export function buildCvResults(
  candidates: readonly Params[],
  nSplits: number,
  metrics: readonly string[],
  results: readonly TaskResult[],
  train: boolean,
  errorScore = Number.NaN,
): CvResults {
  const out: CvResults = {};
  const perCandidate = (pick: (r: TaskResult) => number) => candidates.map((_, c) => Array.from({ length: nSplits }, (_, k) => pick(results[c * nSplits + k])));
  const fitTimes = perCandidate((r) => r.fitTime);
  const scoreTimes = perCandidate((r) => r.scoreTime);
  out.mean_fit_time = fitTimes.map(_mean);
  out.std_fit_time = fitTimes.map(_std);
  out.mean_score_time = scoreTimes.map(_mean);
  out.std_score_time = scoreTimes.map(_std);
  const names = [...new Set(candidates.flatMap((params) => Object.keys(params)))];
  for (const name of names) out[`param_${name}`] = candidates.map((params) => (name in params ? params[name] : null));
  out.params = candidates.map((params) => ({ ...params }));
  const sets: ['test' | 'train', (r: TaskResult) => number[] | undefined][] = [['test', (r) => r.testScores]];
  if (train) sets.push(['train', (r) => r.trainScores]);
  for (const [set, pickScores] of sets) {
    metrics.forEach((metric, m) => {
      const splits = perCandidate((r) => pickScores(r)?.[m] ?? errorScore);
      for (let k = 0; k < nSplits; k++) out[`split${k}_${set}_${metric}`] = splits.map((row) => row[k]);
      const means = splits.map(_mean);
      out[`mean_${set}_${metric}`] = means;
      out[`std_${set}_${metric}`] = splits.map(_std);
      if (set === 'test') out[`rank_test_${metric}`] = rankDescending(means);
    });
  }
  return out;
}

/**
 * Ranks, best (largest) first, ties sharing the lowest rank, NaN last (scikit-learn's `rankdata(-x, 'min')`
 * after replacing NaN with a value below the minimum).
 * @example
 * rankDescending([0.9, NaN, 0.95, 0.9]); // [2, 4, 1, 2]
 */
export function rankDescending(values: readonly number[]): number[] {
  const finite = values.filter((value) => !Number.isNaN(value));
  const floor = finite.length === 0 ? 0 : Math.min(...finite) - 1;
  const filled = values.map((value) => (Number.isNaN(value) ? floor : value));
  return filled.map((value) => 1 + filled.filter((other) => other > value).length);
}

/**
 * `cv_results_` as one record per candidate (what `--save-results` writes and the metadata stores):
 * the keys of {@link CvResults} with `params` kept as an object.
 * @example
 * cvResultsRecords(cv)[0].mean_test_score;
 */
export function cvResultsRecords(results: CvResults): Record<string, unknown>[] {
  const keys = Object.keys(results);
  const n = results.params?.length ?? 0;
  return Array.from({ length: n }, (_, i) => Object.fromEntries(keys.map((key) => [key, results[key][i]])));
}

function _mean(values: number[]): number {
  return values.reduce((a, b) => a + b, 0) / values.length;
}

// Population standard deviation, as numpy's std (ddof=0) that scikit-learn uses.
function _std(values: number[]): number {
  const mean = _mean(values);
  return Math.sqrt(values.reduce((acc, value) => acc + (value - mean) ** 2, 0) / values.length);
}
