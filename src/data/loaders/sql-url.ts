import { isAbsolute, resolve } from 'node:path';
import { PldError } from '../../errors.js';

/** Where a `SQL` loader reads from: a PostgreSQL server or a SQLite file (or an in-memory SQLite database). */
export type SqlSource = { readonly kind: 'postgres'; readonly connectionString: string } | { readonly kind: 'sqlite'; readonly path: string };

/**
 * Reads a `SQL` loader's `url`: `postgres://` / `postgresql://` (SQLAlchemy's `postgresql+psycopg2://`
 * too), SQLAlchemy's `sqlite:///relative.db`, `sqlite:////absolute.db`, `sqlite://` (in memory), or a
 * plain file path, which is a SQLite file relative to `baseDir`. Other schemes are a config error.
 * @example
 * parseSqlUrl('sqlite:///data/iris.db', '/project'); // { kind: 'sqlite', path: '/project/data/iris.db' }
 * parseSqlUrl('postgresql+psycopg2://u:p@db/test', '/'); // { kind: 'postgres', connectionString: 'postgresql://u:p@db/test' }
 */
export function parseSqlUrl(url: string, baseDir: string, keyPath = 'url'): SqlSource {
  const postgres = /^(postgres(?:ql)?)(?:\+\w+)?:\/\//i.exec(url);
  if (postgres) return { kind: 'postgres', connectionString: `postgresql://${url.slice(postgres[0].length)}` };
  const sqlite = /^sqlite(?:\+\w+)?:\/\//i.exec(url);
  if (sqlite) {
    const rest = url.slice(sqlite[0].length);
    if (rest === '' || rest === '/:memory:') return { kind: 'sqlite', path: ':memory:' };
    if (!rest.startsWith('/')) throw _badUrl(url, keyPath, 'a SQLite URL has three slashes before a relative path (sqlite:///data.db) and four before an absolute one');
    const file = rest.slice(1);
    return { kind: 'sqlite', path: isAbsolute(file) ? file : resolve(baseDir, file) };
  }
  if (/^[a-z][\w+.-]*:\/\//i.test(url)) throw _badUrl(url, keyPath, 'only postgres:// (or postgresql://) and sqlite:/// URLs, or a SQLite file path, are supported');
  return { kind: 'sqlite', path: url === ':memory:' ? url : resolve(baseDir, url) };
}

/**
 * The URL with its password (in the user-info part or a `password=` query parameter) replaced by `***`,
 * for error messages and logs.
 * @example
 * maskUrl('postgres://me:secret@db:5432/x'); // 'postgres://me:***@db:5432/x'
 */
export function maskUrl(url: string): string {
  // Greedy up to the last '@': an unencoded '@' in the password must not leak its tail (over-masking is safe).
  return url.replace(/^([a-z][\w+.-]*:\/\/[^:/?#@]*):.*@/i, '$1:***@').replace(/([?&]password=)[^&#]*/gi, '$1***');
}

function _badUrl(url: string, keyPath: string, why: string): PldError {
  return new PldError('PLD_ERR_CONFIG_INVALID_PARAM', `${keyPath}: ${why}; got ${JSON.stringify(maskUrl(url))}`, { details: { keyPath } });
}
