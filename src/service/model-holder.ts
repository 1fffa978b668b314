import { PldError, toPldError } from '../errors.js';
import type { EstimatorCodec } from '../estimators/types.js';
import { fromArtifact, type LoadedModel } from '../persistence/model.js';
import type { ModelPersister } from '../persistence/types.js';

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

  async #load(): Promise<LoadedModel | undefined> {
    this.#lastAttempt = Date.now();
    try {
      const model = fromArtifact(await this.persister.read(), this.codec);
      this.#current = model;
      this.#loadedAt = new Date();
      this.#lastError = undefined;
      return model;
    } catch (error) {
      this.#lastError = toPldError(error);
      return this.#current;
    }
  }
}
