// wrk benchmark of the Open Inference Protocol `POST /v2/models/iris/infer` against Palladium's
// `POST /predict` on the same server (iris example), for 1 row and 100 rows per request. The OIP request is
// sent in both layouts: one 2-D input [N, 4] and one input per feature column (MLServer's `pd` layout).
// The server is pinned to core 0 and wrk to core 1. Build first.
// Usage: node bench/serve/oip.mjs [--duration 5s] [--connections 50] [--runs 2]
import { execFileSync, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { BIN, freePort, irisWorkdir, parseWrk, requireWrk, servingOf } from './harness.mjs';

const FIELDS = ['sepal length', 'sepal width', 'petal length', 'petal width'];
const ROW = [5.2, 3.5, 1.5, 0.2];

const { values: opts } = parseArgs({
  options: { duration: { type: 'string', default: '5s' }, connections: { type: 'string', default: '50' }, runs: { type: 'string', default: '2' } },
});
const RUNS = Number(opts.runs);

requireWrk();

const { dir, env, children } = irisWorkdir('pld-oip-bench-', { fit: false });
let child;
execFileSync(process.execPath, [BIN, 'fit'], { cwd: dir, env, stdio: 'ignore' });
const port = await freePort();
await start(['node', BIN, 'serve', '--host', '127.0.0.1', '--port', String(port)], { cwd: dir, env });
const base = `http://127.0.0.1:${port}`;

const scenarios = [];
for (const rows of [1, 100]) {
  scenarios.push({
    name: `/predict ${rows} row${rows > 1 ? 's' : ''}`,
    rows,
    path: '/predict',
    body: Array.from({ length: rows }, () => Object.fromEntries(FIELDS.map((f, j) => [f, ROW[j]]))),
  });
  scenarios.push({
    name: `OIP [N,4] ${rows} row${rows > 1 ? 's' : ''}`,
    rows,
    path: '/v2/models/iris/infer',
    body: { inputs: [{ name: 'input-0', shape: [rows, 4], datatype: 'FP64', data: Array.from({ length: rows }, () => ROW).flat() }] },
  });
  scenarios.push({
    name: `OIP columns ${rows} row${rows > 1 ? 's' : ''}`,
    rows,
    path: '/v2/models/iris/infer',
    body: { inputs: FIELDS.map((name, j) => ({ name, shape: [rows], datatype: 'FP64', data: Array.from({ length: rows }, () => ROW[j]) })) },
  });
}

// A benchmark of a server answering errors would be meaningless: check every answer first.
for (const s of scenarios) {
  const answer = await (await fetch(`${base}${s.path}`, { method: 'POST', body: JSON.stringify(s.body), headers: { 'content-type': 'application/json' } })).json();
  const labels = s.path === '/predict' ? answer.result : answer.outputs?.[0]?.data;
  if (labels?.length !== s.rows || labels.some((l) => l !== 'Iris-setosa')) throw new Error(`${s.name} answered ${JSON.stringify(answer).slice(0, 200)}`);
  s.script = join(dir, `${scenarios.indexOf(s)}.lua`);
  writeFileSync(s.script, `wrk.method = "POST"\nwrk.body = ${JSON.stringify(JSON.stringify(s.body))}\nwrk.headers["Content-Type"] = "application/json"\n`);
  wrk(s, '2s');
}

// Alternating the scenarios run by run spreads the shared machine's noise; the best run of each is kept.
for (let run = 0; run < RUNS; run++) for (const s of scenarios) (s.runs ??= []).push(wrk(s));
console.log(`\nPOST, wrk -t1 -c${opts.connections} -d${opts.duration} --latency, best of ${RUNS}; server on core 0, wrk on core 1`);
const header = ['request', 'req/s', 'rows/s', 'p50', 'p99', 'vs /predict'];
const lines = [header];
for (const s of scenarios) {
  s.best = s.runs.reduce((a, b) => (b.rps > a.rps ? b : a));
  const reference = scenarios.find((r) => r.path === '/predict' && r.rows === s.rows).best;
  lines.push([s.name, s.best.rps.toFixed(0), (s.best.rps * s.rows).toFixed(0), s.best.p50, s.best.p99, (s.best.rps / reference.rps).toFixed(2)]);
}
console.log(lines.map((cells) => cells.map((c, i) => (i === 0 ? c.padEnd(20) : c.padStart(13))).join('')).join('\n'));
console.log(`\nall runs req/s: ${scenarios.map((s) => `${s.name}: ${s.runs.map((r) => r.rps.toFixed(0)).join(', ')}`).join('; ')}`);
process.exit(0);

function wrk(scenario, duration = opts.duration) {
  const args = ['-c', '1', 'wrk', '-t1', `-c${opts.connections}`, `-d${duration}`, '--latency', '-s', scenario.script, `${base}${scenario.path}`];
  const out = execFileSync('taskset', args, { encoding: 'utf8' });
  const { rps, p50, p99, errors } = parseWrk(out);
  // Errors answer faster than predictions, so a run with any would flatter the route.
  if (errors > 0 || Number.isNaN(rps)) throw new Error(`wrk run of ${scenario.name} is not clean:\n${out}`);
  return { rps, p50, p99 };
}

function start(command, options) {
  child = spawn('taskset', ['-c', '0', ...command], { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  return servingOf(child);
}
