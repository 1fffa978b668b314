import type { StoreIndex } from '../store-index.js';

/**
 * A storage driver only moves bytes under string keys; versioning, the metadata index, checksums and
 * activation live once in `createVersionedPersister`. A new backend (S3, HTTP, SQL) is one driver.
 *
 * Contract:
 * - `get` returns `null` for a missing key, never throws for it.
 * - `put` is atomic: a concurrent or later `get` sees the old bytes or the new bytes, never a torn mix,
 *   also after a crash.
 * - `remove` of a missing key is not an error.
 * - `withLock` runs `fn` while holding a lock that excludes every other holder of the same store,
 *   across processes where the backend is shared across processes. The versioned core uses it for
 *   every read-modify-write of the index, so concurrent `pld fit`s get distinct versions.
 *
 * Keys used by the versioned core: `'metadata'` for the index and decimal version strings (`'1'`, `'2'`…)
 * for artifacts.
 * @example
 * const storage: StorageDriver = memoryStorage();
 * await storage.withLock(async () => storage.put('metadata', new TextEncoder().encode('{}')));
 */
export interface StorageDriver {
  get(key: string): Promise<Uint8Array | null>;
  put(key: string, bytes: Uint8Array): Promise<void>;
  remove(key: string): Promise<void>;
  has(key: string): Promise<boolean>;
  withLock<T>(fn: () => Promise<T>): Promise<T>;
  /** Where the bytes live, for messages (a path, a URL). */
  describe?(): string;
  /** Releases handles and timers. */
  close?(): Promise<void>;
  /**
   * Optional capability: the driver keeps the metadata index structurally (the SQL driver's
   * `properties`, `models` and `model_activations` tables) instead of as bytes under {@link INDEX_KEY}.
   * When both are present the versioned core uses them instead of `get`/`put` of the index, inside the
   * same `withLock` as before. `readIndex` returns the raw index (validated by the core) or `null`.
   */
  readIndex?(): Promise<unknown>;
  writeIndex?(index: StoreIndex): Promise<void>;
}

/** The key of the metadata index in every store. */
export const INDEX_KEY = 'metadata';
