import { z } from 'zod';
import { PldError } from '../../errors.js';
import { formatZodError } from '../../internal/zod-format.js';
import { type Column, Frame, isNumericColumn, type Labels } from '../frame.js';
import type { Dataset, DatasetLoader } from '../types.js';
import { toColumn } from './column-types.js';
import type { LoaderContext } from './table.js';

/**
 * Parameters of the `InMemory` loader: columns by name (all the same length; `null` = missing) and an
 * optional target column.
 * @example
 * inMemoryLoaderParams.parse({ data: { x: [1, 2], y: ['a', 'b'] }, target_column: 'y' });
 */
export const inMemoryLoaderParams = z
  .object({
    data: z.record(z.string(), z.array(z.union([z.number(), z.string(), z.null()]))),
    target_column: z.string().optional(),
  })
  .strict()
  .superRefine((params, ctx) => {
    const lengths = Object.entries(params.data).map(([name, values]) => [name, values.length] as const);
    const mismatch = lengths.find(([, length]) => length !== lengths[0][1]);
    if (mismatch) {
      ctx.addIssue({ code: 'custom', path: ['data', mismatch[0]], message: `has ${mismatch[1]} values, expected ${lengths[0][1]} like '${lengths[0][0]}'` });
    }
  });

/** Parameters of the `InMemory` loader. */
export type InMemoryLoaderParams = z.input<typeof inMemoryLoaderParams>;

/**
 * A loader over data given inline (in a config, a test or an embedding program). Columns get the same
 * type inference as CSV files: numeric when every present value is a number or numeric text.
 * @example
 * const loader = new InMemoryLoader({ data: { x: [1, 2, 3], label: ['a', 'b', 'a'] }, target_column: 'label' });
 * const { X, y } = await loader.load(); // X.column('x'): Float64Array [1, 2, 3], y: ['a', 'b', 'a']
 */
export class InMemoryLoader implements DatasetLoader {
  readonly #dataset: Dataset;

  constructor(params: InMemoryLoaderParams, ctx: Partial<LoaderContext> = {}) {
    const keyPath = ctx.keyPath ?? 'dataset_loader';
    const parsed = inMemoryLoaderParams.safeParse(params);
    if (!parsed.success)
      throw new PldError('PLD_ERR_CONFIG_INVALID_PARAM', formatZodError(parsed.error, keyPath, params), { cause: parsed.error, details: { keyPath, file: ctx.file } });
    const { data, target_column: target } = parsed.data;
    if (target !== undefined && !(target in data)) {
      throw new PldError('PLD_ERR_DATA_COLUMN_NOT_FOUND', `${keyPath}.target_column: no column '${target}'; the columns are ${JSON.stringify(Object.keys(data))}`, {
        details: { keyPath, file: ctx.file, column: target },
      });
    }
    const X = new Map<string, Column>();
    let y: Labels | undefined;
    for (const [name, values] of Object.entries(data)) {
      const column = toColumn(values, undefined, () => {
        throw new Error('unreachable: inference without a dtype never fails');
      });
      if (name === target) y = _toLabels(column, name, keyPath);
      else X.set(name, column);
    }
    this.#dataset = y === undefined ? { X: new Frame(X) } : { X: new Frame(X), y };
  }

  /** Returns the data; the same Frame on every call (Frames are immutable). */
  async load(): Promise<Dataset> {
    return this.#dataset;
  }

  /** Row and column counts. */
  describe(): Record<string, unknown> {
    return { rows: this.#dataset.X.nRows, columns: this.#dataset.X.nColumns };
  }
}

const _emptyParams = z.object({}).strict();

/**
 * Palladium's `EmptyDatasetLoader`: no rows, no columns, no `y`. For configs that need a
 * `dataset_loader_test` key but have no test data.
 * @example
 * const { X, y } = await new EmptyDatasetLoader().load(); // X.nRows === 0, y === undefined
 */
export class EmptyDatasetLoader implements DatasetLoader {
  /** The (empty) parameter schema: any option is an error. */
  static readonly params = _emptyParams;

  async load(): Promise<Dataset> {
    return { X: new Frame({}) };
  }
}

function _toLabels(column: Column, name: string, keyPath: string): Labels {
  for (let i = 0; i < column.length; i++) {
    const value = column[i];
    if (value === null || (typeof value === 'number' && Number.isNaN(value))) {
      throw new PldError('PLD_ERR_DATA_PARSE', `${keyPath}.data.${name}[${i}]: the target column has a missing value`, { details: { keyPath, column: name, row: i } });
    }
  }
  return isNumericColumn(column) ? column : (column as string[]);
}
