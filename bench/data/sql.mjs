// Time the SQL loader reading N rows × 20 columns (18 float8, 1 integer, 1 text) from PostgreSQL and
// from SQLite into a Frame, with the built package (dist/, build first with `npm run build`).
// Prints rows/s for each run; the table is created and dropped by this script.
// Usage: node bench/data/sql.mjs [rows] [runs] [postgres-url]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { SqlLoader } from '../../dist/index.js';

const rows = Number(process.argv[2] ?? 1_000_000);
const runs = Number(process.argv[3] ?? 3);
const url = process.argv[4] ?? 'postgres://root@127.0.0.1:5432/test';
const table = `pld_bench_sql_${process.pid}`;
const floats = Array.from({ length: 18 }, (_, i) => `f${i}`);

async function time(label, loader) {
  for (let run = 0; run < runs; run++) {
    const start = process.hrtime.bigint();
    const { X, y } = await loader.load();
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    if (X.nRows !== rows || X.nColumns !== 19 || y.length !== rows) throw new Error(`unexpected shape ${X.nRows}×${X.nColumns}`);
    console.log(
      `${label} run ${run + 1}: ${seconds.toFixed(2)} s, ${Math.round(rows / seconds).toLocaleString('en')} rows/s, rss ${Math.round(process.memoryUsage().rss / 2 ** 20)} MiB`,
    );
  }
}

const client = new pg.Client({ connectionString: url });
await client.connect();
try {
  await client.query(
    `CREATE TABLE ${table} AS SELECT g AS id, ${floats.map((f, i) => `random() * ${i + 1} AS ${f}`).join(', ')}, 'class_' || (g % 3) AS label FROM generate_series(1, ${rows}) AS g`,
  );
  await time('postgres', new SqlLoader({ url, sql: table, target_column: 'label' }));
} finally {
  await client.query(`DROP TABLE IF EXISTS ${table}`);
  await client.end();
}

const dir = mkdtempSync(join(tmpdir(), 'pld-bench-sql-'));
try {
  const db = new Database(join(dir, 'bench.db'));
  db.exec(`CREATE TABLE ${table} (id INTEGER, ${floats.map((f) => `${f} REAL`).join(', ')}, label TEXT)`);
  const insert = db.prepare(`INSERT INTO ${table} VALUES (${Array(20).fill('?').join(', ')})`);
  db.transaction(() => {
    for (let g = 1; g <= rows; g++) insert.run(g, ...floats.map((_, i) => Math.random() * (i + 1)), `class_${g % 3}`);
  })();
  db.close();
  await time('sqlite', new SqlLoader({ url: join(dir, 'bench.db'), sql: table, target_column: 'label' }));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
