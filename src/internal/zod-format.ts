import type { z } from 'zod';

/**
 * Renders zod issues as `path: what was expected, got <value>` lines, the path prefixed by `basePath`
 * (a config key path such as `model` or `dataset_loader_train`).
 * @example
 * formatZodError(err, 'model', { min_samples_leaf: 0 }); // "model.min_samples_leaf: Too small: expected number to be >=1, got 0"
 */
export function formatZodError(error: z.ZodError, basePath: string, input?: unknown): string {
  return error.issues
    .map((issue) => {
      const path = [basePath, ...issue.path.map(String)].filter((part) => part !== '').join('.');
      const got = input === undefined ? undefined : _valueAt(input, issue.path);
      const suffix = issue.code === 'unrecognized_keys' || got === _MISSING ? '' : `, got ${_show(got)}`;
      return `${path || '(root)'}: ${issue.message}${suffix}`;
    })
    .join('; ');
}

const _MISSING = Symbol('missing');

function _valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let current: unknown = input;
  for (const key of path) {
    if (current === null || typeof current !== 'object' || !(key in (current as object))) return _MISSING;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}

function _show(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (typeof value === 'object' && value !== null && !Array.isArray(value) && Object.getPrototypeOf(value) !== Object.prototype) {
    return `a ${value.constructor?.name ?? 'object'}`;
  }
  const text = JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
