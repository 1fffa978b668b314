import type { Frame, Labels } from '../../data/frame.js';
import type { Params } from '../../estimators/types.js';
import type { Fold } from '../splitters/types.js';
import { runInWorkers, sharedInit } from './pool.js';
import type { SearchTask, TaskResult } from './run-task.js';

/**
 * Everything a task needs that can cross a thread or machine boundary: the estimator as its registry
 * name and JSON params (never a live object), built-in scorer names, and the data with its folds.
 */
export interface SearchJob {
  readonly spec: { readonly factory: string; readonly params: Params };
  readonly X: Frame;
  readonly y?: Labels;
  readonly folds: readonly Fold[];
  readonly scorers: readonly { readonly name: string; readonly builtinName: string }[];
  readonly returnTrainScore: boolean;
}

/** What an executor ran: one result per task (by `index`) and how many workers took part. */
export interface ExecutorRun {
  readonly results: TaskResult[];
  readonly workers: number;
}

/**
 * Runs a search's independent (candidate, fold) tasks somewhere: worker threads here
 * ({@link threadExecutor}) or processes on other machines (`redisExecutor`). `onResult` gets each
 * result as it arrives and may throw to stop everything; aborting `signal` rejects with
 * PLD_ERR_EVAL_INTERRUPTED. Results do not depend on the executor: seeds are fixed in the tasks.
 * @example
 * const { results } = await threadExecutor(2).run(job, tasks, onResult, signal);
 */
export interface SearchExecutor {
  /** Shown in logs: `2 threads`, `redis://host:6379`. */
  readonly name: string;
  run(job: SearchJob, tasks: readonly SearchTask[], onResult: (result: TaskResult) => void, signal?: AbortSignal): Promise<ExecutorRun>;
}

/**
 * The local executor: `nJobs` worker threads sharing the data's memory.
 * @example
 * await runSearch(model, X, y, spec, { scoring, executor: threadExecutor(4) });
 */
export function threadExecutor(nJobs: number): SearchExecutor {
  return {
    name: `${nJobs} threads`,
    async run(job, tasks, onResult, signal) {
      const init = sharedInit(job.spec, job.X, job.y, job.folds, [...job.scorers], job.returnTrainScore);
      const results = await runInWorkers(init, tasks, nJobs, onResult, signal);
      return { results, workers: Math.min(nJobs, tasks.length) };
    },
  };
}
