import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { type ErrorCode, PldError } from '../../errors.js';
import { formatZodError } from '../../internal/zod-format.js';
import { type Column, Frame, type Labels } from '../frame.js';
import type { Dataset, DatasetLoader } from '../types.js';
import { readDirect } from './parquet-direct.js';
import { type FilterCondition, filterAlternatives, type ParquetLoaderInput, type ParquetLoaderParams, parquetLoaderParams } from './parquet-params.js';
import { decodeInto, type ParquetPart, PartWorker, planSplit, wantSplit } from './parquet-split.js';
import { streamInto, TooManyRowsError } from './parquet-stream.js';
import type { DuckDBBindings } from './parquet-vectors.js';
import type { LoaderContext } from './table.js';

/** How a Parquet column (as DuckDB types it) becomes a Frame column. */
type Kind = 'number' | 'text';

interface FileColumn {
  readonly name: string;
  readonly type: string;
  readonly kind: Kind | undefined;
}

/**
 * Palladium-style `Parquet` dataset loader: reads one Parquet file, or every file matching a glob, with
 * its own direct reader (parquet-direct.ts: pages decoded straight into the final columns) when the files
 * and options allow, else with DuckDB's embedded engine (the `@duckdb/node-api` package, a prebuilt native
 * library), selecting `columns` and pushing pyarrow-style `filters` down into the scan, so row groups
 * that cannot match are skipped. Both give the same Frames. Numeric and boolean columns become `Float64Array`s (`NaN` for null), strings, enums,
 * dates and timestamps become text columns (`null` for null). Lists, structs, maps and binary
 * columns are an error naming the column.
 * @example
 * const loader = new ParquetLoader({ path: 'data/*.parquet', columns: ['a', 'b', 'label'], filters: [['a', '>', 0]], target_column: 'label' });
 * const { X, y } = await loader.load();
 */
export class ParquetLoader implements DatasetLoader {
  readonly params: ParquetLoaderParams;
  /** Absolute path or glob of the data files. */
  readonly path: string;
  readonly #ctx: LoaderContext;
  #rows: number | undefined;
  #files: number | undefined;
  #threads: number | undefined;
  #reader: 'direct' | 'duckdb' | undefined;

