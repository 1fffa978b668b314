/** True for `{...}` literals (JSON/YAML objects), false for arrays, class instances and null. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** Joins a dotted key path: `joinPath('model', 'steps')` is `model.steps`, `joinPath('', 'model')` is `model`. */
export function joinPath(base: string, key: string): string {
  return base === '' ? key : `${base}.${key}`;
}
