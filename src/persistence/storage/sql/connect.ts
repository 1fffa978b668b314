import { existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect, sql } from 'kysely';
import pg from 'pg';
import { PldError } from '../../../errors.js';
import { SQLITE_MEMORY, type SqlTarget } from './url.js';

/** An open database: the kysely instance over it, and how to release it. */
export interface SqlConnection {
  readonly db: Kysely<any>;
  readonly dialect: SqlTarget['dialect'];
  close(): Promise<void>;
}

/** Timeouts of {@link openSql}, in milliseconds. */
export interface SqlTimeouts {
  /** How long connecting to PostgreSQL may take before `PLD_ERR_PERSIST_UNREACHABLE`. */
  readonly connectMs: number;
  /** How long a writer waits for another writer's lock (SQLite busy timeout, PostgreSQL lock_timeout). */
  readonly lockMs: number;
}

/**
 * Opens the database and proves it answers (`SELECT 1`), so a wrong URL, a stopped server, a missing
 * database or an unwritable SQLite path is a `PLD_ERR_PERSIST_UNREACHABLE` naming the (masked) URL
 * within the connect timeout, never a hang. SQLite files use WAL, so readers never wait for a writer.
 * @example
 * const { db, close } = await openSql(parseSqlUrl('sqlite:models.db'), { connectMs: 10_000, lockMs: 30_000 });
 */
export async function openSql(target: SqlTarget, timeouts: SqlTimeouts): Promise<SqlConnection> {
  return target.dialect === 'sqlite' ? _openSqlite(target.path, target.display, timeouts) : _openPostgres(target.url, target.display, timeouts);
}

/**
 * Maps a driver error to the store's vocabulary: connection failures are `PLD_ERR_PERSIST_UNREACHABLE`,
 * lock waits `PLD_ERR_PERSIST_LOCKED`, damaged files `PLD_ERR_PERSIST_CORRUPT`, the rest `PLD_ERR_PERSIST_IO`;
 * every message names the store.
 * @example
 * try { await query(); } catch (error) { throw sqlError(error, 'sqlite:/m/models.db', 'write version 3'); }
 */
export function sqlError(error: unknown, display: string, action: string): PldError {
  if (error instanceof PldError) return error;
  const code = String((error as { code?: unknown } | null)?.code ?? '');
  const message = (error as Error | null)?.message ?? String(error);
  const details = { store: display, driverCode: code || undefined };
  if (_isUnreachable(code, message)) {
    return new PldError('PLD_ERR_PERSIST_UNREACHABLE', `Cannot reach the model store database ${display}: ${message}`, { cause: error, details });
  }
  if (code === 'SQLITE_BUSY' || code === '55P03') {
    return new PldError('PLD_ERR_PERSIST_LOCKED', `The model store ${display} stayed locked by another writer for too long (${action}): ${message}`, { cause: error, details });
  }
  if (code === 'SQLITE_CORRUPT' || code === 'SQLITE_NOTADB') {
    return new PldError('PLD_ERR_PERSIST_CORRUPT', `The model store database ${display} is damaged or not a database: ${message}`, { cause: error, details });
  }
  return new PldError('PLD_ERR_PERSIST_IO', `Cannot ${action} in the model store ${display}: ${message}`, { cause: error, details });
}

function _openSqlite(path: string, display: string, timeouts: SqlTimeouts): SqlConnection {
  let database: Database.Database;
  try {
    if (path !== SQLITE_MEMORY) _mkdirp(dirname(path));
    database = new Database(path, { timeout: timeouts.lockMs });
    if (path !== SQLITE_MEMORY) database.pragma('journal_mode = WAL');
    database.prepare('SELECT 1').get();
  } catch (error) {
    throw new PldError('PLD_ERR_PERSIST_UNREACHABLE', `Cannot open the SQLite model store ${display}: ${(error as Error).message}`, {
      cause: error,
      details: { store: display, driverCode: (error as { code?: string }).code },
    });
  }
  const db = new Kysely<any>({ dialect: new SqliteDialect({ database }) });
  return { db, dialect: 'sqlite', close: () => db.destroy() };
}

async function _openPostgres(url: string, display: string, timeouts: SqlTimeouts): Promise<SqlConnection> {
  const pool = new pg.Pool({
    connectionString: url,
    max: 4,
    connectionTimeoutMillis: timeouts.connectMs,
    idleTimeoutMillis: 10_000,
    // A CLI command must end when its work is done, even if a caller forgot close().
    allowExitOnIdle: true,
    application_name: 'palladium-ts',
  });
  // An idle client losing its server must not crash the process; the next query reports it.
  pool.on('error', () => undefined);
  const db = new Kysely<any>({ dialect: new PostgresDialect({ pool }) });
  try {
    await sql`SELECT 1`.execute(db);
  } catch (error) {
    await db.destroy().catch(() => undefined);
    const code = (error as { code?: string }).code;
    throw new PldError(
      'PLD_ERR_PERSIST_UNREACHABLE',
      `Cannot reach the model store database ${display} (connect_timeout ${timeouts.connectMs / 1000} s): ${(error as Error).message || code}`,
      { cause: error, details: { store: display, driverCode: code } },
    );
  }
  return { db, dialect: 'postgres', close: () => db.destroy() };
}

// Not mkdirSync({ recursive: true }): on Node 20 it loops forever under /proc; this walk fails instead.
function _mkdirp(dir: string): void {
  if (existsSync(dir)) return;
  const parent = dirname(dir);
  if (parent !== dir) _mkdirp(parent);
  mkdirSync(dir);
}

const _UNREACHABLE_NODE_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNRESET', 'EPIPE']);

function _isUnreachable(code: string, message: string): boolean {
  if (_UNREACHABLE_NODE_CODES.has(code)) return true;
  // PostgreSQL: 08xxx connection exceptions, 28xxx authentication, 3D000 unknown database, 57P0x shutdown.
  if (/^(08|28)[0-9A-Z]{3}$/.test(code) || code === '3D000' || /^57P0[1-3]$/.test(code)) return true;
  if (code === 'SQLITE_CANTOPEN' || code === 'SQLITE_READONLY' || code === 'SQLITE_PERM') return true;
  return /timeout exceeded when trying to connect|Connection terminated|connect ECONNREFUSED/i.test(message);
}
