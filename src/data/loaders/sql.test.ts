import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PldError } from '../../errors.js';
import { maskUrl, parseSqlUrl } from './sql-url.js';
import { SqlLoader, tableQuery, toPostgresPlaceholders } from './sql.js';

const PG_URL = process.env.PLD_TEST_PG_URL ?? 'postgres://root@127.0.0.1:5432/test';
const suffix = `${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
const table = `pld_sql_${suffix}`;

function fail(message: string): Error {
  return new Error(message);
}

describe('SQL URLs and helpers', () => {
  it('reads postgres, SQLAlchemy sqlite and plain paths', () => {
    expect(parseSqlUrl('postgresql+psycopg2://u:p@db/x', '/b')).toEqual({ kind: 'postgres', connectionString: 'postgresql://u:p@db/x' });
    expect(parseSqlUrl('sqlite:///data/a.db', '/b')).toEqual({ kind: 'sqlite', path: '/b/data/a.db' });
    expect(parseSqlUrl('sqlite:////abs/a.db', '/b')).toEqual({ kind: 'sqlite', path: '/abs/a.db' });
    expect(parseSqlUrl('sqlite://', '/b')).toEqual({ kind: 'sqlite', path: ':memory:' });
    expect(parseSqlUrl('a.db', '/b')).toEqual({ kind: 'sqlite', path: '/b/a.db' });
    expect(() => parseSqlUrl('mysql://u:secret@h/x', '/b')).toThrow(/only postgres.*"mysql:\/\/u:\*\*\*@h\/x"/);
  });

  it('masks passwords', () => {
    expect(maskUrl('postgres://me:s3cr@t@db:5432/x')).toBe('postgres://me:***@db:5432/x');
    expect(maskUrl('postgres://me:secret@db/x?password=x&a=1')).toBe('postgres://me:***@db/x?password=***&a=1');
    expect(maskUrl('postgres://me@db/x')).toBe('postgres://me@db/x');
  });

  it('quotes table names and leaves queries alone', () => {
    expect(tableQuery('iris')).toBe('SELECT * FROM "iris"');
    expect(tableQuery('public.iris')).toBe('SELECT * FROM "public"."iris"');
    expect(tableQuery('SELECT * FROM iris')).toBeUndefined();
    expect(tableQuery('iris"; DROP TABLE x')).toBeUndefined();
  });

  it('rewrites placeholders for PostgreSQL outside quotes, comments and casts', () => {
    expect(toPostgresPlaceholders("SELECT ':a', a::text FROM t WHERE a = :a AND b = %(b)s OR c = :a -- :zz", { a: 1, b: 'x' }, fail)).toEqual({
      text: "SELECT ':a', a::text FROM t WHERE a = $1 AND b = $2 OR c = $1 -- :zz",
      values: [1, 'x'],
    });
    expect(toPostgresPlaceholders("SELECT '%s' WHERE a = %s AND b = ?", [1, 2], fail)).toEqual({ text: "SELECT '%s' WHERE a = $1 AND b = $2", values: [1, 2] });
    expect(toPostgresPlaceholders('SELECT $2, $1', [1, 2], fail)).toEqual({ text: 'SELECT $2, $1', values: [1, 2] });
    expect(() => toPostgresPlaceholders('SELECT :missing', { a: 1 }, fail)).toThrow(/'missing'/);
    expect(() => toPostgresPlaceholders('SELECT %s, %s', [1], fail)).toThrow(/more placeholders/);
  });

  it('rejects unknown options and other schemes when created', () => {
    expect(() => new SqlLoader({ url: 'x.db', sql: 't', nrows: 3 } as never)).toThrow(/nrows/);
    expect(() => new SqlLoader({ url: 'x.db', sql: 't', parameters: [1], params: [1] })).toThrow(/alias/);
  });
});

describe('SQL loader on SQLite', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'pld-sql-'));
  const file = path.join(dir, 'data.db');
  beforeAll(() => {
    const db = new Database(file);
    db.exec(`CREATE TABLE "my table" (a REAL, b INTEGER, name TEXT, label TEXT, flag BOOLEAN, blob BLOB);
      INSERT INTO "my table" VALUES (1.5, 1, 'x', 'p', 1, NULL), (NULL, 2, NULL, 'q', 0, NULL), (3.5, NULL, 'z', 'p', NULL, NULL);
      CREATE TABLE nulltarget (a REAL, y TEXT); INSERT INTO nulltarget VALUES (1, 'a'), (2, NULL);
      CREATE TABLE blobs (a REAL, b BLOB); INSERT INTO blobs VALUES (1, x'0102');`);
    db.close();
  });

  it('reads a query with typed columns, NULL as NaN / null, and a target', async () => {
    const loader = new SqlLoader({ url: `sqlite:///${file}`, sql: 'SELECT a, b, name, label, flag, a * 2 AS doubled FROM "my table" ORDER BY b', target_column: 'label' });
    const { X, y } = await loader.load();
    expect(X.columns).toEqual(['a', 'b', 'name', 'flag', 'doubled']);
    expect(X.column('a')).toEqual(Float64Array.of(3.5, 1.5, Number.NaN));
    expect(X.column('b')).toEqual(Float64Array.of(Number.NaN, 1, 2));
    expect(X.column('name')).toEqual(['z', 'x', null]);
    expect(X.column('flag')).toEqual(Float64Array.of(Number.NaN, 1, 0));
    expect(X.column('doubled')).toEqual(Float64Array.of(7, 3, Number.NaN));
    expect(y).toEqual(['p', 'p', 'q']);
    expect(loader.describe()).toMatchObject({ rows: 3 });
  });

  it('reads a table by name (quoted), relative to the config folder, with parameters', async () => {
    const whole = await new SqlLoader({ url: 'data.db', sql: 'blobs' }, { baseDir: dir }).load().catch((error: PldError) => error);
    expect(whole).toBeInstanceOf(PldError);
    expect((whole as PldError).code).toBe('PLD_ERR_DATA_QUERY');
    expect((whole as PldError).message).toMatch(/row 1, column 'b': cannot read a 2-byte BLOB/);
    const listed = await new SqlLoader({ url: 'data.db', sql: 'SELECT b FROM "my table" WHERE label = ? AND b > ?', parameters: ['p', 0] }, { baseDir: dir }).load();
    expect(listed.X.column('b')).toEqual(Float64Array.of(1));
    const named = await new SqlLoader({ url: 'data.db', sql: 'SELECT b FROM "my table" WHERE label = :label', parameters: { label: 'q' } }, { baseDir: dir }).load();
    expect(named.X.column('b')).toEqual(Float64Array.of(2));
    expect((await new SqlLoader({ url: 'data.db', sql: 'nulltarget' }, { baseDir: dir }).load()).X.nRows).toBe(2);
  });

  it('reports a NULL target with its row, a missing target column, a bad query and a missing file', async () => {
    await expect(new SqlLoader({ url: file, sql: 'nulltarget', target_column: 'y' }).load()).rejects.toMatchObject({
      code: 'PLD_ERR_DATA_PARSE',
      message: expect.stringMatching(/row 2 .*NULL in the target column 'y'/),
    });
    await expect(new SqlLoader({ url: file, sql: 'nulltarget', target_column: 'nope' }).load()).rejects.toMatchObject({
      code: 'PLD_ERR_DATA_COLUMN_NOT_FOUND',
      message: expect.stringContaining('["a","y"]'),
    });
    await expect(new SqlLoader({ url: file, sql: 'SELECT * FROM nowhere' }).load()).rejects.toMatchObject({
      code: 'PLD_ERR_DATA_QUERY',
      message: expect.stringContaining('no such table: nowhere'),
    });
    await expect(new SqlLoader({ url: file, sql: 'SELECT 1 AS a, 2 AS a' }).load()).rejects.toMatchObject({
      code: 'PLD_ERR_DATA_QUERY',
      message: expect.stringContaining("two columns named 'a'"),
    });
    await expect(new SqlLoader({ url: path.join(dir, 'missing.db'), sql: 't' }).load()).rejects.toMatchObject({ code: 'PLD_ERR_DATA_SOURCE_UNREACHABLE' });
  });

  it('opens the file read-only: a write statement fails and changes nothing', async () => {
    await expect(new SqlLoader({ url: file, sql: 'DELETE FROM nulltarget' }).load()).rejects.toMatchObject({ code: 'PLD_ERR_DATA_QUERY' });
    expect((await new SqlLoader({ url: file, sql: 'nulltarget' }).load()).X.nRows).toBe(2);
  });
});

