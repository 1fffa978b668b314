import { AsyncLocalStorage } from 'node:async_hooks';
import { type Kysely, sql } from 'kysely';
import { PldError } from '../../../errors.js';
import { PROP_ACTIVE, type StoreIndex, serializeIndex, validateIndex } from '../../store-index.js';
import type { UpgradeStep } from '../../upgrade.js';
import { INDEX_KEY, type StorageDriver } from '../types.js';
import { openSql, type SqlConnection, sqlError } from './connect.js';
import { readIndexTables, writeIndexTables } from './index-tables.js';
import { createActivationsTable, createLayout, foreignLayout, inspectLayout, SQL_SCHEMA_VERSION, type SqlSchemaContext, sqlTables, tableRef } from './schema.js';
import type { SqlTarget } from './url.js';

/** Options of {@link sqlStorage}. */
export interface SqlStorageOptions {
  readonly target: SqlTarget;
  /** Appended to every table name as `_<postfix>` (Palladium's `table_postfix`); default none. */
  readonly tablePostfix?: string;
  /** PostgreSQL schema for the tables, created on first use; default the connection's current schema. */
  readonly schema?: string;
  /** Artifacts are stored in rows of at most this many bytes; default 100 MiB like Palladium. */
  readonly chunkSize?: number;
  /** Connecting to PostgreSQL may take this long; default 10 s. */
  readonly connectTimeoutMs?: number;
  /** A writer waits this long for another writer's lock; default 30 s. */
  readonly lockTimeoutMs?: number;
}

/** The SQL driver: a {@link StorageDriver} with the index capability and the upgrade steps of its layout. */
export interface SqlStorage extends StorageDriver {
  readIndex(): Promise<unknown>;
  writeIndex(index: StoreIndex): Promise<void>;
  /** Schema migrations, as named steps for the versioned core's `upgrade()`. */
  readonly upgradeSteps: readonly UpgradeStep[];
}

/** Palladium's default chunk size, 100 MiB. */
export const DEFAULT_CHUNK_SIZE = 100 * 1024 * 1024;

/**
 * A storage driver over SQLite or PostgreSQL (kysely). Artifacts go to `model_chunks` in `chunkSize`
 * rows, the index to `properties`, `models` and `model_activations`. `withLock` is one database
 * transaction: SQLite `BEGIN IMMEDIATE` (with a busy timeout), PostgreSQL `pg_advisory_xact_lock` on the
 * store's name (with `lock_timeout`), so a version's chunks and its index entry commit together and a
 * killed writer leaves the previous state. The connection opens, and the tables are created, on first use.
 * @example
 * const storage = sqlStorage({ target: parseSqlUrl('sqlite:models.db'), chunkSize: 1 << 20 });
 * const persister = createVersionedPersister({ storage, upgradeSteps: storage.upgradeSteps, formatVersion: SQL_SCHEMA_VERSION });
 */
