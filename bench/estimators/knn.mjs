// k-NN batch predict (brute force at 20 features, KD-tree at 8) and single-row predict, ours from dist/
// (build first: `npm run build`) against scikit-learn in /usr/bin/python3 in the same run, both
// single-threaded, on the same rows (linearData: ROWS training rows, QUERIES held-out rows after them).
// Batch figures are the best process CPU time of RUNS predicts (Node process.cpuUsage, Python
// time.process_time), with the wall time of that best run beside it.
// Usage: node bench/estimators/knn.mjs [rows] [queries]   (defaults 100000 and 20000)
// ONLY=brute or ONLY=kd_tree runs just those cases; RUNS (default 2) predicts per case.
// PLD_BENCH_DIST=/abs/path/to/another/dist measures another build (e.g. the previous commit's) the same way.
import { runSklearn } from './sklearn.mjs';
import { linearData } from './data.mjs';

const DIST = process.env.PLD_BENCH_DIST ?? '../../dist';
const { Frame } = await import(`${DIST}/data/frame.js`);
const { KNeighborsClassifier, KNeighborsRegressor } = await import(`${DIST}/index.js`);
const { mulberry32 } = await import(`${DIST}/estimators/tree/prng.js`);

const nRows = Number(process.argv[2] ?? 100_000);
const nQueries = Number(process.argv[3] ?? 20_000);
const RUNS = Number(process.env.RUNS ?? 2);
const SINGLE_REPS = 200;

const ALL_CASES = [
  { name: 'KNeighborsClassifier brute (20 features)', features: 20, make: () => new KNeighborsClassifier(), py: 'KNeighborsClassifier()', target: 'y3', algorithm: 'brute' },
  { name: 'KNeighborsRegressor brute (20 features)', features: 20, make: () => new KNeighborsRegressor(), py: 'KNeighborsRegressor()', target: 'yr', algorithm: 'brute' },
  { name: 'KNeighborsClassifier kd_tree (8 features)', features: 8, make: () => new KNeighborsClassifier(), py: 'KNeighborsClassifier()', target: 'y3', algorithm: 'kd_tree' },
];
const ONLY = process.env.ONLY?.split(',').filter(Boolean);
const CASES = ONLY ? ALL_CASES.filter((c) => ONLY.includes(c.algorithm)) : ALL_CASES;

const _SCRIPT = `
import sys, json, time, numpy as np, sklearn
from sklearn.neighbors import KNeighborsClassifier, KNeighborsRegressor
d, n, f, m, cases, runs, single = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), json.loads(sys.argv[5]), int(sys.argv[6]), int(sys.argv[7])
X = np.fromfile(d + '/X.f64').reshape(n + m, f)
ys = {k: np.fromfile(d + '/' + k + '.f64')[:n] for k in ('y3', 'yr')}
out = []
for c in cases:
    Xc = X[:, :c['features']]
    model = eval(c['py']).fit(Xc[:n], ys[c['target']])
    assert model._fit_method == c['algorithm'], model._fit_method
    Q = Xc[n:]
    cpu, wall = float('inf'), 0
    for _ in range(runs):
        c0, w0 = time.process_time(), time.perf_counter(); model.predict(Q)
        c1, w1 = time.process_time(), time.perf_counter()
        if c1 - c0 < cpu: cpu, wall = c1 - c0, w1 - w0
    for i in range(20): model.predict(Q[i:i + 1])
    t0 = time.perf_counter()
    for i in range(single): model.predict(Q[i:i + 1])
    out.append({'cpu_ms': cpu * 1000, 'wall_ms': wall * 1000, 'single_us': (time.perf_counter() - t0) * 1e6 / single})
print(json.dumps({'version': sklearn.__version__, 'results': out}))
`;

const { columns, y3, yr } = linearData(nRows + nQueries, 20, 42, mulberry32);
const targets = { y3: y3.subarray(0, nRows), yr: yr.subarray(0, nRows) };
const ours = [];
for (const c of CASES) {
  const frame = (from, to) => new Frame(Object.fromEntries(columns.slice(0, c.features).map((col, f) => [`x${f}`, col.subarray(from, to)])));
  const model = await c.make().fit(frame(0, nRows), targets[c.target]);
  if (model.fitMethod !== c.algorithm) throw new Error(`${c.name}: resolved to ${model.fitMethod}`);
  const queries = frame(nRows, nRows + nQueries);
  let cpu = Infinity;
  let wall = 0;
  for (let r = 0; r < RUNS; r++) {
    const c0 = process.cpuUsage();
    const w0 = process.hrtime.bigint();
    model.predict(queries);
    const used = process.cpuUsage(c0);
    const w = Number(process.hrtime.bigint() - w0) / 1e6;
    if ((used.user + used.system) / 1000 < cpu) [cpu, wall] = [(used.user + used.system) / 1000, w];
  }
  const rows = Array.from({ length: SINGLE_REPS }, (_, i) => queries.slice(i, i + 1));
  for (const row of rows.slice(0, 20)) model.predict(row);
  const t0 = process.hrtime.bigint();
  for (const row of rows) model.predict(row);
  ours.push({ cpu, wall, single: Number(process.hrtime.bigint() - t0) / 1e3 / SINGLE_REPS });
}

const spec = JSON.stringify(CASES.map(({ features, py, target, algorithm }) => ({ features, py, target, algorithm })));
const sk = runSklearn(_SCRIPT, {
  columns,
  nRows: nRows + nQueries,
  arrays: { y3, yr },
  args: [nRows, 20, nQueries, spec, RUNS, SINGLE_REPS],
  optional: true,
});

console.log(`rows=${nRows} queries=${nQueries} node=${process.version} scikit-learn=${sk?.version ?? '-'} runs=${RUNS}\n`);
console.log('| case | predict CPU ours ms | predict CPU sklearn ms | CPU ratio | wall ours / sklearn ms | 1-row ours µs | 1-row sklearn µs | 1-row ratio |');
console.log('|---|---|---|---|---|---|---|---|');
CASES.forEach((c, k) => {
  const o = ours[k];
  const s = sk?.results[k];
  console.log(
    `| ${c.name} | ${o.cpu.toFixed(0)} | ${s ? s.cpu_ms.toFixed(0) : '-'} | ${s ? `${(o.cpu / s.cpu_ms).toFixed(2)}×` : '-'} | ${o.wall.toFixed(0)} / ${s ? s.wall_ms.toFixed(0) : '-'} | ${o.single.toFixed(1)} | ${s ? s.single_us.toFixed(1) : '-'} | ${s ? `${(s.single_us / o.single).toFixed(2)}×` : '-'} |`,
  );
});
console.log('\nCPU ratio is ours / scikit-learn (below 1 is faster); the 1-row ratio is scikit-learn / ours (how many times faster).');
