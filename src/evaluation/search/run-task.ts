import type { Frame, Labels } from '../../data/frame.js';
import { isPldError } from '../../errors.js';
import type { Estimator, Params } from '../../estimators/types.js';
import type { PredictionCache, Scorer } from '../scorers.js';
import type { Fold } from '../splitters/types.js';
import { withPresortCache } from '../../estimators/tree/presort-cache.js';

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

/** One fold's rows, taken once and shared by the candidates fitted on it. */
interface FoldSubsets {
  readonly fold: number;
  readonly Xtrain: Frame;
  readonly ytrain?: Labels;
  readonly Xtest: Frame;
  readonly ytest?: Labels;
  readonly presorts: WeakMap<Float64Array, Int32Array>;
}

/**
 * The last fold's row subsets and tree presorts. Tasks are dispatched fold by fold, so consecutive
 * tasks of a worker (or of the in-process loop) mostly share a fold; keeping only the last one bounds
 * the memory to one fold's copy of the data.
 * @example
 * const cache = new FoldCache(); await runTask(model, data, task, scorers, false, cache);
 */
export class FoldCache {
  #last: FoldSubsets | undefined;

  /** The subsets of `fold`, taken now unless they are the last ones taken. */
  get(data: TaskData, fold: number): FoldSubsets {
    if (this.#last?.fold === fold) return this.#last;
    this.#last = undefined; // let the previous fold's copies go before taking the next
    const { train, test } = data.folds[fold];
    this.#last = {
      fold,
      Xtrain: data.X.take(train),
      ytrain: data.y === undefined ? undefined : _take(data.y, train),
      Xtest: data.X.take(test),
      ytest: data.y === undefined ? undefined : _take(data.y, test),
      presorts: new WeakMap(),
    };
    return this.#last;
  }
}

/**
 * Runs one task: clone, set params, fit on the train rows, score with every scorer on the test rows
 * (and train rows with `returnTrainScore`). Errors are returned, not thrown, so one bad candidate
 * does not stop the others (`error_score`).
 * @example
 * const result = await runTask(model, data, task, scorers, false, new FoldCache());
 */
export async function runTask(
  base: Estimator,
  data: TaskData,
  task: SearchTask,
  scorers: readonly Scorer[],
  returnTrainScore: boolean,
  cache: FoldCache = new FoldCache(),
): Promise<TaskResult> {
  const start = performance.now();
  let fitTime = 0;
  try {
    const estimator = base.clone().setParams(task.params);
    const { Xtrain, ytrain, Xtest, ytest, presorts } = cache.get(data, task.fold);
    // The fold's columns are the search's own and never change, so tree presorts can be reused.
    await withPresortCache(presorts, () => estimator.fit(Xtrain, ytrain));
    fitTime = (performance.now() - start) / 1000;
    const scoreStart = performance.now();
    const testScores = await _scoreAll(estimator, scorers, Xtest, ytest);
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