  constructor(params: ParquetLoaderInput, ctx: Partial<LoaderContext> = {}) {
    this.#ctx = { baseDir: ctx.baseDir ?? process.cwd(), file: ctx.file ?? '<inline>', keyPath: ctx.keyPath ?? 'dataset_loader' };
    const parsed = parquetLoaderParams.safeParse(params);
    if (!parsed.success) {
      throw new PldError('PLD_ERR_CONFIG_INVALID_PARAM', `${formatZodError(parsed.error, this.#ctx.keyPath, params)}${this.#inConfig()}`, {
        cause: parsed.error,
        details: { file: this.#ctx.file, keyPath: this.#ctx.keyPath },
      });
    }
    this.params = parsed.data;
    this.path = resolve(this.#ctx.baseDir, this.params.path);
    // A glob may match files written later; a plain path is checked now, like the CSV loader's.
    if (!isGlob(this.path) && !statSync(this.path, { throwIfNoEntry: false })?.isFile()) {
      throw this.#fileError('PLD_ERR_DATA_FILE_NOT_FOUND', `data file '${this.path}' does not exist`);
    }
  }

  async load(): Promise<Dataset> {
    // The direct reader (parquet-direct.ts) needs neither DuckDB nor its 68 MiB library for a plain path.
    const direct = this.#mayReadDirect();
    if (direct && !isGlob(this.path)) {
      const dataset = await this.#loadDirect([this.path]);
      if (dataset !== undefined) return dataset;
    }
    // Loaded on first use: the native library is large and most configs never read Parquet.
    const { DuckDBInstance } = await import('@duckdb/node-api');
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    let worker: PartWorker | undefined;
    try {
      const files = await this.#listFiles(connection);
      if (direct && isGlob(this.path)) {
        const dataset = await this.#loadDirect(files);
        if (dataset !== undefined) return dataset;
      }
      if (wantSplit(this.params.use_threads)) worker = new PartWorker();
      const source = `read_parquet([${files.map(_literal).join(', ')}])`;
      const fileColumns = await this.#describe(connection, source, files);
      const selected = this.#select(fileColumns, files);
      const { where, values } = this.#where(fileColumns, files);
      const columns = await this.#read(connection, source, where, values, selected, files, fileColumns, worker);
      worker = undefined;
      const dataset = this.#toDataset(selected, columns, files);
      this.#rows = dataset.X.nRows;
      this.#files = files.length;
      this.#reader = 'duckdb';
      return dataset;
    } finally {
      // A worker not handed a job (an error before the read) must still close and exit.
      worker?.stop();
      connection.closeSync();
      instance.closeSync();
    }
  }

  /**
   * The path or glob and, after a load, the number of files and rows, of threads that read them, and the
   * reader: `direct` (parquet-direct.ts) or `duckdb`.
   */
  describe(): Record<string, unknown> {
    return { path: this.path, ...(this.#rows === undefined ? {} : { files: this.#files, rows: this.#rows, threads: this.#threads, reader: this.#reader }) };
  }

  /**
   * Whether the direct reader may try the files: not with `filters` (DuckDB prunes row groups with
   * them), nor a two-thread read; hive-partitioned paths are left to DuckDB by `#loadDirect`.
   */
  #mayReadDirect(): boolean {
    // PLD_PARQUET_DIRECT=0 reads everything with DuckDB (a way to rule the direct reader out).
    if (process.env.PLD_PARQUET_DIRECT === '0') return false;
    return filterAlternatives(this.params.filters).length === 0 && !wantSplit(this.params.use_threads);
  }

  /** The dataset read by the direct reader, or undefined when it leaves the files to DuckDB. */
  async #loadDirect(files: readonly string[]): Promise<Dataset | undefined> {
    if (files.some((file) => file.split(/[\\/]/).some((segment) => segment.includes('=')))) return undefined;
    const read = await readDirect(files, this.params.columns, this.params.target_column);
    if (read === undefined) return undefined;
    const selected = read.names.map((name, k): FileColumn => ({ name, type: read.kinds[k], kind: read.kinds[k] }));
    const dataset = this.#toDataset(selected, read.columns, files);
    this.#rows = dataset.X.nRows;
    this.#files = files.length;
    this.#threads = 1;
    this.#reader = 'direct';
    return dataset;
  }

  async #listFiles(connection: DuckDBConnection): Promise<string[]> {
    if (!isGlob(this.path)) return [this.path];
    const reader = await connection.runAndReadAll(`SELECT file FROM glob(${_literal(this.path)}) ORDER BY file`);
    const files = reader.getRowsJS().map((row) => String(row[0]));
    if (files.length === 0) throw this.#fileError('PLD_ERR_DATA_FILE_NOT_FOUND', `glob '${this.path}' matches no files`);
    return files;
  }

  async #describe(connection: DuckDBConnection, source: string, files: readonly string[]): Promise<FileColumn[]> {
    try {
      const reader = await connection.runAndReadAll(`DESCRIBE SELECT * FROM ${source}`);
      return reader.getRowsJS().map((row) => {
        const type = String(row[1]);
        return { name: String(row[0]), type, kind: _kind(type) };
      });
    } catch (error) {
      throw this.#readError(files, error);
    }
  }

