// Time the SQL loader reading N rows × 20 columns (18 float8, 1 integer, 1 text) from PostgreSQL and
// from SQLite into a Frame, with the built package (dist/, build first with `npm run build`), against
// pandas `read_sql` on the same table in the same run (runs alternate: ours, pandas, ours...).
// pandas needs Debian's python3-pandas, plus python3-sqlalchemy and python3-psycopg2 for PostgreSQL
// (`apt-get install -y python3-pandas python3-sqlalchemy python3-psycopg2`, for /usr/bin/python3);
// without them the pandas side is skipped with the reason. Prints each run and the best of each.
// The tables are created and dropped by this script.
// Usage: node bench/data/sql.mjs [rows] [runs] [postgres-url]
import { execFileSync, spawnSync } from 'node:child_process';
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
const python = '/usr/bin/python3';

// One read_sql in a child; prints {rows, columns, seconds, cpu} (cpu: the Python process only).
const PANDAS = `
import json, sys, time
import pandas as pd
source, table = sys.argv[1], sys.argv[2]
if source.startswith('postgres'):
    from sqlalchemy import create_engine
    con = create_engine(source.replace('postgres://', 'postgresql+psycopg2://', 1))
else:
    import sqlite3
    con = sqlite3.connect(source)
start, cpu = time.perf_counter(), time.process_time()
df = pd.read_sql(f'SELECT * FROM {table}', con)
print(json.dumps({"rows": len(df), "columns": df.shape[1], "seconds": time.perf_counter() - start, "cpu": time.process_time() - cpu}))
`;

/** Why pandas cannot read this source here, or undefined when it can. */
function pandasMissing(modules) {
  for (const module of modules) {
    if (spawnSync(python, ['-c', `import ${module}`], { stdio: 'ignore' }).status !== 0) return `${python} has no ${module} module`;
  }
  return undefined;
}

async function ours(source) {
  const cpuStart = process.cpuUsage();
  const start = process.hrtime.bigint();
  const { X, y } = await new SqlLoader({ url: source, sql: table, target_column: 'label' }).load();
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const cpu = process.cpuUsage(cpuStart);
  if (X.nRows !== rows || X.nColumns !== 19 || y.length !== rows) throw new Error(`unexpected shape ${X.nRows}×${X.nColumns}`);
  return { seconds, cpu: (cpu.user + cpu.system) / 1e6, rss: process.memoryUsage().rss / 2 ** 20 };
}

function pandas(source) {
  const result = spawnSync(python, ['-c', PANDAS, source, table], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`pandas read_sql failed: ${result.stderr.slice(-2000)}`);
  const out = JSON.parse(result.stdout.trim().split('\n').at(-1));
  if (out.rows !== rows || out.columns !== 20) throw new Error(`pandas: unexpected shape ${out.rows}×${out.columns}`);
  return out;
}

async function compare(label, source, missing) {
  if (missing !== undefined) console.log(`${label}: pandas read_sql skipped: ${missing}`);
  const best = { ours: Infinity, oursCpu: Infinity, pandas: Infinity, pandasCpu: Infinity };
  for (let run = 1; run <= runs; run++) {
    const m = await ours(source);
    best.ours = Math.min(best.ours, m.seconds);
    best.oursCpu = Math.min(best.oursCpu, m.cpu);
    console.log(
      `${label} run ${run} ours:   ${m.seconds.toFixed(2)} s (CPU ${m.cpu.toFixed(2)} s), ${Math.round(rows / m.seconds).toLocaleString('en')} rows/s, rss ${m.rss.toFixed(0)} MiB`,
    );
    if (missing !== undefined) continue;
    const p = pandas(source);
    best.pandas = Math.min(best.pandas, p.seconds);
    best.pandasCpu = Math.min(best.pandasCpu, p.cpu);
    console.log(`${label} run ${run} pandas: ${p.seconds.toFixed(2)} s (CPU ${p.cpu.toFixed(2)} s), ${Math.round(rows / p.seconds).toLocaleString('en')} rows/s`);
  }
  const ratio = missing === undefined ? `, ${(best.ours / best.pandas).toFixed(2)}× pandas read_sql's ${best.pandas.toFixed(2)} s (CPU ${best.pandasCpu.toFixed(2)} s)` : '';
  console.log(`${label} best: ours ${best.ours.toFixed(2)} s (CPU ${best.oursCpu.toFixed(2)} s)${ratio}\n`);
}

const client = new pg.Client({ connectionString: url });
await client.connect();
try {
  await client.query(
    `CREATE TABLE ${table} AS SELECT g AS id, ${floats.map((f, i) => `random() * ${i + 1} AS ${f}`).join(', ')}, 'class_' || (g % 3) AS label FROM generate_series(1, ${rows}) AS g`,
  );
  await compare('postgres', url, pandasMissing(['pandas', 'sqlalchemy', 'psycopg2']));
} finally {
  await client.query(`DROP TABLE IF EXISTS ${table}`);
  await client.end();
}

const dir = mkdtempSync(join(tmpdir(), 'pld-bench-sql-'));
try {
  const file = join(dir, 'bench.db');
  const db = new Database(file);
  db.exec(`CREATE TABLE ${table} (id INTEGER, ${floats.map((f) => `${f} REAL`).join(', ')}, label TEXT)`);
  const insert = db.prepare(`INSERT INTO ${table} VALUES (${Array(20).fill('?').join(', ')})`);
  db.transaction(() => {
    for (let g = 1; g <= rows; g++) insert.run(g, ...floats.map((_, i) => Math.random() * (i + 1)), `class_${g % 3}`);
  })();
  db.close();
  await compare('sqlite', file, pandasMissing(['pandas']));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
console.log(`machine: ${execFileSync('uptime', { encoding: 'utf8' }).trim()}`);
