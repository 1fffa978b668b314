import { isAbsolute, resolve } from 'node:path';
import { PldError } from '../../../errors.js';

/** Where a Database store lives: an SQLite file (or `:memory:`) or a PostgreSQL server. */
export type SqlTarget =
  | { readonly dialect: 'sqlite'; readonly path: string; readonly display: string }
  | { readonly dialect: 'postgres'; readonly url: string; readonly display: string };

/** The SQLite path that keeps the store in memory (gone with the process). */
export const SQLITE_MEMORY = ':memory:';

/**
 * Parses the `url` of a Database persister. `postgres://` and `postgresql://` are PostgreSQL;
 * `sqlite:path`, `sqlite://path`, `sqlite::memory:` and a bare path are SQLite, relative paths against
 * `baseDir` (the config file's folder). `display` is the URL with its password masked, for messages.
 * Palladium's SQLAlchemy spellings `sqlite:///relative.db` and `sqlite:////absolute.db` work too.
 * @example
 * parseSqlUrl('sqlite:models.db', '/project'); // { dialect: 'sqlite', path: '/project/models.db', ... }
 * parseSqlUrl('postgres://u:pw@db/test').display; // 'postgres://u:***@db/test'
 */
export function parseSqlUrl(url: string, baseDir: string = process.cwd()): SqlTarget {
  const text = url.trim();
  if (/^postgres(ql)?:\/\//i.test(text)) return { dialect: 'postgres', url: text, display: maskUrl(text) };
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text) && !/^sqlite:/i.test(text)) {
    throw new PldError(
      'PLD_ERR_CONFIG_INVALID_PARAM',
      `url: the Database persister supports SQLite (a file path, sqlite:path or sqlite::memory:) and PostgreSQL (postgres://…), got ${JSON.stringify(maskUrl(text))}`,
      { details: { url: maskUrl(text) } },
    );
  }
  let path = text.replace(/^sqlite:/i, '');
  // SQLAlchemy: sqlite:///rel.db is relative, sqlite:////abs.db absolute; sqlite://rel.db is our short form.
  if (path.startsWith('///')) path = path.slice(3);
  else if (path.startsWith('//')) path = path.slice(2);
  if (path === '' || path === SQLITE_MEMORY) return { dialect: 'sqlite', path: SQLITE_MEMORY, display: `sqlite:${SQLITE_MEMORY}` };
  const absolute = isAbsolute(path) ? path : resolve(baseDir, path);
  return { dialect: 'sqlite', path: absolute, display: `sqlite:${absolute}` };
}

/**
 * A URL with its password replaced by `***`, safe for logs and error messages.
 * @example
 * maskUrl('postgres://me:secret@host:5432/db'); // 'postgres://me:***@host:5432/db'
 */
export function maskUrl(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/@]*):[^@/]*@/i, '$1:***@');
}
