// Latency of OnnxModel against the same tree as a native estimator, and ExternalModel's per-call
// overhead, in one run (build first: `npm run build`). A DecisionTreeClassifier / RandomForestClassifier
// is fitted here, written with toOnnx (as `pld export --onnx` does) and loaded into OnnxModel; both
// predict the same rows. ExternalModel runs the flaky test model (node, predicts a·2; values kept below its 666/777/888 triggers) and
// the Python example (numpy), so its cost is the protocol round trip plus the model.
// Usage: node bench/onnx-external/run.mjs [seconds per case]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Frame } from '../../dist/data/frame.js';
import { DecisionTreeClassifier, DecisionTreeRegressor, ExternalModel, OnnxModel, RandomForestClassifier, toOnnx } from '../../dist/index.js';
import { mulberry32 } from '../../dist/estimators/tree/prng.js';

const SECONDS = Number(process.argv[2] ?? 1.5);
const FEATURES = 8;
const rand = mulberry32(42);

function frame(rows) {
  const columns = {};
  for (let f = 0; f < FEATURES; f++) columns[`x${f}`] = Float64Array.from({ length: rows }, () => rand() * 10);
  return new Frame(columns);
}

function labels(X) {
  return Array.from({ length: X.nRows }, (_, i) => (X.numeric('x0')[i] + X.numeric('x1')[i] * rand() > 8 ? 'yes' : X.numeric('x2')[i] > 5 ? 'maybe' : 'no'));
}

/** Mean ms per call over ≥ SECONDS of calls (after 20 warm-up calls); async calls awaited one at a time. */
async function time(fn) {
  for (let i = 0; i < 20; i++) await fn();
  let calls = 0;
  const start = process.hrtime.bigint();
  const budget = BigInt(Math.round(SECONDS * 1e9));
  while (process.hrtime.bigint() - start < budget) {
    await fn();
    calls++;
  }
  return Number(process.hrtime.bigint() - start) / 1e6 / calls;
}

const dir = mkdtempSync(join(tmpdir(), 'pld-bench-onnx-'));
const train = frame(20_000);
const y = labels(train);
const one = frame(1);
const batch = frame(1000);
const rows = [];

for (const [name, model] of [
  ['DecisionTreeClassifier (max_depth 12)', new DecisionTreeClassifier({ max_depth: 12, random_state: 0 })],
  ['RandomForestClassifier (50 trees, max_depth 10)', new RandomForestClassifier({ n_estimators: 50, max_depth: 10, random_state: 0 })],
]) {
  await model.fit(train, y);
  const file = join(dir, `${name.split(' ')[0]}.onnx`);
  writeFileSync(file, toOnnx(name.split(' ')[0], model.getState(undefined)));
  const onnx = await new OnnxModel({ path: file }).fit(train);
  const native1 = await time(() => model.predict(one));
  const onnx1 = await time(() => onnx.predict(one));
  const nativeB = await time(() => model.predict(batch));
  const onnxB = await time(() => onnx.predict(batch));
  rows.push([name, native1, onnx1, nativeB, onnxB]);
}

console.log(`| model | native 1-row ms | OnnxModel 1-row ms | ratio | native 1k-row ms | OnnxModel 1k-row ms | ratio |`);
console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: |');
for (const [name, n1, o1, nB, oB] of rows) {
  console.log(`| ${name} | ${n1.toFixed(4)} | ${o1.toFixed(4)} | ${(o1 / n1).toFixed(1)}× | ${nB.toFixed(3)} | ${oB.toFixed(3)} | ${(oB / nB).toFixed(2)}× |`);
}

// ExternalModel: per-call overhead = round trip through the child process, against an in-process
// regression tree predicting the same Frame (a near-zero reference).
const FLAKY = fileURLToPath(new URL('../../test/fixtures/external/flaky-model.mjs', import.meta.url));
const MODEL_PY = fileURLToPath(new URL('../../examples/python-model/model.py', import.meta.url));
const small = new Frame({ a: Float64Array.of(1, 2, 3) });
const reference = await new DecisionTreeRegressor().fit(small, Float64Array.of(2, 4, 6));
const external = [['node echo model (test/fixtures/external/flaky-model.mjs)', [process.execPath, FLAKY], small, Float64Array.of(2, 4, 6), 'regressor']];
if (spawnSync('python3', ['-c', 'import numpy']).status === 0) external.push(['python-model example (numpy)', ['python3', MODEL_PY], train, y, 'classifier']);
console.log('\n| external model | 1-row ms | 1k-row ms | in-process tree 1-row ms |');
console.log('| --- | ---: | ---: | ---: |');
const ref1 = await time(() => reference.predict(new Frame({ a: Float64Array.of(1) })));
for (const [name, command, X, target, type] of external) {
  const model = await new ExternalModel({ command, type }).fit(X, target);
  const oneRow = X === small ? new Frame({ a: Float64Array.of(1) }) : one;
  const batchRows = X === small ? new Frame({ a: Float64Array.from({ length: 1000 }, (_, i) => i / 4) }) : batch;
  const t1 = await time(() => model.predict(oneRow));
  const tB = await time(() => model.predict(batchRows));
  console.log(`| ${name} | ${t1.toFixed(3)} | ${tB.toFixed(3)} | ${ref1.toFixed(4)} |`);
  model.close();
}
