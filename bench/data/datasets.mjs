// The two data sets the loader benchmarks (loaders.mjs, parquet-threads.mjs) read: 20 numeric columns and
// a `label` string column, written by DuckDB as CSV and as Parquet from one seeded table, so both files hold
// the same values. "random": doubles that barely compress (Snappy, DuckDB's default); "realistic": small
// integers, 2-decimal prices, values from small sets and a few random columns (ZSTD), as data lakes hold.
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';

export const DATASETS = {
  random: {
    columns: Array.from({ length: 20 }, (_, i) => `round(random() * ${i + 1}, 6) AS f${i}`),
    parquet: '(FORMAT parquet)',
  },
  realistic: {
    columns: Array.from({ length: 20 }, (_, i) => {
      if (i < 5) return `floor(random() * ${10 ** ((i % 3) + 1)})::INTEGER AS f${i}`;
      if (i < 10) return `round(random() * ${100 * (i - 4)}, 2) AS f${i}`;
      if (i < 15) return `floor(random() * ${4 * (i - 9)}) / 2 AS f${i}`;
      return `round(random() * ${i - 14}, 6) AS f${i}`;
    }),
    parquet: '(FORMAT parquet, COMPRESSION zstd)',
  },
};

/** Writes data set `name` with `rows` rows into `dir` as CSV and Parquet, prints their sizes; returns their paths. */
export async function generate(dir, name, rows) {
  const csv = join(dir, `${name}.csv`);
  const parquet = join(dir, `${name}.parquet`);
  const genStart = Date.now();
  const instance = await DuckDBInstance.create(':memory:');
  const db = await instance.connect();
  await db.run('SELECT setseed(0.42)');
  await db.run(`CREATE TABLE t AS SELECT ${DATASETS[name].columns.join(', ')}, 'class_' || (range % 3) AS label FROM range(${rows})`);
  await db.run(`COPY t TO '${csv}' (FORMAT csv, HEADER)`);
  await db.run(`COPY t TO '${parquet}' ${DATASETS[name].parquet}`);
  db.closeSync();
  instance.closeSync();
  console.log(
    `\n== ${name}: ${rows.toLocaleString('en')} rows generated in ${((Date.now() - genStart) / 1000).toFixed(1)} s: CSV ${(statSync(csv).size / 2 ** 20).toFixed(0)} MiB, ` +
      `Parquet ${(statSync(parquet).size / 2 ** 20).toFixed(0)} MiB ${DATASETS[name].parquet}`,
  );
  return { csv, parquet };
}
