import { randomUUID } from 'node:crypto';
import { type Job, Queue, QueueEvents } from 'bullmq';
import type { Redis } from 'ioredis';
import { PldError } from '../../../errors.js';
import { silentLogger, type Logger } from '../../../logging.js';
import type { DataFingerprint } from '../../../persistence/types.js';
import type { SearchExecutor } from '../executor.js';
import type { TaskResult } from '../run-task.js';
import { connectBackend } from './connect.js';
import { decodeResult, encodeRows, PROTOCOL_VERSION, QUEUE_PREFIX, type RemoteJobData, RUN_TTL_MS, RUNS_KEY, redactUrl } from './protocol.js';

/** Options of {@link redisExecutor}. */
export interface RedisExecutorOptions {
  /** `redis://host:port[/db]`. */
  readonly url: string;
  /** The fingerprint of the loaded training data, before `groups` was split off; workers must match it. */
  readonly fingerprint: DataFingerprint;
  /** `grid_search.groups`, the column workers drop from their data. */
  readonly groups?: string;
  readonly log?: Logger;
  /** How often to say that no worker has taken a job yet (default 10 s). */
  readonly idleNoticeMs?: number;
}

/**
 * The distributed executor of `pld grid-search --backend redis://…`: puts every (candidate, fold) fit
 * on a BullMQ queue of its own (`pld-search-<uuid>`), announces the queue to `pld worker`s, collects
 * their results, and removes the queue when done, failed or interrupted. A worker that dies mid-job
 * loses its lock, and BullMQ's stalled-job check hands the job to another worker.
 * @example
 * await runSearch(model, X, y, spec, { scoring, registry, workerFactories, executor: redisExecutor({ url, fingerprint }) });
 */
export function redisExecutor(options: RedisExecutorOptions): SearchExecutor {
  const log = options.log ?? silentLogger;
  const url = redactUrl(options.url);
  return {
    name: url,
    async run(job, tasks, onResult, signal) {
      if (signal?.aborted) throw _interrupted(0, tasks.length);
      const redis = await connectBackend(options.url);
      const run = `pld-search-${randomUUID()}`;
      const queue = new Queue<RemoteJobData>(run, { connection: redis.duplicate(), prefix: QUEUE_PREFIX });
      const events = new QueueEvents(run, { connection: redis.duplicate(), prefix: QUEUE_PREFIX });
      const timers: NodeJS.Timeout[] = [];
      let onAbort = () => {};
      try {
        await events.waitUntilReady();
        const heartbeat = () => redis.zadd(RUNS_KEY, Date.now() + RUN_TTL_MS, run);
        const results: TaskResult[] = new Array(tasks.length);
        const workers = new Set<string>();
        let done = 0;
        const outcome = new Promise<void>((resolve, reject) => {
          const take = (value: unknown) => {
            const { result, worker } = decodeResult(value);
            if (results[result.index] !== undefined) return; // a retried job finishing twice
            results[result.index] = result;
            workers.add(worker);
            done++;
            try {
              onResult(result);
            } catch (error) {
              return reject(error);
            }
            if (done === tasks.length) resolve();
          };
          events.on('completed', ({ returnvalue }) => take(returnvalue));
          events.on('failed', ({ jobId, failedReason }) => {
            const code = /^(PLD_ERR_[A-Z_]+): /.exec(failedReason)?.[1];
            const message = failedReason.replace(/^PLD_ERR_[A-Z_]+: /, '');
            if (code === 'PLD_ERR_EVAL_DATA_MISMATCH') reject(new PldError('PLD_ERR_EVAL_DATA_MISMATCH', message, { details: { backend: url, job: jobId } }));
            else reject(new PldError('PLD_ERR_EVAL_REMOTE_FAILED', `Fit ${jobId} failed on a worker of ${url}: ${failedReason}`, { details: { backend: url, job: jobId } }));
          });
          // Events are a stream read; a reconnect can skip some, so completed jobs are also polled.
          timers.push(
            setInterval(() => {
              queue
                .getCompletedCount()
                .then((count) => (count > done ? queue.getCompleted() : []))
                .then(
                  (jobs: Job[]) => {
                    for (const completed of jobs) if (completed.returnvalue !== undefined && completed.returnvalue !== null) take(completed.returnvalue);
                  },
                  () => {},
                );
            }, 2_000),
          );
          timers.push(setInterval(() => heartbeat().catch(() => {}), RUN_TTL_MS / 3));
          timers.push(
            setTimeout(() => {
              if (done === 0) log.warn(`No worker has taken a fit from ${url} yet; start some with \`pld worker --backend ${url}\``);
            }, options.idleNoticeMs ?? 10_000),
          );
          onAbort = () => reject(_interrupted(done, tasks.length));
          signal?.addEventListener('abort', onAbort, { once: true });
          if (tasks.length === 0) resolve();
        });
        outcome.catch(() => {}); // awaited below; this only keeps an early rejection from being "unhandled"
        const fingerprint = options.fingerprint;
        await queue.addBulk(
          tasks.map((task) => ({
            name: 'fit',
            data: {
              protocol: PROTOCOL_VERSION,
              run,
              fingerprint,
              groups: options.groups,
              spec: job.spec,
              scorers: job.scorers,
              returnTrainScore: job.returnTrainScore,
              task,
              train: encodeRows(job.folds[task.fold].train),
              test: encodeRows(job.folds[task.fold].test),
            },
            // Retries only cover a worker's own failures; fit errors come back as results (error_score).
            opts: { jobId: `fit-${task.index}`, attempts: 3 },
          })),
        );
        await heartbeat();
        log.info(`Queued ${tasks.length} fits on ${url} (queue ${run}); waiting for pld worker processes`);
        await outcome;
        return { results, workers: workers.size };
      } finally {
        signal?.removeEventListener('abort', onAbort);
        for (const timer of timers) clearInterval(timer);
        await _cleanup(redis, queue, events, run, log);
      }
    },
  };
}

async function _cleanup(redis: Redis, queue: Queue, events: QueueEvents, run: string, log: Logger): Promise<void> {
  try {
    await redis.zrem(RUNS_KEY, run);
    await queue.obliterate({ force: true });
  } catch (error) {
    log.warn(`Could not remove the search queue ${run}: ${(error as Error).message}`);
  }
  await Promise.allSettled([events.close(), queue.close()]);
  await Promise.allSettled([_quit(queue.opts.connection as Redis), _quit(events.opts.connection as Redis), _quit(redis)]);
}

function _quit(redis: Redis): Promise<unknown> {
  return redis.quit().catch(() => redis.disconnect());
}

function _interrupted(done: number, total: number): PldError {
  return new PldError('PLD_ERR_EVAL_INTERRUPTED', `Search interrupted after ${done} of ${total} fits; nothing was written`);
}
