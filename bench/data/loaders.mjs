// CSV and Parquet loading: our loaders against pandas (and DuckDB's own CSV reader), each load in a
// child process under /usr/bin/time for its peak RSS. Generates two ROWS × 20 numeric columns + 1 string
// column data sets, each as CSV and as Parquet (written by DuckDB), in a temporary directory:
// - random: 20 columns of random doubles with 6 decimals (barely compressible; DuckDB's default Snappy);
// - realistic: what a data-lake table tends to hold: small integers (counts, codes), prices with 2
//   decimals, values from a small set (ratings, sizes) and 5 columns of measurements with 6 decimals,
//   written with ZSTD, so Parquet's dictionary and run-length encodings apply.
// Build first (`npm run build`). pandas: `apt-get install -y python3-pandas` (/usr/bin/python3).
// Usage: node bench/data/loaders.mjs [rows=1000000] [runs=2]
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DATASETS, generate } from './datasets.mjs';

const rows = Number(process.argv[2] ?? 1_000_000);
const runs = Number(process.argv[3] ?? 2);
const here = dirname(fileURLToPath(import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'pld-bench-data-'));
const python = '/usr/bin/python3';

function hasPython(module) {
  return spawnSync(python, ['-c', `import ${module}`], { stdio: 'ignore' }).status === 0;
}

const PANDAS = `
import json, sys, time
import pandas as pd
start = time.perf_counter()
cpu = time.process_time()
df = pd.read_parquet(sys.argv[2]) if sys.argv[1] == 'parquet' else pd.read_csv(sys.argv[2])
print(json.dumps({"rows": len(df), "columns": df.shape[1], "seconds": time.perf_counter() - start, "cpu": time.process_time() - cpu}))
`;

/** Runs one load in a child under /usr/bin/time; returns its load seconds (wall and CPU), process wall seconds and peak RSS. */
function measure(command, args) {
  const result = spawnSync('/usr/bin/time', ['-f', 'TIME %e %M', command, ...args], { encoding: 'utf8', maxBuffer: 1 << 24 });
  const time = /TIME ([\d.]+) (\d+)/.exec(result.stderr);
  if (result.status !== 0 || time === null) throw new Error(`${command} ${args.join(' ')} failed: ${result.stderr.slice(-2000)}`);
  const out = JSON.parse(result.stdout.trim().split('\n').at(-1));
  if (out.rows !== rows || out.columns !== 21) throw new Error(`${command}: unexpected shape ${out.rows}×${out.columns}`);
  return { load: out.seconds, cpu: out.cpu, lib: out.lib ?? 0, wall: Number(time[1]), rssMiB: Number(time[2]) / 1024 };
}

try {
  const columnsMiB = (rows * 20 * 8 + rows * 8) / 2 ** 20;
  console.log(`the Frame's columns: ${columnsMiB.toFixed(0)} MiB (20 Float64Array + 1 string array of pointers)`);
  const child = join(here, 'load-child.mjs');
  const pandas = hasPython('pandas');
  const pandasParquet = pandas && (hasPython('pyarrow') || hasPython('fastparquet'));
  if (!pandas) console.log('pandas is not installed for /usr/bin/python3: no pandas figures');
  else if (!pandasParquet) console.log('pandas has no Parquet engine here (neither pyarrow nor fastparquet): Parquet is compared with our CSV');

  const baseline = {
    // Node with the package imported (as the load children do), and Python with pandas imported.
    node: measure(process.execPath, [
      '--input-type=module',
      '-e',
      `await import(${JSON.stringify(join(here, '../../dist/index.js'))}); console.log(JSON.stringify({rows:${rows},columns:21,seconds:0,cpu:0}))`,
    ]).rssMiB,
    python: pandas ? measure(python, ['-c', `import json, pandas; print(json.dumps({"rows": ${rows}, "columns": 21, "seconds": 0, "cpu": 0}))`]).rssMiB : Number.NaN,
  };
  console.log(`process baseline RSS: node ${baseline.node.toFixed(0)} MiB, python+pandas ${baseline.python.toFixed(0)} MiB`);
  for (const name of Object.keys(DATASETS)) {
    const { csv, parquet } = await generate(dir, name, rows);
    const cases = [];
    if (pandas) cases.push(['pandas read_csv', python, ['-c', PANDAS, 'csv', csv]]);
    cases.push(['ours CSV', process.execPath, [child, 'ours-csv', csv]]);
    cases.push(['DuckDB read_csv', process.execPath, [child, 'duckdb-csv', csv]]);
    cases.push(['ours Parquet', process.execPath, [child, 'ours-parquet', parquet]]);
    if (pandasParquet) cases.push(['pandas read_parquet', python, ['-c', PANDAS, 'parquet', parquet]]);
    const best = new Map();
    for (let run = 1; run <= runs; run++) {
      for (const [label, command, args] of cases) {
        const m = measure(command, args);
        console.log(
          `${name} run ${run} ${label.padEnd(20)} load ${m.load.toFixed(2)} s (CPU ${m.cpu.toFixed(2)} s)${m.lib > 0 ? ` after ${m.lib.toFixed(2)} s loading DuckDB` : ''}, process ${m.wall.toFixed(2)} s, peak RSS ${m.rssMiB.toFixed(0)} MiB`,
        );
        const previous = best.get(label);
        best.set(label, {
          load: Math.min(previous?.load ?? Infinity, m.load),
          cpu: Math.min(previous?.cpu ?? Infinity, m.cpu),
          lib: Math.min(previous?.lib ?? Infinity, m.lib),
          wall: Math.min(previous?.wall ?? Infinity, m.wall),
          rssMiB: Math.max(previous?.rssMiB ?? 0, m.rssMiB),
        });
      }
    }
    const reference = best.get('pandas read_csv') ?? best.get('ours CSV');
    const referenceName = pandas ? 'pandas read_csv' : 'ours CSV';
    console.log(`\n${name}: best load time and CPU time of ${runs} runs, highest peak RSS`);
    console.log(`| load | load s | load CPU s | DuckDB library load s | process s | × ${referenceName} time | peak RSS MiB | RSS − baseline | (RSS − baseline) / columns |`);
    console.log('|---|---|---|---|---|---|---|---|---|');
    for (const [label, m] of best) {
      const base = label.startsWith('pandas') ? baseline.python : baseline.node;
      console.log(
        `| ${label} | ${m.load.toFixed(2)} | ${m.cpu.toFixed(2)} | ${m.lib > 0 ? m.lib.toFixed(2) : '-'} | ${m.wall.toFixed(2)} | ${(m.load / reference.load).toFixed(2)} | ${m.rssMiB.toFixed(0)} | ${(m.rssMiB - base).toFixed(0)} | ${((m.rssMiB - base) / columnsMiB).toFixed(2)} |`,
      );
    }
    const ours = best.get('ours CSV');
    const pq = best.get('ours Parquet');
    console.log(
      `\n${name}: ours Parquet is ${(ours.load / pq.load).toFixed(2)}× faster than ours CSV (load time; ${(ours.load / (pq.load + pq.lib)).toFixed(2)}× counting the DuckDB library load of a first Parquet load in a process), ${(ours.cpu / pq.cpu).toFixed(2)}× less CPU time`,
    );
    if (pandas) console.log(`${name}: ours CSV takes ${(ours.load / best.get('pandas read_csv').load).toFixed(2)}× pandas read_csv's load time`);
    rmSync(csv);
    rmSync(parquet);
  }
  console.log(`machine: ${execFileSync('uptime', { encoding: 'utf8' }).trim()}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
