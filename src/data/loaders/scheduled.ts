import { z } from 'zod';
import { PldError, toPldError } from '../../errors.js';
import { formatZodError } from '../../internal/zod-format.js';
import { type Schedule, scheduleFromParams } from '../../persistence/schedule.js';
import { type ScheduleHandle, startSchedule } from '../../persistence/schedule-runner.js';
import { type Dataset, type DatasetLoader, isDatasetLoader } from '../types.js';
import type { LoaderContext } from './table.js';

/**
 * Parameters of `ScheduledDatasetLoader` (`palladium.dataset.ScheduledDatasetLoader`): the wrapped
 * loader and exactly one schedule (`update_cache_rrule`, `update_cache_cron` or `update_cache_interval`).
 * @example
 * scheduledLoaderParams.parse({ impl: sqlLoader, update_cache_rrule: { freq: 'HOURLY' } });
 */
export const scheduledLoaderParams = z.strictObject({
  impl: z.custom<DatasetLoader>(isDatasetLoader, { message: 'must be a dataset loader, e.g. {"__factory__": "SQL", "url": "...", "sql": "..."}' }),
  update_cache_rrule: z.record(z.string(), z.unknown()).optional(),
  update_cache_cron: z.string().optional(),
  update_cache_interval: z.number().optional(),
});

/** Parameters of `ScheduledDatasetLoader` as given in a config. */
export type ScheduledLoaderParams = z.input<typeof scheduledLoaderParams>;

/** The last failed load: when, and why. */
export interface LoadFailure {
  readonly at: Date;
  readonly error: PldError;
}

/**
 * Palladium's `ScheduledDatasetLoader`: wraps another loader and caches its data. The first `load()`
 * (or `start()`, which `pld serve` calls) loads through `impl`, then a background schedule reloads it;
 * `load()` always answers from the cache. A failed reload keeps the last good data and records the
 * error for `/alive`. The schedule's timers are unref'd, so they never keep a CLI process alive; `close()`
 * stops them (the server calls it on shutdown).
 * @example
 * const loader = new ScheduledDatasetLoader({ impl: new SqlLoader({...}), update_cache_interval: 3600 });
 * const { X, y } = await loader.load(); // loads once, then every hour in the background
 * loader.describe(); // { rows: 150, updated: '2026-...', last_error: null, schedule: 'every 3600 s', next_run: '...' }
 * loader.close();
 */
export class ScheduledDatasetLoader implements DatasetLoader {
  readonly impl: DatasetLoader;
  readonly schedule: Schedule;
  #data: Dataset | undefined;
  #updated: Date | undefined;
  #failure: LoadFailure | undefined;
  #first: Promise<Dataset> | undefined;
  #refreshing: Promise<void> | undefined;
  #handle: ScheduleHandle | undefined;
  #closed = false;

  constructor(params: ScheduledLoaderParams, ctx: Partial<LoaderContext> = {}) {
    const keyPath = ctx.keyPath ?? 'dataset_loader';
    const parsed = scheduledLoaderParams.safeParse(params);
    if (!parsed.success) {
      throw new PldError('PLD_ERR_CONFIG_INVALID_PARAM', formatZodError(parsed.error, keyPath, params), { cause: parsed.error, details: { keyPath, file: ctx.file } });
    }
    const schedule = scheduleFromParams(parsed.data, keyPath);
    if (schedule === undefined) {
      throw new PldError('PLD_ERR_CONFIG_INVALID_PARAM', `${keyPath}: a ScheduledDatasetLoader needs update_cache_rrule, update_cache_cron or update_cache_interval`, {
        details: { keyPath, file: ctx.file },
      });
    }
    this.impl = parsed.data.impl;
    this.schedule = schedule;
  }

  /**
   * The cached data. The first call loads through `impl` (a failure is thrown, and the next call tries
   * again) and starts the refresh schedule; later calls never touch `impl`.
   */
  async load(): Promise<Dataset> {
    if (this.#data !== undefined) return this.#data;
    this.#first ??= this.#loadFirst();
    return this.#first;
  }

  /**
   * For servers: starts the schedule and the first load without throwing; a failed first load is
   * recorded (see {@link describe}) and retried by the schedule.
   */
  async start(): Promise<void> {
    this.#arm();
    await this.load().catch(() => {});
  }

  /**
   * Reloads through `impl` now. On success the cache is replaced; on failure the cache is kept and the
   * error recorded. Concurrent calls share one reload. Never throws.
   */
  refresh(): Promise<void> {
    this.#refreshing ??= this.#reload().finally(() => {
      this.#refreshing = undefined;
    });
    return this.#refreshing;
  }

  /** Stops the schedule; the cached data stays readable. */
  close(): void {
    this.#closed = true;
    this.#handle?.stop();
    this.#handle = undefined;
  }

  /** The last failed load, if the latest load failed. */
  get lastFailure(): LoadFailure | undefined {
    return this.#failure;
  }

  /** What `/alive` shows: cached rows, when they were loaded, the last error (or null), the schedule and the next run. */
  describe(): Record<string, unknown> {
    const failure = this.#failure;
    return {
      rows: this.#data?.X.nRows ?? 0,
      updated: this.#updated?.toISOString() ?? null,
      last_error: failure === undefined ? null : { at: failure.at.toISOString(), error_type: failure.error.code, error_message: failure.error.message },
      schedule: this.schedule.description,
      next_run: this.#handle?.nextRun?.toISOString() ?? null,
    };
  }

  async #loadFirst(): Promise<Dataset> {
    try {
      const data = await this.impl.load();
      this.#store(data);
      this.#arm();
      return data;
    } catch (error) {
      this.#failure = { at: new Date(), error: toPldError(error) };
      this.#first = undefined;
      throw error;
    }
  }

  async #reload(): Promise<void> {
    try {
      this.#store(await this.impl.load());
    } catch (error) {
      this.#failure = { at: new Date(), error: toPldError(error) };
    }
  }

  #store(data: Dataset): void {
    this.#data = data;
    this.#updated = new Date();
    this.#failure = undefined;
  }

  #arm(): void {
    if (this.#closed || this.#handle !== undefined) return;
    this.#handle = startSchedule(this.schedule, () => this.refresh());
  }
}

/** The `ScheduledDatasetLoader`s among values (e.g. a config's dataset loaders), for `/alive` and shutdown. */
export function isScheduledDatasetLoader(value: unknown): value is ScheduledDatasetLoader {
  return value instanceof ScheduledDatasetLoader;
}
