// Fit and batch predict of SVC on generated data (default 5000 × 20), ours from dist/ (build first:
// `npm run build`) against scikit-learn's SVC (libsvm) in /usr/bin/python3 in the same run, both
// single-threaded. Prints a Markdown table with the support-vector counts and training accuracy of both,
// so a speed figure never hides a different model.
// Usage: node bench/estimators/svm.mjs [rows] [features]
import { Frame } from '../../dist/data/frame.js';
import { SVC } from '../../dist/index.js';
import { mulberry32 } from '../../dist/estimators/tree/prng.js';
import { bestOf } from '../best-of.mjs';
import { runSklearn } from './sklearn.mjs';

const nRows = Number(process.argv[2] ?? 5000);
const nFeatures = Number(process.argv[3] ?? 20);

const CASES = [
  { name: 'SVC rbf (3 classes)', params: {}, target: 'y3' },
  { name: 'SVC rbf (binary)', params: {}, target: 'y2' },
  { name: 'SVC linear C=0.1 (binary)', params: { kernel: 'linear', C: 0.1 }, target: 'y2' },
  { name: 'SVC poly degree 3 (3 classes)', params: { kernel: 'poly' }, target: 'y3' },
  { name: 'SVC rbf probability (3 classes)', params: { probability: true, random_state: 0 }, target: 'y3' },
];

const _SCRIPT = `
import sys, json, time, numpy as np, sklearn
from sklearn.svm import SVC
d, n, f, cases = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), json.loads(sys.argv[4])
X = np.fromfile(d + '/X.f64').reshape(n, f)
ys = {k: np.fromfile(d + '/' + k + '.f64') for k in ('y3', 'y2')}
def best(runs, fn):
    t = float('inf')
    for _ in range(runs):
        t0 = time.perf_counter(); fn(); t = min(t, (time.perf_counter() - t0) * 1000)
    return t
out = []
for c in cases:
    m = SVC(**c['params']); y = ys[c['target']]
    fit = best(2, lambda: m.fit(X, y))
    pred = best(3, lambda: m.predict(X))
    out.append({'fit': fit, 'predict': pred, 'n_sv': int(m.n_support_.sum()), 'acc': float((m.predict(X) == y).mean()), 'n_iter': int(np.sum(m.n_iter_))})
print(json.dumps({'version': sklearn.__version__, 'results': out}))
`;

const { columns, y3, y2 } = _generate(nRows, nFeatures, 7);
const X = new Frame(Object.fromEntries(columns.map((col, f) => [`x${f}`, col])));
const targets = { y3, y2 };
const ours = [];
for (const c of CASES) {
  const model = new SVC(c.params);
  const y = targets[c.target];
  const fit = await bestOf(2, () => model.fit(X, y));
  const predict = await bestOf(3, () => model.predict(X));
  const predicted = model.predict(X);
  let hits = 0;
  for (let i = 0; i < y.length; i++) if (predicted[i] === y[i]) hits++;
  ours.push({ fit, predict, nSV: model.support.length, acc: hits / y.length, nIter: model.nIter.reduce((a, b) => a + b, 0) });
}

const cases = JSON.stringify(CASES.map((c) => ({ params: c.params, target: c.target })));
const sk = runSklearn(_SCRIPT, { columns, nRows, arrays: targets, args: [nRows, nFeatures, cases], optional: true });

console.log(`rows=${nRows} features=${nFeatures} node=${process.version} scikit-learn=${sk?.version ?? '-'}\n`);
console.log(
  '| model | fit ours ms | fit sklearn ms | fit ratio | predict ours ms | predict sklearn ms | predict ratio | SVs ours/sklearn | train acc ours/sklearn | iters ours/sklearn |',
);
console.log('|---|---|---|---|---|---|---|---|---|---|');
CASES.forEach((c, k) => {
  const o = ours[k];
  const s = sk?.results[k];
  const r = (a, b) => (s ? `${(a / b).toFixed(2)}×` : '-');
  console.log(
    `| ${c.name} | ${o.fit.toFixed(0)} | ${s ? s.fit.toFixed(0) : '-'} | ${r(o.fit, s?.fit)} | ${o.predict.toFixed(0)} | ${s ? s.predict.toFixed(0) : '-'} | ${r(o.predict, s?.predict)} | ${o.nSV}/${s?.n_sv ?? '-'} | ${o.acc.toFixed(4)}/${s ? s.acc.toFixed(4) : '-'} | ${o.nIter}/${s?.n_iter ?? '-'} |`,
  );
});
console.log('\nratios are ours / scikit-learn (below 1 is faster); fit is the best of 2 runs, predict (all rows) the best of 3.');

/** Standard-normal-ish features; a nonlinear score (a linear part plus a product term) drives 3 and 2 classes. */
function _generate(n, d, seed) {
  const rand = mulberry32(seed);
  const cols = Array.from({ length: d }, () => new Float64Array(n));
  const weights = Float64Array.from({ length: d }, (_, j) => ((j % 5) - 2) / 4);
  const y3 = new Float64Array(n);
  const y2 = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let f = 0; f < d; f++) {
      const v = (rand() + rand() + rand() - 1.5) * 2;
      cols[f][i] = v;
      s += weights[f] * v;
    }
    s += cols[0][i] * cols[1][i] + 0.5 * (rand() - 0.5);
    y3[i] = s < -0.7 ? 0 : s < 0.7 ? 1 : 2;
    y2[i] = s > 0 ? 1 : 0;
  }
  return { columns: cols, y3, y2 };
}
