import type { Column } from '../frame.js';

/** A column type a loader can be asked for (pandas' `dtype`); `str` and `category` both give text columns. */
export type ColumnDtype = 'float' | 'int' | 'str' | 'category';

/** Why a value does not fit a requested dtype. */
export type ColumnTypeProblem = 'not a number' | 'not an integer' | 'missing';

/**
 * Parses a number the way pandas' CSV parser does: surrounding whitespace is ignored; decimals,
 * exponents and `inf`/`infinity` (any case, signed) are accepted; hex, binary, octal and `_` separators,
 * which `Number()` would take, are not. Returns `undefined` for anything else.
 * @example
 * parseNumber(' -2e3 '); // -2000
 * parseNumber('0x10');   // undefined
 */
export function parseNumber(text: string): number | undefined {
  const t = text.trim();
  if (t === '') return undefined;
  let i = 0;
  let c = t.charCodeAt(0);
  if (c === _PLUS || c === _MINUS) c = t.charCodeAt(++i);
  if ((c >= _ZERO && c <= _NINE) || c === _DOT) {
    // Number() also reads 0x1F, 0b1 and 0o7, which pandas keeps as text.
    if (c === _ZERO && i + 1 < t.length && _RADIX_LETTERS.has(t[i + 1])) return undefined;
    const value = Number(t);
    return Number.isNaN(value) ? undefined : value;
  }
  const word = t.slice(i).toLowerCase();
  if (word === 'inf' || word === 'infinity') return t.charCodeAt(0) === _MINUS ? -Infinity : Infinity;
  return undefined;
}

/**
 * Builds a Frame column from raw values (`null` = missing). Without a dtype the column is numeric
 * (`Float64Array`, `NaN` for missing) when every present value is a number or parses as one, and text
 * otherwise. With a dtype, a value that does not fit calls `fail(row, problem)`, which must throw.
 * @example
 * toColumn(['1', null, '2.5'], undefined, fail); // Float64Array [1, NaN, 2.5]
 * toColumn(['a', null], undefined, fail);        // ['a', null]
 */
export function toColumn(values: readonly (string | number | null)[], dtype: ColumnDtype | undefined, fail: (row: number, problem: ColumnTypeProblem) => never): Column {
  if (dtype === 'str' || dtype === 'category') return _toText(values);
  const out = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const raw = values[i];
    const value = raw === null ? Number.NaN : typeof raw === 'number' ? raw : parseNumber(raw);
    if (value === undefined) {
      if (dtype === undefined) return _toText(values);
      fail(i, 'not a number');
    }
    if (dtype === 'int') {
      if (Number.isNaN(value)) fail(i, 'missing');
      if (!Number.isInteger(value)) fail(i, 'not an integer');
    }
    out[i] = value;
  }
  return out;
}

function _toText(values: readonly (string | number | null)[]): (string | null)[] {
  const out: (string | null)[] = new Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    out[i] = value === null || (typeof value === 'number' && Number.isNaN(value)) ? null : String(value);
  }
  return out;
}

const _PLUS = 43;
const _MINUS = 45;
const _DOT = 46;
const _ZERO = 48;
const _NINE = 57;
const _RADIX_LETTERS = new Set(['x', 'X', 'b', 'B', 'o', 'O']);
