// Distributed grid search benchmark: the same 24-fit grid (8 candidates × 3 folds, RandomForestClassifier
// on a generated data set) through `pld grid-search` locally (n_jobs 1 and 2 threads, the reference) and
// with `--backend redis://…` on 1 and then 2 `pld worker` processes, all in one run, real processes.
// Needs `npm run build` and Redis on 127.0.0.1:6379. Usage: node bench/search/distributed.mjs [rows]
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../../dist/cli/bin.js', import.meta.url));
const BACKEND = process.env.PLD_BENCH_REDIS ?? 'redis://127.0.0.1:6379';
const rows = Number(process.argv[2] ?? 8000);
const dir = mkdtempSync(join(tmpdir(), 'pld-bench-dist-'));
const env = { ...process.env, PALLADIUM_CONFIG: 'config.json', NO_COLOR: '1' };

let seed = 7;
const random = () => {
  seed = (seed * 1103515245 + 12345) % 2147483648;
  return seed / 2147483648;
};
const lines = ['a,b,c,d,e,f,g,h,label'];
for (let i = 0; i < rows; i++) {
  const x = Array.from({ length: 8 }, random);
  lines.push(`${x.map((v) => v.toFixed(5)).join(',')},${x[0] + x[1] * x[2] - x[3] * 0.5 + 0.3 * random() > 0.7 ? 'yes' : 'no'}`);
}
writeFileSync(join(dir, 'data.csv'), `${lines.join('\n')}\n`);
const config = (nJobs) => ({
  dataset_loader_train: { __factory__: 'palladium.dataset.Table', path: 'data.csv', target_column: 'label', sep: ',' },
  model: { __factory__: 'sklearn.ensemble.RandomForestClassifier', n_estimators: 30, random_state: 0 },
  grid_search: { param_grid: { max_depth: [4, 8, 12, null], min_samples_leaf: [1, 5] }, cv: 3, n_jobs: nJobs },
});
writeFileSync(join(dir, 'config.json'), JSON.stringify(config(1)));
writeFileSync(join(dir, 'threads.json'), JSON.stringify(config(2)));

// Seconds from the command's own "Grid search done in X sec." line: the fits, without process start or data load.
function search(args) {
  const run = spawnSync(process.execPath, [BIN, 'grid-search', ...args], { cwd: dir, env, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(run.stderr);
  return Number(/Grid search done in ([\d.]+) sec/.exec(run.stderr)[1]);
}

async function startWorker() {
  const child = spawn(process.execPath, [BIN, 'worker', '--backend', BACKEND], { cwd: dir, env });
  let out = '';
  await new Promise((resolve, reject) => {
    child.stderr.on('data', (chunk) => {
      out += chunk;
      if (out.includes('waiting for search fits')) resolve();
    });
    child.on('exit', () => reject(new Error(out)));
  });
  return child;
}

function searchAsync(args) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, 'grid-search', ...args], { cwd: dir, env });
    let err = '';
    child.stderr.on('data', (chunk) => (err += chunk));
    child.on('exit', (code) => (code === 0 ? resolve(Number(/Grid search done in ([\d.]+) sec/.exec(err)[1])) : reject(new Error(err))));
  });
}

const results = {};
results['local, 1 thread'] = search([]);
results['local, 2 threads'] = search(['--config', 'threads.json']);
const first = await startWorker();
results['--backend, 1 worker'] = await searchAsync(['--backend', BACKEND]);
const second = await startWorker();
results['--backend, 2 workers'] = await searchAsync(['--backend', BACKEND]);
first.kill('SIGTERM');
second.kill('SIGTERM');
rmSync(dir, { recursive: true, force: true });

const reference = results['local, 1 thread'];
console.log(`24 fits (8 candidates × 3 folds), RandomForestClassifier(n_estimators=30) on ${rows} rows × 8 features`);
for (const [name, seconds] of Object.entries(results))
  console.log(`${name.padEnd(22)} ${seconds.toFixed(2).padStart(7)} s   ${(reference / seconds).toFixed(2)}× vs local 1 thread`);