describe('SQL loader on PostgreSQL', () => {
  let client: pg.Client;
  beforeAll(async () => {
    client = new pg.Client({ connectionString: PG_URL });
    await client.connect();
    await client.query(`CREATE TABLE "${table}" (f8 double precision, f4 real, i2 smallint, i4 integer, i8 bigint, num numeric(10,3), flag boolean,
      name text, code varchar(5), day date, label text)`);
    await client.query(`INSERT INTO "${table}" VALUES
      (1.5, 0.25, 1, 10, 9007199254740993, 1.125, true, 'x', 'ab', '2024-01-02', 'p'),
      (NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 'q'),
      ('NaN', '-Infinity', -1, -10, -5, 'NaN', false, 'z', 'cd', '2024-12-31', 'p')`);
  });
  afterAll(async () => {
    await client.query(`DROP TABLE IF EXISTS "${table}"`);
    await client.end();
  });

  it('maps PostgreSQL types to Frame columns, NULL to NaN / null', async () => {
    const loader = new SqlLoader({ url: PG_URL, sql: table, target_column: 'label' });
    const { X, y } = await loader.load();
    expect(X.columns).toEqual(['f8', 'f4', 'i2', 'i4', 'i8', 'num', 'flag', 'name', 'code', 'day']);
    expect(X.column('f8')).toEqual(Float64Array.of(1.5, Number.NaN, Number.NaN));
    expect(X.column('f4')).toEqual(Float64Array.of(0.25, Number.NaN, -Infinity));
    expect(X.column('i2')).toEqual(Float64Array.of(1, Number.NaN, -1));
    expect(X.column('i8')).toEqual(Float64Array.of(9007199254740992, Number.NaN, -5));
    expect(X.column('num')).toEqual(Float64Array.of(1.125, Number.NaN, Number.NaN));
    expect(X.column('flag')).toEqual(Float64Array.of(1, Number.NaN, 0));
    expect(X.column('name')).toEqual(['x', null, 'z']);
    expect(X.column('code')).toEqual(['ab', null, 'cd']);
    expect(X.column('day')).toEqual(['2024-01-02', null, '2024-12-31']);
    expect(y).toEqual(['p', 'q', 'p']);
  });

  it('binds list and named parameters, and numeric targets', async () => {
    const listed = await new SqlLoader({ url: PG_URL, sql: `SELECT i4, f8 FROM "${table}" WHERE label = $1 AND i4 > $2`, parameters: ['p', 0], target_column: 'f8' }).load();
    expect(listed.y).toEqual(Float64Array.of(1.5));
    const named = await new SqlLoader({
      url: PG_URL,
      sql: `SELECT i4::float8 AS x FROM "${table}" WHERE label = :label AND name = %(name)s`,
      parameters: { label: 'p', name: 'z' },
    }).load();
    expect(named.X.column('x')).toEqual(Float64Array.of(-10));
  });

  it('names the row of a NULL target, and the query that failed', async () => {
    await expect(new SqlLoader({ url: PG_URL, sql: `SELECT label, i4 FROM "${table}" ORDER BY label`, target_column: 'i4' }).load()).rejects.toMatchObject({
      code: 'PLD_ERR_DATA_PARSE',
      message: expect.stringMatching(/row 3 of the result has NULL in the target column 'i4'/),
    });
    await expect(new SqlLoader({ url: PG_URL, sql: 'SELECT * FROM pld_no_such_table_xyz' }).load()).rejects.toMatchObject({
      code: 'PLD_ERR_DATA_QUERY',
      message: expect.stringContaining('relation "pld_no_such_table_xyz" does not exist'),
    });
    await expect(new SqlLoader({ url: PG_URL, sql: "SELECT '\\x01'::bytea AS b" }).load()).rejects.toMatchObject({
      code: 'PLD_ERR_DATA_QUERY',
      message: expect.stringContaining("'b' has type bytea"),
    });
  });

  it('reports an unreachable server with the URL, password masked', async () => {
    const error = (await new SqlLoader({ url: 'postgres://root:hunter2@127.0.0.1:1/test', sql: 't', connect_timeout: 2 }).load().catch((e: PldError) => e)) as PldError;
    expect(error).toMatchObject({ code: 'PLD_ERR_DATA_SOURCE_UNREACHABLE' });
    expect(error.message).toContain('postgres://root:***@127.0.0.1:1/test');
    expect(error.message).not.toContain('hunter2');
  });

  it('returns an empty Frame with the columns for an empty result', async () => {
    const { X, y } = await new SqlLoader({ url: PG_URL, sql: `SELECT f8, label FROM "${table}" WHERE false`, target_column: 'label' }).load();
    expect(X.columns).toEqual(['f8']);
    expect(X.nRows).toBe(0);
    expect(y).toEqual([]);
  });
});
