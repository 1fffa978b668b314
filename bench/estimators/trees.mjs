// Fit / batch predict / single-row predict of the tree estimators against scikit-learn 1.2.1
// (single-threaded: OMP_NUM_THREADS=1, n_jobs=None) on the same generated data, written to a temp
// directory for Python. Build first: `npm run build && node bench/estimators/trees.mjs [rows] [features] [forest trees] [--only=tree,treerandom,forest,jobs,extra,hgb,hgbjobs,treereg,forestreg,extrareg,hgbreg]`
// (--only runs a subset on both sides, e.g. `--only=tree,forest,extra` for the predict paths without the slow HGB fit).
// The regressors (keys ending in `reg`) fit treeData's make_regression-style target `yr`; their score is R².
import { loadavg } from 'node:os';
import { bestCpuOf, bestOf, bestWallAndCpuOf } from '../best-of.mjs';
import { runSklearn } from './sklearn.mjs';
import { treeData } from './data.mjs';

// PLD_BENCH_DIST=/abs/path/to/another/dist measures another build (e.g. the previous commit's) the same way.
const DIST = process.env.PLD_BENCH_DIST ?? '../../dist';
const { Frame } = await import(`${DIST}/data/frame.js`);
const { mulberry32 } = await import(`${DIST}/estimators/tree/prng.js`);
const {
  DecisionTreeClassifier,
  DecisionTreeRegressor,
  ExtraTreesClassifier,
  ExtraTreesRegressor,
  HistGradientBoostingClassifier,
  HistGradientBoostingRegressor,
  RandomForestClassifier,
  RandomForestRegressor,
} = await import(`${DIST}/index.js`);

const only = process.argv
  .find((a) => a.startsWith('--only='))
  ?.slice('--only='.length)
  .split(',');
const positional = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const nRows = Number(positional[0] ?? 100_000);
const nFeatures = Number(positional[1] ?? 20);
const nTrees = Number(positional[2] ?? 20);

const { columns, y, yr } = treeData(nRows, nFeatures, mulberry32);
const X = new Frame(Object.fromEntries(columns.map((c, f) => [`x${f}`, c])));
const one = X.slice(0, 1);

const ALL_MODELS = [
  ['tree', 'DecisionTreeClassifier', () => new DecisionTreeClassifier({ random_state: 0 })],
  ['treerandom', "DecisionTreeClassifier(splitter='random')", () => new DecisionTreeClassifier({ splitter: 'random', random_state: 0 })],
  ['forest', `RandomForestClassifier(n_estimators=${nTrees})`, () => new RandomForestClassifier({ n_estimators: nTrees, random_state: 0 })],
  ['jobs', `RandomForestClassifier(n_estimators=${nTrees}, n_jobs=2)`, () => new RandomForestClassifier({ n_estimators: nTrees, random_state: 0, n_jobs: 2 })],
  ['extra', `ExtraTreesClassifier(n_estimators=${nTrees})`, () => new ExtraTreesClassifier({ n_estimators: nTrees, random_state: 0 })],
  ['hgb', 'HistGradientBoostingClassifier(early_stopping=False)', () => new HistGradientBoostingClassifier({ early_stopping: false, random_state: 0 })],
  ['hgbjobs', 'HistGradientBoostingClassifier(early_stopping=False, n_jobs=2)', () => new HistGradientBoostingClassifier({ early_stopping: false, random_state: 0, n_jobs: 2 })],
  ['treereg', 'DecisionTreeRegressor', () => new DecisionTreeRegressor({ random_state: 0 })],
  ['forestreg', `RandomForestRegressor(n_estimators=${nTrees})`, () => new RandomForestRegressor({ n_estimators: nTrees, random_state: 0 })],
  ['extrareg', `ExtraTreesRegressor(n_estimators=${nTrees})`, () => new ExtraTreesRegressor({ n_estimators: nTrees, random_state: 0 })],
  ['hgbreg', 'HistGradientBoostingRegressor(early_stopping=False)', () => new HistGradientBoostingRegressor({ early_stopping: false, random_state: 0 })],
];
const MODELS = ALL_MODELS.filter(([key]) => only === undefined || only.includes(key)).map(([, name, make]) => [name, make]);
const isRegressor = (name) => name.includes('Regressor');
const loadBefore = loadavg()[0];
const ours = {};
for (const [name, make] of MODELS) {
  const model = make();
  const target = isRegressor(name) ? yr : y;
  const { wall: fit, cpu: fitCpu } = await bestWallAndCpuOf(/Forest|Trees/.test(name) ? 1 : 2, () => model.fit(X, target));
  const predict = await bestOf(5, () => model.predict(X));
  const predictCpu = await bestCpuOf(5, () => model.predict(X));
  const single = _perCall(() => model.predict(one));
  ours[name] = { fit, fitCpu, predict, predictCpu, single, acc: model.score(X, target) };
}

