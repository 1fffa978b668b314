import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyExample, pld } from './helpers.js';

const PG_URL = process.env.PLD_TEST_PG_URL ?? 'postgres://root@127.0.0.1:5432/test';
const table = `pld_e2e_iris_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
const COLUMNS = ['sepal length', 'sepal width', 'petal length', 'petal width'];

/** The iris rows with their line number as `id`, so queries can split train/test like the example's nrows/skiprows. */
function irisRows(dir: string): [number, number, number, number, number, string][] {
  return readFileSync(path.join(dir, 'iris.data'), 'utf8')
    .split('\n')
    .map((line) => line.split(','))
    .filter((cells) => cells.length === 5)
    .map((cells, id) => [id, ...(cells.slice(0, 4).map(Number) as [number, number, number, number]), cells[4]]);
}

/** The example's config with SQL loaders: rows 0-99 to train, the rest to test, as in examples/iris. */
function useSql(dir: string, url: string, from: string, placeholder: string): void {
  const file = path.join(dir, 'config.json');
  const config = JSON.parse(readFileSync(file, 'utf8'));
  const select = `SELECT ${[...COLUMNS, 'species'].map((c) => `"${c}"`).join(', ')} FROM ${from}`;
  config.dataset_loader_train = { __factory__: 'palladium.dataset.SQL', url, sql: `${select} WHERE id < ${placeholder} ORDER BY id`, parameters: [100], target_column: 'species' };
  config.dataset_loader_test = { __factory__: 'palladium.dataset.SQL', url, sql: `${select} WHERE id >= ${placeholder} ORDER BY id`, parameters: [100], target_column: 'species' };
  writeFileSync(file, JSON.stringify(config));
}

describe('pld fit --evaluate from SQL', () => {
  const client = new pg.Client({ connectionString: PG_URL });
  beforeAll(async () => {
    await client.connect();
    await client.query(`CREATE TABLE "${table}" (id integer, ${COLUMNS.map((c) => `"${c}" double precision`).join(', ')}, species text)`);
    for (const row of irisRows(copyExample())) await client.query(`INSERT INTO "${table}" VALUES ($1, $2, $3, $4, $5, $6)`, row);
  });
  afterAll(async () => {
    await client.query(`DROP TABLE IF EXISTS "${table}"`);
    await client.end();
  });

  it('fits and evaluates the iris model from a PostgreSQL table', () => {
    const dir = copyExample();
    useSql(dir, PG_URL, `"${table}"`, '$1');
    const fitted = pld(dir, ['fit', '--evaluate']);
    expect(fitted.status, fitted.stderr).toBe(0);
    expect(fitted.stderr).toMatch(/Train score: 1\b/);
    expect(fitted.stderr).toMatch(/Test score: 0\.9\d*/);
    expect(fitted.stderr).toContain('Wrote model with version 1.');
  });

  it('fits and evaluates the iris model from a SQLite file', () => {
    const dir = copyExample();
    const db = new Database(path.join(dir, 'iris.db'));
    db.exec(`CREATE TABLE iris (id INTEGER, ${COLUMNS.map((c) => `"${c}" REAL`).join(', ')}, species TEXT)`);
    const insert = db.prepare('INSERT INTO iris VALUES (?, ?, ?, ?, ?, ?)');
    for (const row of irisRows(dir)) insert.run(...row);
    db.close();
    useSql(dir, 'sqlite:///iris.db', 'iris', '?');
    const fitted = pld(dir, ['fit', '--evaluate']);
    expect(fitted.status, fitted.stderr).toBe(0);
    expect(fitted.stderr).toMatch(/Train score: 1\b/);
    expect(fitted.stderr).toMatch(/Test score: 0\.9\d*/);
  });

  it('fits through a ScheduledDatasetLoader, whose timer does not keep the CLI alive', () => {
    const dir = copyExample();
    useSql(dir, PG_URL, `"${table}"`, '$1');
    const file = path.join(dir, 'config.json');
    const config = JSON.parse(readFileSync(file, 'utf8'));
    config.dataset_loader_train = { __factory__: 'palladium.dataset.ScheduledDatasetLoader', impl: config.dataset_loader_train, update_cache_interval: 0.5 };
    writeFileSync(file, JSON.stringify(config));
    const fitted = pld(dir, ['fit', '--evaluate']);
    expect(fitted.status, fitted.stderr).toBe(0);
    expect(fitted.stderr).toMatch(/Test score: 0\.9\d*/);
  });

  it('fails with the masked URL when the database is unreachable', () => {
    const dir = copyExample();
    useSql(dir, 'postgres://root:hunter2@127.0.0.1:1/test', '"iris"', '$1');
    const fitted = pld(dir, ['fit']);
    expect(fitted.status).toBe(4);
    expect(fitted.stderr).toContain('PLD_ERR_DATA_SOURCE_UNREACHABLE');
    expect(fitted.stderr).toContain('postgres://root:***@127.0.0.1:1/test');
    expect(fitted.stderr).not.toContain('hunter2');
  });
});
