import { PldError, toPldError } from '../errors.js';
import type { EstimatorCodec } from '../estimators/types.js';
import { fromArtifact, type LoadedModel } from '../persistence/model.js';
import type { Logger } from '../logging.js';
import type { Schedule } from '../persistence/schedule.js';
import { startSchedule, type ScheduleHandle } from '../persistence/schedule-runner.js';
import type { ModelPersister } from '../persistence/types.js';
import { parseVersion } from '../persistence/version.js';

/** How often a server with no model retries loading one, at most. */
const _RETRY_INTERVAL_MS = 1000;

/**
 * Holds the active model of one model store in memory for serving. Loads it on `load()`; while none
 * is loaded, `get()` retries at most once a second so a server started before the first `pld fit`
 * picks the model up without a restart. Swapping is one reference assignment, so requests in flight
 * finish on the model they started with.
 * @example
 * const holder = new ModelHolder('default', persister, codec);
 * await holder.load();
 * const model = await holder.get();
 */
export class ModelHolder {
  #current: LoadedModel | undefined;
  #loadedAt: Date | undefined;
  #lastError: PldError | undefined;
  #lastAttempt = 0;
  #loading: Promise<LoadedModel | undefined> | undefined;
  #lastCheck: Date | undefined;
  #failedVersion: number | undefined;
  #schedule: { readonly description: string; readonly handle: ScheduleHandle } | undefined;
  readonly #observers = new Set<ModelHolderObserver>();

  constructor(
    readonly name: string,
    readonly persister: ModelPersister,
    readonly codec: EstimatorCodec,
  ) {}

  /** The loaded model, when there is one. */
  get current(): LoadedModel | undefined {
    return this.#current;
  }

  /** When the current model was loaded. */
  get loadedAt(): Date | undefined {
    return this.#loadedAt;
  }

  /** Why the last load failed, if it did. */
  get lastError(): PldError | undefined {
    return this.#lastError;
  }

