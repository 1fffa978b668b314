import { statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import type { CreateContext } from '../../config/registry.js';
import { type ErrorCode, PldError } from '../../errors.js';
import { formatZodError } from '../../internal/zod-format.js';
import { type Column, Frame, isNumericColumn, type Labels } from '../frame.js';
import type { Dataset, DatasetLoader } from '../types.js';
import { type ColumnDtype, type ColumnTypeProblem, toColumn } from './column-types.js';
import { CsvSyntaxError, CsvTokenizer } from './csv-tokenizer.js';
import { normalizeDtype, type TableLoaderInput, type TableLoaderParams, tableLoaderParams } from './table-params.js';

/** The part of a {@link CreateContext} a loader uses: where relative paths start, and what to name in errors. */
export type LoaderContext = Pick<CreateContext, 'baseDir' | 'file' | 'keyPath'>;

/** Per-registry-name behaviour of {@link TableLoader}. */
export interface TableLoaderOptions {
  /** Separator when the config gives neither `sep` nor `delimiter`: `,` for `CSV`, `\t` for `Table`. */
  readonly defaultSep?: string;
}

/** Strings read as missing values unless the config adds more (pandas' defaults, minus the rarer ones). */
export const DEFAULT_NA_VALUES: readonly string[] = ['', 'NA', 'N/A', 'NaN', 'nan', 'null', 'NULL', '#N/A'];

/**
 * Palladium's `CSV`/`Table` dataset loader: reads a delimited text file (optionally gzip'd) with
 * pandas `read_csv` options into a {@link Frame} of typed columns, and splits off `target_column` as `y`.
 * Parameters are validated and the file's existence is checked when the loader is created, so a
 * command fails before doing any work; the file is read only in `load()`.
 * @example
 * const loader = new TableLoader({ path: 'iris.data', names: ['a', 'b', 'c', 'd', 'species'], target_column: 'species' },
 *   { baseDir: '/project', file: '/project/config.json', keyPath: 'dataset_loader_train' }, { defaultSep: ',' });
 * const { X, y } = await loader.load(); // X: 4 Float64Array columns, y: string[]
 */
export class TableLoader implements DatasetLoader {
  /** Validated parameters, with defaults. */
  readonly params: TableLoaderParams;
  /** Absolute path of the data file. */
  readonly path: string;
  readonly #ctx: LoaderContext;
  readonly #sep: string;
  readonly #na: ReadonlySet<string>;
  #rows: number | undefined;

  constructor(params: TableLoaderInput, ctx: Partial<LoaderContext> = {}, options: TableLoaderOptions = {}) {
    this.#ctx = { baseDir: ctx.baseDir ?? process.cwd(), file: ctx.file ?? '<inline>', keyPath: ctx.keyPath ?? 'dataset_loader' };
    const parsed = tableLoaderParams.safeParse(params);
    if (!parsed.success) {
      throw new PldError('PLD_ERR_CONFIG_INVALID_PARAM', `${formatZodError(parsed.error, this.#ctx.keyPath, params)}${this.#inConfig()}`, {
        cause: parsed.error,
        details: { file: this.#ctx.file, keyPath: this.#ctx.keyPath },
      });
    }
    this.params = parsed.data;
    this.#sep = this.params.sep ?? this.params.delimiter ?? options.defaultSep ?? ',';
    const extra = this.params.na_values;
    this.#na = new Set([...DEFAULT_NA_VALUES, ...(extra === undefined ? [] : typeof extra === 'string' ? [extra] : extra)]);
    this.path = resolve(this.#ctx.baseDir, this.params.path);
    if (!statSync(this.path, { throwIfNoEntry: false })?.isFile()) throw this.#notFound();
  }

  /** Reads and parses the file. */
  async load(): Promise<Dataset> {
    const text = await this.#readText();
    const { names, columns, lines } = this.#readTable(text);
    const target = this.params.target_column;
    const X = new Map<string, Column>();
    let y: Labels | undefined;
    for (let k = 0; k < names.length; k++) {
      const name = names[k];
      const column = toColumn(columns[k], this.#dtypeOf(name), (row, problem) => this.#badValue(lines[row], name, columns[k][row], problem));
      if (name === target) y = this.#toLabels(column, lines, name);
      else X.set(name, column);
    }
    this.#rows = lines.length;
    return y === undefined ? { X: new Frame(X) } : { X: new Frame(X), y };
  }

  /** The file, the separator and the row count of the last load. */
  describe(): Record<string, unknown> {
    return { path: this.path, sep: this.#sep, rows: this.#rows };
  }

  /** Tokenizes the text into per-column arrays of raw values (`null` = missing), one line number per row. */
  #readTable(text: string): { names: string[]; columns: (string | null)[][]; lines: number[] } {
    const p = this.params;
    const tokenizer = new CsvTokenizer(text, { sep: this.#sep, quote: p.quotechar, comment: p.comment });
    const skip = _skipPredicate(p.skiprows);
    const fields: string[] = [];
    const nextRow = (): number => {
      for (;;) {
        let line: number;
        try {
          line = tokenizer.next(fields);
        } catch (error) {
          if (error instanceof CsvSyntaxError) throw this.#error('PLD_ERR_DATA_PARSE', `line ${error.line}: ${error.message}`, { line: error.line });
          throw error;
        }
        if (line === 0 || !(tokenizer.blank || skip(line - 1))) return line;
      }
    };
    const headerRow = p.header === 'infer' ? (p.names === undefined ? 0 : null) : p.header;
    let names = p.names;
    if (headerRow !== null) {
      for (let i = 0; i <= headerRow; i++) {
        if (nextRow() === 0) throw this.#error('PLD_ERR_DATA_EMPTY', `has no header row (header=${headerRow})`, {});
      }
      // pandas replaces the header row with `names` when both are given.
      names ??= _mangleDuplicates(fields);
    }
    // Read even with nrows=0: without a header, the first row gives the column count.
    let line = nextRow();
    names ??= fields.map((_, i) => String(i));
    const used = this.#usedColumns(names);
    const columns = used.map((): (string | null)[] => []);
    const lines: number[] = [];
    const limit = p.nrows ?? Number.POSITIVE_INFINITY;
    const na = this.#na;
    while (line !== 0 && lines.length < limit) {
      if (fields.length !== names.length) {
        throw this.#error('PLD_ERR_DATA_PARSE', `line ${line}: expected ${names.length} fields, saw ${fields.length}`, { line, expected: names.length, actual: fields.length });
      }
      for (let k = 0; k < used.length; k++) {
        const value = fields[used[k]];
        columns[k].push(na.has(value) ? null : value);
      }
      lines.push(line);
      // Stop at nrows without tokenizing further, so a bad row after the limit is never seen.
      if (lines.length < limit) line = nextRow();
    }
    return { names: used.map((i) => names[i]), columns, lines };
  }

  /** File indices of the columns to keep, in file order; checks usecols, target_column and dtype keys. */
  #usedColumns(names: readonly string[]): number[] {
    const { usecols, target_column: target, dtype } = this.params;
    let used = names.map((_, i) => i);
    if (usecols !== undefined) {
      used = usecols.map((col) => {
        const index = typeof col === 'number' ? (col < names.length ? col : -1) : names.indexOf(col);
        if (index < 0) throw this.#missingColumn('usecols', col, names);
        return index;
      });
      used.sort((a, b) => a - b);
    }
    if (target !== undefined && !used.some((i) => names[i] === target)) {
      throw this.#missingColumn(
        'target_column',
        target,
        used.map((i) => names[i]),
      );
    }
    if (dtype !== undefined && typeof dtype === 'object') {
      for (const name of Object.keys(dtype)) if (!names.includes(name)) throw this.#missingColumn('dtype', name, names);
    }
    return used;
  }

  #dtypeOf(name: string): ColumnDtype | undefined {
    const dtype = this.params.dtype;
    if (dtype === undefined) return undefined;
    if (typeof dtype === 'string') return normalizeDtype(dtype);
    const own = dtype[name];
    return own === undefined ? undefined : normalizeDtype(own);
  }

  #toLabels(column: Column, lines: readonly number[], name: string): Labels {
    for (let i = 0; i < column.length; i++) {
      const value = column[i];
      if (value === null || (typeof value === 'number' && Number.isNaN(value))) this.#badValue(lines[i], name, null, 'missing');
    }
    return isNumericColumn(column) ? column : (column as string[]);
  }

  async #readText(): Promise<string> {
    let bytes: Buffer;
    try {
      bytes = await readFile(this.path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw this.#notFound();
      throw this.#error('PLD_ERR_DATA_PARSE', `could not be read: ${(error as Error).message}`, {}, error);
    }
    if (this.path.endsWith('.gz') || (bytes[0] === 0x1f && bytes[1] === 0x8b)) {
      try {
        bytes = await _gunzip(bytes);
      } catch (error) {
        throw this.#error('PLD_ERR_DATA_PARSE', `is not valid gzip: ${(error as Error).message}`, {}, error);
      }
    }
    if (this.params.encoding === 'latin1') return bytes.toString('latin1');
    try {
      // Fatal decoding: pandas fails on bad UTF-8 too, and silent U+FFFD would corrupt category names.
      // The decoder also drops a leading byte order mark.
      return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch (error) {
      throw this.#error('PLD_ERR_DATA_PARSE', "is not valid UTF-8; set encoding: 'latin1' if it is Latin-1 text", {}, error);
    }
  }

  #badValue(line: number, column: string, value: string | null, problem: ColumnTypeProblem): never {
    const dtype = this.#dtypeOf(column);
    const expected =
      problem === 'missing'
        ? `a value${column === this.params.target_column ? ' (target column)' : ` (dtype ${dtype})`}`
        : problem === 'not an integer'
          ? 'an integer'
          : `a number (dtype ${dtype})`;
    const got = value === null ? 'a missing value' : JSON.stringify(value);
    throw this.#error('PLD_ERR_DATA_PARSE', `line ${line}, column '${column}': expected ${expected}, got ${got}`, { line, column });
  }

  #missingColumn(option: string, column: string | number, available: readonly string[]): PldError {
    const what = typeof column === 'number' ? `column index ${column}` : `column '${column}'`;
    return this.#error('PLD_ERR_DATA_COLUMN_NOT_FOUND', `has no ${what} (from ${option}); the columns are ${JSON.stringify(available)}`, { column, option, available });
  }

  #notFound(): PldError {
    const keyPath = `${this.#ctx.keyPath}.path`;
    return new PldError('PLD_ERR_DATA_FILE_NOT_FOUND', `${keyPath}: data file '${this.path}' does not exist${this.#inConfig()}`, {
      details: { file: this.#ctx.file, keyPath, path: this.path },
    });
  }

  #error(code: ErrorCode, message: string, details: Record<string, unknown>, cause?: unknown): PldError {
    return new PldError(code, `${this.#ctx.keyPath}: data file '${this.path}' ${message}${this.#inConfig()}`, {
      cause,
      details: { file: this.#ctx.file, keyPath: this.#ctx.keyPath, path: this.path, ...details },
    });
  }

  #inConfig(): string {
    return this.#ctx.file === '<inline>' ? '' : ` (config ${this.#ctx.file})`;
  }
}

const _gunzip = promisify(gunzip);

/** pandas `skiprows`: a count skips the first lines of the file; a list names 0-based lines to skip. */
function _skipPredicate(skiprows: number | number[] | undefined): (line: number) => boolean {
  if (skiprows === undefined) return () => false;
  if (typeof skiprows === 'number') return (line) => line < skiprows;
  const set = new Set(skiprows);
  return (line) => set.has(line);
}

/** pandas renames repeated header names `a, a` to `a, a.1` rather than failing. */
function _mangleDuplicates(header: readonly string[]): string[] {
  const seen = new Set<string>();
  return header.map((name) => {
    let unique = name;
    for (let i = 1; seen.has(unique); i++) unique = `${name}.${i}`;
    seen.add(unique);
    return unique;
  });
}
