import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker as Thread } from 'node:worker_threads';
import { UnrecoverableError, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Frame, Labels } from '../../../data/frame.js';
import { PldError } from '../../../errors.js';
import { silentLogger, type Logger } from '../../../logging.js';
import type { DataFingerprint } from '../../../persistence/types.js';
import { sharedData } from '../pool.js';
import type { TaskResult } from '../run-task.js';
import { connectBackend } from './connect.js';
import { encodeResult, PROTOCOL_VERSION, QUEUE_PREFIX, type RemoteJobData, type RemoteJobResult, RUNS_KEY, redactUrl, WORKER_ID } from './protocol.js';

const THREAD_URL = new URL('./fit-thread.js', import.meta.url);

/** Options of {@link runSearchWorker}. */
export interface SearchWorkerOptions {
  readonly url: string;
  /** This machine's training data (`dataset_loader_train`), before any groups column is dropped. */
  readonly X: Frame;
  readonly y?: Labels;
  readonly fingerprint: DataFingerprint;
  /**
   * How long a job's lock lasts without renewal (ms; BullMQ's default 30 000). A worker that dies
   * mid-job has its job handed to another after about this long; the stalled check runs as often.
   */
  readonly lockDuration?: number;
  /** How often to look for new search runs (ms, default 500). */
  readonly pollInterval?: number;
  readonly log?: Logger;
  /** Aborting stops taking jobs and resolves once the workers are closed. */
  readonly signal?: AbortSignal;
}

/** What a worker did, when it stops. */
export interface SearchWorkerSummary {
  readonly fits: number;
  readonly runs: number;
}

/**
 * `pld worker`: takes the fits of every live `pld grid-search --backend` run from Redis, one at a time,
 * on a thread of its own, until `signal` aborts. Refuses (fails without retry) a job whose data
 * fingerprint differs from this machine's data, so a search never mixes scores over different data.
 * @example
 * await runSearchWorker({ url: 'redis://127.0.0.1:6379', X, y, fingerprint: fingerprint(X, y), signal });
 */
export async function runSearchWorker(options: SearchWorkerOptions): Promise<SearchWorkerSummary> {
  const log = options.log ?? silentLogger;
  const url = redactUrl(options.url);
  const lockDuration = options.lockDuration ?? 30_000;
  if (!existsSync(fileURLToPath(THREAD_URL)))
    throw new PldError('PLD_ERR_EVAL_WORKER', 'pld worker needs the compiled fit thread (run the built package, not the TypeScript sources)');
  const redis = await connectBackend(options.url);
  const thread = new FitThread(options.X, options.y);
  const workers = new Map<string, Worker<RemoteJobData, RemoteJobResult>>();
  let fits = 0;
  let runs = 0;
  log.info(`Worker ${WORKER_ID} waiting for search fits on ${url} (data: ${options.fingerprint.rows} rows, fingerprint ${options.fingerprint.hash.slice(0, 12)})`);

  const processor = async (job: { data: RemoteJobData; id?: string }): Promise<RemoteJobResult> => {
    const data = job.data;
    if (data.protocol !== PROTOCOL_VERSION)
      throw new UnrecoverableError(`PLD_ERR_EVAL_REMOTE_FAILED: worker ${WORKER_ID} speaks protocol ${PROTOCOL_VERSION}, the job ${data.protocol}`);
    if (data.fingerprint.hash !== options.fingerprint.hash) {
      const message = `Worker ${WORKER_ID} refused the search's fits: its training data (${_describe(options.fingerprint)}) differs from the data the search was started with (${_describe(data.fingerprint)}); give every worker the same dataset_loader_train`;
      log.error(message);
      throw new UnrecoverableError(`PLD_ERR_EVAL_DATA_MISMATCH: ${message}`);
    }
    log.info(`Fit ${data.task.index} of ${data.run} started (candidate ${data.task.candidate}, fold ${data.task.fold})`);
    const result = await thread.run(data);
    fits++;
    log.info(`Fit ${data.task.index} of ${data.run} done in ${result.fitTime.toFixed(3)} s`);
    return encodeResult(result);
  };

  const sync = async () => {
    const now = Date.now();
    await redis.zremrangebyscore(RUNS_KEY, '-inf', now);
    const live = new Set(await redis.zrangebyscore(RUNS_KEY, now, '+inf'));
    for (const run of live) {
      if (workers.has(run)) continue;
      const worker = new Worker<RemoteJobData, RemoteJobResult>(run, processor, {
        connection: redis.duplicate(),
        prefix: QUEUE_PREFIX,
        concurrency: 1,
        lockDuration,
        stalledInterval: lockDuration,
        // A fit whose worker died twice (or whose lock lapsed on a very busy machine) still gets a third try.
        maxStalledCount: 2,
      });
      worker.on('error', (error) => log.debug(`Queue ${run}: ${error.message}`));
      workers.set(run, worker);
      runs++;
      log.info(`Joined search ${run}`);
    }
    for (const [run, worker] of workers) {
      if (live.has(run)) continue;
      workers.delete(run);
      // The run is over (or its coordinator died): drop whatever fit is in progress for it, then remove
      // the few keys a worker's last polls recreate after the coordinator's obliterate (`meta`).
      void worker
        .close(true)
        .then(() => _removeKeys(redis, run))
        .catch((error: Error) => log.debug(`Leaving ${run}: ${error.message}`))
        .finally(() => (worker.opts.connection as Redis).quit().catch(() => {}));
      log.info(`Left search ${run}`);
    }
  };

  try {
    while (options.signal?.aborted !== true) {
      await sync().catch((error: Error) => log.warn(`Cannot read the search runs from ${url}: ${error.message}`));
      await _sleep(options.pollInterval ?? 500, options.signal);
    }
  } finally {
    await Promise.allSettled([...workers.values()].map((worker) => worker.close(true).finally(() => (worker.opts.connection as Redis).quit().catch(() => {}))));
    await thread.close();
    await redis.quit().catch(() => redis.disconnect());
  }
  return { fits, runs };
}