const SCRIPT = String.raw`
import sys, json, time, numpy as np, sklearn
from sklearn.tree import DecisionTreeClassifier, DecisionTreeRegressor
from sklearn.ensemble import RandomForestClassifier, ExtraTreesClassifier, HistGradientBoostingClassifier
from sklearn.ensemble import RandomForestRegressor, ExtraTreesRegressor, HistGradientBoostingRegressor
d, n, f, t, wanted = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), set(json.loads(sys.argv[5]))
X = np.fromfile(d + '/X.f64').reshape(n, f); y = np.fromfile(d + '/y.f64'); yr = np.fromfile(d + '/yr.f64')
def best(runs, fn, clock=time.perf_counter):
    b = float('inf')
    for _ in range(runs):
        t0 = clock(); fn(); b = min(b, (clock() - t0) * 1000)
    return b
def per_call(fn):
    for _ in range(20): fn()
    k = 0; t0 = time.perf_counter()
    while time.perf_counter() - t0 < 1: fn(); k += 1
    return (time.perf_counter() - t0) * 1000 / k
out = {'version': sklearn.__version__}
one = X[:1]
for name, m, runs in [('DecisionTreeClassifier', DecisionTreeClassifier(random_state=0), 2),
                      ("DecisionTreeClassifier(splitter='random')", DecisionTreeClassifier(splitter='random', random_state=0), 2),
                      ('RandomForestClassifier(n_estimators=%d)' % t, RandomForestClassifier(n_estimators=t, random_state=0), 1),
                      ('ExtraTreesClassifier(n_estimators=%d)' % t, ExtraTreesClassifier(n_estimators=t, random_state=0), 1),
                      ('HistGradientBoostingClassifier(early_stopping=False)', HistGradientBoostingClassifier(early_stopping=False, random_state=0), 2),
                      ('DecisionTreeRegressor', DecisionTreeRegressor(random_state=0), 2),
                      ('RandomForestRegressor(n_estimators=%d)' % t, RandomForestRegressor(n_estimators=t, random_state=0), 1),
                      ('ExtraTreesRegressor(n_estimators=%d)' % t, ExtraTreesRegressor(n_estimators=t, random_state=0), 1),
                      ('HistGradientBoostingRegressor(early_stopping=False)', HistGradientBoostingRegressor(early_stopping=False, random_state=0), 2)]:
    if name not in wanted: continue
    target = yr if 'Regressor' in name else y
    fit = best(runs, lambda: m.fit(X, target)); fit_cpu = best(1, lambda: m.fit(X, target), time.process_time); pred = best(5, lambda: m.predict(X))
    pred_cpu = best(5, lambda: m.predict(X), time.process_time)
    out[name] = {'fit': fit, 'fitCpu': fit_cpu, 'predict': pred, 'predictCpu': pred_cpu, 'single': per_call(lambda: m.predict(one)), 'acc': m.score(X, target)}
print(json.dumps(out))
`;
const sk = runSklearn(SCRIPT, {
  columns,
  nRows,
  arrays: { y, yr },
  args: [nRows, nFeatures, nTrees, JSON.stringify(MODELS.map(([name]) => name.replace(', n_jobs=2', '')))],
});

console.log(`load average (1 min): ${loadBefore.toFixed(2)} before, ${loadavg()[0].toFixed(2)} after`);
console.log(`${nRows} rows × ${nFeatures} features, 3 classes; scikit-learn ${sk.version} single-threaded; times in ms (best of runs)`);
console.log(
  '| model | fit ours | fit sklearn | ratio | fit CPU ours | fit CPU sklearn | ratio | predict ours | predict sklearn | ratio | predict CPU ours | predict CPU sklearn | ratio | 1-row ours | 1-row sklearn | ratio | train acc ours / sklearn |',
);
console.log('|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|');
for (const [name] of MODELS) {
  const o = ours[name];
  const s = sk[name.replace(', n_jobs=2', '')];
  const r = (a, b) => `${(b / a).toFixed(2)}×`;
  console.log(
    `| ${name} | ${o.fit.toFixed(0)} | ${s.fit.toFixed(0)} | ${r(o.fit, s.fit)} | ${o.fitCpu.toFixed(0)} | ${s.fitCpu.toFixed(0)} | ${r(o.fitCpu, s.fitCpu)} | ${o.predict.toFixed(1)} | ${s.predict.toFixed(1)} | ${r(o.predict, s.predict)} | ${o.predictCpu.toFixed(1)} | ${s.predictCpu.toFixed(1)} | ${r(o.predictCpu, s.predictCpu)} | ${o.single.toFixed(4)} | ${s.single.toFixed(4)} | ${r(o.single, s.single)} | ${o.acc.toFixed(4)} / ${s.acc.toFixed(4)} |`,
  );
}
console.log(
  'ratio = scikit-learn time / our time (> 1: we are faster); fit/predict CPU = best process CPU time (Node process.cpuUsage, Python time.process_time), steadier than wall time on a loaded machine (for n_jobs=2 it adds both threads: read its wall time)',
);
if (MODELS.some(([name]) => isRegressor(name))) console.log('regressors: make_regression-style target (treeData yr); their train score is R², not accuracy');

function _perCall(fn) {
  for (let k = 0; k < 200; k++) fn();
  let k = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < 1000) {
    fn();
    k++;
  }
  return (performance.now() - t0) / k;
}
