// Grid search benchmark: a DecisionTreeClassifier grid (8 candidates × 3 folds = 24 fits) on a generated
// 20k × 20 data set, with our compiled code (dist/; build first with `npm run build`) at n_jobs 1 and 2,
// and scikit-learn's GridSearchCV(n_jobs=2) on the same data and folds in the same run.
// Usage: node bench/search/run.mjs [rows] [features]   (BENCH_ROUNDS=3: rounds per n_jobs, the fastest kept)
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { createRegistry } from '../../dist/config/builtins.js';
import { Frame } from '../../dist/data/frame.js';
import { DecisionTreeClassifier } from '../../dist/estimators/tree/decision-tree-classifier.js';
import { mulberry32 } from '../../dist/estimators/tree/prng.js';
import { builtinScorer } from '../../dist/evaluation/scorers.js';
import { parseSearchSpec } from '../../dist/evaluation/search/options.js';
import { runSearch } from '../../dist/evaluation/search/search.js';

const nRows = Number(process.argv[2] ?? 20_000);
const nFeatures = Number(process.argv[3] ?? 20);
const GRID = { max_depth: [6, 10, 14, null], min_samples_leaf: [1, 5] };
const PYTHON = '/usr/bin/python3';
const _SKLEARN = `
import sys, json, time, numpy as np
from sklearn.model_selection import GridSearchCV, StratifiedKFold
from sklearn.tree import DecisionTreeClassifier
d, n, f = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
X = np.fromfile(d + '/X.f64').reshape(n, f); y = np.fromfile(d + '/y.f64')
grid = json.loads(sys.argv[4])
t0 = time.perf_counter()
g = GridSearchCV(DecisionTreeClassifier(random_state=0), grid, cv=StratifiedKFold(3), n_jobs=2).fit(X, y)
print(json.dumps({'wall_s': time.perf_counter() - t0, 'mean_test_score': g.cv_results_['mean_test_score'].tolist()}))
`;

const rand = mulberry32(42);
const columns = Array.from({ length: nFeatures }, () => new Float64Array(nRows));
const y = new Float64Array(nRows);
for (let i = 0; i < nRows; i++) {
  let s = 0;
  for (let f = 0; f < nFeatures; f++) {
    columns[f][i] = rand() * 2 - 1;
    if (f < 5) s += columns[f][i] * (f + 1);
  }
  y[i] = (s + (rand() - 0.5) * 2 > 0 ? 1 : 0) + (Math.abs(columns[5][i]) > 0.8 ? 1 : 0);
}
const X = new Frame(Object.fromEntries(columns.map((col, f) => [`x${f}`, col])));
const registry = createRegistry();
const workerFactories = new Set(registry.list('estimator').map((d) => d.name));
const scoring = { scorers: [builtinScorer('accuracy')], multimetric: false };

// Alternating rounds (1, 2, 1, 2, ...), keeping each n_jobs' lowest wall and lowest CPU time (each from
// its own round): the figures least disturbed by other jobs.
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const runs = {};
const order = process.env.BENCH_ORDER === '21' ? [2, 1] : [1, 2];
for (const nJobs of Array.from({ length: ROUNDS }, () => order).flat()) {
  const spec = parseSearchSpec({ param_grid: GRID, cv: 3, n_jobs: nJobs }, 'bench');
  const cpuStart = process.cpuUsage(); // the whole process: the main thread and the worker threads
  const start = performance.now();
  const result = await runSearch(new DecisionTreeClassifier({ random_state: 0 }), X, y, spec, { scoring, registry, workerFactories });
  const cpu = process.cpuUsage(cpuStart);
  const wall = (performance.now() - start) / 1000;
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  runs[nJobs] = {
    wall_s: Math.min(wall, runs[nJobs]?.wall_s ?? Infinity),
    cpu_s: Math.min(cpuSeconds, runs[nJobs]?.cpu_s ?? Infinity),
    workers: result.nJobs,
    fits: result.candidates.length * result.nSplits,
    means: result.cvResults.mean_test_score,
  };
}
const identical = JSON.stringify(runs[1].means) === JSON.stringify(runs[2].means);

let sklearn;
const dir = mkdtempSync(join(tmpdir(), 'pld-bench-search-'));
try {
  const Xrow = new Float64Array(nRows * nFeatures);
  for (let i = 0; i < nRows; i++) for (let f = 0; f < nFeatures; f++) Xrow[i * nFeatures + f] = columns[f][i];
  writeFileSync(join(dir, 'X.f64'), Buffer.from(Xrow.buffer));
  writeFileSync(join(dir, 'y.f64'), Buffer.from(y.buffer));
  sklearn = JSON.parse(execFileSync(PYTHON, ['-c', _SKLEARN, dir, String(nRows), String(nFeatures), JSON.stringify(GRID)], { encoding: 'utf8' }));
} catch (error) {
  sklearn = { error: String(error.message ?? error).split('\n')[0] };
} finally {
  rmSync(dir, { recursive: true, force: true });
}

// Free-core check: the same busy loop on 1 and on 2 threads at once; ~1.0 means two cores are free.
const _spin = (n) => {
  const start = performance.now();
  const code = "let s = 0; for (let i = 0; i < 2e8; i++) s += i % 7; require('node:worker_threads').parentPort.postMessage(s);";
  return Promise.all(Array.from({ length: n }, () => new Promise((resolve) => new Worker(code, { eval: true }).once('message', resolve)))).then(() => performance.now() - start);
};
const contention = (await _spin(2)) / (await _spin(1));
console.log(`CPU check: 2 busy threads take ${contention.toFixed(2)}x the time of 1 (about 1.0 with 2 free cores)`);
console.log(`lowest wall and lowest CPU time of ${ROUNDS} alternating rounds per n_jobs`);
console.log(`grid search: ${runs[1].fits} fits (${Object.values(GRID).reduce((a, v) => a * v.length, 1)} candidates x 3 folds), ${nRows} rows x ${nFeatures} features`);
console.log(`pld n_jobs=1: ${runs[1].wall_s.toFixed(3)} s (CPU ${runs[1].cpu_s.toFixed(3)} s)`);
console.log(
  `pld n_jobs=2: ${runs[2].wall_s.toFixed(3)} s (CPU ${runs[2].cpu_s.toFixed(3)} s, ${runs[2].workers} workers), speed-up ${(runs[1].wall_s / runs[2].wall_s).toFixed(2)}x; identical scores: ${identical}`,
);
// On a shared machine the wall-clock speed-up depends on the other jobs; the CPU seconds do not (much):
// with two free cores the n_jobs=2 wall time would be about its CPU time / 2.
console.log(
  `CPU overhead of n_jobs=2 (worker start-up, per-worker presorts, contention): ${((runs[2].cpu_s / runs[1].cpu_s - 1) * 100).toFixed(0)}%; speed-up on two free cores would be about ${((2 * runs[1].cpu_s) / runs[2].cpu_s).toFixed(2)}x`,
);
if (sklearn.error) console.log(`scikit-learn: not run (${sklearn.error})`);
else {
  console.log(`scikit-learn GridSearchCV(n_jobs=2): ${sklearn.wall_s.toFixed(3)} s; pld n_jobs=2 is ${(sklearn.wall_s / runs[2].wall_s).toFixed(2)}x faster`);
  console.log(`best mean test score: pld ${Math.max(...runs[2].means).toFixed(4)}, scikit-learn ${Math.max(...sklearn.mean_test_score).toFixed(4)}`);
}
