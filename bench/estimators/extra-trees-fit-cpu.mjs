// Fit CPU time of ExtraTreesClassifier, ExtraTreesRegressor and DecisionTreeClassifier(splitter='random') against scikit-learn
// 1.2.1 single-threaded, on trees.mjs's data, alternating ours and theirs for several rounds: on a shared
// machine wall times of a single fit swing 2×, process CPU time much less. Also prints a hash of the
// forest's trees, so two builds (PLD_BENCH_DIST) can be checked for bit-identical forests. Build first:
// `npm run build && node bench/estimators/extra-trees-fit-cpu.mjs [rows] [features] [trees] [rounds]`.
import { loadavg } from 'node:os';
import { runSklearn } from './sklearn.mjs';
import { treeData, treesHash } from './data.mjs';

const DIST = process.env.PLD_BENCH_DIST ?? '../../dist';
const { Frame } = await import(`${DIST}/data/frame.js`);
const { mulberry32 } = await import(`${DIST}/estimators/tree/prng.js`);
const { DecisionTreeClassifier, ExtraTreesClassifier, ExtraTreesRegressor } = await import(`${DIST}/index.js`);

const [nRows, nFeatures, nTrees, rounds] = [100_000, 20, 20, 3].map((fallback, k) => Number(process.argv[2 + k] ?? fallback));
const { columns, y, yr } = treeData(nRows, nFeatures, mulberry32);
const X = new Frame(Object.fromEntries(columns.map((c, f) => [`x${f}`, c])));

const SCRIPT = String.raw`
import sys, json, time, numpy as np
from sklearn.tree import DecisionTreeClassifier
from sklearn.ensemble import ExtraTreesClassifier, ExtraTreesRegressor
d, n, f, t = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
X = np.fromfile(d + '/X.f64').reshape(n, f); y = np.fromfile(d + '/y.f64'); yr = np.fromfile(d + '/yr.f64')
out = {}
for name, m, target in [('extra', ExtraTreesClassifier(n_estimators=t, random_state=0), y), ('extrareg', ExtraTreesRegressor(n_estimators=t, random_state=0), yr), ('tree', DecisionTreeClassifier(splitter='random', random_state=0), y)]:
    c0 = time.process_time(); m.fit(X, target); out[name] = (time.process_time() - c0) * 1000
    out[name + 'Acc'] = m.score(X, target)
print(json.dumps(out))
`;

const MODELS = [
  ['extra', `ExtraTreesClassifier(n_estimators=${nTrees})`, () => new ExtraTreesClassifier({ n_estimators: nTrees, random_state: 0 }), y],
  ['extrareg', `ExtraTreesRegressor(n_estimators=${nTrees})`, () => new ExtraTreesRegressor({ n_estimators: nTrees, random_state: 0 }), yr],
  ['tree', "DecisionTreeClassifier(splitter='random')", () => new DecisionTreeClassifier({ splitter: 'random', random_state: 0 }), y],
];
const times = { ours: { extra: [], extrareg: [], tree: [] }, sklearn: { extra: [], extrareg: [], tree: [] } };
const acc = {};
let forestHash = '';
const loadBefore = loadavg()[0];
for (let round = 0; round < rounds; round++) {
  for (const [key, , make, target] of MODELS) {
    const model = make();
    const t0 = process.cpuUsage();
    await model.fit(X, target);
    const used = process.cpuUsage(t0);
    times.ours[key].push((used.user + used.system) / 1000);
    acc[key] = model.score(X, target);
    if (key === 'extra') forestHash = treesHash(model.estimators);
  }
  const sk = runSklearn(SCRIPT, { columns, nRows, arrays: { y, yr }, args: [nRows, nFeatures, nTrees] });
  for (const [key] of MODELS) {
    times.sklearn[key].push(sk[key]);
    acc[`${key}Sk`] = sk[`${key}Acc`];
  }
}
const median = (a) => [...a].sort((p, q) => p - q)[a.length >> 1];
const best = (a) => Math.min(...a);
console.log(`load average (1 min): ${loadBefore.toFixed(2)} before, ${loadavg()[0].toFixed(2)} after; ${rounds} alternating rounds`);
console.log(`${nRows} rows × ${nFeatures} features, 3 classes; fit CPU time in ms (process CPU: Node process.cpuUsage, Python time.process_time)`);
console.log('| model | fit CPU ours (median / best) | fit CPU sklearn (median / best) | ratio (median / best) | train score (accuracy / R²) ours / sklearn |');
console.log('|---|---|---|---|---|');
for (const [key, name] of MODELS) {
  const o = times.ours[key];
  const s = times.sklearn[key];
  console.log(
    `| ${name} | ${median(o).toFixed(0)} / ${best(o).toFixed(0)} | ${median(s).toFixed(0)} / ${best(s).toFixed(0)} | ${(median(s) / median(o)).toFixed(2)}× / ${(best(s) / best(o)).toFixed(2)}× | ${acc[key].toFixed(4)} / ${acc[`${key}Sk`].toFixed(4)} |`,
  );
}
console.log('ratio = scikit-learn CPU time / ours (≥ 1: we are at least as fast)');
console.log(`ExtraTreesClassifier trees hash ${forestHash} (equal across builds = bit-identical forests)`);
