import Database from 'better-sqlite3';
import pg from 'pg';
import { z } from 'zod';
import { PldError } from '../../errors.js';
import { formatZodError } from '../../internal/zod-format.js';
import { type Column, Frame, isNumericColumn, type Labels } from '../frame.js';
import type { Dataset, DatasetLoader } from '../types.js';
import type { LoaderContext } from './table.js';
import { maskUrl, parseSqlUrl, type SqlSource } from './sql-url.js';

const _scalar = z.union([z.number(), z.string(), z.boolean(), z.null()]);

const _sqlLoaderObject = z
  .object({
    url: z.string().min(1),
    sql: z.string().min(1),
    target_column: z.string().optional(),
    parameters: z.union([z.array(_scalar), z.record(z.string(), _scalar)]).optional(),
    /** pandas `read_sql`'s name for `parameters`. */
    params: z.union([z.array(_scalar), z.record(z.string(), _scalar)]).optional(),
    /** Seconds to wait for a connection (PostgreSQL) or a lock (SQLite). */
    connect_timeout: z.number().positive().default(10),
    ndarray: z.boolean().optional(),
  })
  .strict()
  .refine((params) => params.parameters === undefined || params.params === undefined, { path: ['params'], message: 'params is an alias of parameters; give one of them' });

/**
 * Parameters of the `SQL` loader (`palladium.dataset.SQL`): a database `url`, a query or table name in
 * `sql`, an optional `target_column`, query `parameters` (a list for `$1`/`?`/`%s` placeholders, or a
 * map for `:name`/`%(name)s`), and `connect_timeout` in seconds. `null` values count as unset.
 * @example
 * sqlLoaderParams.parse({ url: 'postgres://root@127.0.0.1/test', sql: 'iris', target_column: 'species' });
 */
export const sqlLoaderParams = z.preprocess(
  (input) => (typeof input === 'object' && input !== null && !Array.isArray(input) ? Object.fromEntries(Object.entries(input).filter(([, value]) => value !== null)) : input),
  _sqlLoaderObject,
);

/** Parameters of the `SQL` loader as given in a config. */
export type SqlLoaderInput = z.input<typeof _sqlLoaderObject>;
/** Parameters of the `SQL` loader after validation and defaults. */
export type SqlLoaderParams = z.output<typeof _sqlLoaderObject>;

type Scalar = z.infer<typeof _scalar>;
type Parameters = readonly Scalar[] | Readonly<Record<string, Scalar>>;
/** How a result column becomes a Frame column. */
type ColumnKind = 'number' | 'bool' | 'text' | 'infer';

/** A query result, column-wise. */
interface RawResult {
  readonly names: string[];
  readonly columns: Column[];
}

/**
 * Palladium's `SQL` dataset loader: runs a query (or reads a whole table) on PostgreSQL or SQLite and
 * returns its columns as a {@link Frame}. Column types come from the driver (PostgreSQL type OIDs,
 * SQLite declared types): numbers become `Float64Array`s with `NaN` for NULL, booleans 0/1, text and
 * every other type (dates, JSON...) text columns with `null` for NULL; columns without a declared type
 * (SQLite expressions) are numeric when every value is a number. A NULL target is an error naming
 * the row. One connection per `load()`, closed afterwards.
 * @example
 * const loader = new SqlLoader({ url: 'sqlite:///iris.db', sql: 'SELECT * FROM iris WHERE species <> ?', parameters: ['x'], target_column: 'species' });
 * const { X, y } = await loader.load();
 */
export class SqlLoader implements DatasetLoader {
  readonly params: SqlLoaderParams;
  readonly source: SqlSource;
  readonly #ctx: LoaderContext;
  #rows: number | undefined;

