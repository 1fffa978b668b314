import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';
import { copyExample, pld } from './helpers.js';

const COLUMNS = ['sepal length', 'sepal width', 'petal length', 'petal width'];

/** Writes the example's iris.data as two Parquet part files (with an `id` per row) using DuckDB. */
async function writeIrisParquet(dir: string): Promise<void> {
  const instance = await DuckDBInstance.create(':memory:');
  const db = await instance.connect();
  const names = [...COLUMNS, 'species'].map((c) => `'${c}'`).join(', ');
  await db.run(`CREATE TABLE iris AS SELECT row_number() OVER () - 1 AS id, * FROM read_csv('${path.join(dir, 'iris.data')}', header = false, names = [${names}])`);
  await db.run(`COPY (SELECT * FROM iris WHERE id < 75 ORDER BY id) TO '${path.join(dir, 'iris-0.parquet')}' (FORMAT parquet)`);
  await db.run(`COPY (SELECT * FROM iris WHERE id >= 75 ORDER BY id) TO '${path.join(dir, 'iris-1.parquet')}' (FORMAT parquet)`);
  db.closeSync();
  instance.closeSync();
}

describe('pld fit --evaluate from Parquet', () => {
  it('fits and evaluates the iris model from a glob of Parquet files split by a filter', async () => {
    const dir = copyExample();
    await writeIrisParquet(dir);
    const file = path.join(dir, 'config.json');
    const config = JSON.parse(readFileSync(file, 'utf8'));
    const loader = { __factory__: 'palladium.dataset.Parquet', path: 'iris-*.parquet', columns: [...COLUMNS, 'species'], target_column: 'species' };
    config.dataset_loader_train = { ...loader, filters: [['id', '<', 100]] };
    config.dataset_loader_test = { ...loader, filters: [['id', '>=', 100]] };
    writeFileSync(file, JSON.stringify(config));
    const fitted = pld(dir, ['fit', '--evaluate']);
    expect(fitted.status, fitted.stderr).toBe(0);
    expect(fitted.stderr).toMatch(/Train score: 1\b/);
    expect(fitted.stderr).toMatch(/Test score: 0\.9\d*/);
  });

  it('fails with a clear message and a non-zero exit when a column is missing', async () => {
    const dir = copyExample();
    await writeIrisParquet(dir);
    const file = path.join(dir, 'config.json');
    const config = JSON.parse(readFileSync(file, 'utf8'));
    config.dataset_loader_train = { __factory__: 'Parquet', path: 'iris-*.parquet', target_column: 'kind' };
    writeFileSync(file, JSON.stringify(config));
    const fitted = pld(dir, ['fit']);
    expect(fitted.status).not.toBe(0);
    expect(fitted.stderr).toMatch(/PLD_ERR_DATA_COLUMN_NOT_FOUND/);
    expect(fitted.stderr).toMatch(/dataset_loader_train: Parquet files '.*iris-0\.parquet' and 1 more has no column 'kind' \(from target_column\)/);
  });
});
