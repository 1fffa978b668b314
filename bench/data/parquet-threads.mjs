// The Parquet loader reading in one thread (the default) against the split read (use_threads: true:
// this thread + a worker thread), with our CSV loader as the reference, on the same two
// data sets as loaders.mjs (random doubles with Snappy; "realistic" columns with ZSTD), 1M rows × 20
// numeric columns + 1 string column. Each load runs in its own child process (load-child.mjs), the three
// contenders alternated run by run, so a shared machine's load hits them alike; prints every run, then
// medians and minimums of load wall time and CPU time (all threads), and the ratios.
// Build first (`npm run build`). Usage: node bench/data/parquet-threads.mjs [rows=1000000] [runs=7]
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DATASETS, generate } from './datasets.mjs';

const rows = Number(process.argv[2] ?? 1_000_000);
const runs = Number(process.argv[3] ?? 7);
const here = dirname(fileURLToPath(import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'pld-bench-pqt-'));
const child = join(here, 'load-child.mjs');

function measure(mode, file) {
  const result = spawnSync(process.execPath, [child, mode, file], { encoding: 'utf8', maxBuffer: 1 << 24 });
  if (result.status !== 0) throw new Error(`${mode} ${file} failed: ${result.stderr.slice(-2000)}`);
  const out = JSON.parse(result.stdout.trim().split('\n').at(-1));
  if (out.rows !== rows || out.columns !== 21) throw new Error(`${mode}: unexpected shape ${out.rows}×${out.columns}`);
  return out;
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

try {
  console.log(`started ${new Date().toISOString()}; ${execFileSync('uptime', { encoding: 'utf8' }).trim()}`);
  for (const name of Object.keys(DATASETS)) {
    const { csv, parquet } = await generate(dir, name, rows);
    const cases = [
      ['ours CSV', 'ours-csv', csv],
      ['Parquet 1 thread', 'ours-parquet', parquet],
      ['Parquet 2 threads', 'ours-parquet-2threads', parquet],
    ];
    const all = new Map(cases.map(([label]) => [label, []]));
    for (let run = 1; run <= runs; run++) {
      // Rotate the order too, so no contender always follows the same one.
      for (let c = 0; c < cases.length; c++) {
        const [label, mode, file] = cases[(c + run) % cases.length];
        const m = measure(mode, file);
        all.get(label).push(m);
        console.log(
          `${name} run ${run} ${label.padEnd(18)} load ${m.seconds.toFixed(3)} s, CPU ${m.cpu.toFixed(3)} s${m.threads === undefined ? '' : `, ${m.threads} thread(s)`}${m.reader === undefined ? '' : `, ${m.reader} reader`}`,
        );
      }
    }
    console.log(`\n${name}, ${runs} runs each: median (min)`);
    console.log('| load | load s | load CPU s | × ours CSV load time |');
    console.log('|---|---|---|---|');
    const csvMedian = median(all.get('ours CSV').map((m) => m.seconds));
    for (const [label, ms] of all) {
      const s = ms.map((m) => m.seconds);
      const cpu = ms.map((m) => m.cpu);
      console.log(
        `| ${label} | ${median(s).toFixed(3)} (${Math.min(...s).toFixed(3)}) | ${median(cpu).toFixed(3)} (${Math.min(...cpu).toFixed(3)}) | ${(median(s) / csvMedian).toFixed(2)} |`,
      );
    }
    const one = median(all.get('Parquet 1 thread').map((m) => m.seconds));
    const two = median(all.get('Parquet 2 threads').map((m) => m.seconds));
    console.log(
      `\n${name}: ours CSV / Parquet, median load times: 1 thread ${(csvMedian / one).toFixed(2)}×, 2 threads ${(csvMedian / two).toFixed(2)}×; 2 threads take ${(two / one).toFixed(2)}× the 1-thread time`,
    );
    rmSync(csv);
    rmSync(parquet);
  }
  console.log(`\nfinished ${new Date().toISOString()}; ${execFileSync('uptime', { encoding: 'utf8' }).trim()}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