  /** The columns to read, in `columns` order (file order without it); checks names and types. */
  #select(fileColumns: readonly FileColumn[], files: readonly string[]): FileColumn[] {
    const wanted = this.params.columns;
    const selected = wanted === undefined ? [...fileColumns] : wanted.map((name) => this.#column(fileColumns, name, 'columns', files));
    const target = this.params.target_column;
    if (target !== undefined) this.#column(fileColumns, target, 'target_column', files);
    for (const column of selected) {
      if (column.kind === undefined) {
        throw this.#fileError(
          'PLD_ERR_DATA_TYPE',
          `${_describeFiles(files)}: column '${column.name}' has type ${column.type}, which cannot become a Frame column (numbers, booleans, strings, dates and timestamps can); leave it out with 'columns'`,
          { column: column.name, type: column.type },
        );
      }
    }
    return selected;
  }

  #column(fileColumns: readonly FileColumn[], name: string, option: string, files: readonly string[]): FileColumn {
    const column = fileColumns.find((c) => c.name === name);
    if (column !== undefined) return column;
    const available = fileColumns.map((c) => c.name);
    throw this.#fileError('PLD_ERR_DATA_COLUMN_NOT_FOUND', `${_describeFiles(files)} has no column '${name}' (from ${option}); the columns are ${JSON.stringify(available)}`, {
      column: name,
      option,
      available,
    });
  }

  /** The condition for `filters` ('' for none), with the values as bound parameters (`$1`...). */
  #where(fileColumns: readonly FileColumn[], files: readonly string[]): { where: string; values: (number | string | boolean)[] } {
    const values: (number | string | boolean)[] = [];
    const bind = (value: number | string | boolean): string => {
      values.push(value);
      return `$${values.length}`;
    };
    const condition = ([name, op, value]: FilterCondition): string => {
      this.#column(fileColumns, name, 'filters', files);
      const column = _ident(name);
      if (Array.isArray(value)) return `${column} ${op === 'in' ? 'IN' : 'NOT IN'} (${value.map(bind).join(', ')})`;
      return `${column} ${op === '==' ? '=' : op} ${bind(value as number | string | boolean)}`;
    };
    const alternatives = filterAlternatives(this.params.filters);
    if (alternatives.length === 0) return { where: '', values };
    const sql = alternatives.map((all) => `(${all.map(condition).join(' AND ')})`).join(' OR ');
    return { where: sql, values };
  }

  /**
   * Counts the rows, allocates each column once at its exact size, then streams DuckDB's result into
   * it (parquet-stream.ts). With `use_threads: true` the read is split in two (parquet-split.ts): this thread streams the
   * first half while a worker thread, with its own DuckDB instance, streams the second straight into
   * the same (shared) numeric columns at its offset, so both cores decode and copy.
   */
  async #read(
    connection: DuckDBConnection,
    from: string,
    where: string,
    values: (number | string | boolean)[],
    selected: readonly FileColumn[],
    files: readonly string[],
    fileColumns: readonly FileColumn[],
    worker: PartWorker | undefined,
  ): Promise<Column[]> {
    const bindings: DuckDBBindings = (await import('@duckdb/node-bindings')).default;
    const params = values.length === 0 ? undefined : values;
    const list = selected.map((c) => (c.kind === 'number' ? `CAST(${_ident(c.name)} AS DOUBLE)` : c.type === 'VARCHAR' ? _ident(c.name) : `CAST(${_ident(c.name)} AS VARCHAR)`));
    try {
      const split =
        worker === undefined
          ? undefined
          : await planSplit(
              connection,
              files,
              fileColumns.map((c) => c.name),
            );
      const parts: ParquetPart[] = split ?? [{ from, range: '' }];
      this.#threads = parts.length;
      const conditions = parts.map((part) =>
        [part.range, where]
          .filter((c) => c !== '')
          .map((c) => `(${c})`)
          .join(' AND '),
      );
      const sqlOf = (select: string, k: number) => `SELECT ${select} FROM ${parts[k].from}${conditions[k] === '' ? '' : ` WHERE ${conditions[k]}`}`;
      // Without filters the counts come from the files' footers; with them they scan the filter columns.
      const counts: number[] = [];
      for (let k = 0; k < parts.length; k++) counts.push(Number((await connection.runAndReadAll(sqlOf('count(*)', k), params)).getRowsJS()[0][0]));
      const total = counts.reduce((a, b) => a + b, 0);
      const shared = split !== undefined;
      const columns: Column[] = selected.map((c) =>
        c.kind === 'number' ? new Float64Array(shared ? new SharedArrayBuffer(total * 8) : new ArrayBuffer(total * 8)) : new Array<string | null>(total),
      );
      const second =
        split === undefined
          ? undefined
          : worker?.read({
              sql: sqlOf(list.join(', '), 1),
              params,
              count: counts[1],
              offset: counts[0],
              shared: columns.map((c) => (c instanceof Float64Array ? (c.buffer as SharedArrayBuffer) : null)),
            });
      let read: number;
      try {
        const result = await connection.stream(sqlOf(list.join(', '), 0), params);
        read = await streamInto(bindings, async () => (await result.fetchChunk())?.chunk ?? null, columns, 0, counts[0]);
      } finally {
        // Never leave the worker writing into the columns after a failure here.
        if (second !== undefined) await second;
      }
      if (second !== undefined) {
        const result = await second;
        if ('error' in result) {
          if (result.tooMany) throw new TooManyRowsError(result.error);
          throw new Error(result.error);
        }
        if (read !== counts[0] || result.rows !== counts[1]) throw this.#changed(files, `${read + result.rows} rows read, ${total} counted`);
        read += result.rows;
        result.text.forEach((encoded, k) => {
          if (encoded !== null) decodeInto(encoded, columns[k] as (string | null)[], counts[0]);
        });
      }
      if (read !== total) throw this.#changed(files, `${read} rows read, ${total} counted`);
      return columns;
    } catch (error) {
      if (error instanceof PldError) throw error;
      if (error instanceof TooManyRowsError) throw this.#changed(files, error.message);
      if (this.params.filters === undefined) throw this.#readError(files, error);
      // The schema was readable, so a failure here is most often a filter value of the wrong type.
      const message = (error as Error).message ?? String(error);
      throw this.#fileError('PLD_ERR_DATA_PARSE', `${_describeFiles(files)} could not be read with filters ${JSON.stringify(this.params.filters)}: ${message}`, {}, error);
    }
  }

  #changed(files: readonly string[], what: string): PldError {
    return this.#fileError('PLD_ERR_DATA_PARSE', `${_describeFiles(files)} changed while being read (${what})`);
  }

  #toDataset(selected: readonly FileColumn[], columns: Column[], files: readonly string[]): Dataset {
    const target = this.params.target_column;
    const X = new Map<string, Column>();
    let y: Labels | undefined;
    selected.forEach((column, k) => {
      if (column.name !== target) {
        X.set(column.name, columns[k]);
        return;
      }
      const values = columns[k];
      for (let i = 0; i < values.length; i++) {
        const value = values[i];
        if (value === null || (typeof value === 'number' && Number.isNaN(value))) {
          throw this.#fileError('PLD_ERR_DATA_PARSE', `${_describeFiles(files)}: row ${i + 1}, target column '${target}' is missing (null)`, { row: i + 1, column: target });
        }
      }
      y = values as Labels;
    });
    return y === undefined ? { X: new Frame(X) } : { X: new Frame(X), y };
  }

  #readError(files: readonly string[], error: unknown): PldError {
    const message = (error as Error).message ?? String(error);
    return this.#fileError('PLD_ERR_DATA_PARSE', `${_describeFiles(files)} could not be read as Parquet: ${message}`, {}, error);
  }

  #fileError(code: ErrorCode, message: string, details: Record<string, unknown> = {}, cause?: unknown): PldError {
    return new PldError(code, `${this.#ctx.keyPath}: ${message}${this.#inConfig()}`, {
      cause,
      details: { file: this.#ctx.file, keyPath: this.#ctx.keyPath, path: this.path, ...details },
    });
  }

  #inConfig(): string {
    return this.#ctx.file === '<inline>' ? '' : ` (config ${this.#ctx.file})`;
  }
}

