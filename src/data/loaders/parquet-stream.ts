import type { DataChunk } from '@duckdb/node-bindings';
import type { Column } from '../frame.js';
import { copyDoubles, type DuckDBBindings, StringColumnReader } from './parquet-vectors.js';

/** Thrown when a query returns more rows than were counted for it (the file changed while being read). */
export class TooManyRowsError extends Error {}

/**
 * Streams a query's result chunks (`next()`, null at the end) into `columns` from row `offset`: numbers
 * a whole vector at a time (plus its null bitmap), strings decoded from the vectors' bytes, with no
 * JavaScript call or value per row. Writes at most `limit` rows; returns how many were read. Shared by
 * the main thread and the worker.
 */
export async function streamInto(bindings: DuckDBBindings, next: () => Promise<DataChunk | null>, columns: Column[], offset: number, limit: number): Promise<number> {
  const strings = columns.map(() => new StringColumnReader(bindings));
  let read = 0;
  for (;;) {
    const chunk = await next();
    const n = chunk === null ? 0 : bindings.data_chunk_get_size(chunk);
    if (chunk === null || n === 0) break;
    if (read + n > limit) throw new TooManyRowsError(`more than the ${limit} rows counted`);
    for (let k = 0; k < columns.length; k++) {
      const column = columns[k];
      const vector = bindings.data_chunk_get_vector(chunk, k);
      if (column instanceof Float64Array) copyDoubles(bindings, vector, n, column, offset + read);
      else strings[k].read(vector, n, column as (string | null)[], offset + read);
    }
    read += n;
  }
  return read;
}
