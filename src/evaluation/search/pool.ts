import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Column, Frame, Labels } from '../../data/frame.js';
import { PldError } from '../../errors.js';
import type { EstimatorSpec } from '../../estimators/types.js';
import type { Fold } from '../splitters/types.js';
import type { SearchTask, TaskResult } from './run-task.js';

/** What each worker receives once, at start: numeric columns, targets and folds share memory with the main thread. */
export interface WorkerInit {
  readonly spec: Pick<EstimatorSpec, 'factory' | 'params'>;
  readonly columns: [string, Column][];
  readonly y?: Labels;
  readonly folds: Fold[];
  readonly scorers: { name: string; builtinName: string }[];
  readonly returnTrainScore: boolean;
}

/** The compiled worker entry, when it exists (it does not when running the TypeScript sources). */
export const WORKER_URL = new URL('./worker.js', import.meta.url);

/**
 * True when worker threads can run here: the compiled worker file is next to this module.
 * @example
 * if (!workersAvailable()) log.debug('running the search in-process');
 */
export function workersAvailable(): boolean {
  return WORKER_URL.protocol === 'file:' && existsSync(fileURLToPath(WORKER_URL));
}

/**
 * `n_jobs` as scikit-learn reads it: null → 1, -1 → all cores, -2 → all but one, k → k.
 * @example
 * resolveNJobs(-1); // os.availableParallelism()
 */
export function resolveNJobs(nJobs: number | null | undefined): number {
  if (nJobs === null || nJobs === undefined || nJobs === 0) return 1;
  return nJobs > 0 ? nJobs : Math.max(1, availableParallelism() + 1 + nJobs);
}

/**
 * Copies a Frame's numeric columns (and numeric targets, and folds) into SharedArrayBuffers, so
 * every worker reads the same memory instead of a copy.
 * @example
 * const init = sharedInit(spec, X, y, folds, scorers, false);
 */
export function sharedInit(
  spec: WorkerInit['spec'],
  X: Frame,
  y: Labels | undefined,
  folds: readonly Fold[],
  scorers: WorkerInit['scorers'],
  returnTrainScore: boolean,
): WorkerInit {
  const sharedFolds = folds.map((fold) => ({ train: _shared(fold.train), test: _shared(fold.test) }));
  return { spec, ...sharedData(X, y), folds: sharedFolds, scorers, returnTrainScore };
}

/**
 * A Frame's numeric columns and numeric targets copied into shared memory, for one long-lived thread.
 * @example
 * const { columns, y } = sharedData(X, y);
 */
export function sharedData(X: Frame, y: Labels | undefined): { columns: [string, Column][]; y?: Labels } {
  const columns: [string, Column][] = [...X.entries()].map(([name, column]) => [name, column instanceof Float64Array ? _shared(column) : column]);
  return { columns, y: y instanceof Float64Array ? _shared(y) : y };
}

/**
 * Runs tasks on `nJobs` worker threads, one task per worker at a time, handing each result to
 * `onResult` as it arrives (which may throw to stop everything). Aborting `signal` terminates the
 * workers at once and rejects with PLD_ERR_EVAL_INTERRUPTED.
 * @example
 * const results = await runInWorkers(init, tasks, 2, (r) => progress(r), controller.signal);
 */
export function runInWorkers(init: WorkerInit, tasks: readonly SearchTask[], nJobs: number, onResult: (result: TaskResult) => void, signal?: AbortSignal): Promise<TaskResult[]> {
  const results: TaskResult[] = new Array(tasks.length);
  const workers: Worker[] = [];
  return new Promise<TaskResult[]>((resolve, reject) => {
    let next = 0;
    let done = 0;
    let settled = false;
    const finish = (error?: unknown) => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      // terminate() returns a promise; the workers are gone before the caller writes anything.
      Promise.all(workers.map((worker) => worker.terminate())).then(
        () => (error === undefined ? resolve(results) : reject(error)),
        () => (error === undefined ? resolve(results) : reject(error)),
      );
    };
    const onAbort = () => finish(new PldError('PLD_ERR_EVAL_INTERRUPTED', `Search interrupted after ${done} of ${tasks.length} fits; nothing was written`));
    if (signal?.aborted) return onAbort();
    signal?.addEventListener('abort', onAbort);
    const feed = (worker: Worker) => {
      if (next < tasks.length) worker.postMessage(tasks[next++]);
    };
    for (let w = 0; w < Math.min(nJobs, tasks.length); w++) {
      const worker = new Worker(WORKER_URL, { workerData: init });
      workers.push(worker);
      worker.on('message', (result: TaskResult) => {
        if (settled) return;
        results[result.index] = result;
        done++;
        try {
          onResult(result);
        } catch (error) {
          return finish(error);
        }
        if (done === tasks.length) finish();
        else feed(worker);
      });
      worker.on('error', (error) => finish(new PldError('PLD_ERR_EVAL_WORKER', `A search worker failed: ${error.message}`, { cause: error })));
      worker.on('exit', (code) => {
        if (!settled && code !== 0) finish(new PldError('PLD_ERR_EVAL_WORKER', `A search worker exited with code ${code}`));
      });
      feed(worker);
    }
    if (tasks.length === 0) finish();
  });
}

function _shared<T extends Float64Array | Int32Array>(array: T): T {
  const Ctor = array.constructor as new (buffer: SharedArrayBuffer) => T;
  const out = new Ctor(new SharedArrayBuffer(array.byteLength));
  out.set(array as never);
  return out;
}
