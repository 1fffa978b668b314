import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { EncodedStrings, ParquetPartJob, ParquetPartResult } from './parquet-worker.js';

/** One half of a split read: the `read_parquet` source and the condition selecting its rows ('' for all). */
export interface ParquetPart {
  readonly from: string;
  readonly range: string;
}

const _WORKER_URL = new URL('./parquet-worker.js', import.meta.url);

/**
 * Whether the worker script can run: under a TypeScript runner (vitest on `src/`) there is no
 * compiled `parquet-worker.js` beside this module, so the loader reads in one thread.
 */
export function canSplit(): boolean {
  return _WORKER_URL.protocol === 'file:' && _WORKER_URL.pathname.endsWith('.js') && existsSync(fileURLToPath(_WORKER_URL));
}

/**
 * Whether to read with two threads: only when asked (`use_threads: true`) and the compiled worker
 * exists. Not by default: on a busy 2-core machine the split costs 10-25 % more CPU time for a gain in
 * wall time that is small and not consistent (bench/RESULTS.md, "Parquet with two threads").
 */
export function wantSplit(useThreads: boolean | undefined): boolean {
  return useThreads === true && canSplit();
}

/**
 * Splits the rows of `files` in two at the boundary nearest the middle that DuckDB can skip to without
 * reading the rows before it: between files when there are several, else between row groups (a
 * `file_row_number` range, which DuckDB prunes row groups with). Undefined for a single row group.
 */
export async function planSplit(connection: DuckDBConnection, files: readonly string[], columnNames: readonly string[]): Promise<[ParquetPart, ParquetPart] | undefined> {
  const list = files.map(_literal).join(', ');
  if (files.length > 1) {
    const reader = await connection.runAndReadAll(`SELECT file_name, num_rows FROM parquet_file_metadata([${list}])`);
    const rows = new Map(reader.getRowsJS().map((row) => [String(row[0]), Number(row[1])]));
    const counts = files.map((file) => rows.get(file) ?? 0);
    const cut = _cut(counts);
    if (cut === undefined) return undefined;
    const source = (some: readonly string[]) => `read_parquet([${some.map(_literal).join(', ')}])`;
    return [
      { from: source(files.slice(0, cut)), range: '' },
      { from: source(files.slice(cut)), range: '' },
    ];
  }
  // A data column of that name would be shadowed by DuckDB's virtual one.
  if (columnNames.includes('file_row_number')) return undefined;
  const reader = await connection.runAndReadAll(`SELECT DISTINCT row_group_id, row_group_num_rows FROM parquet_metadata(${list}) ORDER BY row_group_id`);
  const counts = reader.getRowsJS().map((row) => Number(row[1]));
  const cut = _cut(counts);
  if (cut === undefined) return undefined;
  const first = counts.slice(0, cut).reduce((a, b) => a + b, 0);
  const from = `read_parquet(${list}, file_row_number = true)`;
  return [
    { from, range: `file_row_number < ${first}` },
    { from, range: `file_row_number >= ${first}` },
  ];
}

/** The index splitting `counts` (rows per file or row group) nearest half the rows; undefined for no split. */
function _cut(counts: readonly number[]): number | undefined {
  const total = counts.reduce((a, b) => a + b, 0);
  if (counts.length < 2) return undefined;
  let best = 1;
  let sum = 0;
  let bestGap = Infinity;
  for (let i = 1; i < counts.length; i++) {
    sum += counts[i - 1];
    const gap = Math.abs(total / 2 - sum);
    if (gap < bestGap) {
      bestGap = gap;
      best = i;
    }
  }
  return best;
}

/**
 * The worker thread reading the second part. Started before the split is planned, so that it opens its
 * DuckDB database while this thread reads the files' metadata; `stop()` when no split is needed.
 */
export class PartWorker {
  readonly #worker = new Worker(_WORKER_URL);
  readonly #result: Promise<ParquetPartResult>;

  constructor() {
    this.#result = new Promise((resolve) => {
      this.#worker.once('message', (result: ParquetPartResult) => resolve(result));
      this.#worker.once('error', (error) => resolve({ error: error.message, tooMany: false }));
      this.#worker.once('exit', (code) => resolve({ error: `the reading thread exited with code ${code}`, tooMany: false }));
    });
  }

  /** Reads `job`; resolves with its result, an error result rather than a rejection. */
  read(job: ParquetPartJob): Promise<ParquetPartResult> {
    this.#worker.postMessage(job);
    return this.#result;
  }

  /** Lets a worker that was given no job close its database and exit. */
  stop(): void {
    this.#worker.postMessage(null);
  }
}

/** Writes a worker's encoded text column into `out` from `offset`. */
export function decodeInto(encoded: EncodedStrings, out: (string | null)[], offset: number): void {
  const { codes, values } = encoded;
  for (let i = 0; i < codes.length; i++) {
    const code = codes[i];
    out[offset + i] = code < 0 ? null : values[code];
  }
}

function _literal(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}
