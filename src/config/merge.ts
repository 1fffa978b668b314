import { PldError } from '../errors.js';
import { isPlainObject, joinPath } from '../internal/objects.js';

/** The factory key; `!` is Palladium's short spelling and means the same. */
export const FACTORY_KEY = '__factory__';
const _FACTORY_ALIAS = '!';
const _COPY_KEY = '__copy__';
const _DEFAULT_KEY = '__default__';

/** One parsed config file. */
export interface ConfigSource {
  readonly file: string;
  readonly data: Record<string, unknown>;
}

/** Merged config data and the file each top-level key came from (for error messages). */
export interface MergedConfig {
  readonly data: Record<string, unknown>;
  readonly sources: ReadonlyMap<string, string>;
}

/**
 * Merges config files left to right the way Palladium does: later files replace whole top-level keys;
 * `__copy__: 'dotted.path'` deep-copies a value (this file first, then the earlier ones; a path that
 * contains the copying key itself reads the earlier files, so a later file can extend an entry) and
 * merges the dict's other keys over it; `__default__` is used when the path is missing; `!` becomes
 * `__factory__`.
 * @example
 * mergeConfigs([{ file: 'a.json', data: { m: { x: 1 } } }, { file: 'b.json', data: { m: { __copy__: 'm', y: 2 } } }]).data;
 * // { m: { x: 1, y: 2 } }
 */
export function mergeConfigs(sources: readonly ConfigSource[]): MergedConfig {
  let merged: Record<string, unknown> = {};
  const origin = new Map<string, string>();
  for (const source of sources) {
    const normalized = _normalizeFactory(source.data) as Record<string, unknown>;
    const resolved = _resolveCopies(normalized, '', { current: normalized, previous: merged, file: source.file }) as Record<string, unknown>;
    merged = { ...merged, ...resolved };
    for (const key of Object.keys(resolved)) origin.set(key, source.file);
  }
  return { data: merged, sources: origin };
}

interface _CopyScope {
  readonly current: Record<string, unknown>;
  readonly previous: Record<string, unknown>;
  readonly file: string;
}

function _normalizeFactory(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(_normalizeFactory);
  if (!isPlainObject(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) out[key === _FACTORY_ALIAS ? FACTORY_KEY : key] = _normalizeFactory(item);
  return out;
}

function _resolveCopies(value: unknown, keyPath: string, scope: _CopyScope): unknown {
  if (Array.isArray(value)) return value.map((item, i) => _resolveCopies(item, joinPath(keyPath, String(i)), scope));
  if (!isPlainObject(value)) return value;
  if (typeof value[_COPY_KEY] === 'string') return _copy(value, keyPath, scope);
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) out[key] = _resolveCopies(item, joinPath(keyPath, key), scope);
  return out;
}

function _copy(spec: Record<string, unknown>, keyPath: string, scope: _CopyScope): unknown {
  const target = spec[_COPY_KEY] as string;
  const selfReference = keyPath === target || keyPath.startsWith(`${target}.`);
  let found = selfReference ? _MISSING : _lookup(scope.current, target);
  if (found === _MISSING) found = _lookup(scope.previous, target);
  if (found === _MISSING) {
    if (_DEFAULT_KEY in spec) return _resolveCopies(structuredClone(spec[_DEFAULT_KEY]), keyPath, scope);
    throw new PldError('PLD_ERR_CONFIG_COPY_TARGET', `${scope.file}: ${keyPath || '(root)'}: __copy__ target '${target}' does not exist (add __default__ to allow that)`, {
      details: { file: scope.file, keyPath, target },
    });
  }
  // The copied value may itself copy; resolving it in the same scope reads the earlier files for
  // self-references, as Palladium does.
  const copied = _resolveCopies(structuredClone(found), target, scope);
  const overrides = Object.entries(spec).filter(([key]) => key !== _COPY_KEY && key !== _DEFAULT_KEY);
  if (overrides.length === 0) return copied;
  if (!isPlainObject(copied)) {
    throw new PldError('PLD_ERR_CONFIG_COPY_TARGET', `${scope.file}: ${keyPath}: __copy__ target '${target}' is not an object, so keys cannot be merged over it`, {
      details: { file: scope.file, keyPath, target },
    });
  }
  const out: Record<string, unknown> = { ...copied };
  for (const [key, item] of overrides) out[key] = _resolveCopies(item, joinPath(keyPath, key), scope);
  return out;
}

const _MISSING = Symbol('missing');

function _lookup(root: Record<string, unknown>, dotted: string): unknown {
  let current: unknown = root;
  for (const part of dotted.split('.')) {
    if (Array.isArray(current) && /^\d+$/.test(part)) current = current[Number(part)];
    else if (isPlainObject(current) && part in current) current = current[part];
    else return _MISSING;
    if (current === undefined) return _MISSING;
  }
  return current;
}
