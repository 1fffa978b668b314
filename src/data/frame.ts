import { PldError } from '../errors.js';

/** A numeric column: one float per row, `NaN` for a missing value. */
export type NumericColumn = Float64Array;
/** A categorical (text) column: one string per row, `null` for a missing value. */
export type CategoricalColumn = (string | null)[];
/** One column of a {@link Frame}. */
export type Column = NumericColumn | CategoricalColumn;

/**
 * Targets or predictions: numbers (regression, or numeric class labels) or strings (class labels).
 * @example
 * const y: Labels = ['Iris-setosa', 'Iris-virginica'];
 */
export type Labels = Float64Array | string[];

/** True when the column holds numbers. */
export function isNumericColumn(column: Column): column is NumericColumn {
  return column instanceof Float64Array;
}

/**
 * Named columns of equal length: the one tabular type every loader produces and every estimator reads.
 * Numeric columns are `Float64Array`s, so fit and predict never box numbers into row objects.
 * A Frame is immutable: the methods return new Frames sharing column storage where they can.
 * @example
 * const X = new Frame({ 'sepal length': Float64Array.of(5.1, 4.9), species: ['a', 'b'] });
 * X.nRows; // 2
 */
export class Frame {
  readonly columns: readonly string[];
  readonly nRows: number;
  readonly #data: ReadonlyMap<string, Column>;

  constructor(data: Readonly<Record<string, Column>> | ReadonlyMap<string, Column>) {
    const entries = data instanceof Map ? [...data.entries()] : Object.entries(data as Record<string, Column>);
    this.columns = entries.map(([name]) => name);
    this.#data = new Map(entries);
    this.nRows = entries.length === 0 ? 0 : entries[0][1].length;
    for (const [name, column] of entries) {
      if (column.length !== this.nRows) {
        throw new PldError('PLD_ERR_ESTIMATOR_BAD_INPUT', `Column '${name}' has ${column.length} rows, expected ${this.nRows} like '${this.columns[0]}'`, {
          details: { column: name },
        });
      }
    }
  }

  /** Number of columns. */
  get nColumns(): number {
    return this.columns.length;
  }

  /** True when the Frame has a column of that name. */
  has(name: string): boolean {
    return this.#data.has(name);
  }

  /** The column of that name; a clear error when there is none. */
  column(name: string): Column {
    const column = this.#data.get(name);
    if (column === undefined) {
      throw new PldError('PLD_ERR_DATA_COLUMN_NOT_FOUND', `No column '${name}'; the columns are ${JSON.stringify(this.columns)}`, { details: { column: name } });
    }
    return column;
  }

  /** The column as numbers; a clear error when it holds text. */
  numeric(name: string): NumericColumn {
    const column = this.column(name);
    if (!isNumericColumn(column)) {
      throw new PldError('PLD_ERR_ESTIMATOR_BAD_INPUT', `Column '${name}' holds text; expected numbers (add an encoder to the model for categorical columns)`, {
        details: { column: name },
      });
    }
    return column;
  }

  /** A Frame with only these columns, in this order. */
  select(names: readonly string[]): Frame {
    return new Frame(new Map(names.map((name) => [name, this.column(name)])));
  }

  /** A Frame without the named column. */
  drop(name: string): Frame {
    this.column(name);
    return new Frame(new Map([...this.#data].filter(([key]) => key !== name)));
  }

  /** A Frame with the given rows (by index, repeats allowed), in that order. */
  take(rows: ArrayLike<number>): Frame {
    const out = new Map<string, Column>();
    for (const [name, column] of this.#data) {
      if (isNumericColumn(column)) {
        const taken = new Float64Array(rows.length);
        for (let i = 0; i < rows.length; i++) taken[i] = column[rows[i]];
        out.set(name, taken);
      } else {
        const taken: (string | null)[] = new Array(rows.length);
        for (let i = 0; i < rows.length; i++) taken[i] = column[rows[i]];
        out.set(name, taken);
      }
    }
    return new Frame(out);
  }

  /** Rows `[start, end)`; numeric columns are views, not copies. */
  slice(start: number, end: number = this.nRows): Frame {
    const out = new Map<string, Column>();
    for (const [name, column] of this.#data) out.set(name, isNumericColumn(column) ? column.subarray(start, end) : column.slice(start, end));
    return new Frame(out);
  }

  /** Row `i` as a plain object; for printing and tests, not for hot paths. */
  row(i: number): Record<string, number | string | null> {
    const out: Record<string, number | string | null> = {};
    for (const [name, column] of this.#data) out[name] = column[i];
    return out;
  }

  /** Iterates `[name, column]` pairs in column order. */
  entries(): IterableIterator<[string, Column]> {
    return this.#data.entries();
  }
}

/**
 * A row-major matrix of floats, e.g. class probabilities (`nRows` samples × `nCols` classes).
 * @example
 * const p = new Matrix(2, 3); p.set(0, 1, 0.5); p.row(0); // Float64Array [0, 0.5, 0]
 */
export class Matrix {
  readonly data: Float64Array;

  constructor(
    readonly nRows: number,
    readonly nCols: number,
    data?: Float64Array,
  ) {
    this.data = data ?? new Float64Array(nRows * nCols);
    if (this.data.length !== nRows * nCols) throw new RangeError(`Matrix data has ${this.data.length} values, expected ${nRows}×${nCols}`);
  }

  get(i: number, j: number): number {
    return this.data[i * this.nCols + j];
  }

  set(i: number, j: number, value: number): void {
    this.data[i * this.nCols + j] = value;
  }

  /** Row `i` as a view into the matrix. */
  row(i: number): Float64Array {
    return this.data.subarray(i * this.nCols, (i + 1) * this.nCols);
  }

  /** Plain nested arrays, for JSON. */
  toArrays(): number[][] {
    const out: number[][] = new Array(this.nRows);
    for (let i = 0; i < this.nRows; i++) out[i] = Array.from(this.row(i));
    return out;
  }
}
