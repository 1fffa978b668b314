import { type Kysely, sql } from 'kysely';
import type { StoreIndex } from '../../store-index.js';
import type { ActivationRecord, ModelMetadata } from '../../types.js';
import { type SqlSchemaContext, tableRef } from './schema.js';

/**
 * Reads the metadata index from its tables: `properties` rows, `models` rows (metadata JSON, the
 * `version` column winning over the JSON) and, from layout 2 on, `model_activations` in order.
 * @example
 * const raw = await readIndexTables(conn, ctx, true); // { models, properties, history }
 */
export async function readIndexTables(db: Kysely<any>, ctx: SqlSchemaContext, withHistory: boolean): Promise<StoreIndex> {
  const properties = await sql<{ name: string; value: string }>`SELECT name, value FROM ${tableRef(ctx, ctx.tables.properties)} ORDER BY name`.execute(db);
  const models = await sql<{ version: number; metadata: string }>`SELECT version, metadata FROM ${tableRef(ctx, ctx.tables.models)} ORDER BY version`.execute(db);
  const history = withHistory ? await sql<{ record: string }>`SELECT record FROM ${tableRef(ctx, ctx.tables.activations)} ORDER BY seq`.execute(db) : { rows: [] };
  return {
    models: models.rows.map((row) => ({ ...(JSON.parse(row.metadata) as ModelMetadata), version: Number(row.version) })),
    properties: Object.fromEntries(properties.rows.map((row) => [row.name, row.value])),
    history: history.rows.map((row) => JSON.parse(row.record) as ActivationRecord),
  };
}

/**
 * Brings the tables in line with `index`, touching only rows that changed (a write adds one `models`
 * row and updates one property, however many versions exist). Runs inside the caller's lock
 * transaction. History only grows: rows past the stored count are appended.
 * @example
 * await writeIndexTables(conn, ctx, index);
 */
export async function writeIndexTables(db: Kysely<any>, ctx: SqlSchemaContext, index: StoreIndex): Promise<void> {
  const properties = tableRef(ctx, ctx.tables.properties);
  const models = tableRef(ctx, ctx.tables.models);
  const activations = tableRef(ctx, ctx.tables.activations);
  const current = await readIndexTables(db, ctx, true);

  for (const [name, value] of Object.entries(index.properties)) {
    if (current.properties[name] === value) continue;
    await sql`INSERT INTO ${properties} (name, value) VALUES (${name}, ${value}) ON CONFLICT (name) DO UPDATE SET value = excluded.value`.execute(db);
  }
  for (const name of Object.keys(current.properties)) {
    if (!(name in index.properties)) await sql`DELETE FROM ${properties} WHERE name = ${name}`.execute(db);
  }

  const stored = new Map(current.models.map((model) => [model.version, JSON.stringify(model)]));
  const wanted = new Set<number>();
  for (const model of index.models) {
    wanted.add(model.version);
    const text = JSON.stringify(model);
    const before = stored.get(model.version);
    if (before === text) continue;
    if (before === undefined) await sql`INSERT INTO ${models} (version, metadata) VALUES (${model.version}, ${text})`.execute(db);
    else await sql`UPDATE ${models} SET metadata = ${text} WHERE version = ${model.version}`.execute(db);
  }
  for (const version of stored.keys()) {
    if (!wanted.has(version)) await sql`DELETE FROM ${models} WHERE version = ${version}`.execute(db);
  }

  for (const [seq, record] of index.history.entries()) {
    if (seq < current.history.length) continue;
    await sql`INSERT INTO ${activations} (seq, version, record) VALUES (${seq}, ${record.version}, ${JSON.stringify(record)})`.execute(db);
  }
}
