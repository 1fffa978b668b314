// Batch predict of the linear models against scikit-learn, interleaved: a persistent /usr/bin/python3 holds the
// same fitted models, and each round runs RUNS predicts of one case on our side, then RUNS on scikit-learn's
// (order swapped every round), so both sides see the same load. On a shared machine this says more than
// linear.mjs, which measures all of ours, then all of scikit-learn's, seconds apart.
// Usage: npm run build && node bench/estimators/linear-predict.mjs [rows] [features]
// Env: ROUNDS (default 20), RUNS per side per round (5), ONLY=Logistic,Ridge (cases whose name has a word),
// PLD_BENCH_DIST=/abs/path/to/dist (another build). Prints min, 10th percentile and median, wall and CPU.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { linearData } from './data.mjs';

const DIST = process.env.PLD_BENCH_DIST ?? '../../dist';
const { Frame } = await import(`${DIST}/data/frame.js`);
const { Lasso, LinearRegression, LogisticRegression, Ridge } = await import(`${DIST}/index.js`);
const { mulberry32 } = await import(`${DIST}/estimators/tree/prng.js`);

const nRows = Number(process.argv[2] ?? 100_000);
const nFeatures = Number(process.argv[3] ?? 20);
const ROUNDS = Number(process.env.ROUNDS ?? 20);
const RUNS = Number(process.env.RUNS ?? 5);

const ALL_CASES = [
  { name: 'LogisticRegression (3 classes) predict', make: () => new LogisticRegression(), target: 'y3', py: 'LogisticRegression()', method: 'predict' },
  { name: 'LogisticRegression (binary) predict', make: () => new LogisticRegression(), target: 'y2', py: 'LogisticRegression()', method: 'predict' },
  { name: 'LogisticRegression (3 classes) predict_proba', make: () => new LogisticRegression(), target: 'y3', py: 'LogisticRegression()', method: 'predictProba' },
  { name: 'LogisticRegression (binary) predict_proba', make: () => new LogisticRegression(), target: 'y2', py: 'LogisticRegression()', method: 'predictProba' },
  { name: 'LinearRegression predict', make: () => new LinearRegression(), target: 'yr', py: 'LinearRegression()', method: 'predict' },
  { name: 'Ridge predict', make: () => new Ridge(), target: 'yr', py: 'Ridge()', method: 'predict' },
  { name: 'Lasso (alpha 0.01) predict', make: () => new Lasso({ alpha: 0.01 }), target: 'yr', py: 'Lasso(alpha=0.01)', method: 'predict' },
];
const ONLY = process.env.ONLY?.split(',').filter(Boolean);
const CASES = ONLY ? ALL_CASES.filter((c) => ONLY.some((word) => c.name.includes(word))) : ALL_CASES;

// Reads X and the targets, fits every case, then answers "k runs" lines with the times of `runs` calls.
const SCRIPT = String.raw`
import sys, json, time, numpy as np
from sklearn.linear_model import LogisticRegression, LinearRegression, Ridge, Lasso
d, n, f, cases = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), json.loads(sys.argv[4])
X = np.fromfile(d + '/X.f64').reshape(n, f)
ys = {k: np.fromfile(d + '/' + k + '.f64') for k in ('y3', 'y2', 'yr')}
calls = []
for c in cases:
    m = eval(c['py']).fit(X, ys[c['target']])
    calls.append(m.predict_proba if c['method'] == 'predictProba' else m.predict)
print('ready', flush=True)
for line in sys.stdin:
    k, runs = map(int, line.split())
    wall, cpu = [], []
    for _ in range(runs):
        t0, c0 = time.perf_counter(), time.process_time()
        calls[k](X)
        wall.append((time.perf_counter() - t0) * 1000); cpu.append((time.process_time() - c0) * 1000)
    print(json.dumps({'wall': wall, 'cpu': cpu}), flush=True)
`;

