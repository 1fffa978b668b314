import { z } from 'zod';
import type { ColumnDtype } from './column-types.js';

// Defined before the schema, which reads it at module load.
const _DTYPE_ALIASES = {
  float: 'float',
  float64: 'float',
  float32: 'float',
  int: 'int',
  int64: 'int',
  int32: 'int',
  str: 'str',
  string: 'str',
  object: 'str',
  category: 'category',
} as const satisfies Record<string, ColumnDtype>;

/**
 * Parameters of the `CSV` and `Table` loaders: the subset of pandas' `read_csv` options that Palladium
 * configs use, with pandas' names and defaults. Unknown keys are rejected, so a misspelt option fails
 * at load time instead of being ignored. `ndarray` is accepted for Palladium compatibility and has no
 * effect: loaders always return a {@link Frame} of typed columns.
 * @example
 * tableLoaderParams.parse({ path: 'iris.data', names: ['a', 'b', 'c', 'd', 'species'], target_column: 'species', sep: ',' });
 */
const _tableLoaderObject = z
  .object({
    path: z.string().min(1),
    target_column: z.string().optional(),
    names: z.array(z.string()).min(1).optional(),
    header: z.union([z.literal('infer'), z.int().min(0), z.null()]).default('infer'),
    sep: _singleChar('sep').optional(),
    delimiter: _singleChar('delimiter').optional(),
    nrows: z.int().min(0).optional(),
    skiprows: z.union([z.int().min(0), z.array(z.int().min(0))]).optional(),
    usecols: z.union([z.array(z.string()).min(1), z.array(z.int().min(0)).min(1)]).optional(),
    na_values: z.union([z.string(), z.array(z.string())]).optional(),
    dtype: z.union([_dtype(), z.record(z.string(), _dtype())]).optional(),
    quotechar: _singleChar('quotechar').default('"'),
    comment: _singleChar('comment').optional(),
    encoding: z.enum(['utf-8', 'utf8', 'latin1']).default('utf-8'),
    ndarray: z.boolean().optional(),
  })
  .strict()
  .superRefine((params, ctx) => {
    if (params.sep !== undefined && params.delimiter !== undefined && params.sep !== params.delimiter) {
      ctx.addIssue({
        code: 'custom',
        path: ['delimiter'],
        message: `delimiter is an alias of sep; give one of them, not both with different values ('${params.sep}' vs '${params.delimiter}')`,
      });
    }
    for (const key of ['names', 'usecols'] as const) {
      const duplicate = _firstDuplicate<string | number>(params[key] ?? []);
      if (duplicate !== undefined) ctx.addIssue({ code: 'custom', path: [key], message: `duplicate entry ${JSON.stringify(duplicate)}` });
    }
    const sep = params.sep ?? params.delimiter;
    for (const key of ['quotechar', 'comment'] as const) {
      if (sep !== undefined && params[key] === sep) ctx.addIssue({ code: 'custom', path: [key], message: `must differ from the separator '${sep}'` });
    }
    const usecols = params.usecols;
    if (params.target_column !== undefined && usecols !== undefined && typeof usecols[0] === 'string' && !(usecols as string[]).includes(params.target_column)) {
      ctx.addIssue({ code: 'custom', path: ['target_column'], message: `target column '${params.target_column}' is not among usecols ${JSON.stringify(usecols)}` });
    }
  });

// Python configs say `'nrows': None` for "not set" (and YAML `nrows: null` after a __copy__); only
// `header: null` carries meaning (no header row), so every other null is dropped before validation.
export const tableLoaderParams = z.preprocess(
  (input) =>
    typeof input === 'object' && input !== null && !Array.isArray(input)
      ? Object.fromEntries(Object.entries(input).filter(([key, value]) => value !== null || key === 'header'))
      : input,
  _tableLoaderObject,
);

/** Parameters of the `CSV`/`Table` loaders as given in a config (before defaults). */
export type TableLoaderInput = z.input<typeof _tableLoaderObject>;
/** Parameters of the `CSV`/`Table` loaders after validation and defaults. */
export type TableLoaderParams = z.output<typeof _tableLoaderObject>;

/**
 * Maps a config dtype (ours or a pandas/numpy name such as `float64` or `object`) to a column type.
 * @example
 * normalizeDtype('float64'); // 'float'
 */
export function normalizeDtype(name: DtypeName): ColumnDtype {
  return _DTYPE_ALIASES[name];
}

/** A dtype name accepted in configs. */
export type DtypeName = keyof typeof _DTYPE_ALIASES;

function _dtype() {
  return z.enum(Object.keys(_DTYPE_ALIASES) as [DtypeName, ...DtypeName[]]);
}

function _singleChar(name: string) {
  return z.string().length(1, { message: `${name} must be a single character (regular expressions and multi-character separators are not supported)` });
}

function _firstDuplicate<T>(values: readonly T[]): T | undefined {
  const seen = new Set<T>();
  for (const value of values) {
    if (seen.has(value)) return value;
    seen.add(value);
  }
  return undefined;
}
