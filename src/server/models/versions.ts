import { PldError } from '../../errors.js';
import { fromArtifact, type LoadedModel } from '../../persistence/model.js';
import { parseVersion } from '../../persistence/version.js';
import type { ModelHolder } from '../../service/model-holder.js';

/** How many inactive versions a model keeps loaded besides the active one (`server.max_loaded_versions`). */
export const DEFAULT_MAX_LOADED_VERSIONS = 4;

/** Told when an inactive version is read into memory or dropped from it (metrics). */
export interface ModelVersionsObserver {
  loaded?(event: { readonly name: string; readonly version: number; readonly seconds: number }): void;
  evicted?(event: { readonly name: string; readonly version: number }): void;
}

/**
 * The inactive versions of one model that requests pin (`/models/{name}/versions/{v}/predict`,
 * `/v2/models/{name}/versions/{v}/infer`): the holder's model when `v` is the served version,
 * otherwise read from the holder's store with its codec and kept in an LRU of at most `capacity`
 * entries (`max_loaded_versions`), so a client pinning an older version does not re-read it per
 * request and a client walking all versions cannot fill the memory. Each version is read once per
 * process however many requests ask for it at once (they share one pending read); a failed read is
 * not kept. When the holder swaps versions, the one it served before joins the LRU, so pinning the
 * previous version right after a rollout costs no read.
 * @example
 * const versions = new ModelVersions(holder, 3);
 * const model = await versions.get(2);
 */
export class ModelVersions {
  readonly #holder: ModelHolder;
  readonly #capacity: number;
  readonly #observers = new Set<ModelVersionsObserver>();
  // Insertion order is recency order: a hit moves the entry to the end, eviction takes the first.
  readonly #cache = new Map<number, Promise<LoadedModel>>();

  constructor(holder: ModelHolder, capacity = DEFAULT_MAX_LOADED_VERSIONS) {
    this.#holder = holder;
    this.#capacity = Math.max(1, capacity);
    holder.observe({
      loaded: ({ model, previous }) => {
        const before = previous?.metadata.version;
        if (previous !== undefined && before !== undefined && before !== model.metadata.version) this.#put(before, Promise.resolve(previous));
        // The new active version is served by the holder; a copy in the LRU would only hold memory.
        this.#drop(model.metadata.version);
      },
    });
  }

  /**
   * Calls `observer` when an inactive version is read or evicted; returns a function that removes it.
   * @example
   * versions.observe({ evicted: ({ version }) => evictions.inc() });
   */
  observe(observer: ModelVersionsObserver): () => void {
    this.#observers.add(observer);
    return () => this.#observers.delete(observer);
  }

  /** The model's name (the holder's). */
  get name(): string {
    return this.#holder.name;
  }

  /** The LRU bound. */
  get capacity(): number {
    return this.#capacity;
  }

  /** The inactive versions held (loaded or loading), least recently used first. */
  get cached(): number[] {
    return [...this.#cache.keys()];
  }

  /** The model of `version`; PLD_ERR_PERSIST_VERSION_NOT_FOUND (404) when the store has none. */
  get(version: number): Promise<LoadedModel> {
    const current = this.#holder.current;
    if (current !== undefined && current.metadata.version === version) return Promise.resolve(current);
    const hit = this.#cache.get(version);
    if (hit !== undefined) {
      this.#cache.delete(version);
      this.#cache.set(version, hit);
      return hit;
    }
    const loading = this.#read(version);
    this.#put(version, loading);
    loading.catch(() => {
      if (this.#cache.get(version) === loading) this.#cache.delete(version);
    });
    return loading;
  }

  #put(version: number, model: Promise<LoadedModel>): void {
    this.#cache.delete(version);
    this.#cache.set(version, model);
    while (this.#cache.size > this.#capacity) {
      const oldest = this.#cache.keys().next().value as number;
      this.#cache.delete(oldest);
      for (const observer of this.#observers) observer.evicted?.({ name: this.#holder.name, version: oldest });
    }
  }

  #drop(version: number): void {
    this.#cache.delete(version);
  }

  async #read(version: number): Promise<LoadedModel> {
    const { persister, codec } = this.#holder;
    const start = performance.now();
    const model = fromArtifact(await persister.read(parseVersion(version)), codec);
    // A store that ignored the version (e.g. a custom persister) must not serve another one under its name.
    if (model.metadata.version !== version) {
      throw new PldError('PLD_ERR_PERSIST_VERSION_NOT_FOUND', `The store answered version ${model.metadata.version} when asked for version ${version}`, {
        details: { version },
      });
    }
    const seconds = (performance.now() - start) / 1000;
    for (const observer of this.#observers) observer.loaded?.({ name: this.#holder.name, version, seconds });
    return model;
  }
}
