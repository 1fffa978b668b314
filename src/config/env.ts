import { PldError } from '../errors.js';
import { isPlainObject, joinPath } from '../internal/objects.js';

// A default may hold balanced `{...}` pairs, so Palladium's `environ.get('P', 'model-{version}')` migrates
// to `${P:-model-{version}}`; an unbalanced `{` falls back to "up to the first `}`", as before.
const _REFERENCE = /\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-((?:[^{}]|\{[^{}]*\})*|[^}]*))?\}/g;

/**
 * Replaces `${VAR}` and `${VAR:-default}` in every string of a parsed config; `$$` is a literal `$`.
 * An unset variable without a default is an error naming the file and key path.
 * @example
 * substituteEnv({ url: '${DB_URL:-sqlite:models.db}' }, {}, 'config.json'); // { url: 'sqlite:models.db' }
 */
export function substituteEnv(value: unknown, env: NodeJS.ProcessEnv, file: string, keyPath = ''): unknown {
  if (typeof value === 'string') return _substitute(value, env, file, keyPath);
  if (Array.isArray(value)) return value.map((item, i) => substituteEnv(item, env, file, joinPath(keyPath, String(i))));
  if (isPlainObject(value)) {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) out[key] = substituteEnv(item, env, file, joinPath(keyPath, key));
    return out;
  }
  return value;
}

function _substitute(text: string, env: NodeJS.ProcessEnv, file: string, keyPath: string): string {
  if (!text.includes('$')) return text;
  return text.replace(_REFERENCE, (match, name: string | undefined, fallback: string | undefined) => {
    if (match === '$$') return '$';
    const found = env[name as string];
    if (found !== undefined && found !== '') return found;
    if (fallback !== undefined) return fallback;
    throw new PldError(
      'PLD_ERR_CONFIG_ENV_VAR',
      `${file}: ${keyPath || '(root)'}: environment variable ${name} is not set and '${match}' has no default (write \${${name}:-default})`,
      {
        details: { file, keyPath, variable: name },
      },
    );
  });
}
