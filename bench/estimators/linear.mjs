// Fit, batch predict and single-row predict of the linear, neighbour, naive Bayes models on generated
// data (default 100k × 20), ours from dist/ (build first: `npm run build`) against scikit-learn in
// /usr/bin/python3 in the same run, single-threaded (OMP/OPENBLAS/MKL threads = 1), best of FIT_RUNS (5) fits
// and PREDICT_RUNS (10) batch predicts on both sides. Prints a Markdown table.
// Usage: node bench/estimators/linear.mjs [rows] [features]
// ONLY=Logistic,Ridge runs just the cases whose name contains one of these words.
import { bestCpuOf, bestOf } from '../best-of.mjs';
import { runSklearn } from './sklearn.mjs';
import { linearData } from './data.mjs';

// PLD_BENCH_DIST=/abs/path/to/another/dist measures another build (e.g. the previous commit's) the same way.
const DIST = process.env.PLD_BENCH_DIST ?? '../../dist';
const { Frame } = await import(`${DIST}/data/frame.js`);
const { GaussianNB, KNeighborsClassifier, Lasso, LinearRegression, LogisticRegression, Ridge } = await import(`${DIST}/index.js`);
const { mulberry32 } = await import(`${DIST}/estimators/tree/prng.js`);

const nRows = Number(process.argv[2] ?? 100_000);
const nFeatures = Number(process.argv[3] ?? 20);
// k-NN predicts far fewer rows: each query walks the tree, as in scikit-learn.
const KNN_QUERIES = 2000;
const KNN_FEATURES = 8;
// Best of several runs on both sides: the machine is shared, and a single slow run says nothing about the code.
const FIT_RUNS = Number(process.env.FIT_RUNS ?? 5);
const PREDICT_RUNS = Number(process.env.PREDICT_RUNS ?? 10);

const ALL_CASES = [
  { name: 'LogisticRegression (3 classes)', make: () => new LogisticRegression(), target: 'y3', py: 'LogisticRegression()' },
  { name: 'LogisticRegression (binary)', make: () => new LogisticRegression(), target: 'y2', py: 'LogisticRegression()' },
  { name: 'LinearRegression', make: () => new LinearRegression(), target: 'yr', py: 'LinearRegression()' },
  { name: 'Ridge', make: () => new Ridge(), target: 'yr', py: 'Ridge()' },
  { name: 'Lasso (alpha 0.01)', make: () => new Lasso({ alpha: 0.01 }), target: 'yr', py: 'Lasso(alpha=0.01)' },
  { name: 'GaussianNB', make: () => new GaussianNB(), target: 'y3', py: 'GaussianNB()' },
  {
    name: `KNeighborsClassifier (${KNN_FEATURES} features, ${KNN_QUERIES} queries)`,
    make: () => new KNeighborsClassifier(),
    target: 'y3',
    py: 'KNeighborsClassifier()',
    knn: true,
  },
];

const ONLY = process.env.ONLY?.split(',').filter(Boolean);
const CASES = ONLY ? ALL_CASES.filter((c) => ONLY.some((word) => c.name.includes(word))) : ALL_CASES;

const _SCRIPT = String.raw`
import sys, json, time, numpy as np, sklearn
from sklearn.linear_model import LogisticRegression, LinearRegression, Ridge, Lasso
from sklearn.naive_bayes import GaussianNB
from sklearn.neighbors import KNeighborsClassifier
d, n, f, cases, kq, kf, fit_runs, predict_runs = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), json.loads(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6]), int(sys.argv[7]), int(sys.argv[8])
X = np.fromfile(d + '/X.f64').reshape(n, f)
ys = {k: np.fromfile(d + '/' + k + '.f64') for k in ('y3', 'y2', 'yr')}
def best(runs, fn, clock=time.perf_counter):
    t = float('inf')
    for _ in range(runs):
        t0 = clock(); fn(); t = min(t, (clock() - t0) * 1000)
    return t
out = []
for c in cases:
    Xc = X[:, :kf] if c.get('knn') else X
    m = eval(c['py']); y = ys[c['target']]
    fit = best(fit_runs, lambda: m.fit(Xc, y))
    Q = Xc[:kq] if c.get('knn') else Xc
    pred = best(predict_runs, lambda: m.predict(Q))
    pred_cpu = best(predict_runs, lambda: m.predict(Q), time.process_time)
    one = Xc[:1]
    for _ in range(50): m.predict(one)
    t0 = time.perf_counter(); reps = 2000
    for _ in range(reps): m.predict(one)
    single = (time.perf_counter() - t0) * 1e6 / reps
    out.append({'fit': fit, 'predict': pred, 'predict_cpu': pred_cpu, 'single_us': single, 'n_iter': int(np.max(getattr(m, 'n_iter_', None) or 0))})
print(json.dumps({'version': sklearn.__version__, 'results': out}))
`;

