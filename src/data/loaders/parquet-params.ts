import { z } from 'zod';

const _scalar = z.union([z.number(), z.string(), z.boolean()]);

/** Comparison operators of pyarrow's `filters` (`==` is pyarrow's spelling of `=`). */
export const FILTER_OPS = ['=', '==', '!=', '<', '<=', '>', '>=', 'in', 'not in'] as const;
/** One filter operator. */
export type FilterOp = (typeof FILTER_OPS)[number];

const _condition = z.tuple([z.string().min(1), z.enum(FILTER_OPS), z.union([_scalar, z.array(_scalar).min(1)])]).superRefine(([column, op, value], ctx) => {
  const isList = Array.isArray(value);
  if ((op === 'in' || op === 'not in') !== isList) {
    ctx.addIssue({ code: 'custom', message: `filter on '${column}': '${op}' needs ${isList ? 'a single value, not a list' : 'a list of values'}` });
  }
});

/** One `[column, op, value]` condition, as in pyarrow's `filters`. */
export type FilterCondition = z.infer<typeof _condition>;

const _parquetLoaderObject = z
  .object({
    /** A file or a glob (`data/*.parquet`, `data/**\/part-*.parquet`), relative to the config file. */
    path: z.string().min(1),
    columns: z.array(z.string().min(1)).min(1).optional(),
    /**
     * pyarrow's form: a list of conditions that must all hold, or a list of such lists, any of which
     * must hold (disjunctive normal form).
     */
    filters: z.union([z.array(_condition), z.array(z.array(_condition).min(1))]).optional(),
    target_column: z.string().optional(),
    /** Read with two threads (true) or one (false, the default); pyarrow's name. */
    use_threads: z.boolean().optional(),
    ndarray: z.boolean().optional(),
  })
  .strict()
  .superRefine((params, ctx) => {
    const columns = params.columns;
    if (columns === undefined) return;
    const seen = new Set<string>();
    for (const column of columns) {
      if (seen.has(column)) ctx.addIssue({ code: 'custom', path: ['columns'], message: `duplicate entry ${JSON.stringify(column)}` });
      seen.add(column);
    }
    if (params.target_column !== undefined && !seen.has(params.target_column)) {
      ctx.addIssue({ code: 'custom', path: ['target_column'], message: `target column '${params.target_column}' is not among columns ${JSON.stringify(columns)}` });
    }
  });

/**
 * Parameters of the `Parquet` loader (`palladium.dataset.Parquet`): `path` (a file or a glob),
 * `columns` to read, pyarrow-style `filters` and `target_column`. `null` values count as unset.
 * @example
 * parquetLoaderParams.parse({ path: 'data/*.parquet', filters: [['year', '>=', 2020]], target_column: 'y' });
 */
export const parquetLoaderParams = z.preprocess(
  (input) => (typeof input === 'object' && input !== null && !Array.isArray(input) ? Object.fromEntries(Object.entries(input).filter(([, value]) => value !== null)) : input),
  _parquetLoaderObject,
);

/** Parameters of the `Parquet` loader as given in a config. */
export type ParquetLoaderInput = z.input<typeof _parquetLoaderObject>;
/** Parameters of the `Parquet` loader after validation. */
export type ParquetLoaderParams = z.output<typeof _parquetLoaderObject>;

/** The filters as a list of alternatives, each a list of conditions that must all hold. */
export function filterAlternatives(filters: ParquetLoaderParams['filters']): FilterCondition[][] {
  if (filters === undefined || filters.length === 0) return [];
  return _isNested(filters) ? filters : [filters];
}

function _isNested(filters: FilterCondition[] | FilterCondition[][]): filters is FilterCondition[][] {
  return Array.isArray(filters[0]?.[0]);
}
