import { PldError } from '../../errors.js';
import { fromArtifact, type LoadedModel } from '../../persistence/model.js';
import { parseVersion } from '../../persistence/version.js';
import type { ModelHolder } from '../../service/model-holder.js';

/** How many pinned versions a server keeps in memory besides the active one. */
export const DEFAULT_PINNED_VERSIONS = 4;

/**
 * The models of pinned versions (`/v2/models/{name}/versions/{v}`): the holder's model when `v` is the
 * served version, otherwise read from the holder's store with its codec (as ModelHolder reads the active
 * one) and kept in a small LRU, so a client pinning an older version does not re-read it per request
 * and a client walking all versions cannot fill the memory. Concurrent first requests for a version
 * share one read; a failed read is not cached.
 * @example
 * const versions = new PinnedVersions(holder);
 * const model = await versions.get(2);
 */
export class PinnedVersions {
  readonly #holder: ModelHolder;
  readonly #capacity: number;
  // Insertion order is recency order: a hit moves the entry to the end, eviction takes the first.
  readonly #cache = new Map<number, Promise<LoadedModel>>();

  constructor(holder: ModelHolder, capacity = DEFAULT_PINNED_VERSIONS) {
    this.#holder = holder;
    this.#capacity = Math.max(1, capacity);
  }

  /** The versions held in the LRU, least recently used first (for tests and `/alive`-like reports). */
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
    this.#cache.set(version, loading);
    loading.catch(() => {
      if (this.#cache.get(version) === loading) this.#cache.delete(version);
    });
    while (this.#cache.size > this.#capacity) this.#cache.delete(this.#cache.keys().next().value as number);
    return loading;
  }

  async #read(version: number): Promise<LoadedModel> {
    const { persister, codec } = this.#holder;
    const model = fromArtifact(await persister.read(parseVersion(version)), codec);
    // A store that ignored the version (e.g. a custom persister) must not serve another one under its name.
    if (model.metadata.version !== version) {
      throw new PldError('PLD_ERR_PERSIST_VERSION_NOT_FOUND', `The store answered version ${model.metadata.version} when asked for version ${version}`, {
        details: { version },
      });
    }
    return model;
  }
}
