// Fits and predicts a DecisionTreeClassifier on a generated 100k × 10 data set with our compiled code
// (dist/, build first with `npx tsc -p tsconfig.build.json`), and the same with scikit-learn when
// /usr/bin/python3 has it, printing times, the ratio and how often the two trees' predictions agree.
// Usage: node bench/tree/run.mjs [rows] [features]
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Frame } from '../../dist/data/frame.js';
import { DecisionTreeClassifier } from '../../dist/estimators/tree/decision-tree-classifier.js';
import { mulberry32 } from '../../dist/estimators/tree/prng.js';
import { bestOf } from '../best-of.mjs';

const nRows = Number(process.argv[2] ?? 100_000);
const nFeatures = Number(process.argv[3] ?? 10);
const PYTHON = '/usr/bin/python3';
const _SKLEARN_SCRIPT = String.raw`
import sys, json, time, numpy as np, sklearn
from sklearn.tree import DecisionTreeClassifier
d, n, f = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
X = np.fromfile(d + '/X.f64').reshape(n, f); y = np.fromfile(d + '/y.f64')
def best(runs, fn):
    t = float('inf')
    for _ in range(runs):
        t0 = time.perf_counter(); fn(); t = min(t, (time.perf_counter() - t0) * 1000)
    return t
clf = DecisionTreeClassifier(random_state=0)
fit_ms = best(3, lambda: clf.fit(X, y))
pred_ms = best(5, lambda: clf.predict(X))
print(json.dumps({'version': sklearn.__version__, 'fit_ms': fit_ms, 'predict_ms': pred_ms, 'pred': clf.predict(X).tolist(),
  'pred_test': clf.predict(np.fromfile(d + '/Xt.f64').reshape(-1, f)).tolist(),
  'nodes': int(clf.tree_.node_count), 'depth': int(clf.get_depth()), 'leaves': int(clf.get_n_leaves())}))
`;

const { columns, y } = _generate(nRows, nFeatures, 42);
const X = new Frame(Object.fromEntries(columns.map((col, f) => [`x${f}`, col])));
const labels = Float64Array.from(y);
// Held-out rows: training rows agree trivially (both trees fit them perfectly).
const nTest = Math.ceil(nRows / 5);
const held = _generate(nTest, nFeatures, 7);
const Xtest = new Frame(Object.fromEntries(held.columns.map((col, f) => [`x${f}`, col])));

const tree = new DecisionTreeClassifier({ random_state: 0 });
const fitMs = await bestOf(3, () => tree.fit(X, labels));
let ours;
const predictMs = await bestOf(5, () => {
  ours = tree.predict(X);
});
console.log(`rows=${nRows} features=${nFeatures} classes=3 nodes=${tree.tree.nodeCount} depth=${tree.depth} leaves=${tree.nLeaves}`);
const oursTest = tree.predict(Xtest);
console.log(`palladium-ts  fit ${fitMs.toFixed(1)} ms  predict ${predictMs.toFixed(1)} ms  train accuracy ${tree.score(X, labels)}`);

if (_hasSklearn()) {
  const dir = mkdtempSync(join(tmpdir(), 'pld-tree-bench-'));
  try {
    const flat = new Float64Array(nRows * nFeatures);
    for (let f = 0; f < nFeatures; f++) for (let i = 0; i < nRows; i++) flat[i * nFeatures + f] = columns[f][i];
    writeFileSync(join(dir, 'X.f64'), flat);
    writeFileSync(join(dir, 'y.f64'), labels);
    const flatTest = new Float64Array(nTest * nFeatures);
    for (let f = 0; f < nFeatures; f++) for (let i = 0; i < nTest; i++) flatTest[i * nFeatures + f] = held.columns[f][i];
    writeFileSync(join(dir, 'Xt.f64'), flatTest);
    const out = execFileSync(PYTHON, ['-c', _SKLEARN_SCRIPT, dir, String(nRows), String(nFeatures)], { encoding: 'utf8', maxBuffer: 1 << 26 });
    const result = JSON.parse(out);
    let agree = 0;
    for (let i = 0; i < nRows; i++) if (result.pred[i] === ours[i]) agree++;
    console.log(
      `scikit-learn ${result.version}  fit ${result.fit_ms.toFixed(1)} ms  predict ${result.predict_ms.toFixed(1)} ms  nodes=${result.nodes} depth=${result.depth} leaves=${result.leaves}`,
    );
    console.log(`ratio (sklearn / ours): fit ${(result.fit_ms / fitMs).toFixed(2)}×  predict ${(result.predict_ms / predictMs).toFixed(2)}×`);
    let agreeTest = 0;
    for (let i = 0; i < nTest; i++) if (result.pred_test[i] === oursTest[i]) agreeTest++;
    console.log(`prediction agreement: training rows ${((100 * agree) / nRows).toFixed(3)}%, ${nTest} held-out rows ${((100 * agreeTest) / nTest).toFixed(3)}%`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
} else {
  console.log(`scikit-learn: not available in ${PYTHON}; skipped`);
}

/** Uniform features; the class depends on a few of them non-linearly, with 5% label noise. */
function _generate(n, d, seed) {
  const rand = mulberry32(seed);
  const cols = Array.from({ length: d }, () => new Float64Array(n));
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    for (let f = 0; f < d; f++) cols[f][i] = Math.round(rand() * 1e4) / 1e3;
    const s = Math.sin(cols[0][i]) + (cols[1][i] * cols[2][i]) / 30 - (d > 3 ? cols[3][i] / 5 : 0);
    out[i] = rand() < 0.05 ? Math.floor(rand() * 3) : s < -0.5 ? 0 : s < 0.8 ? 1 : 2;
  }
  return { columns: cols, y: out };
}

function _hasSklearn() {
  try {
    execFileSync(PYTHON, ['-c', 'import sklearn'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
