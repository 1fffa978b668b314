import { z } from 'zod';
import type { CreateContext } from '../config/registry.js';
import { PldError } from '../errors.js';
import { SQL_SCHEMA_VERSION } from './storage/sql/schema.js';
import { DEFAULT_CHUNK_SIZE, sqlStorage } from './storage/sql/storage.js';
import { parseSqlUrl } from './storage/sql/url.js';
import type { ModelPersister } from './types.js';
import { createVersionedPersister } from './versioned.js';

const _identifier = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Parameters of the `Database` persister (`palladium.persistence.Database`). `url` is an SQLite file
 * (`models.db`, `sqlite:models.db`, `sqlite::memory:`; relative to the config file) or a PostgreSQL URL
 * (`postgres://user:pw@host:5432/db`). Palladium's `poolclass` is accepted and ignored.
 * @example
 * databasePersisterParams.parse({ url: 'sqlite:models.db', table_postfix: 'iris' });
 */
export const databasePersisterParams = z.strictObject({
  url: z.string().min(1),
  table_postfix: z
    .string()
    .regex(/^[A-Za-z0-9_]*$/, 'table_postfix must hold only letters, digits and _')
    .default(''),
  chunk_size: z.number().int().positive().default(DEFAULT_CHUNK_SIZE),
  schema: z.string().regex(_identifier, 'schema must be an SQL identifier (letters, digits, _)').optional(),
  connect_timeout: z.number().positive().default(10),
  lock_timeout: z.number().positive().default(30),
  poolclass: z.unknown().optional(),
});

/** Parsed parameters of the `Database` persister. */
export type DatabasePersisterParams = z.infer<typeof databasePersisterParams>;

/**
 * The `Database` persister: the versioned core over SQL tables (SQLite by default, PostgreSQL by URL).
 * Nothing connects until the first call; `close()` releases the connection pool.
 * @example
 * const persister = createDatabasePersister(databasePersisterParams.parse({ url: 'sqlite:models.db' }), { baseDir: '/project' });
 * const version = await persister.write(artifact);
 */
export function createDatabasePersister(params: DatabasePersisterParams, ctx: Partial<Pick<CreateContext, 'baseDir' | 'keyPath' | 'file'>> = {}): ModelPersister {
  const target = parseSqlUrl(params.url, ctx.baseDir);
  if (target.dialect === 'sqlite' && params.schema !== undefined) {
    const where = ctx.keyPath ? `${ctx.keyPath}.schema` : 'schema';
    throw new PldError('PLD_ERR_CONFIG_INVALID_PARAM', `${where}: a schema applies to PostgreSQL only; ${target.display} is SQLite (use table_postfix to separate stores)`, {
      details: { keyPath: ctx.keyPath, file: ctx.file },
    });
  }
  const storage = sqlStorage({
    target,
    tablePostfix: params.table_postfix,
    schema: params.schema,
    chunkSize: params.chunk_size,
    connectTimeoutMs: params.connect_timeout * 1000,
    lockTimeoutMs: params.lock_timeout * 1000,
  });
  const suffix = params.table_postfix === '' ? '' : ` (table_postfix ${params.table_postfix})`;
  return createVersionedPersister({
    storage,
    describe: `${target.display}${params.schema === undefined ? '' : ` schema ${params.schema}`}${suffix}`,
    upgradeSteps: storage.upgradeSteps,
    formatVersion: SQL_SCHEMA_VERSION,
  });
}