// One long-lived thread holding this machine's data in shared memory; fits are queued one by one. A
// thread that crashed is replaced for the next fit (the failed one is retried by BullMQ).
class FitThread {
  readonly #workerData: ReturnType<typeof sharedData>;
  #thread: Thread | undefined;
  #chain: Promise<unknown> = Promise.resolve();

  constructor(X: Frame, y: Labels | undefined) {
    this.#workerData = sharedData(X, y);
  }

  run(job: RemoteJobData): Promise<TaskResult> {
    const next = this.#chain.then(
      () =>
        new Promise<TaskResult>((resolve, reject) => {
          const thread = this.#live();
          const onMessage = (message: { result?: TaskResult; failure?: string }) => {
            cleanup();
            if (message.result !== undefined) resolve(message.result);
            else reject(new Error(`PLD_ERR_EVAL_WORKER: ${message.failure}`));
          };
          const onExit = (code: number) => {
            cleanup();
            this.#thread = undefined;
            reject(new Error(`PLD_ERR_EVAL_WORKER: the fit thread exited with code ${code}`));
          };
          const cleanup = () => {
            thread.off('message', onMessage);
            thread.off('exit', onExit);
          };
          thread.on('message', onMessage);
          thread.on('exit', onExit);
          thread.postMessage(job);
        }),
    );
    this.#chain = next.catch(() => {});
    return next;
  }

  async close(): Promise<void> {
    await this.#thread?.terminate();
  }

  #live(): Thread {
    if (this.#thread === undefined) {
      const thread = new Thread(THREAD_URL, { workerData: this.#workerData });
      thread.on('error', () => {}); // followed by 'exit', which fails the fit in progress
      this.#thread = thread;
    }
    return this.#thread;
  }
}

async function _removeKeys(redis: Redis, run: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${QUEUE_PREFIX}:${run}:*`, 'COUNT', 1000);
    if (keys.length > 0) await redis.del(...keys);
    cursor = next;
  } while (cursor !== '0');
}

function _describe(fingerprint: DataFingerprint): string {
  return `${fingerprint.rows} rows, columns ${fingerprint.columns.join(', ')}, sha256 ${fingerprint.hash.slice(0, 12)}`;
}

function _sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
