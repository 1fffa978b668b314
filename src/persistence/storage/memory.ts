import type { StorageDriver } from './types.js';

/**
 * An in-process storage driver: a Map plus an async mutex. For tests, embedding and throwaway
 * stores; nothing survives the process. Bytes are copied in and out so callers cannot mutate the store.
 * @example
 * const persister = createVersionedPersister({ storage: memoryStorage() });
 */
export function memoryStorage(options: { name?: string } = {}): StorageDriver & { keys(): string[] } {
  const data = new Map<string, Uint8Array>();
  let tail: Promise<unknown> = Promise.resolve();
  return {
    async get(key) {
      const bytes = data.get(key);
      return bytes === undefined ? null : bytes.slice();
    },
    async put(key, bytes) {
      data.set(key, bytes.slice());
    },
    async remove(key) {
      data.delete(key);
    },
    async has(key) {
      return data.has(key);
    },
    withLock<T>(fn: () => Promise<T>): Promise<T> {
      // Chain every holder after the previous one; a failing holder must not poison the chain.
      const run = tail.then(fn, fn);
      tail = run.catch(() => undefined);
      return run;
    },
    describe() {
      return options.name ?? 'in-memory store';
    },
    keys() {
      return [...data.keys()];
    },
  };
}
