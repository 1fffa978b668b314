import { type Kysely, type RawBuilder, sql } from 'kysely';
import { PldError } from '../../../errors.js';
import { PROP_DB_VERSION } from '../../store-index.js';

/**
 * The SQL layout this program writes (`properties['db-version']` of a Database store):
 * - `'1'`: `properties(name, value)`, `models(version, metadata)`, `model_chunks(model_version, chunk_no, bytes)`;
 * - `'2'`: adds `model_activations(seq, version, record)`, the activation history.
 */
export const SQL_SCHEMA_VERSION = '2';

/** The table names of one store: Palladium's names with `_<table_postfix>` appended when set. */
export interface SqlTables {
  readonly properties: string;
  readonly models: string;
  readonly chunks: string;
  readonly activations: string;
}

/** What a database holds under a store's table names. */
export type SqlLayout = { readonly kind: 'empty' } | { readonly kind: 'palladium-ts'; readonly dbVersion: string } | { readonly kind: 'foreign'; readonly reason: string };

/** The dialect-specific bits the layout needs: where tables live and the binary column type. */
export interface SqlSchemaContext {
  readonly dialect: 'sqlite' | 'postgres';
  /** PostgreSQL schema holding the tables; `undefined` = the connection's current schema. */
  readonly schema?: string;
  readonly tables: SqlTables;
}

/**
 * Table names for a `table_postfix`, as Palladium names them (`models_<postfix>`).
 * @example
 * sqlTables('iris').chunks; // 'model_chunks_iris'
 */
export function sqlTables(postfix: string): SqlTables {
  const suffix = postfix === '' ? '' : `_${postfix}`;
  return { properties: `properties${suffix}`, models: `models${suffix}`, chunks: `model_chunks${suffix}`, activations: `model_activations${suffix}` };
}

/**
 * A table reference, schema-qualified when a PostgreSQL schema is set.
 * @example
 * sql`SELECT * FROM ${tableRef(ctx, ctx.tables.models)}`;
 */
export function tableRef(ctx: SqlSchemaContext, table: string): RawBuilder<unknown> {
  return ctx.schema === undefined ? sql.table(table) : sql.id(ctx.schema, table);
}

/**
 * Looks at the store's tables and says what they hold. Palladium (Python)'s Database layout has an `id`
 * column in `properties` and pickled `blob`s in `model_chunks`; this program cannot read pickles, so that
 * is `foreign`, as is any other set of tables it did not create.
 * @example
 * const layout = await inspectLayout(db, ctx); // { kind: 'palladium-ts', dbVersion: '2' }
 */
export async function inspectLayout(db: Kysely<any>, ctx: SqlSchemaContext): Promise<SqlLayout> {
  const [properties, models, chunks] = await Promise.all([ctx.tables.properties, ctx.tables.models, ctx.tables.chunks].map((table) => _columns(db, ctx, table)));
  if (properties.length + models.length + chunks.length === 0) return { kind: 'empty' };
  if (chunks.includes('blob') || properties.includes('id')) {
    return {
      kind: 'foreign',
      reason: `holds a Palladium (Python) Database store (pickled model chunks in ${ctx.tables.chunks}.blob), which Palladium-TS cannot read: pickles are executable code. Refit the models with \`pld fit\` into a new store (another database or table_postfix)`,
    };
  }
  const ours = properties.includes('name') && properties.includes('value') && models.includes('metadata') && chunks.includes('chunk_no') && chunks.includes('bytes');
  if (!ours) {
    return {
      kind: 'foreign',
      reason: `has tables ${[ctx.tables.properties, ctx.tables.models, ctx.tables.chunks].join(', ')} that Palladium-TS did not create; use another table_postfix or database`,
    };
  }
  const row = await sql<{ value: string }>`SELECT value FROM ${tableRef(ctx, ctx.tables.properties)} WHERE name = ${PROP_DB_VERSION}`.execute(db);
  return { kind: 'palladium-ts', dbVersion: row.rows[0]?.value ?? '1' };
}

/**
 * Creates the current layout (and the PostgreSQL schema) in an empty database, with `db-version` set.
 * Runs inside the caller's lock transaction, so concurrent first uses create it once.
 * @example
 * await createLayout(conn, ctx);
 */
export async function createLayout(db: Kysely<any>, ctx: SqlSchemaContext): Promise<void> {
  if (ctx.schema !== undefined) await sql`CREATE SCHEMA IF NOT EXISTS ${sql.id(ctx.schema)}`.execute(db);
  const blob = ctx.dialect === 'postgres' ? sql.raw('BYTEA') : sql.raw('BLOB');
  await sql`CREATE TABLE IF NOT EXISTS ${tableRef(ctx, ctx.tables.properties)} (name VARCHAR(1000) PRIMARY KEY, value TEXT NOT NULL)`.execute(db);
  await sql`CREATE TABLE IF NOT EXISTS ${tableRef(ctx, ctx.tables.models)} (version INTEGER PRIMARY KEY, metadata TEXT NOT NULL)`.execute(db);
  await sql`CREATE TABLE IF NOT EXISTS ${tableRef(ctx, ctx.tables.chunks)} (
    model_version INTEGER NOT NULL, chunk_no INTEGER NOT NULL, bytes ${blob} NOT NULL, PRIMARY KEY (model_version, chunk_no))`.execute(db);
  await createActivationsTable(db, ctx);
  await sql`INSERT INTO ${tableRef(ctx, ctx.tables.properties)} (name, value) VALUES (${PROP_DB_VERSION}, ${SQL_SCHEMA_VERSION})
    ON CONFLICT (name) DO NOTHING`.execute(db);
}

/**
 * The table added by layout 2: one row per activation, the record as JSON (so fields added later,
 * such as who activated, survive without another migration).
 * @example
 * await createActivationsTable(conn, ctx);
 */
export async function createActivationsTable(db: Kysely<any>, ctx: SqlSchemaContext): Promise<void> {
  await sql`CREATE TABLE IF NOT EXISTS ${tableRef(ctx, ctx.tables.activations)} (seq INTEGER PRIMARY KEY, version INTEGER NOT NULL, record TEXT NOT NULL)`.execute(db);
}

/**
 * `PLD_ERR_PERSIST_FOREIGN_LAYOUT` for a layout this program cannot use, naming the store.
 * @example
 * if (layout.kind === 'foreign') throw foreignLayout(display, layout.reason);
 */
export function foreignLayout(display: string, reason: string): PldError {
  return new PldError('PLD_ERR_PERSIST_FOREIGN_LAYOUT', `The model store database ${display} ${reason}`, { details: { store: display } });
}

async function _columns(db: Kysely<any>, ctx: SqlSchemaContext, table: string): Promise<string[]> {
  const result =
    ctx.dialect === 'sqlite'
      ? await sql<{ name: string }>`SELECT name FROM pragma_table_info(${table})`.execute(db)
      : ctx.schema === undefined
        ? await sql<{ name: string }>`SELECT column_name AS name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = ${table}`.execute(db)
        : await sql<{ name: string }>`SELECT column_name AS name FROM information_schema.columns WHERE table_schema = ${ctx.schema} AND table_name = ${table}`.execute(db);
  return result.rows.map((row) => row.name.toLowerCase());
}
