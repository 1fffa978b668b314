import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Column } from '../frame.js';
import type { Dataset } from '../types.js';
import { ParquetLoader } from './parquet.js';

const dir = mkdtempSync(join(tmpdir(), 'pld-parquet-direct-'));
const ROWS = 5000;

// Like the benchmark's files (bench/data/datasets.mjs), small: random doubles (PLAIN), doubles and
// integers from small sets (dictionary pages, indices of 2 to 10 bits), every integer width, floats, booleans, strings from a
// small set and mostly distinct ones, NULLs in most columns, several row groups.
const COLUMNS = [
  `CASE WHEN range % 7 = 3 THEN NULL ELSE round(random() * 1000, 6) END AS rnd`,
  `floor(random() * 12)::INTEGER AS codes`,
  `round(random() * 1000, 6) AS rnd_required`,
  `CASE WHEN range % 5 = 0 THEN NULL ELSE floor(random() * 8) / 2 END AS small_set`,
  `CASE WHEN range % 11 = 0 THEN NULL ELSE floor(random() * 1000)::INTEGER END AS int32`,
  `(range * 1234567 - 3000000000)::BIGINT AS int64`,
  `CASE WHEN range % 13 = 0 THEN NULL ELSE 9007199254740993 + range * 1000003 END::BIGINT AS int64_big`,
  `(range % 100 - 50)::TINYINT AS int8`,
  `(range % 30000)::SMALLINT AS int16`,
  `(range % 250)::UTINYINT AS uint8`,
  `(4000000000 - range)::UINTEGER AS uint32`,
  `(18446744073709551615 - range * 7)::UBIGINT AS uint64`,
  `CASE WHEN range % 9 = 0 THEN NULL ELSE (random() * 10)::FLOAT END AS f32`,
  `CASE WHEN range % 6 = 0 THEN NULL ELSE range % 3 = 0 END AS flag`,
  `CASE WHEN range % 4 = 1 THEN NULL ELSE 'class_' || (range % 3) END AS label`,
  `CASE WHEN range % 10 = 2 THEN NULL ELSE 'wörd ' || range::VARCHAR || repeat('x', (range % 17)::INTEGER) END AS text`,
  `'only' AS constant`,
  `CASE WHEN range < 4000 THEN NULL ELSE (range * 0.25)::DOUBLE END AS mostly_null`,
];

const FILES: Record<string, string> = {
  snappy: '(FORMAT parquet, ROW_GROUP_SIZE 1024)',
  zstd: '(FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 1500)',
  uncompressed: '(FORMAT parquet, COMPRESSION uncompressed, ROW_GROUP_SIZE 2048)',
  gzip: '(FORMAT parquet, COMPRESSION gzip, ROW_GROUP_SIZE 1024)',
  brotli: '(FORMAT parquet, COMPRESSION brotli)',
  v2: '(FORMAT parquet, PARQUET_VERSION v2, ROW_GROUP_SIZE 1024)',
  lz4: '(FORMAT parquet, COMPRESSION lz4_raw)',
};

beforeAll(async () => {
  const instance = await DuckDBInstance.create(':memory:');
  const db = await instance.connect();
  await db.run('SELECT setseed(0.42)');
  await db.run(`CREATE TABLE t AS SELECT ${COLUMNS.join(', ')} FROM range(${ROWS})`);
  for (const [name, options] of Object.entries(FILES)) await db.run(`COPY t TO '${join(dir, `${name}.parquet`)}' ${options}`);
  // Two parts with a glob, and a required-only file.
  await db.run(`COPY (SELECT * FROM t WHERE rowid < 2000) TO '${join(dir, 'part-0.parquet')}' (FORMAT parquet, ROW_GROUP_SIZE 1024)`);
  await db.run(`COPY (SELECT * FROM t WHERE rowid >= 2000) TO '${join(dir, 'part-1.parquet')}' (FORMAT parquet, COMPRESSION zstd)`);
  db.closeSync();
  instance.closeSync();
}, 60_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => {
  delete process.env.PLD_PARQUET_DIRECT;
});