const { columns, y3, y2, yr } = linearData(nRows, nFeatures, 42, mulberry32);
const X = new Frame(Object.fromEntries(columns.map((col, f) => [`x${f}`, col])));
const Xknn = X.select(X.columns.slice(0, KNN_FEATURES));
const targets = { y3, y2, yr };
const ours = [];
for (const c of CASES) {
  const data = c.knn ? Xknn : X;
  const model = c.make();
  const fit = await bestOf(FIT_RUNS, () => model.fit(data, targets[c.target]));
  const queries = c.knn ? data.slice(0, KNN_QUERIES) : data;
  const predict = await bestOf(PREDICT_RUNS, () => model.predict(queries));
  const predictCpu = await bestCpuOf(PREDICT_RUNS, () => model.predict(queries));
  const one = data.slice(0, 1);
  for (let r = 0; r < 200; r++) model.predict(one);
  const reps = 20000;
  const t0 = process.hrtime.bigint();
  for (let r = 0; r < reps; r++) model.predict(one);
  const single = Number(process.hrtime.bigint() - t0) / 1e3 / reps;
  ours.push({ fit, predict, predictCpu, single, nIter: model.nIter ?? 0 });
}

const cases = JSON.stringify(CASES.map((c) => ({ py: c.py, target: c.target, knn: !!c.knn })));
const sk = runSklearn(_SCRIPT, {
  columns,
  nRows,
  arrays: targets,
  args: [nRows, nFeatures, cases, KNN_QUERIES, KNN_FEATURES, FIT_RUNS, PREDICT_RUNS],
  optional: true,
});

console.log(`rows=${nRows} features=${nFeatures} node=${process.version} scikit-learn=${sk?.version ?? '-'}\n`);
console.log(
  '| model | fit ours ms | fit sklearn ms | fit ratio | predict ours ms | predict sklearn ms | predict ratio | predict CPU ours ms | predict CPU sklearn ms | CPU ratio | 1-row ours µs | 1-row sklearn µs | 1-row ratio | iters ours/sklearn |',
);
console.log('|---|---|---|---|---|---|---|---|---|---|---|---|---|---|');
CASES.forEach((c, k) => {
  const o = ours[k];
  const s = sk?.results[k];
  const r = (a, b) => (s ? `${(a / b).toFixed(2)}×` : '-');
  console.log(
    `| ${c.name} | ${o.fit.toFixed(1)} | ${s ? s.fit.toFixed(1) : '-'} | ${s ? r(o.fit, s.fit) : '-'} | ${o.predict.toFixed(2)} | ${s ? s.predict.toFixed(2) : '-'} | ${s ? r(o.predict, s.predict) : '-'} | ${o.predictCpu.toFixed(2)} | ${s ? s.predict_cpu.toFixed(2) : '-'} | ${s ? r(o.predictCpu, s.predict_cpu) : '-'} | ${o.single.toFixed(2)} | ${s ? s.single_us.toFixed(1) : '-'} | ${s ? r(s.single_us, o.single) : '-'} | ${o.nIter}/${s ? s.n_iter : '-'} |`,
  );
});
console.log(
  '\nfit and predict ratios are ours / scikit-learn (below 1 is faster); the 1-row ratio is scikit-learn / ours (how many times faster). predict CPU = best process CPU time (Node process.cpuUsage, Python time.process_time), steadier than wall time on a loaded machine.',
);