  /** Reads the active version from the store and swaps it in; keeps the old model when that fails. */
  async load(): Promise<LoadedModel | undefined> {
    this.#loading ??= this.#load().finally(() => {
      this.#loading = undefined;
    });
    return this.#loading;
  }

  /**
   * Calls `observer` after every load attempt (the first load, scheduled and explicit refreshes), so
   * metrics and logs can count loads, failures and swaps without this module knowing about them.
   * Returns a function that removes the observer.
   * @example
   * const stop = holder.observe({ loaded: ({ model, seconds }) => record(model.metadata.version, seconds) });
   */
  observe(observer: ModelHolderObserver): () => void {
    this.#observers.add(observer);
    return () => this.#observers.delete(observer);
  }

  /** The model to serve; PLD_ERR_SERVER_MODEL_NOT_LOADED (503) when none could be loaded. */
  async get(): Promise<LoadedModel> {
    if (this.#current !== undefined) return this.#current;
    if (Date.now() - this.#lastAttempt >= _RETRY_INTERVAL_MS) await this.load();
    if (this.#current !== undefined) return this.#current;
    const reason = this.#lastError ? `: ${this.#lastError.message}` : '';
    throw new PldError('PLD_ERR_SERVER_MODEL_NOT_LOADED', `No model is loaded${reason}`, { cause: this.#lastError });
  }

  /** Like {@link get}, but `undefined` instead of an error when no model can be loaded (for `/alive`). */
  async tryGet(): Promise<LoadedModel | undefined> {
    try {
      return await this.get();
    } catch {
      return undefined;
    }
  }

  /**
   * Checks the store's active version and, when it differs from the served one, loads it and swaps it
   * in; a failed load keeps the old model, records `lastError` and is not retried for the same version
   * until `retryFailed` (an explicit `POST /update-model-cache`) or a new activation. With
   * `checkVersion: false` (Palladium's `check_version`) it reloads even when the version is unchanged.
   * The schedule and `/update-model-cache` both call this.
   * @example
   * const { changed, version } = await holder.refresh({ log });
   */
  async refresh(options: RefreshOptions = {}): Promise<RefreshResult> {
    const checkVersion = options.checkVersion ?? true;
    const previous = this.#current?.metadata.version ?? null;
    this.#lastCheck = new Date();
    let active: number | null;
    try {
      active = await _activeVersion(this.persister);
    } catch (error) {
      this.#lastError = toPldError(error);
      options.log?.error(`Cannot check the active model version: ${this.#lastError.message}`);
      return { changed: false, version: previous, previous, active: null, error: this.#lastError };
    }
    if (active === null) return { changed: false, version: previous, previous, active };
    if (checkVersion && active === previous) {
      // The store points at what we serve again (e.g. after a rollback), so an older failure is moot.
      this.#lastError = undefined;
      this.#failedVersion = undefined;
      return { changed: false, version: previous, previous, active };
    }
    if (checkVersion && active === this.#failedVersion && !options.retryFailed) {
      return { changed: false, version: previous, previous, active, error: this.#lastError };
    }
    const before = this.#current;
    await this.load();
    const version = this.#current?.metadata.version ?? null;
    if (this.#lastError !== undefined) {
      this.#failedVersion = active;
      const still = previous === null ? 'no model is loaded yet' : `still serving version ${previous}`;
      options.log?.error(`Cannot load model version ${active}: ${this.#lastError.message}; ${still}`);
      return { changed: false, version, previous, active, error: this.#lastError };
    }
    this.#failedVersion = undefined;
    const changed = this.#current !== before;
    if (changed) options.log?.info(`Loaded model version ${version}${previous === null ? '' : ` (was ${previous})`}`);
    return { changed, version, previous, active };
  }

  /**
   * Calls {@link refresh} on `schedule` until {@link stopRefreshing} (the server calls it on close).
   * Starting again replaces the previous schedule.
   * @example
   * holder.startRefreshing(intervalSchedule(60, 'update_cache_interval'), { log });
   */
  startRefreshing(schedule: Schedule, options: Omit<RefreshOptions, 'retryFailed'> = {}): void {
    this.stopRefreshing();
    const handle = startSchedule(schedule, () => this.refresh(options), {
      onError: (error) => options.log?.error(`Model cache update failed: ${toPldError(error).message}`),
    });
    this.#schedule = { description: schedule.description, handle };
  }

  /** Stops the schedule started by {@link startRefreshing}, if any. */
  stopRefreshing(): void {
    this.#schedule?.handle.stop();
    this.#schedule = undefined;
  }

  /**
   * What `/alive` shows about scheduled updates, or `undefined` when this holder is not refreshed
   * on a schedule and was never refreshed.
   * @example
   * holder.refreshStatus?.last_update; // '2024-05-01T12:00:00.000Z'
   */
  get refreshStatus(): RefreshStatus | undefined {
    if (this.#schedule === undefined && this.#lastCheck === undefined) return undefined;
    return {
      schedule: this.#schedule?.description ?? null,
      next_check: this.#schedule?.handle.nextRun?.toISOString() ?? null,
      last_check: this.#lastCheck?.toISOString() ?? null,
      last_update: this.#loadedAt?.toISOString() ?? null,
      version: this.#current?.metadata.version ?? null,
      last_error: this.#lastError === undefined ? null : { error_type: this.#lastError.code, error_message: this.#lastError.message },
    };
  }

  async #load(): Promise<LoadedModel | undefined> {
    this.#lastAttempt = Date.now();
    const start = performance.now();
    const previous = this.#current;
    try {
      const model = fromArtifact(await this.persister.read(), this.codec);
      this.#current = model;
      this.#loadedAt = new Date();
      this.#lastError = undefined;
      this.#notify((observer) => observer.loaded?.({ name: this.name, model, previous, seconds: (performance.now() - start) / 1000 }));
      return model;
    } catch (error) {
      this.#lastError = toPldError(error);
      const failure = this.#lastError;
      this.#notify((observer) => observer.failed?.({ name: this.name, error: failure, seconds: (performance.now() - start) / 1000 }));
      return this.#current;
    }
  }

  #notify(call: (observer: ModelHolderObserver) => void): void {
    // An observer's bug must not turn a good load into a failed one.
    for (const observer of this.#observers) {
      try {
        call(observer);
      } catch {}
    }
  }
}

/**
 * Told about every load attempt of a {@link ModelHolder}: `loaded` with the new model and the one it
 * replaced (a swap when their versions differ), `failed` with the error (the old model keeps serving).
 * @example
 * holder.observe({ failed: ({ error }) => log.error(error.message) });
 */
export interface ModelHolderObserver {
  loaded?(event: { readonly name: string; readonly model: LoadedModel; readonly previous: LoadedModel | undefined; readonly seconds: number }): void;
  failed?(event: { readonly name: string; readonly error: PldError; readonly seconds: number }): void;
}

/** Options of {@link ModelHolder.refresh}. */
export interface RefreshOptions {
  /** Palladium's `check_version` (default true): skip the load when the active version is the served one. */
  readonly checkVersion?: boolean;
  /** Try again a version whose load failed before (default false). */
  readonly retryFailed?: boolean;
  /** Where swaps and failures are logged. */
  readonly log?: Logger;
}

/** What one {@link ModelHolder.refresh} did. */
export interface RefreshResult {
  /** A new model was swapped in. */
  readonly changed: boolean;
  /** The version served after the refresh (`null`: none). */
  readonly version: number | null;
  /** The version served before it. */
  readonly previous: number | null;
  /** The store's active version (`null`: none). */
  readonly active: number | null;
  /** Why checking or loading failed; the previous model is still served. */
  readonly error?: PldError;
}

/** Scheduled-update facts for `/alive` (snake_case, like Palladium's other `/alive` fields). */
export interface RefreshStatus {
  readonly schedule: string | null;
  readonly next_check: string | null;
  readonly last_check: string | null;
  /** When the served model was last loaded successfully. */
  readonly last_update: string | null;
  readonly version: number | null;
  readonly last_error: { readonly error_type: string; readonly error_message: string } | null;
}

async function _activeVersion(persister: ModelPersister): Promise<number | null> {
  if (persister.activeVersion) return persister.activeVersion();
  const active = (await persister.listProperties())['active-model'];
  return active === undefined ? null : parseVersion(active, 'active-model');
}
