import { existsSync } from 'node:fs';
import { type Kysely, sql } from 'kysely';
import { z } from 'zod';
import type { CreateContext } from '../../config/registry.js';
import { PldError } from '../../errors.js';
import { openSql, type SqlConnection, sqlError } from '../../persistence/storage/sql/connect.js';
import { parseSqlUrl, SQLITE_MEMORY, type SqlTarget } from '../../persistence/storage/sql/url.js';
import { parseRecord, type PredictionRecord } from './record.js';
import type { PredictionSink } from './sink.js';

/** The table a SqlSink writes when none is named. */
export const DEFAULT_LOG_TABLE = 'prediction_log';

/**
 * Parameters of the `SqlSink`: `url` as the Database persister takes it (an SQLite file, `sqlite:…`, or
 * `postgres://…`; relative to the config file) and the `table`, created on first use.
 * @example
 * sqlSinkParams.parse({ url: 'sqlite:predictions.db' });
 */
export const sqlSinkParams = z.strictObject({
  url: z.string().min(1),
  table: z
    .string()
    .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'table must be an SQL identifier (letters, digits, _)')
    .default(DEFAULT_LOG_TABLE),
  connect_timeout: z.number().positive().default(10),
});

/** Parsed parameters of the `SqlSink`. */
export type SqlSinkParams = z.infer<typeof sqlSinkParams>;

const _PAGE = 1000;
const _INSERT_ROWS = 1000;

/**
 * A sink inserting each batch into one SQL table (SQLite or PostgreSQL, over the model store's kysely
 * code): the record's identifying columns (`ts`, `request_id`, `model`, `version`, `entry_point`,
 * `latency_ms`) for queries and the whole record as JSON in `record`. The table is created on first
 * write; `read` never creates anything, so replaying from a wrong URL or table fails clearly.
 * @example
 * const sink = new SqlSink({ url: 'postgres://127.0.0.1/test', table: 'iris_predictions' });
 */
export class SqlSink implements PredictionSink {
  readonly target: SqlTarget;
  readonly table: string;
  readonly #connectMs: number;
  #connection: Promise<SqlConnection> | undefined;
  #ready: Promise<Kysely<any>> | undefined;

  constructor(params: z.input<typeof sqlSinkParams>, ctx: Partial<Pick<CreateContext, 'baseDir'>> = {}) {
    const parsed = sqlSinkParams.parse(params);
    this.target = parseSqlUrl(parsed.url, ctx.baseDir);
    this.table = parsed.table;
    this.#connectMs = parsed.connect_timeout * 1000;
  }

  get describe(): string {
    return `${this.target.display} table ${this.table}`;
  }

  async write(records: readonly PredictionRecord[]): Promise<void> {
    const db = await this.#tables();
    const rows = records.map((r) => ({
      ts: r.ts,
      request_id: r.request_id,
      model: r.model,
      version: r.version,
      entry_point: r.entry_point,
      latency_ms: r.latency_ms,
      record: JSON.stringify(r),
    }));
    try {
      // PostgreSQL takes at most 65 535 parameters per statement: 7 per row, so a large batch goes in slices.
      for (let start = 0; start < rows.length; start += _INSERT_ROWS)
        await db
          .insertInto(this.table)
          .values(rows.slice(start, start + _INSERT_ROWS))
          .execute();
    } catch (error) {
      throw sqlError(error, this.target.display, `log ${rows.length} predictions to table ${this.table}`);
    }
  }

  async close(): Promise<void> {
    const connection = this.#connection;
    this.#connection = undefined;
    this.#ready = undefined;
    if (connection !== undefined) await (await connection.catch(() => undefined))?.close();
  }

  async *read(options: { readonly limit?: number } = {}): AsyncIterable<PredictionRecord> {
    let left = options.limit ?? Number.POSITIVE_INFINITY;
    const { target, table } = this;
    if (target.dialect === 'sqlite' && target.path !== SQLITE_MEMORY && !existsSync(target.path)) {
      throw new PldError('PLD_ERR_PREDLOG_UNREADABLE', `Cannot read the prediction log ${this.describe}: ${target.path} does not exist`, { details: { file: target.path } });
    }
    let db: Kysely<any>;
    try {
      db = (await this.#connect()).db;
    } catch (error) {
      throw new PldError('PLD_ERR_PREDLOG_UNREADABLE', `Cannot read the prediction log ${this.describe}: ${(error as Error).message}`, { cause: error });
    }
    let after = 0;
    while (left > 0) {
      let rows: { id: number | string; record: string }[];
      try {
        rows = await db.selectFrom(table).select(['id', 'record']).where('id', '>', after).orderBy('id').limit(Math.min(_PAGE, left)).execute();
      } catch (error) {
        throw new PldError('PLD_ERR_PREDLOG_UNREADABLE', `Cannot read the prediction log ${this.describe}: ${(error as Error).message}`, { cause: error });
      }
      if (rows.length === 0) return;
      for (const row of rows) {
        after = Number(row.id);
        const where = `${this.describe} id ${row.id}`;
        let value: unknown;
        try {
          value = JSON.parse(row.record);
        } catch (error) {
          throw new PldError('PLD_ERR_PREDLOG_BAD_RECORD', `${where}: not JSON: ${(error as Error).message}`, { details: { where } });
        }
        left -= 1;
        yield parseRecord(value, where);
      }
    }
  }

  #connect(): Promise<SqlConnection> {
    this.#connection ??= openSql(this.target, { connectMs: this.#connectMs, lockMs: 30_000 }).catch((error) => {
      this.#connection = undefined;
      throw error;
    });
    return this.#connection;
  }

  // CREATE TABLE IF NOT EXISTS may still race between two PostgreSQL sessions (a duplicate type); the
  // loser finds the table on its second try.
  #tables(): Promise<Kysely<any>> {
    this.#ready ??= (async () => {
      const { db } = await this.#connect();
      for (let attempt = 0; ; attempt++) {
        try {
          await sql.raw(_createTable(this.target.dialect, this.table)).execute(db);
          return db;
        } catch (error) {
          if (attempt >= 1) throw error;
        }
      }
    })().catch((error) => {
      this.#ready = undefined;
      throw sqlError(error, this.target.display, `create the prediction log table ${this.table}`);
    });
    return this.#ready;
  }
}

function _createTable(dialect: SqlTarget['dialect'], table: string): string {
  const id = dialect === 'sqlite' ? 'id INTEGER PRIMARY KEY AUTOINCREMENT' : 'id BIGSERIAL PRIMARY KEY';
  const real = dialect === 'sqlite' ? 'REAL' : 'DOUBLE PRECISION';
  return `CREATE TABLE IF NOT EXISTS "${table}" (${id}, ts TEXT NOT NULL, request_id TEXT NOT NULL, model TEXT NOT NULL, version INTEGER NOT NULL, entry_point TEXT NOT NULL, latency_ms ${real} NOT NULL, record TEXT NOT NULL)`;
}
