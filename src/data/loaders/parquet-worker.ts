import { parentPort } from 'node:worker_threads';
import type { Value } from '@duckdb/node-bindings';
import type { Column } from '../frame.js';
import { streamInto, TooManyRowsError } from './parquet-stream.js';
import type { DuckDBBindings } from './parquet-vectors.js';

/** What the loader asks of its worker: a query, and where its rows go. */
export interface ParquetPartJob {
  readonly sql: string;
  readonly params: (number | string | boolean)[] | undefined;
  /** Rows counted for this part, and where they start in the shared numeric columns. */
  readonly count: number;
  readonly offset: number;
  /** The shared buffer of each numeric column; `null` for a text column (sent back encoded). */
  readonly shared: (SharedArrayBuffer | null)[];
}

/** A text column of the part: an index into `values` per row, -1 for null. */
export interface EncodedStrings {
  readonly codes: Int32Array;
  readonly values: string[];
}

/** The worker's answer: the rows it read and its text columns, or the error's message. */
export type ParquetPartResult = { readonly rows: number; readonly text: (EncodedStrings | null)[] } | { readonly error: string; readonly tooMany: boolean };

/**
 * Worker-thread entry of the Parquet loader's split read. It opens its own DuckDB database as soon as
 * it starts (through the raw bindings: `@duckdb/node-api`'s modules take longer to load than the
 * database takes to open), then waits for one job (or `null`: not needed). It streams its part of the
 * rows, writing numbers straight into the shared columns at their final offset; strings come back as
 * codes into a list of distinct values, so posting them copies each distinct string once, not per row.
 */
const bindings: DuckDBBindings = (await import('@duckdb/node-bindings')).default;
const database = await bindings.open(':memory:');
const connection = await bindings.connect(database);
const job = await new Promise<ParquetPartJob | null>((resolve) => parentPort?.once('message', resolve));
try {
  if (job !== null) {
    const result = await _run(job).catch(
      (error: unknown): ParquetPartResult => ({ error: (error as Error)?.message ?? String(error), tooMany: error instanceof TooManyRowsError }),
    );
    parentPort?.postMessage(result, 'text' in result ? result.text.flatMap((t) => (t === null ? [] : [t.codes.buffer as ArrayBuffer])) : []);
  }
} finally {
  bindings.disconnect_sync(connection);
  bindings.close_sync(database);
}

async function _run(job: ParquetPartJob): Promise<ParquetPartResult> {
  const prepared = await bindings.prepare(connection, job.sql);
  let result: Awaited<ReturnType<DuckDBBindings['execute_pending']>>;
  try {
    const params = job.params ?? [];
    for (let i = 0; i < params.length; i++) bindings.bind_value(prepared, i + 1, _value(params[i]));
    result = await bindings.execute_pending(bindings.pending_prepared_streaming(prepared));
  } finally {
    bindings.destroy_prepare_sync(prepared);
  }
  // Numbers go into views of the shared columns at the part's offset; text into this thread's arrays.
  const columns: Column[] = job.shared.map((buffer) => (buffer === null ? new Array<string | null>(job.count) : new Float64Array(buffer, job.offset * 8, job.count)));
  const rows = await streamInto(bindings, () => bindings.fetch_chunk(result), columns, 0, job.count);
  return { rows, text: columns.map((column) => (column instanceof Float64Array ? null : _encode(column as (string | null)[], rows))) };
}

/** A parameter value typed as `@duckdb/node-api` types it, so both threads run the same comparisons. */
function _value(value: number | string | boolean): Value {
  if (typeof value === 'boolean') return bindings.create_bool(value);
  if (typeof value === 'string') return bindings.create_varchar(value);
  if (!Number.isInteger(value)) return bindings.create_double(value);
  return value >= -2_147_483_648 && value <= 2_147_483_647 ? bindings.create_int32(value) : bindings.create_int64(BigInt(value));
}

function _encode(values: (string | null)[], n: number): EncodedStrings {
  const codes = new Int32Array(n);
  const index = new Map<string, number>();
  const distinct: string[] = [];
  for (let i = 0; i < n; i++) {
    const value = values[i];
    if (value === null) {
      codes[i] = -1;
      continue;
    }
    let code = index.get(value);
    if (code === undefined) {
      code = distinct.length;
      distinct.push(value);
      index.set(value, code);
    }
    codes[i] = code;
  }
  return { codes, values: distinct };
}
