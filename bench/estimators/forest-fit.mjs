// RandomForestClassifier fit, single-threaded, in process CPU time against scikit-learn 1.2.1 on the
// data of trees.mjs: on a shared machine CPU time is steadier than wall time, and alternating the
// contenders spreads the load over both. Also prints a hash of every tree, so two builds can be checked
// for bit-identical forests. Build first:
// `npm run build && node bench/estimators/forest-fit.mjs [rounds] [rows] [features] [trees]`;
// PLD_BENCH_DIST=/abs/path/to/another/dist adds that build as a third contender (e.g. the previous commit's).
import { loadavg } from 'node:os';
import { runSklearn } from './sklearn.mjs';
import { treeData, treesHash } from './data.mjs';

const [rounds, nRows, nFeatures, nTrees] = [3, 100_000, 20, 20].map((d, k) => Number(process.argv[2 + k] ?? d));
const builds = [['ours', '../../dist']];
if (process.env.PLD_BENCH_DIST) builds.push(['other build', process.env.PLD_BENCH_DIST]);
const libs = [];
for (const [name, dist] of builds) libs.push([name, await import(`${dist}/index.js`)]);
const { mulberry32 } = await import('../../dist/estimators/tree/prng.js');

// The data of trees.mjs (data.mjs).
const { columns, y } = treeData(nRows, nFeatures, mulberry32);

const SCRIPT = String.raw`
import sys, json, time, numpy as np
from sklearn.ensemble import RandomForestClassifier
d, n, f, t = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
X = np.fromfile(d + '/X.f64').reshape(n, f); y = np.fromfile(d + '/y.f64')
m = RandomForestClassifier(n_estimators=t, random_state=0)
c0 = time.process_time(); m.fit(X, y)
print(json.dumps({'cpu': (time.process_time() - c0) * 1000, 'acc': m.score(X, y)}))
`;

const cpu = Object.fromEntries([...builds.map(([name]) => [name, []]), ['sklearn', []]]);
const loads = [loadavg()[0]];
for (let r = 0; r < rounds; r++) {
  cpu.sklearn.push(runSklearn(SCRIPT, { columns, nRows, arrays: { y }, args: [nRows, nFeatures, nTrees] }).cpu);
  for (const [name, lib] of libs) {
    const X = new lib.Frame(Object.fromEntries(columns.map((c, f) => [`x${f}`, c])));
    const model = new lib.RandomForestClassifier({ n_estimators: nTrees, random_state: 0 });
    const t0 = process.cpuUsage();
    await model.fit(X, y);
    const used = process.cpuUsage(t0);
    cpu[name].push((used.user + used.system) / 1000);
    if (r === 0) console.log(`${name}: train accuracy ${model.score(X, y).toFixed(4)}, trees hash ${treesHash(model.estimators)}`);
  }
  loads.push(loadavg()[0]);
}
console.log(`load average (1 min) per round: ${loads.map((l) => l.toFixed(2)).join(' → ')}`);
console.log(`RandomForestClassifier(n_estimators=${nTrees}) fit, ${nRows} rows × ${nFeatures} features; process CPU ms, ${rounds} alternating rounds`);
console.log('| contender | median | best | all | ratio sklearn / contender (median) |');
console.log('|---|---|---|---|---|');
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
for (const [name, xs] of Object.entries(cpu)) {
  console.log(
    `| ${name} | ${median(xs).toFixed(0)} | ${Math.min(...xs).toFixed(0)} | ${xs.map((x) => x.toFixed(0)).join(', ')} | ${(median(cpu.sklearn) / median(xs)).toFixed(2)}× |`,
  );
}
