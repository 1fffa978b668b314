import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Registry } from '../../config/registry.js';
import { PldError } from '../../errors.js';
import { builtinLoaders } from './builtins.js';
import { ParquetLoader } from './parquet.js';

const dir = mkdtempSync(join(tmpdir(), 'pld-parquet-'));
const ctx = { baseDir: dir, file: join(dir, 'config.json'), keyPath: 'dataset_loader_train' };

// Written with DuckDB itself, so the tests need no Python: one file with every supported kind of
// column and nulls, two part files for globs, and one with a list column.
beforeAll(async () => {
  const instance = await DuckDBInstance.create(':memory:');
  const db = await instance.connect();
  await db.run(`COPY (SELECT * FROM (VALUES
      (1::INTEGER, 1.5::DOUBLE, 'setosa', true, DATE '2024-01-02', 10::BIGINT, 1.25::DECIMAL(6,2), 0.5::FLOAT),
      (2, NULL, 'versicolor', false, NULL, 20, 2.5, 1.5),
      (3, 3.5, NULL, NULL, DATE '2024-03-04', 30, NULL, NULL),
      (4, 4.5, 'setosa', true, DATE '2024-05-06', 40, 4.75, 2.5)
    ) AS t(id, x, species, flag, day, big, dec, f)) TO '${join(dir, 'mixed.parquet')}' (FORMAT parquet)`);
  mkdirSync(join(dir, 'parts'));
  for (const part of [0, 1]) {
    await db.run(
      `COPY (SELECT range::DOUBLE AS a, (range * 2)::DOUBLE AS b, 'c' || (range % 2) AS label FROM range(${part * 5}, ${part * 5 + 5})) TO '${join(dir, 'parts', `part-${part}.parquet`)}' (FORMAT parquet)`,
    );
  }
  // Several DuckDB chunks (2,048 rows each) with nulls in every validity word.
  await db.run(
    `COPY (SELECT CASE WHEN range % 7 = 0 THEN NULL ELSE range * 0.5 END AS v, 'c' || (range % 3) AS label FROM range(5000)) TO '${join(dir, 'big.parquet')}' (FORMAT parquet)`,
  );
  // Strings of every length around DuckDB's 12-byte inline limit, multi-byte UTF-8, nulls, and more
  // distinct values than one chunk, so both the inline and the pointer path and the interning are read.
  await db.run(
    `COPY (SELECT CASE WHEN range % 11 = 5 THEN NULL ELSE repeat(chr(97 + (range % 26)::INTEGER), (range % 20)::INTEGER) || CASE WHEN range % 4 = 0 THEN 'é' ELSE '' END || (range % 3000)::VARCHAR END AS s FROM range(7000)) TO '${join(dir, 'strings.parquet')}' (FORMAT parquet)`,
  );
  mkdirSync(join(dir, 'hive', 'year=2024'), { recursive: true });
  await db.run(`COPY (SELECT 7.0 AS v) TO '${join(dir, 'hive', 'year=2024', 'p.parquet')}' (FORMAT parquet)`);
  await db.run(`COPY (SELECT 1.0 AS a, [1, 2] AS tags, 'x'::BLOB AS raw) TO '${join(dir, 'nested.parquet')}' (FORMAT parquet)`);
  writeFileSync(join(dir, 'not.parquet'), 'a,b\n1,2\n');
  db.closeSync();
  instance.closeSync();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function expectError(loader: () => Promise<unknown> | unknown, code: string, message: RegExp): Promise<void> {
  try {
    await loader();
  } catch (error) {
    expect(error).toBeInstanceOf(PldError);
    expect((error as PldError).code).toBe(code);
    expect((error as Error).message).toMatch(message);
    return;
  }
  throw new Error('expected an error');
}

describe('Parquet loader', () => {
  it('reads numbers as Float64Array with NaN for nulls, strings and dates as text', async () => {
    const { X, y } = await new ParquetLoader({ path: 'mixed.parquet' }, ctx).load();
    expect(y).toBeUndefined();
    expect(X.columns).toEqual(['id', 'x', 'species', 'flag', 'day', 'big', 'dec', 'f']);
    expect(X.column('id')).toEqual(Float64Array.of(1, 2, 3, 4));
    expect(X.column('x')).toEqual(Float64Array.of(1.5, Number.NaN, 3.5, 4.5));
    expect(X.column('species')).toEqual(['setosa', 'versicolor', null, 'setosa']);
    expect(X.column('flag')).toEqual(Float64Array.of(1, 0, Number.NaN, 1));
    expect(X.column('day')).toEqual(['2024-01-02', null, '2024-03-04', '2024-05-06']);
    expect(X.column('big')).toEqual(Float64Array.of(10, 20, 30, 40));
    expect(X.column('dec')).toEqual(Float64Array.of(1.25, 2.5, Number.NaN, 4.75));
    expect(X.column('f')).toEqual(Float64Array.of(0.5, 1.5, Number.NaN, 2.5));
  });

  it('selects columns in the given order and splits off the target', async () => {
    const { X, y } = await new ParquetLoader({ path: 'mixed.parquet', columns: ['x', 'id', 'big'], target_column: 'big' }, ctx).load();
    expect(X.columns).toEqual(['x', 'id']);
    expect(y).toEqual(Float64Array.of(10, 20, 30, 40));
  });

  it('applies pyarrow-style filters: a list of conditions (AND) or of lists (OR)', async () => {
    const load = async (filters: unknown) => (await new ParquetLoader({ path: 'mixed.parquet', columns: ['id'], filters } as never, ctx).load()).X.column('id');
    expect(await load([['id', '>', 1]])).toEqual(Float64Array.of(2, 3, 4));
    expect(
      await load([
        ['id', '>=', 2],
        ['species', '=', 'setosa'],
      ]),
    ).toEqual(Float64Array.of(4));
    expect(await load([['species', '==', 'setosa']])).toEqual(Float64Array.of(1, 4));
    expect(await load([['species', '!=', 'setosa']])).toEqual(Float64Array.of(2));
    expect(await load([['id', '<', 2]])).toEqual(Float64Array.of(1));
    expect(await load([['id', '<=', 2]])).toEqual(Float64Array.of(1, 2));
    expect(await load([['id', 'in', [1, 3]]])).toEqual(Float64Array.of(1, 3));
    expect(await load([['id', 'not in', [1, 3]]])).toEqual(Float64Array.of(2, 4));
    expect(await load([['flag', '=', true]])).toEqual(Float64Array.of(1, 4));
    // A filter on a column that is not read still works.
    expect(await load([[['id', '=', 1]], [['big', '>', 30]]])).toEqual(Float64Array.of(1, 4));
    expect(await load([['id', '>', 10]])).toEqual(new Float64Array(0));
  });

  it('copies numbers across chunks with NaN exactly where the nulls are', async () => {
    const { X, y } = await new ParquetLoader({ path: 'big.parquet', target_column: 'label' }, ctx).load();
    const v = X.column('v') as Float64Array;
    expect(v.length).toBe(5000);
    const wrong = Array.from(v).findIndex((value, i) => !Object.is(value, i % 7 === 0 ? Number.NaN : i * 0.5));
    expect(wrong).toBe(-1);
    expect((y as string[]).findIndex((label, i) => label !== `c${i % 3}`)).toBe(-1);
    const filtered = await new ParquetLoader({ path: 'big.parquet', filters: [['v', '>=', 2400]] }, ctx).load();
    expect(filtered.X.nRows).toBe(Array.from({ length: 5000 }, (_, i) => i).filter((i) => i % 7 !== 0 && i * 0.5 >= 2400).length);
  });

  it('decodes short (inline) and long strings, multi-byte characters and nulls across chunks', async () => {
    const s = (await new ParquetLoader({ path: 'strings.parquet' }, ctx).load()).X.column('s') as (string | null)[];
    const expected = Array.from({ length: 7000 }, (_, i) => (i % 11 === 5 ? null : `${String.fromCharCode(97 + (i % 26)).repeat(i % 20)}${i % 4 === 0 ? 'é' : ''}${i % 3000}`));
    expect(s.length).toBe(7000);
    expect(s.findIndex((value, i) => value !== expected[i])).toBe(-1);
    // The data covers both sides of the 12-byte inline limit.
    const lengths = new Set(expected.map((value) => (value === null ? -1 : new TextEncoder().encode(value).length)));
    for (const length of [2, 11, 12, 13, 23]) expect(lengths.has(length)).toBe(true);
  });

  it('reads every file matching a glob, in name order', async () => {
    const loader = new ParquetLoader({ path: 'parts/part-*.parquet', target_column: 'label' }, ctx);
    const { X, y } = await loader.load();
    expect(X.column('a')).toEqual(Float64Array.from({ length: 10 }, (_, i) => i));
    expect(X.column('b')).toEqual(Float64Array.from({ length: 10 }, (_, i) => 2 * i));
    expect(y).toEqual(['c0', 'c1', 'c0', 'c1', 'c0', 'c1', 'c0', 'c1', 'c0', 'c1']);
    expect(loader.describe()).toMatchObject({ files: 2, rows: 10 });
  });

  it('adds hive partition columns from key=value directories, and globs across directories with **', async () => {
    const { X } = await new ParquetLoader({ path: 'hive/**/*.parquet' }, ctx).load();
    expect(X.columns).toEqual(['v', 'year']);
    expect(X.row(0)).toEqual({ v: 7, year: 2024 });
  });

  it('names the file and column in errors', async () => {
    await expectError(
      () => new ParquetLoader({ path: 'mixed.parquet', filters: [['species', '>', 3]] }, ctx).load(),
      'PLD_ERR_DATA_PARSE',
      /mixed\.parquet' could not be read with filters \[\["species",">",3\]\]: .*VARCHAR/,
    );
    await expectError(
      () => new ParquetLoader({ path: 'missing.parquet' }, ctx),
      'PLD_ERR_DATA_FILE_NOT_FOUND',
      /dataset_loader_train: data file '.*missing\.parquet' does not exist/,
    );
    await expectError(() => new ParquetLoader({ path: 'nothing/*.parquet' }, ctx).load(), 'PLD_ERR_DATA_FILE_NOT_FOUND', /glob '.*nothing\/\*\.parquet' matches no files/);
    await expectError(
      () => new ParquetLoader({ path: 'mixed.parquet', columns: ['id', 'nope'] }, ctx).load(),
      'PLD_ERR_DATA_COLUMN_NOT_FOUND',
      /Parquet file '.*mixed\.parquet' has no column 'nope' \(from columns\); the columns are \["id","x",/,
    );
    await expectError(
      () => new ParquetLoader({ path: 'mixed.parquet', target_column: 'nope' }, ctx).load(),
      'PLD_ERR_DATA_COLUMN_NOT_FOUND',
      /no column 'nope' \(from target_column\)/,
    );
    await expectError(
      () => new ParquetLoader({ path: 'mixed.parquet', filters: [['nope', '=', 1]] }, ctx).load(),
      'PLD_ERR_DATA_COLUMN_NOT_FOUND',
      /no column 'nope' \(from filters\)/,
    );
    await expectError(() => new ParquetLoader({ path: 'nested.parquet' }, ctx).load(), 'PLD_ERR_DATA_TYPE', /nested\.parquet': column 'tags' has type INTEGER\[\]/);
    await expectError(() => new ParquetLoader({ path: 'nested.parquet', columns: ['a', 'raw'] }, ctx).load(), 'PLD_ERR_DATA_TYPE', /column 'raw' has type BLOB/);
    expect((await new ParquetLoader({ path: 'nested.parquet', columns: ['a'] }, ctx).load()).X.column('a')).toEqual(Float64Array.of(1));
    await expectError(() => new ParquetLoader({ path: 'not.parquet' }, ctx).load(), 'PLD_ERR_DATA_PARSE', /Parquet file '.*not\.parquet' could not be read as Parquet/);
    await expectError(() => new ParquetLoader({ path: 'mixed.parquet', target_column: 'x' }, ctx).load(), 'PLD_ERR_DATA_PARSE', /row 2, target column 'x' is missing/);
  });

  it('rejects bad options when created', async () => {
    await expectError(
      () => new ParquetLoader({ path: 'mixed.parquet', filters: [['id', 'like', 1]] } as never, ctx),
      'PLD_ERR_CONFIG_INVALID_PARAM',
      /dataset_loader_train\.filters/,
    );
    await expectError(() => new ParquetLoader({ path: 'mixed.parquet', filters: [['id', 'in', 1]] }, ctx), 'PLD_ERR_CONFIG_INVALID_PARAM', /'in' needs a list of values/);
    await expectError(
      () => new ParquetLoader({ path: 'mixed.parquet', columns: ['id'], target_column: 'x' }, ctx),
      'PLD_ERR_CONFIG_INVALID_PARAM',
      /target column 'x' is not among columns/,
    );
    await expectError(() => new ParquetLoader({ path: 'mixed.parquet', engine: 'pyarrow' } as never, ctx), 'PLD_ERR_CONFIG_INVALID_PARAM', /engine/);
  });

  it('is registered as Parquet and palladium.dataset.Parquet', async () => {
    const registry = new Registry();
    for (const definition of builtinLoaders) registry.register(definition);
    const definition = registry.get('palladium.dataset.Parquet');
    expect(definition?.name).toBe('Parquet');
    const loader = (await definition?.create(definition.params.parse({ path: 'mixed.parquet', columns: ['id'], ndarray: null }), { ...ctx, registry })) as ParquetLoader;
    expect((await loader.load()).X.nRows).toBe(4);
  });
});
