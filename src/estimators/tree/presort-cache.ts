import { AsyncLocalStorage } from 'node:async_hooks';

// A search fits every candidate on the same fold's rows, and a tree's first step is sorting each
// feature column of those rows (about a third of a fit). Inside `withPresortCache`, the sorts are
// kept per column array, so the next candidate on that fold reuses them. The cache is scoped (not
// global) because it keys on array identity: only the search, which builds each fold's columns
// itself and never changes them, may promise that a column is unchanged between fits.
const scope = new AsyncLocalStorage<WeakMap<Float64Array, Int32Array>>();

/**
 * Runs `fn` with a presort cache active for the tree fits it makes (also across its awaits).
 * @example
 * await withPresortCache(new WeakMap(), () => tree.fit(Xtrain, ytrain));
 */
export function withPresortCache<T>(cache: WeakMap<Float64Array, Int32Array>, fn: () => T): T {
  return scope.run(cache, fn);
}

/**
 * `sort(column)`, remembered for the same column array while a presort cache is active. The result
 * may be shared: callers must not modify it.
 * @example
 * const order = cachedArgsort(column, argsortStable);
 */
export function cachedArgsort(column: Float64Array, sort: (column: Float64Array) => Int32Array): Int32Array {
  const cache = scope.getStore();
  if (cache === undefined) return sort(column);
  let order = cache.get(column);
  if (order === undefined) {
    order = sort(column);
    cache.set(column, order);
  }
  return order;
}
