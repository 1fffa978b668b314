import { type Column, isNumericColumn } from '../../data/frame.js';
import { PldError } from '../../errors.js';

/**
 * The categories of one column: numbers for numeric columns (NaN for missing), text for categorical
 * ones (`null` for missing). Numeric categories are a Float64Array so NaN survives the model store.
 * @example
 * const categories: Categories = ['blue', 'red', null];
 */
export type Categories = Float64Array | (string | null)[];

/**
 * The sorted distinct values of a column, as `np.unique` orders them, missing values last.
 * @example
 * learnCategories(['b', null, 'a', 'b']); // ['a', 'b', null]
 */
export function learnCategories(column: Column): Categories {
  if (isNumericColumn(column)) {
    const distinct = Float64Array.from(new Set(column));
    // Float64Array sort puts NaN last, as np.unique does.
    return distinct.sort();
  }
  const distinct = [...new Set(column)];
  return distinct.sort((a, b) => (a === b ? 0 : a === null ? 1 : b === null ? -1 : a < b ? -1 : 1));
}

/**
 * Categories given in the config for one column, checked against the column's kind: numbers (or null
 * for NaN) for numeric columns, strings (or null for missing) for text columns.
 * @example
 * givenCategories([1, 2, null], Float64Array.of(1), 'size', 'OneHotEncoder'); // Float64Array [1, 2, NaN]
 */
export function givenCategories(given: readonly (string | number | null)[], column: Column, name: string, owner: string): Categories {
  const numeric = isNumericColumn(column);
  for (const value of given) {
    if (value !== null && (typeof value === 'number') !== numeric) {
      throw new PldError(
        'PLD_ERR_ESTIMATOR_INVALID_PARAM',
        `${owner}: categories for column '${name}' must be ${numeric ? 'numbers' : 'strings'} like the column, got ${JSON.stringify(value)}`,
        { details: { params: ['categories'], column: name } },
      );
    }
  }
  return numeric ? Float64Array.from(given, (value) => (value === null ? Number.NaN : (value as number))) : given.map((value) => value as string | null);
}

/**
 * A lookup from cell value to category index (NaN finds NaN: Map keys compare with SameValueZero).
 * @example
 * categoryIndex(['a', 'b']).get('b'); // 1
 */
export function categoryIndex(categories: Categories): Map<string | number | null, number> {
  const index = new Map<string | number | null, number>();
  for (let k = 0; k < categories.length; k++) index.set(categories[k], k);
  return index;
}

/**
 * A category as text for output column names, like Python's `str()`: `None` for missing text, `nan`
 * for NaN. Whole numbers print without `.0` (a Frame does not keep int and float apart).
 * @example
 * formatCategory(null); // 'None'
 */
export function formatCategory(value: string | number | null): string {
  if (value === null) return 'None';
  if (typeof value === 'number') return Number.isNaN(value) ? 'nan' : String(value);
  return value;
}

/**
 * Per column: learned categories ('auto') or the configured list checked against the column's kind.
 * @example
 * categoriesFor([['b', 'a']], ['c'], 'auto', 'OneHotEncoder'); // [['a', 'b']]
 */
export function categoriesFor(columns: Column[], names: readonly string[], spec: 'auto' | readonly (readonly (string | number | null)[])[], owner: string): Categories[] {
  if (spec === 'auto') return columns.map((column) => learnCategories(column));
  if (spec.length !== columns.length) {
    throw new PldError('PLD_ERR_ESTIMATOR_INVALID_PARAM', `${owner}: categories has ${spec.length} lists but X has ${columns.length} columns`, {
      details: { params: ['categories'] },
    });
  }
  return columns.map((column, f) => givenCategories(spec[f], column, names[f], owner));
}

/**
 * Throws PLD_ERR_ESTIMATOR_BAD_INPUT naming the column and value when a cell is not a known category.
 * @example
 * checkKnown(['a', 'z'], categoryIndex(['a']), 'color', 'OneHotEncoder'); // throws: 'z'
 */
export function checkKnown(column: Column, index: Map<string | number | null, number>, name: string, owner: string): void {
  for (let i = 0; i < column.length; i++) {
    if (!index.has(column[i])) {
      throw new PldError(
        'PLD_ERR_ESTIMATOR_BAD_INPUT',
        `${owner}: column '${name}' has the unknown category ${JSON.stringify(formatCategory(column[i]))} at row ${i}; set handle_unknown to ignore it`,
        { details: { column: name, row: i } },
      );
    }
  }
}
