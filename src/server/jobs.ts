import { randomUUID } from 'node:crypto';
import { PldError, toPldError } from '../errors.js';

/** A job's state, Palladium's words. */
export type JobStatus = 'running' | 'finished' | 'error';

/** One background job as `/alive` and `GET /jobs/{id}` show it. */
export interface Job {
  readonly id: string;
  /** What runs, e.g. `fit`. */
  readonly func: string;
  /** UTC start time, ISO 8601. */
  readonly started: string;
  status: JobStatus;
  /** UTC end time, once finished or failed. */
  finished?: string;
  /** The job's result when finished; `{error_type, error_message}` when it failed. */
  info?: unknown;
}

/** How many finished or failed jobs are kept; running ones are always kept. */
export const MAX_FINISHED_JOBS = 100;

/**
 * Runs work in the background and remembers how it went, for `/alive`'s `process_metadata.jobs` and
 * `GET /jobs/{id}`. Unlike Palladium, which kept every job forever, at most {@link MAX_FINISHED_JOBS}
 * finished jobs are kept (oldest dropped first).
 * @example
 * const jobs = new JobRegistry();
 * const id = jobs.start('fit', () => fit(ctx, {}));
 * await jobs.settled(id); jobs.get(id).status; // 'finished'
 */
export class JobRegistry {
  readonly #jobs = new Map<string, Job>();
  readonly #done = new Map<string, Promise<void>>();

  constructor(readonly maxFinished = MAX_FINISHED_JOBS) {}

  /** Starts `work` now and returns the job id at once; `work`'s result becomes the job's `info`. */
  start(func: string, work: () => Promise<unknown>): string {
    const id = randomUUID();
    const job: Job = { id, func, started: new Date().toISOString(), status: 'running' };
    this.#jobs.set(id, job);
    const done = Promise.resolve()
      .then(work)
      .then(
        (info) => {
          job.status = 'finished';
          job.info = info ?? null;
        },
        (error: unknown) => {
          const pld = toPldError(error);
          job.status = 'error';
          job.info = { error_type: pld.code, error_message: pld.message };
        },
      )
      .finally(() => {
        job.finished = new Date().toISOString();
        this.#done.delete(id);
        this.#prune();
      });
    this.#done.set(id, done);
    return id;
  }

  /** The job with that id; `PLD_ERR_SERVER_JOB_NOT_FOUND` (404) when unknown or pruned. */
  get(id: string): Job {
    const job = this.#jobs.get(id);
    if (job === undefined) throw new PldError('PLD_ERR_SERVER_JOB_NOT_FOUND', `No job with id '${id}'`, { details: { job_id: id } });
    return job;
  }

  /** Resolves when the job has finished or failed (at once for settled or unknown ids). */
  async settled(id: string): Promise<void> {
    await this.#done.get(id);
  }

  /** Number of known jobs. */
  get size(): number {
    return this.#jobs.size;
  }

  /** Palladium's `process_metadata`: `{}` until a job ran, then `{"jobs": {<id>: {...}}}`. */
  processMetadata(): Record<string, unknown> {
    if (this.#jobs.size === 0) return {};
    const jobs: Record<string, Job> = {};
    for (const [id, job] of this.#jobs) jobs[id] = job;
    return { jobs };
  }

  #prune(): void {
    let finished = 0;
    for (const job of this.#jobs.values()) if (job.status !== 'running') finished++;
    // Map iteration is insertion order, so the first settled jobs met are the oldest.
    for (const [id, job] of this.#jobs) {
      if (finished <= this.maxFinished) break;
      if (job.status !== 'running') {
        this.#jobs.delete(id);
        finished--;
      }
    }
  }
}