/** True when the path has glob characters (`*`, `?`, `[`), as DuckDB's `glob()` reads them. */
export function isGlob(path: string): boolean {
  return /[*?[]/.test(path);
}

const _NUMBER_TYPES = new Set(['BOOLEAN', 'TINYINT', 'SMALLINT', 'INTEGER', 'BIGINT', 'HUGEINT', 'UTINYINT', 'USMALLINT', 'UINTEGER', 'UBIGINT', 'UHUGEINT', 'FLOAT', 'DOUBLE']);
const _TEXT_TYPES = new Set([
  'VARCHAR',
  'DATE',
  'TIME',
  'TIME WITH TIME ZONE',
  'TIMESTAMP',
  'TIMESTAMP WITH TIME ZONE',
  'TIMESTAMP_S',
  'TIMESTAMP_MS',
  'TIMESTAMP_NS',
  'UUID',
  'INTERVAL',
]);

function _kind(type: string): Kind | undefined {
  if (_NUMBER_TYPES.has(type) || type.startsWith('DECIMAL')) return 'number';
  if (_TEXT_TYPES.has(type) || type.startsWith('ENUM(')) return 'text';
  return undefined;
}

function _describeFiles(files: readonly string[]): string {
  return files.length === 1 ? `Parquet file '${files[0]}'` : `Parquet files '${files[0]}' and ${files.length - 1} more`;
}

function _literal(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

function _ident(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
