import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ParquetLoader, PldError } from '../../dist/index.js';

// The split read (this thread + a worker thread) only exists in the compiled package, where the
// worker script is a .js file; so it is tested here, against the one-thread read of the same files.
const dir = mkdtempSync(join(tmpdir(), 'pld-parquet-split-'));
const ROWS = 10_000;

beforeAll(async () => {
  const instance = await DuckDBInstance.create(':memory:');
  const db = await instance.connect();
  // Row groups of 1,500 rows (7 of them), so the halves meet between row groups, not on a chunk boundary.
  // Nulls in every column; strings on both sides of DuckDB's 12-byte inline limit, multi-byte, repeated.
  const select = `SELECT range AS id,
      CASE WHEN range % 7 = 0 THEN NULL ELSE range * 0.25 END AS x,
      (range % 5)::INTEGER AS k,
      CASE WHEN range % 13 = 0 THEN NULL ELSE range % 2 = 0 END AS flag,
      CASE WHEN range % 11 = 5 THEN NULL ELSE repeat(chr(97 + (range % 26)::INTEGER), (range % 17)::INTEGER) || CASE WHEN range % 4 = 0 THEN 'é' ELSE '' END || (range % 900)::VARCHAR END AS s,
      'c' || (range % 3) AS label
    FROM range(${ROWS})`;
  await db.run(`COPY (${select}) TO '${join(dir, 'groups.parquet')}' (FORMAT parquet, ROW_GROUP_SIZE 1500)`);
  await db.run(`COPY (${select}) TO '${join(dir, 'one.parquet')}' (FORMAT parquet)`);
  mkdirSync(join(dir, 'parts'));
  for (const [part, from, to] of [
    [0, 0, 3000],
    [1, 3000, 4000],
    [2, 4000, ROWS],
  ]) {
    await db.run(`COPY (${select.replace(`FROM range(${ROWS})`, `FROM range(${from}, ${to})`)}) TO '${join(dir, 'parts', `p${part}.parquet`)}' (FORMAT parquet)`);
  }
  await db.run(`COPY (SELECT range AS file_row_number, range * 2.0 AS v FROM range(5000)) TO '${join(dir, 'shadow.parquet')}' (FORMAT parquet, ROW_GROUP_SIZE 1000)`);
  db.closeSync();
  instance.closeSync();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Loads with and without the worker thread; returns both datasets and how many threads each used. */
async function both(params: Record<string, unknown>) {
  const split = new ParquetLoader({ ...params, use_threads: true } as never, { baseDir: dir });
  const single = new ParquetLoader({ ...params, use_threads: false } as never, { baseDir: dir });
  const [a, b] = [await split.load(), await single.load()];
  return { split: a, single: b, threads: [split.describe().threads, single.describe().threads] };
}

function expectSame(a: Awaited<ReturnType<ParquetLoader['load']>>, b: Awaited<ReturnType<ParquetLoader['load']>>): void {
  expect(a.X.columns).toEqual(b.X.columns);
  expect(a.X.nRows).toBe(b.X.nRows);
  for (const name of a.X.columns) {
    const [left, right] = [a.X.column(name), b.X.column(name)];
    expect(left.constructor, name).toBe(right.constructor);
    // Object.is: NaN equals NaN, and every value in the same place.
    const wrong = Array.from(left as ArrayLike<unknown>).findIndex((value, i) => !Object.is(value, (right as ArrayLike<unknown>)[i]));
    expect(wrong, `${name}: first difference at row ${wrong}`).toBe(-1);
  }
  expect(a.y).toEqual(b.y);
}

describe('Parquet loader, split between two threads', () => {
  it('reads a file of several row groups in two halves, the same as one thread: numbers, NaN, strings, nulls', async () => {
    const { split, single, threads } = await both({ path: 'groups.parquet', target_column: 'label' });
    expect(threads).toEqual([2, 1]);
    expectSame(split, single);
    const x = split.X.column('x') as Float64Array;
    expect(x.findIndex((value, i) => !Object.is(value, i % 7 === 0 ? Number.NaN : i * 0.25))).toBe(-1);
    const s = split.X.column('s') as (string | null)[];
    const expected = (i: number) => (i % 11 === 5 ? null : `${String.fromCharCode(97 + (i % 26)).repeat(i % 17)}${i % 4 === 0 ? 'é' : ''}${i % 900}`);
    expect(s.findIndex((value, i) => value !== expected(i))).toBe(-1);
    expect((split.y as string[]).findIndex((label, i) => label !== `c${i % 3}`)).toBe(-1);
  });

  it('applies columns and filters to both halves (integers, doubles, strings, booleans, lists, alternatives)', async () => {
    const cases: unknown[] = [
      [['id', '>', 2000]],
      [['x', '<=', 1234.5]],
      [['k', 'in', [1, 3]]],
      [['label', '=', 'c2']],
      [['flag', '==', true]],
      [['id', '>', 12_000_000_000]],
      [
        [['id', '<', 100]],
        [
          ['id', '>=', 9000],
          ['k', '!=', 0],
        ],
      ],
    ];
    for (const filters of cases) {
      const { split, single, threads } = await both({ path: 'groups.parquet', columns: ['s', 'x', 'id', 'label'], filters, target_column: 'label' });
      expect(threads[0], JSON.stringify(filters)).toBe(2);
      expect(split.X.columns).toEqual(['s', 'x', 'id']);
      expectSame(split, single);
    }
    const ids = (await both({ path: 'groups.parquet', columns: ['id'], filters: [['id', '>', 2000]] })).split.X.column('id') as Float64Array;
    expect(ids.length).toBe(ROWS - 2001);
    expect(ids[0]).toBe(2001);
    expect(ids[ids.length - 1]).toBe(ROWS - 1);
  });

  it('splits a glob between files', async () => {
    const { split, single, threads } = await both({ path: 'parts/p*.parquet', target_column: 'label' });
    expect(threads).toEqual([2, 1]);
    expectSame(split, single);
    expect(split.X.column('id')).toEqual(Float64Array.from({ length: ROWS }, (_, i) => i));
  });

  it('reads a file of one row group, or with a column named file_row_number, in one thread', async () => {
    const one = await both({ path: 'one.parquet', target_column: 'label' });
    expect(one.threads).toEqual([1, 1]);
    expectSame(one.split, one.single);
    const shadow = await both({ path: 'shadow.parquet' });
    expect(shadow.threads).toEqual([1, 1]);
    expect(shadow.split.X.column('file_row_number')).toEqual(Float64Array.from({ length: 5000 }, (_, i) => i));
  });

  it('reads in one thread unless use_threads is true', async () => {
    const loader = new ParquetLoader({ path: 'groups.parquet' }, { baseDir: dir });
    expect((await loader.load()).X.nRows).toBe(ROWS);
    expect(loader.describe().threads).toBe(1);
  });

  it('reports a bad filter value the same way', async () => {
    for (const use_threads of [true, false]) {
      const error = await new ParquetLoader({ path: 'groups.parquet', filters: [['s', '>', 3]], use_threads }, { baseDir: dir }).load().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(PldError);
      expect((error as PldError).code).toBe('PLD_ERR_DATA_PARSE');
      expect((error as Error).message).toMatch(/groups\.parquet' could not be read with filters \[\["s",">",3\]\]/);
    }
  });
});