/** Loads with the direct reader allowed (the default) and with DuckDB only; returns both and each one's reader. */
async function both(params: Record<string, unknown>): Promise<{ direct: Dataset; duckdb: Dataset; readers: unknown[] }> {
  const first = new ParquetLoader(params as never, { baseDir: dir });
  const direct = await first.load();
  process.env.PLD_PARQUET_DIRECT = '0';
  const second = new ParquetLoader(params as never, { baseDir: dir });
  const duckdb = await second.load();
  delete process.env.PLD_PARQUET_DIRECT;
  return { direct, duckdb, readers: [first.describe().reader, second.describe().reader] };
}

/** The first difference between two columns (numbers with Object.is, so NaN equals NaN and -0 is not 0), or undefined. */
function firstDifference(a: Column, b: Column): string | undefined {
  if (a.length !== b.length) return `length ${a.length} vs ${b.length}`;
  if (a instanceof Float64Array !== b instanceof Float64Array) return 'column types differ';
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return `row ${i}: ${String(a[i])} vs ${String(b[i])}`;
  return undefined;
}

function expectSameDatasets(direct: Dataset, duckdb: Dataset): void {
  expect(direct.X.columns).toEqual(duckdb.X.columns);
  expect(direct.X.nRows).toBe(duckdb.X.nRows);
  for (const name of duckdb.X.columns) expect(firstDifference(direct.X.column(name), duckdb.X.column(name)), name).toBeUndefined();
  if (duckdb.y === undefined) expect(direct.y).toBeUndefined();
  else expect(firstDifference(direct.y as Column, duckdb.y as Column), 'y').toBeUndefined();
}

describe('Parquet direct reader', () => {
  it.each(['snappy', 'zstd', 'uncompressed', 'gzip', 'brotli'])('reads a %s file value for value as DuckDB does', async (name) => {
    const { direct, duckdb, readers } = await both({ path: `${name}.parquet` });
    expect(readers).toEqual(['direct', 'duckdb']);
    expect(direct.X.nRows).toBe(ROWS);
    expect(direct.X.columns).toHaveLength(COLUMNS.length);
    expectSameDatasets(direct, duckdb);
  });

  it('reads data pages v2 (dictionary, PLAIN booleans), and leaves DELTA, BYTE_STREAM_SPLIT and LZ4 to DuckDB', async () => {
    const v2 = await both({ path: 'v2.parquet', columns: ['small_set', 'int8', 'flag', 'label', 'constant'] });
    expect(v2.readers).toEqual(['direct', 'duckdb']);
    expectSameDatasets(v2.direct, v2.duckdb);
    for (const name of ['v2', 'lz4']) {
      const { direct, duckdb, readers } = await both({ path: `${name}.parquet` });
      expect(readers).toEqual(['duckdb', 'duckdb']);
      expectSameDatasets(direct, duckdb);
    }
  });

  it('selects columns in the given order, splits off the target, and reads globs', async () => {
    const columns = ['label', 'int64_big', 'rnd', 'int64', 'text'];
    const selected = await both({ path: 'zstd.parquet', columns, target_column: 'int64' });
    expect(selected.readers).toEqual(['direct', 'duckdb']);
    expect(selected.direct.X.columns).toEqual(['label', 'int64_big', 'rnd', 'text']);
    expectSameDatasets(selected.direct, selected.duckdb);
    const glob = await both({ path: 'part-*.parquet', columns: ['rnd_required', 'label', 'small_set'] });
    expect(glob.readers).toEqual(['direct', 'duckdb']);
    expect(glob.direct.X.nRows).toBe(ROWS);
    expectSameDatasets(glob.direct, glob.duckdb);
  });

  it('leaves filters to DuckDB, and reports a null target as DuckDB does', async () => {
    const filtered = new ParquetLoader({ path: 'snappy.parquet', filters: [['int32', '>', 500]] }, { baseDir: dir });
    await filtered.load();
    expect(filtered.describe().reader).toBe('duckdb');
    const error = await new ParquetLoader({ path: 'snappy.parquet', target_column: 'rnd' }, { baseDir: dir }).load().catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/row 4, target column 'rnd' is missing/);
  });
});