const { columns, ...targets } = linearData(nRows, nFeatures, 42, mulberry32);
const X = new Frame(Object.fromEntries(columns.map((col, f) => [`x${f}`, col])));
const models = [];
for (const c of CASES) models.push(await c.make().fit(X, targets[c.target]));

const dir = mkdtempSync(join(tmpdir(), 'pld-linear-predict-'));
const flat = new Float64Array(nRows * nFeatures);
for (let f = 0; f < nFeatures; f++) for (let i = 0; i < nRows; i++) flat[i * nFeatures + f] = columns[f][i];
writeFileSync(join(dir, 'X.f64'), flat);
for (const [name, values] of Object.entries(targets)) writeFileSync(join(dir, `${name}.f64`), values);
const caseSpec = JSON.stringify(CASES.map((c) => ({ py: c.py, target: c.target, method: c.method })));
const env = { ...process.env, OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1', MKL_NUM_THREADS: '1' };
const py = spawn('/usr/bin/python3', ['-c', SCRIPT, dir, String(nRows), String(nFeatures), caseSpec], { env, stdio: ['pipe', 'pipe', 'inherit'] });
const lines = createInterface({ input: py.stdout })[Symbol.asyncIterator]();
const nextLine = async () => (await lines.next()).value;
if ((await nextLine()) !== 'ready') throw new Error('scikit-learn side did not start');
rmSync(dir, { recursive: true, force: true });

const stats = CASES.map(() => ({ ours: { wall: [], cpu: [] }, sk: { wall: [], cpu: [] } }));
const runOurs = (k) => {
  const s = stats[k].ours;
  for (let r = 0; r < RUNS; r++) {
    const c0 = process.cpuUsage();
    const t0 = process.hrtime.bigint();
    models[k][CASES[k].method](X);
    s.wall.push(Number(process.hrtime.bigint() - t0) / 1e6);
    const used = process.cpuUsage(c0);
    s.cpu.push((used.user + used.system) / 1000);
  }
};
const runSk = async (k) => {
  py.stdin.write(`${k} ${RUNS}\n`);
  const { wall, cpu } = JSON.parse(await nextLine());
  stats[k].sk.wall.push(...wall);
  stats[k].sk.cpu.push(...cpu);
};
for (let round = 0; round < ROUNDS; round++) {
  for (let k = 0; k < CASES.length; k++) {
    if (round % 2 === 0) {
      runOurs(k);
      await runSk(k);
    } else {
      await runSk(k);
      runOurs(k);
    }
  }
}
py.stdin.end();

const q = (values, p) => [...values].sort((a, b) => a - b)[Math.floor(p * (values.length - 1))];
const fmt = (v) => v.toFixed(2);
console.log(`rows=${nRows} features=${nFeatures} rounds=${ROUNDS} runs=${RUNS} node=${process.version}\n`);
console.log('| case | ours wall min / p10 / median ms | sklearn wall min / p10 / median ms | ratio min | ratio p10 | ratio median | CPU p10 ours / sklearn ms | CPU ratio p10 |');
console.log('|---|---|---|---|---|---|---|---|');
CASES.forEach((c, k) => {
  const { ours, sk } = stats[k];
  const [o, s] = [ours.wall, sk.wall].map((w) => [q(w, 0), q(w, 0.1), q(w, 0.5)]);
  const [oc, sc] = [q(ours.cpu, 0.1), q(sk.cpu, 0.1)];
  console.log(
    `| ${c.name} | ${o.map(fmt).join(' / ')} | ${s.map(fmt).join(' / ')} | ${(o[0] / s[0]).toFixed(2)}× | ${(o[1] / s[1]).toFixed(2)}× | ${(o[2] / s[2]).toFixed(2)}× | ${fmt(oc)} / ${fmt(sc)} | ${(oc / sc).toFixed(2)}× |`,
  );
});
console.log('\nratios are ours / scikit-learn (below 1 is faster); CPU = process.cpuUsage / time.process_time per call.');