  constructor(params: SqlLoaderInput, ctx: Partial<LoaderContext> = {}) {
    this.#ctx = { baseDir: ctx.baseDir ?? process.cwd(), file: ctx.file ?? '<inline>', keyPath: ctx.keyPath ?? 'dataset_loader' };
    const parsed = sqlLoaderParams.safeParse(params);
    if (!parsed.success) {
      throw new PldError('PLD_ERR_CONFIG_INVALID_PARAM', formatZodError(parsed.error, this.#ctx.keyPath, params), {
        cause: parsed.error,
        details: { file: this.#ctx.file, keyPath: this.#ctx.keyPath },
      });
    }
    this.params = parsed.data;
    this.source = parseSqlUrl(this.params.url, this.#ctx.baseDir, `${this.#ctx.keyPath}.url`);
  }

  /** The URL with its password masked. */
  get maskedUrl(): string {
    return maskUrl(this.params.url);
  }

  /** The statement that runs: the query, or `SELECT * FROM "table"` when `sql` is a (schema-qualified) table name. */
  get query(): string {
    return tableQuery(this.params.sql) ?? this.params.sql;
  }

  async load(): Promise<Dataset> {
    const parameters = this.params.parameters ?? this.params.params;
    const raw = this.source.kind === 'postgres' ? await this.#loadPostgres(this.source.connectionString, parameters) : this.#loadSqlite(this.source.path, parameters);
    const dataset = this.#toDataset(raw);
    this.#rows = dataset.X.nRows;
    return dataset;
  }

  /** The source (password masked) and, after a load, the row count. */
  describe(): Record<string, unknown> {
    return { url: this.maskedUrl, ...(this.#rows === undefined ? {} : { rows: this.#rows }) };
  }

  async #loadPostgres(connectionString: string, parameters: Parameters | undefined): Promise<RawResult> {
    const client = new pg.Client({ connectionString, connectionTimeoutMillis: Math.ceil(this.params.connect_timeout * 1000) });
    // An idle-connection error after a failed connect must not crash the process.
    client.on('error', () => {});
    try {
      await client.connect();
    } catch (error) {
      await client.end().catch(() => {});
      throw this.#unreachable(error);
    }
    try {
      const { text, values } = toPostgresPlaceholders(this.query, parameters, (message) => this.#queryError(message));
      // Rows stream in as arrays of PostgreSQL's text form (no row objects, no per-value parsers) and go
      // straight into typed columns, so the full result is never held as rows.
      const config = { text, values, rowMode: 'array', types: { getTypeParser: () => _identity } };
      const query = new pg.Query<unknown[]>(config as unknown as pg.QueryConfig);
      let builder: _ColumnsBuilder | undefined;
      let failure: unknown;
      const start = (fields: readonly pg.FieldDef[] | undefined): _ColumnsBuilder => {
        if (!Array.isArray(fields) || fields.length === 0) throw this.#queryError('the statement returned no columns; give a SELECT query or a table name');
        const names = fields.map((field) => field.name);
        return new _ColumnsBuilder(
          names,
          fields.map((field) => _postgresKind(field.dataTypeID, field.name, this)),
          this.#badValue(names),
        );
      };
      await new Promise<void>((resolve, reject) => {
        query.on('row', (row: unknown[], result?: pg.QueryResult) => {
          if (failure !== undefined) return;
          try {
            builder ??= start(result?.fields);
            builder.add(row);
          } catch (error) {
            failure = error;
          }
        });
        query.on('error', reject);
        query.on('end', (result: pg.QueryResult) => {
          if (failure !== undefined) reject(failure);
          else {
            try {
              builder ??= start(result.fields);
              resolve();
            } catch (error) {
              reject(error);
            }
          }
        });
        client.query(query);
      });
      return (builder as _ColumnsBuilder).finish();
    } catch (error) {
      if (error instanceof PldError) throw error;
      throw this.#queryError((error as Error).message, error);
    } finally {
      await client.end().catch(() => {});
    }
  }

  #loadSqlite(path: string, parameters: Parameters | undefined): RawResult {
    let db: Database.Database;
    try {
      db = new Database(path, path === ':memory:' ? {} : { readonly: true, fileMustExist: true, timeout: Math.ceil(this.params.connect_timeout * 1000) });
    } catch (error) {
      throw this.#unreachable(error);
    }
    try {
      const statement = db.prepare(this.query);
      if (!statement.reader) throw this.#queryError('the statement returns no rows; give a SELECT query or a table name');
      statement.raw(true);
      const columns = statement.columns();
      const bound = parameters === undefined ? [] : [_sqliteParameters(parameters)];
      const names = columns.map((column) => column.name);
      const builder = new _ColumnsBuilder(
        names,
        columns.map((column) => _sqliteKind(column.type)),
        this.#badValue(names),
      );
      for (const row of statement.iterate(...bound) as IterableIterator<unknown[]>) builder.add(row);
      return builder.finish();
    } catch (error) {
      if (error instanceof PldError) throw error;
      throw this.#queryError((error as Error).message, error);
    } finally {
      db.close();
    }
  }

  #toDataset({ names, columns }: RawResult): Dataset {
    const duplicate = names.find((name, i) => names.indexOf(name) !== i);
    if (duplicate !== undefined) throw this.#queryError(`the result has two columns named '${duplicate}'; give them distinct names with AS`);
    const target = this.params.target_column;
    if (target !== undefined && !names.includes(target)) {
      throw new PldError('PLD_ERR_DATA_COLUMN_NOT_FOUND', `${this.#where()}.target_column: no column '${target}' in the result; the columns are ${JSON.stringify(names)}`, {
        details: { keyPath: this.#ctx.keyPath, file: this.#ctx.file, column: target },
      });
    }
    const X = new Map<string, Column>();
    let y: Labels | undefined;
    names.forEach((name, k) => {
      if (name === target) y = this.#toLabels(columns[k], name);
      else X.set(name, columns[k]);
    });
    return y === undefined ? { X: new Frame(X) } : { X: new Frame(X), y };
  }

  #toLabels(column: Column, name: string): Labels {
    for (let i = 0; i < column.length; i++) {
      const value = column[i];
      if (value === null || (typeof value === 'number' && Number.isNaN(value))) {
        throw new PldError(
          'PLD_ERR_DATA_PARSE',
          `${this.#where()}: row ${i + 1} of the result has NULL in the target column '${name}'; filter it out (WHERE "${name}" IS NOT NULL)`,
          {
            details: { keyPath: this.#ctx.keyPath, file: this.#ctx.file, column: name, row: i },
          },
        );
      }
    }
    return isNumericColumn(column) ? column : (column as string[]);
  }

  #badValue(names: readonly string[]): _Fail {
    return (row, column, value, kind) => {
      throw new PldError('PLD_ERR_DATA_QUERY', `${this.#where()}: row ${row + 1}, column '${names[column]}': cannot read ${_describeValue(value)} as a ${kind} value`, {
        details: { keyPath: this.#ctx.keyPath, row, column: names[column] },
      });
    };
  }

  #unreachable(error: unknown): PldError {
    const reason = (error as Error)?.message || String(error);
    return new PldError('PLD_ERR_DATA_SOURCE_UNREACHABLE', `${this.#where()}: cannot open the database ${this.maskedUrl}: ${reason}`, {
      cause: error,
      details: { keyPath: this.#ctx.keyPath, file: this.#ctx.file, url: this.maskedUrl },
    });
  }

  #queryError(message: string, cause?: unknown): PldError {
    return new PldError('PLD_ERR_DATA_QUERY', `${this.#where()}: query on ${this.maskedUrl} failed: ${message}`, {
      cause,
      details: { keyPath: this.#ctx.keyPath, file: this.#ctx.file, url: this.maskedUrl },
    });
  }

  #where(): string {
    return this.#ctx.file === '<inline>' ? this.#ctx.keyPath : `${this.#ctx.file}: ${this.#ctx.keyPath}`;
  }

  /** For {@link _postgresKind}: a column type no Frame column can hold. */
  unsupportedType(name: string, type: string): never {
    throw this.#queryError(`column '${name}' has type ${type}, which cannot become a Frame column; convert it in the query (e.g. encode(...) or a cast)`);
  }
}

/**
 * `SELECT * FROM "name"` when `sql` is a table name (optionally `schema.table`), with each part quoted
 * as an identifier; `undefined` for anything else, which runs as a query.
 * @example
 * tableQuery('iris');         // 'SELECT * FROM "iris"'
 * tableQuery('SELECT 1');     // undefined
 */
export function tableQuery(sql: string): string | undefined {
  const name = sql.trim();
  if (!/^[A-Za-z_][\w$]*(\.[A-Za-z_][\w$]*)?$/.test(name)) return undefined;
  if (/^(select|with|values|table|pragma|show|explain)$/i.test(name)) return undefined;
  return `SELECT * FROM ${name
    .split('.')
    .map((part) => `"${part.replaceAll('"', '""')}"`)
    .join('.')}`;
}

/**
 * Rewrites a PostgreSQL query's placeholders to `$n`: with a list, `%s` (psycopg2's style) or `?`
 * become `$1, $2...` (a query already using `$n` is left alone); with a map, `:name` and `%(name)s`
 * become `$n` (the same name reuses its number). Text in quotes, comments and `::` casts is skipped.
 * @example
 * toPostgresPlaceholders('SELECT * FROM t WHERE a = :a AND b::text = %(b)s', { a: 1, b: 'x' }, fail);
 * // { text: 'SELECT * FROM t WHERE a = $1 AND b::text = $2', values: [1, 'x'] }
 */
export function toPostgresPlaceholders(sql: string, parameters: Parameters | undefined, fail: (message: string) => Error): { text: string; values: Scalar[] } {
  if (parameters === undefined) return { text: sql, values: [] };
  const named = !Array.isArray(parameters);
  if (!named && /\$\d/.test(_withoutQuoted(sql))) return { text: sql, values: [...(parameters as readonly Scalar[])] };
  const values: Scalar[] = [];
  const numbers = new Map<string, number>();
  let out = '';
  let i = 0;
  while (i < sql.length) {
    const c = sql[i];
    const skip = _quotedEnd(sql, i);
    if (skip > i) {
      out += sql.slice(i, skip);
      i = skip;
      continue;
    }
    if (c === ':' && sql[i + 1] === ':') {
      out += '::';
      i += 2;
      continue;
    }
    let name: string | undefined;
    let length = 0;
    if (named) {
      const match = /^(?::([A-Za-z_]\w*)|%\(([^)]+)\)s)/.exec(sql.slice(i, i + 200));
      if (match && !(c === ':' && /\w/.test(sql[i - 1] ?? ''))) [name, length] = [match[1] ?? match[2], match[0].length];
    } else if ((c === '%' && sql[i + 1] === 's') || c === '?') {
      [name, length] = [String(values.length), c === '?' ? 1 : 2];
    }
    if (name === undefined) {
      out += c;
      i++;
      continue;
    }
    if (named) {
      const map = parameters as Readonly<Record<string, Scalar>>;
      if (!(name in map)) throw fail(`the query uses the parameter '${name}', which parameters does not give (it has ${JSON.stringify(Object.keys(map))})`);
      let number = numbers.get(name);
      if (number === undefined) {
        values.push(map[name]);
        number = values.length;
        numbers.set(name, number);
      }
      out += `$${number}`;
    } else {
      const list = parameters as readonly Scalar[];
      if (values.length >= list.length) throw fail(`the query has more placeholders than the ${list.length} parameters given`);
      values.push(list[values.length]);
      out += `$${values.length}`;
    }
    i += length;
  }
  if (!named && values.length !== (parameters as readonly Scalar[]).length)
    throw fail(`the query has ${values.length} placeholders but ${(parameters as readonly Scalar[]).length} parameters are given`);
  return { text: out, values };
}

// The index just past a quoted string, quoted identifier or comment starting at `i`, or `i` when none starts there.
function _quotedEnd(sql: string, i: number): number {
  const c = sql[i];
  if (c === "'" || c === '"') {
    let j = i + 1;
    while (j < sql.length) {
      if (sql[j] === c) {
        if (sql[j + 1] === c) j += 2;
        else return j + 1;
      } else j++;
    }
    return sql.length;
  }
  if (c === '-' && sql[i + 1] === '-') {
    const end = sql.indexOf('\n', i);
    return end < 0 ? sql.length : end;
  }
  if (c === '/' && sql[i + 1] === '*') {
    const end = sql.indexOf('*/', i + 2);
    return end < 0 ? sql.length : end + 2;
  }
  return i;
}

function _withoutQuoted(sql: string): string {
  let out = '';
  for (let i = 0; i < sql.length; ) {
    const end = _quotedEnd(sql, i);
    if (end > i) i = end;
    else out += sql[i++];
  }
  return out;
}

function _identity(value: string): string {
  return value;
}

// PostgreSQL type OIDs (pg_type): int8, int2, int4, oid, float4, float8, numeric, money is text-formatted.
const _PG_NUMBER = new Set([20, 21, 23, 26, 700, 701, 1700]);
const _PG_BOOL = 16;
const _PG_BYTEA = 17;

function _postgresKind(oid: number, name: string, loader: SqlLoader): ColumnKind {
  if (_PG_NUMBER.has(oid)) return 'number';
  if (oid === _PG_BOOL) return 'bool';
  if (oid === _PG_BYTEA) loader.unsupportedType(name, 'bytea');
  return 'text';
}

// SQLite's type affinity rules (https://www.sqlite.org/datatype3.html#determination_of_column_affinity).
function _sqliteKind(declared: string | null): ColumnKind {
  if (declared === null || declared === '') return 'infer';
  const type = declared.toUpperCase();
  if (type.includes('INT')) return 'number';
  if (type.includes('CHAR') || type.includes('CLOB') || type.includes('TEXT')) return 'text';
  if (type.includes('BLOB')) return 'infer';
  if (type.includes('BOOL')) return 'bool';
  return 'number';
}

function _sqliteParameters(parameters: Parameters): unknown {
  const convert = (value: Scalar) => (typeof value === 'boolean' ? Number(value) : value);
  return Array.isArray(parameters) ? parameters.map(convert) : Object.fromEntries(Object.entries(parameters).map(([key, value]) => [key, convert(value)]));
}

type _Fail = (row: number, column: number, value: unknown, kind: ColumnKind) => never;

/**
 * Fills typed columns row by row: numbers into growing `Float64Array`s, text into arrays; columns of
 * unknown type keep the driver's values until `finish()` decides.
 */
class _ColumnsBuilder {
  #n = 0;
  #capacity = 1024;
  readonly #numbers: (Float64Array | undefined)[];
  readonly #values: (unknown[] | undefined)[];

  constructor(
    readonly names: string[],
    readonly kinds: readonly ColumnKind[],
    readonly fail: _Fail,
  ) {
    this.#numbers = kinds.map((kind) => (kind === 'number' || kind === 'bool' ? new Float64Array(this.#capacity) : undefined));
    this.#values = kinds.map((kind) => (kind === 'number' || kind === 'bool' ? undefined : []));
  }

  add(row: readonly unknown[]): void {
    const i = this.#n;
    if (i === this.#capacity) this.#grow();
    const kinds = this.kinds;
    for (let k = 0; k < kinds.length; k++) {
      const value = row[k];
      const numbers = this.#numbers[k];
      if (numbers === undefined) {
        (this.#values[k] as unknown[]).push(value);
        continue;
      }
      if (value === null || value === undefined) numbers[i] = Number.NaN;
      else if (typeof value === 'number') numbers[i] = value;
      else numbers[i] = _toNumber(value, kinds[k], () => this.fail(i, k, value, kinds[k]));
    }
    this.#n = i + 1;
  }

  finish(): RawResult {
    const n = this.#n;
    const columns = this.kinds.map((kind, k): Column => {
      const numbers = this.#numbers[k];
      if (numbers !== undefined) return numbers.length === n ? numbers : numbers.slice(0, n);
      const values = this.#values[k] as unknown[];
      const resolved = kind === 'infer' ? _inferKind(values) : kind;
      if (resolved === 'text') {
        const out: (string | null)[] = new Array(n);
        for (let i = 0; i < n; i++) {
          const value = values[i];
          if (value === null || value === undefined) out[i] = null;
          else if (typeof value === 'string') out[i] = value;
          else if (typeof value === 'number' || typeof value === 'bigint') out[i] = String(value);
          else this.fail(i, k, value, resolved);
        }
        return out;
      }
      const out = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        const value = values[i];
        out[i] = value === null || value === undefined ? Number.NaN : typeof value === 'number' ? value : _toNumber(value, resolved, () => this.fail(i, k, value, resolved));
      }
      return out;
    });
    return { names: this.names, columns };
  }

  #grow(): void {
    this.#capacity *= 2;
    for (let k = 0; k < this.#numbers.length; k++) {
      const old = this.#numbers[k];
      if (old === undefined) continue;
      const grown = new Float64Array(this.#capacity);
      grown.set(old);
      this.#numbers[k] = grown;
    }
  }
}

// PostgreSQL's text form of a number or boolean (or a SQLite number stored as text in a numeric column).
function _toNumber(value: unknown, kind: ColumnKind, fail: () => never): number {
  if (typeof value === 'string') {
    if (kind === 'bool' && (value === 't' || value === 'f')) return value === 't' ? 1 : 0;
    if (value === 'NaN') return Number.NaN;
    const number = +value;
    if (value !== '' && !Number.isNaN(number)) return number;
  }
  if (typeof value === 'bigint') return Number(value);
  return fail();
}

function _inferKind(values: readonly unknown[]): ColumnKind {
  let sawNumber = false;
  for (const value of values) {
    if (value === null) continue;
    if (typeof value === 'number' || typeof value === 'bigint') sawNumber = true;
    else return 'text';
  }
  return sawNumber || values.length === 0 ? 'number' : 'text';
}

function _describeValue(value: unknown): string {
  if (value instanceof Uint8Array) return `a ${value.length}-byte BLOB`;
  return typeof value === 'string' ? JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value) : String(value);
}
