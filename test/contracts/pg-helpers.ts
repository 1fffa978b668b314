import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** The test PostgreSQL server (trust auth); PLD_TEST_PG_URL overrides it. */
export const PG_URL = process.env.PLD_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** A fresh schema name per use, so parallel runs never share tables. */
export function freshSchema(prefix = 'pld_test'): string {
  return `${prefix}_${randomBytes(5).toString('hex')}`;
}

/** Runs SQL on the test server with a short-lived client. */
export async function pgQuery<R extends pg.QueryResultRow = pg.QueryResultRow>(text: string, values: unknown[] = []): Promise<pg.QueryResult<R>> {
  const client = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    return await client.query<R>(text, values);
  } finally {
    await client.end();
  }
}

/** Drops a schema made by {@link freshSchema} with everything in it. */
export async function dropSchema(schema: string): Promise<void> {
  await pgQuery(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
}
