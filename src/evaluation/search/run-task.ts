import type { Frame, Labels } from '../../data/frame.js';
import { isPldError } from '../../errors.js';
import type { Estimator, Params } from '../../estimators/types.js';
import type { PredictionCache, Scorer } from '../scorers.js';
import type { Fold } from '../splitters/types.js';

/**
 * One unit of search work: fit candidate `candidate` on fold `fold`'s train rows and score it.
 * Seeds are fixed before any task runs, so a task's result does not depend on where it runs.
 * @example
 * const task: SearchTask = { index: 0, candidate: 0, fold: 0, params: { max_depth: 2 } };
 */
export interface SearchTask {
  readonly index: number;
  readonly candidate: number;
  readonly fold: number;
  /** Candidate params plus any seed the search fixed (`random_state`). */
  readonly params: Params;
}

/**
 * What a task produced; `error` is set (and the scores are absent) when fitting or scoring threw.
 * @example
 * if (result.error) log.warn(result.error.message);
 */
export interface TaskResult {
  readonly index: number;
  readonly testScores?: number[];
  readonly trainScores?: number[];
  readonly fitTime: number;
  readonly scoreTime: number;
  readonly error?: { readonly code?: string; readonly message: string };
}

/** The data every task reads: the whole X, y, and the folds as row indices. */
export interface TaskData {
  readonly X: Frame;
  readonly y?: Labels;
  readonly folds: readonly Fold[];
}

/**
 * Runs one task: clone, set params, fit on the train rows, score with every scorer on the test rows
 * (and train rows with `returnTrainScore`). Errors are returned, not thrown, so one bad candidate
 * does not stop the others (`error_score`).
 * @example
 * const result = await runTask(model, data, task, scorers, false);
 */
export async function runTask(base: Estimator, data: TaskData, task: SearchTask, scorers: readonly Scorer[], returnTrainScore: boolean): Promise<TaskResult> {
  const { train, test } = data.folds[task.fold];
  const start = performance.now();
  let fitTime = 0;
  try {
    const estimator = base.clone().setParams(task.params);
    const Xtrain = data.X.take(train);
    const ytrain = data.y === undefined ? undefined : _take(data.y, train);
    await estimator.fit(Xtrain, ytrain);
    fitTime = (performance.now() - start) / 1000;
    const scoreStart = performance.now();
    const testScores = await _scoreAll(estimator, scorers, data.X.take(test), data.y === undefined ? undefined : _take(data.y, test));
    const scoreTime = (performance.now() - scoreStart) / 1000;
    const trainScores = returnTrainScore ? await _scoreAll(estimator, scorers, Xtrain, ytrain) : undefined;
    return { index: task.index, testScores, trainScores, fitTime, scoreTime };
  } catch (error) {
    if (fitTime === 0) fitTime = (performance.now() - start) / 1000;
    return {
      index: task.index,
      fitTime,
      scoreTime: 0,
      error: { code: isPldError(error) ? error.code : undefined, message: error instanceof Error ? error.message : String(error) },
    };
  }
}

async function _scoreAll(estimator: Estimator, scorers: readonly Scorer[], X: Frame, y: Labels | undefined): Promise<number[]> {
  const cache: PredictionCache = {};
  const out: number[] = [];
  for (const scorer of scorers) out.push(await scorer.score(estimator, X, y as Labels, cache));
  return out;
}

function _take(y: Labels, rows: Int32Array): Labels {
  if (y instanceof Float64Array) {
    const out = new Float64Array(rows.length);
    for (let i = 0; i < rows.length; i++) out[i] = y[rows[i]];
    return out;
  }
  return Array.from(rows, (row) => y[row]);
}