export function sqlStorage(options: SqlStorageOptions): SqlStorage {
  const { target } = options;
  const display = target.display;
  const chunkSize = options.chunkSize ?? DEFAULT_CHUNK_SIZE;
  const lockMs = options.lockTimeoutMs ?? 30_000;
  const ctx: SqlSchemaContext = { dialect: target.dialect, schema: options.schema, tables: sqlTables(options.tablePostfix ?? '') };
  const lockKey = `palladium-ts:${options.schema ?? ''}:${options.tablePostfix ?? ''}`;
  // The transaction connection of the lock holder, so storage calls inside withLock join its transaction.
  const held = new AsyncLocalStorage<Kysely<any>>();
  let connection: Promise<SqlConnection> | undefined;
  let ready: Promise<Kysely<any>> | undefined;
  let dbVersion: string | undefined;
  // In-process holders queue here, so one process never waits on its own database lock.
  let tail: Promise<unknown> = Promise.resolve();

  const connect = (): Promise<SqlConnection> => {
    connection ??= openSql(target, { connectMs: options.connectTimeoutMs ?? 10_000, lockMs }).catch((error) => {
      connection = undefined;
      throw error;
    });
    return connection;
  };

  const transaction = async <T>(db: Kysely<any>, fn: (conn: Kysely<any>) => Promise<T>): Promise<T> =>
    db.connection().execute(async (conn) => {
      try {
        await sql.raw(target.dialect === 'sqlite' ? 'BEGIN IMMEDIATE' : 'BEGIN').execute(conn);
      } catch (error) {
        throw sqlError(error, display, 'take the write lock');
      }
      try {
        if (target.dialect === 'postgres') {
          await sql`SELECT set_config('lock_timeout', ${`${lockMs}ms`}, true)`.execute(conn);
          await sql`SELECT pg_advisory_xact_lock(hashtextextended(${lockKey}, 0))`.execute(conn);
        }
        const result = await held.run(conn, () => fn(conn));
        await sql.raw('COMMIT').execute(conn);
        return result;
      } catch (error) {
        await sql
          .raw('ROLLBACK')
          .execute(conn)
          .catch(() => undefined);
        throw error;
      }
    });

  // Connects, then makes sure the tables exist (creating them under the lock) and are ours.
  const ensure = (): Promise<Kysely<any>> => {
    ready ??= (async () => {
      const { db } = await connect();
      let layout = await inspectLayout(db, ctx);
      // Outside the lock the three tables are read at different moments, so a concurrent first use
      // committing its tables in between looks like a foreign layout: decide only under the lock.
      if (layout.kind !== 'palladium-ts') {
        layout = await transaction(db, async (conn) => {
          const again = await inspectLayout(conn, ctx);
          if (again.kind !== 'empty') return again;
          await createLayout(conn, ctx);
          return { kind: 'palladium-ts', dbVersion: SQL_SCHEMA_VERSION } as const;
        });
      }
      if (layout.kind === 'foreign') throw foreignLayout(display, layout.reason);
      if (Number(layout.dbVersion) > Number(SQL_SCHEMA_VERSION)) {
        throw foreignLayout(display, `was written by a newer Palladium-TS (db-version ${layout.dbVersion}; this one knows up to ${SQL_SCHEMA_VERSION}); upgrade palladium-ts`);
      }
      dbVersion = layout.dbVersion;
      return db;
    })().catch((error) => {
      ready = undefined;
      throw sqlError(error, display, 'open the store');
    });
    return ready;
  };

  // Inside withLock: the holder's transaction. Outside: a transaction of its own (reads: a snapshot).
  const run = async <T>(action: string, fn: (conn: Kysely<any>) => Promise<T>, write: boolean): Promise<T> => {
    const inLock = held.getStore();
    try {
      if (inLock !== undefined) return await fn(inLock);
      const db = await ensure();
      if (write) return await locked(() => fn(held.getStore()!));
      return await db.connection().execute(async (conn) => {
        await sql.raw(target.dialect === 'sqlite' ? 'BEGIN' : 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY').execute(conn);
        try {
          return await fn(conn);
        } finally {
          await sql
            .raw('COMMIT')
            .execute(conn)
            .catch(() => undefined);
        }
      });
    } catch (error) {
      throw sqlError(error, display, action);
    }
  };

  const locked = <T>(fn: () => Promise<T>): Promise<T> => {
    const next = async (): Promise<T> => {
      const db = await ensure();
      try {
        return await transaction(db, () => fn());
      } catch (error) {
        // A failed upgrade may have changed what we believe about the layout; look again next time.
        ready = undefined;
        throw sqlError(error, display, 'write');
      }
    };
    const result = tail.then(next, next);
    tail = result.catch(() => undefined);
    return result;
  };

  const assertCurrent = (): void => {
    if (dbVersion !== SQL_SCHEMA_VERSION) {
      throw new PldError(
        'PLD_ERR_PERSIST_SCHEMA_OUTDATED',
        `The model store ${display} uses the older layout db-version ${dbVersion}; run \`pld upgrade\` to migrate it to ${SQL_SCHEMA_VERSION} before writing`,
        { details: { store: display, dbVersion, expected: SQL_SCHEMA_VERSION } },
      );
    }
  };

  const readIndex = (): Promise<StoreIndex> => run('read the metadata index', (conn) => readIndexTables(conn, ctx, Number(dbVersion) >= 2), false);
  const writeIndex = (index: StoreIndex): Promise<void> =>
    run(
      'write the metadata index',
      async (conn) => {
        assertCurrent();
        await writeIndexTables(conn, ctx, index);
      },
      true,
    );
  const chunks = tableRef(ctx, ctx.tables.chunks);

  const activationsStep: UpgradeStep = {
    name: 'sql-model-activations',
    from: '1',
    to: '2',
    async run(raw) {
      const conn = held.getStore();
      if (conn === undefined) throw new PldError('PLD_ERR_INTERNAL', 'sql-model-activations must run inside the store lock');
      await createActivationsTable(conn, ctx);
      const index = validateIndex(raw, display);
      dbVersion = SQL_SCHEMA_VERSION;
      // Layout 1 kept no history; start it with the active version so `pld admin rollback` has a base.
      const active = index.properties[PROP_ACTIVE];
      const stored = await sql<{ n: number | string }>`SELECT COUNT(*) AS n FROM ${tableRef(ctx, ctx.tables.activations)}`.execute(conn);
      if (active !== undefined && Number(stored.rows[0].n) === 0 && index.history.length === 0) {
        index.history.push({ version: Number(active), previous: null, at: new Date().toISOString() });
      }
      return index;
    },
  };

  return {
    async get(key) {
      if (key === INDEX_KEY) return serializeIndex(await readIndex());
      const version = _versionKey(key, display);
      return run(
        `read version ${version}`,
        async (conn) => {
          const result = await sql<{ bytes: Uint8Array }>`SELECT bytes FROM ${chunks} WHERE model_version = ${version} ORDER BY chunk_no`.execute(conn);
          return result.rows.length === 0 ? null : Buffer.concat(result.rows.map((row) => row.bytes));
        },
        false,
      );
    },
    async put(key, bytes) {
      if (key === INDEX_KEY) return writeIndex(validateIndex(JSON.parse(Buffer.from(bytes).toString('utf8')), display));
      const version = _versionKey(key, display);
      await run(
        `write version ${version}`,
        async (conn) => {
          assertCurrent();
          await sql`DELETE FROM ${chunks} WHERE model_version = ${version}`.execute(conn);
          const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
          const count = Math.max(1, Math.ceil(buffer.byteLength / chunkSize));
          for (let chunk = 0; chunk < count; chunk += 1) {
            const part = buffer.subarray(chunk * chunkSize, (chunk + 1) * chunkSize);
            await sql`INSERT INTO ${chunks} (model_version, chunk_no, bytes) VALUES (${version}, ${chunk}, ${part})`.execute(conn);
          }
        },
        true,
      );
    },
    async remove(key) {
      const version = _versionKey(key, display);
      await run(`delete version ${version}`, (conn) => sql`DELETE FROM ${chunks} WHERE model_version = ${version}`.execute(conn), true);
    },
    async has(key) {
      const version = _versionKey(key, display);
      return run(
        `look up version ${version}`,
        async (conn) => (await sql`SELECT 1 AS found FROM ${chunks} WHERE model_version = ${version} LIMIT 1`.execute(conn)).rows.length > 0,
        false,
      );
    },
    withLock: locked,
    readIndex,
    writeIndex,
    upgradeSteps: [activationsStep],
    describe: () => display,
    async close() {
      const open = connection;
      connection = undefined;
      ready = undefined;
      if (open !== undefined) await (await open.catch(() => undefined))?.close();
    },
  };
}

function _versionKey(key: string, display: string): number {
  if (!/^[1-9][0-9]*$/.test(key)) throw new PldError('PLD_ERR_INTERNAL', `The SQL store ${display} keeps only the metadata index and version keys, got '${key}'`);
  return Number(key);
}
