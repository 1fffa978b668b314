import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { PldError } from '../../errors.js';
import type { TreeArrays } from '../tree/tree-arrays.js';
import { type ForestJob, growForestTree } from './forest-core.js';

/**
 * Threads to use for scikit-learn's `n_jobs`: null → 1, -1 → all cores, never more than there are trees.
 * @example
 * resolveJobs(-1, 100); // os.availableParallelism()
 */
export function resolveJobs(nJobs: number | null, nTrees: number): number {
  const wanted = nJobs === null ? 1 : nJobs < 0 ? availableParallelism() : nJobs;
  return Math.max(1, Math.min(wanted, nTrees));
}

/**
 * Whether worker threads can run the compiled worker script. Under a TypeScript runner (vitest on
 * `src/`) this module is a `.ts` file and there is no `forest-worker.js` beside it, so forests fit serially.
 * @example
 * if (!canUseWorkers()) console.log('serial');
 */
export function canUseWorkers(): boolean {
  return import.meta.url.endsWith('.js');
}

/**
 * Grows every tree of the forest, on `jobs` worker threads when asked (and possible), else in this
 * thread. Columns, targets and presorts (or float32 rows) go to each worker once, on SharedArrayBuffers; trees come back
 * as transferred typed arrays. The result is the same whatever `jobs` is.
 * @example
 * const trees = await fitForestTrees(job, 2);
 */
export async function fitForestTrees(job: ForestJob, jobs: number): Promise<TreeArrays[]> {
  if (jobs <= 1 || !canUseWorkers()) return Array.from(job.seeds, (_, t) => growForestTree(job, t));
  const shared: ForestJob = {
    ...job,
    columns: job.columns.map(_shared),
    presorted: job.presorted?.map(_shared),
    rows: job.rows && _shared(job.rows),
    target: job.target.kind === 'classification' ? { ...job.target, y: _shared(job.target.y) } : { ...job.target, y: _shared(job.target.y) },
  };
  const trees: TreeArrays[] = new Array(job.seeds.length);
  const url = new URL('./forest-worker.js', import.meta.url);
  await Promise.all(
    Array.from({ length: jobs }, (_, first) => {
      return new Promise<void>((resolve, reject) => {
        const worker = new Worker(url, { workerData: { job: shared, first, stride: jobs } });
        worker.on('message', (message: { t: number; tree: TreeArrays }) => {
          trees[message.t] = message.tree;
        });
        worker.on('error', (error) => reject(new PldError('PLD_ERR_INTERNAL', `A forest worker thread failed: ${error.message}`, { cause: error })));
        worker.on('exit', (code) => (code === 0 ? resolve() : reject(new PldError('PLD_ERR_INTERNAL', `A forest worker thread exited with code ${code}`))));
      });
    }),
  );
  return trees;
}

/** A copy of `a` on a SharedArrayBuffer, so posting it to a worker shares rather than copies it. */
function _shared<T extends Float64Array | Float32Array | Int32Array>(a: T): T {
  const Ctor = a.constructor as new (buffer: SharedArrayBuffer) => T;
  const out = new Ctor(new SharedArrayBuffer(a.byteLength));
  out.set(a as never);
  return out;
}
