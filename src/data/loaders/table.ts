import { isUtf8 } from 'node:buffer';
import { createReadStream, statSync } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import type { CreateContext } from '../../config/registry.js';
import { type ErrorCode, PldError } from '../../errors.js';
import { formatZodError } from '../../internal/zod-format.js';
import { type Column, Frame, isNumericColumn, type Labels } from '../frame.js';
import type { Dataset, DatasetLoader } from '../types.js';
import { CsvByteTokenizer, CsvSyntaxError, parseDecimalBytes } from './csv-bytes.js';
import { type ColumnDtype, type ColumnTypeProblem, parseNumber } from './column-types.js';
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
    // The tokenizer works on bytes: a separator, quote or comment must be one byte in the file's encoding.
    const maxCode = this.params.encoding === 'latin1' ? 0xff : 0x7f;
    for (const [key, char] of [
      ['sep', this.#sep],
      ['quotechar', this.params.quotechar],
      ['comment', this.params.comment],
    ] as const) {
      if (char !== undefined && char.charCodeAt(0) > maxCode) {
        throw new PldError(
          'PLD_ERR_CONFIG_INVALID_PARAM',
          `${this.#ctx.keyPath}.${key}: must be an ASCII character${maxCode === 0xff ? ' or a Latin-1 one' : " (or a Latin-1 one with encoding: 'latin1')"}, got ${JSON.stringify(char)}${this.#inConfig()}`,
          { details: { file: this.#ctx.file, keyPath: `${this.#ctx.keyPath}.${key}` } },
        );
      }
    }
    this.path = resolve(this.#ctx.baseDir, this.params.path);
    if (!statSync(this.path, { throwIfNoEntry: false })?.isFile()) throw this.#notFound();
  }

  /**
   * Streams the file (gunzipping on the fly) through a byte tokenizer straight into typed columns, so
   * memory holds the columns being built plus one read buffer, never the file's text. A column with
   * no dtype starts numeric; at its first value that is not a number the file is read again with that
   * column as text, so text columns keep their values exactly as written.
   */
  async load(): Promise<Dataset> {
    const text = new Set<number>();
    for (;;) {
      try {
        const { X, y, rows } = await this.#readPass(text);
        this.#rows = rows;
        return y === undefined ? { X } : { X, y };
      } catch (error) {
        if (!(error instanceof _TextColumn)) throw error;
        text.add(error.column);
      }
    }
  }

  /** The file, the separator and the row count of the last load. */
  describe(): Record<string, unknown> {
    return { path: this.path, sep: this.#sep, rows: this.#rows };
  }

  /** One read of the file; throws {@link _TextColumn} when an inferred column turns out to hold text. */
  async #readPass(textColumns: ReadonlySet<number>): Promise<{ X: Frame; y: Labels | undefined; rows: number }> {
    const p = this.params;
    const latin1 = p.encoding === 'latin1';
    const decode = latin1 ? _latin1 : _utf8;
    const tokenizer = new CsvByteTokenizer({ sep: this.#sep, quote: p.quotechar, comment: p.comment }, decode);
    const skip = _skipPredicate(p.skiprows);
    const headerRow = p.header === 'infer' ? (p.names === undefined ? 0 : null) : p.header;
    const limit = p.nrows ?? Number.POSITIVE_INFINITY;
    const target = p.target_column;
    const na = this.#na;
    // Byte lengths of na_values that read as numbers (`-999`): only fields of those lengths need the string check.
    const numericNaLengths = new Set([...na].filter((v) => parseNumber(v) !== undefined).map((v) => Buffer.byteLength(v, latin1 ? 'latin1' : 'utf8')));
    let headerSeen = 0;
    let names = p.names;
    let used: number[] | undefined;
    let builders: _Builder[] = [];
    let rows = 0;
    let data: Buffer = Buffer.alloc(0);
    let stopped = false;
    // Bytes of the file before `data`, where the first data row starts, and the size when not gzip.
    let offset = 0;
    let dataStart = -1;
    let fileSize = 0;
    const checkNa = numericNaLengths.size > 0;
    const fieldText = (j: number): string => (tokenizer.ends[j] < 0 ? tokenizer.quoted[j] : decode(data, tokenizer.starts[j], tokenizer.ends[j]));
    const fields = (): string[] => Array.from({ length: tokenizer.count }, (_, j) => fieldText(j));
    const setUp = (): void => {
      names ??= Array.from({ length: tokenizer.count }, (_, i) => String(i));
      used = this.#usedColumns(names);
      builders = used.map((index) => {
        const name = (names as string[])[index];
        const dtype = this.#dtypeOf(name);
        const isText = dtype === 'str' || dtype === 'category' || textColumns.has(index);
        const isTarget = name === target;
        return {
          index,
          name,
          dtype,
          isTarget,
          plain: !checkNa && !isTarget && dtype !== 'int',
          numbers: isText ? undefined : new Float64Array(capacity),
          texts: isText ? [] : undefined,
          intern: new Map(),
        };
      });
    };
    /** A numeric field the tokenizer did not read as a plain decimal, or one of a column with checks. */
    const checkedNumber = (b: _Builder, line: number, fast: number): number => {
      const j = b.index;
      const start = tokenizer.starts[j];
      const end = tokenizer.ends[j];
      let value = fast;
      if (checkNa && numericNaLengths.has(end - start)) value = Number.NaN;
      else if (Number.isNaN(value) && end > start) value = parseDecimalBytes(data, start, end);
      if (Number.isNaN(value) && end !== start) {
        const raw = fieldText(j);
        const parsed = na.has(raw) ? Number.NaN : parseNumber(raw);
        if (parsed === undefined) {
          if (b.dtype === undefined) throw new _TextColumn(j);
          this.#badValue(line, b.name, raw, 'not a number');
        }
        value = parsed;
      }
      if (Number.isNaN(value) && (b.isTarget || b.dtype === 'int')) this.#badValue(line, b.name, null, 'missing');
      if (b.dtype === 'int' && !Number.isInteger(value)) this.#badValue(line, b.name, fieldText(j), 'not an integer');
      return value;
    };
    // Every numeric column has `rows` values and the same capacity, so growth is checked once per row.
    let capacity = _INITIAL_ROWS;
    const reserve = (rowsWanted: number): void => {
      if (rowsWanted <= capacity) return;
      capacity = rowsWanted;
      for (const b of builders) {
        if (b.numbers === undefined) continue;
        const grown = new Float64Array(capacity);
        grown.set(b.numbers.subarray(0, rows));
        b.numbers = grown;
      }
    };
    const onRecord = (): boolean => {
      const line = tokenizer.line;
      if (tokenizer.blank || skip(line - 1)) return true;
      if (headerRow !== null && headerSeen <= headerRow) {
        // pandas replaces the header row with `names` when both are given.
        if (headerSeen++ === headerRow) names ??= _mangleDuplicates(fields());
        return true;
      }
      if (used === undefined) {
        setUp();
        dataStart = offset + tokenizer.end;
      }
      if (rows >= limit) {
        stopped = true;
        return false;
      }
      const width = (names as string[]).length;
      if (tokenizer.count !== width) {
        throw this.#error('PLD_ERR_DATA_PARSE', `line ${line}: expected ${width} fields, saw ${tokenizer.count}`, { line, expected: width, actual: tokenizer.count });
      }
      const values = tokenizer.values;
      if (rows === capacity) reserve(Math.ceil(capacity * 1.5));
      for (let k = 0; k < builders.length; k++) {
        const b = builders[k];
        const numbers = b.numbers;
        if (numbers !== undefined) {
          // Hot path: the tokenizer already read a plain decimal; anything else takes the checked path.
          const value = values[b.index];
          numbers[rows] = b.plain && !Number.isNaN(value) ? value : checkedNumber(b, line, value);
        } else {
          const raw = fieldText(b.index);
          const texts = b.texts as (string | null)[];
          if (na.has(raw)) {
            if (b.isTarget) this.#badValue(line, b.name, null, 'missing');
            texts.push(null);
          } else {
            // Repeated category names share one string instead of one copy per row.
            let value = b.intern.get(raw);
            if (value === undefined) {
              value = raw;
              if (b.intern.size < _INTERN_LIMIT) b.intern.set(raw, raw);
            }
            texts.push(value);
          }
        }
      }
      rows++;
      if (rows === _ESTIMATE_AFTER && fileSize > 0) {
        const perRow = (offset + tokenizer.end - dataStart) / rows;
        reserve(Math.min(limit, Math.ceil((fileSize / perRow) * 1.02)));
      }
      // Stop at nrows without tokenizing further, so a bad row after the limit is never seen.
      if (rows < limit) return true;
      stopped = true;
      return false;
    };
    let first = true;
    const consume = (chunk: Buffer, final: boolean): void => {
      if (first) {
        first = false;
        // A UTF-8 byte order mark is not part of the first column's name.
        if (!latin1 && chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) chunk = chunk.subarray(3);
      }
      data = data.length === 0 ? chunk : Buffer.concat([data, chunk]);
      if (!latin1) {
        // Checked up to the last newline, a character boundary; the rest is checked with the next chunk.
        const checked = final ? data.length : data.lastIndexOf(10) + 1;
        if (!isUtf8(data.subarray(0, checked))) throw this.#error('PLD_ERR_DATA_PARSE', "is not valid UTF-8; set encoding: 'latin1' if it is Latin-1 text", {});
      }
      let usedBytes: number;
      try {
        usedBytes = tokenizer.feed(data, final, onRecord);
      } catch (error) {
        if (error instanceof CsvSyntaxError) throw this.#error('PLD_ERR_DATA_PARSE', `line ${error.line}: ${error.message}`, { line: error.line });
        throw error;
      }
      offset += usedBytes;
      data = data.subarray(usedBytes);
    };
    await this.#stream(
      (size) => {
        fileSize = size;
      },
      (chunk) => {
        consume(chunk, false);
        return !stopped;
      },
    );
    if (!stopped) consume(Buffer.alloc(0), true);
    if (headerRow !== null && headerSeen <= headerRow) throw this.#error('PLD_ERR_DATA_EMPTY', `has no header row (header=${headerRow})`, {});
    if (used === undefined) {
      names ??= [];
      setUp();
    }
    const X = new Map<string, Column>();
    let y: Labels | undefined;
    for (const b of builders) {
      const column: Column = b.numbers !== undefined ? _exact(b.numbers, rows) : (b.texts as (string | null)[]);
      b.numbers = undefined;
      if (b.isTarget) y = isNumericColumn(column) ? column : (column as string[]);
      else X.set(b.name, column);
    }
    return { X: new Frame(X), y, rows };
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

  /** Feeds the file's bytes (gunzipped when it is gzip) to `onChunk` until it returns false. */
  async #stream(onSize: (bytes: number) => void, onChunk: (chunk: Buffer) => boolean): Promise<void> {
    let gzip = this.path.endsWith('.gz');
    let stream: Readable;
    try {
      if (!gzip) {
        const handle = await open(this.path, 'r');
        try {
          const { bytesRead, buffer } = await handle.read(Buffer.alloc(2), 0, 2, 0);
          gzip = bytesRead === 2 && buffer[0] === 0x1f && buffer[1] === 0x8b;
        } finally {
          await handle.close();
        }
      }
      // The uncompressed size, when known, lets the columns be sized once.
      if (!gzip) onSize((await stat(this.path)).size);
      const file = createReadStream(this.path, { highWaterMark: _READ_CHUNK });
      stream = gzip ? file.pipe(createGunzip({ chunkSize: _READ_CHUNK })) : file;
      if (gzip) file.on('error', (error) => stream.destroy(error));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw this.#notFound();
      throw this.#error('PLD_ERR_DATA_PARSE', `could not be read: ${(error as Error).message}`, {}, error);
    }
    try {
      for await (const chunk of stream) if (!onChunk(chunk as Buffer)) break;
    } catch (error) {
      if (error instanceof PldError || error instanceof _TextColumn) throw error;
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw this.#notFound();
      if (gzip && (error as NodeJS.ErrnoException).code?.startsWith('Z_')) throw this.#error('PLD_ERR_DATA_PARSE', `is not valid gzip: ${(error as Error).message}`, {}, error);
      throw this.#error('PLD_ERR_DATA_PARSE', `could not be read: ${(error as Error).message}`, {}, error);
    } finally {
      stream.destroy();
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

/** Bytes read at a time: the bounded buffer that loading holds besides the columns. */
const _READ_CHUNK = 1 << 20;
/** Distinct values per text column that share one string; beyond it, values are kept as read. */
const _INTERN_LIMIT = 100_000;

/** Thrown by a read pass when a column read as numbers holds text: the pass restarts with it as text. */
class _TextColumn extends Error {
  constructor(readonly column: number) {
    super(`column ${column} holds text`);
  }
}

interface _Builder {
  readonly index: number;
  readonly name: string;
  readonly dtype: ColumnDtype | undefined;
  readonly isTarget: boolean;
  /** No checks needed beyond "is it a number": not the target, not `int`, no numeric na_values. */
  readonly plain: boolean;
  numbers: Float64Array | undefined;
  readonly texts: (string | null)[] | undefined;
  readonly intern: Map<string, string>;
}

/**
 * The first `rows` values of a column. Numeric columns are sized from an estimate of the row count
 * (file size / bytes per row so far), so they are normally allocated once: a little spare capacity
 * stays as a view (no copy); a lot is worth one copy of this column.
 */
function _exact(numbers: Float64Array, rows: number): Float64Array {
  if (numbers.length === rows) return numbers;
  return numbers.length - rows <= numbers.length / 16 ? numbers.subarray(0, rows) : numbers.slice(0, rows);
}

const _INITIAL_ROWS = 1 << 14;
/** Rows read before the row count of the whole file is estimated. */
const _ESTIMATE_AFTER = 1 << 13;

function _utf8(data: Buffer, start: number, end: number): string {
  return data.toString('utf8', start, end);
}

function _latin1(data: Buffer, start: number, end: number): string {
  return data.toString('latin1', start, end);
}

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
