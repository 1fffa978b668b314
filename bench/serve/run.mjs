// wrk benchmark of the predict server (iris example) against a bare node:http handler doing the same
// parse-check-stringify. Servers are pinned to core 0 and wrk to core 1, so the ratio measures the
// framework's per-request overhead rather than how many cores it can grab. The matrix, in one run:
//   (a)  ours GET /predict, one row                       (c) bare node:http, the same answer
//   (a') (a) with /metrics off (`metrics: false`)         (a'') (a) behind an ApiKeyAuth hook
//   (b)  ours POST /predict, 100 rows (rows/s)            (d) ours with --workers 2, not pinned
// Build first (`npm run bench:serve` does).
// Usage: node bench/serve/run.mjs [--duration 10s] [--connections 64] [--runs 2]
import { execFileSync, spawn } from 'node:child_process';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { BIN, freePort, httpText, irisWorkdir, parseWrk, requireWrk, ROOT, servingOf } from './harness.mjs';

const QUERY = 'sepal%20length=5.2&sepal%20width=3.5&petal%20length=1.5&petal%20width=0.2';
const EXPECTED = '{"metadata":{"service_name":"iris","service_version":"0.1","status":"OK","error_code":0,"model_name":"default","model_version":1},"result":"Iris-setosa"}';
const API_KEY = 'bench-key';

const { values: opts } = parseArgs({
  options: { duration: { type: 'string', default: '10s' }, connections: { type: 'string', default: '64' }, runs: { type: 'string', default: '2' } },
});
const RUNS = Number(opts.runs);

requireWrk();

const { dir, env, children } = irisWorkdir('pld-serve-bench-', { fit: false });
writeFileSync(join(dir, 'metrics-off.json'), JSON.stringify({ metrics: false }));
writeFileSync(join(dir, 'auth.json'), JSON.stringify({ predict_decorators: [{ __factory__: 'ApiKeyAuth', keys: [API_KEY] }] }));
execFileSync(process.execPath, [BIN, 'fit'], { cwd: dir, env, stdio: 'ignore' });

const ports = { ours: await freePort(), off: await freePort(), auth: await freePort(), bare: await freePort(), workers: await freePort() };
const pids = {};
const serve = (name, config, extra = [], pin = true) =>
  start(name, [...(pin ? ['taskset', '-c', '0'] : []), process.execPath, BIN, 'serve', '--host', '127.0.0.1', '--port', String(ports[name]), ...extra], {
    cwd: dir,
    env: { ...env, PALLADIUM_CONFIG: config },
  });
await serve('ours', 'config.json');
await serve('off', 'config.json,metrics-off.json');
await serve('auth', 'config.json,auth.json');
await start('bare', ['taskset', '-c', '0', process.execPath, join(ROOT, 'bench/serve/bare-http.mjs'), String(ports.bare)], {});
await serve('workers', 'config.json', ['--workers', '2'], false);
const url = (name) => `http://127.0.0.1:${ports[name]}/predict?${QUERY}`;

// A benchmark of a server answering errors would be meaningless: check the bodies first.
for (const name of ['ours', 'off', 'bare', 'workers']) {
  const body = await httpText(url(name));
  if (body !== EXPECTED) throw new Error(`${name} answered ${body}, expected ${EXPECTED}`);
}
const authed = await httpText(url('auth'), { headers: { 'x-api-key': API_KEY } });
if (authed !== EXPECTED) throw new Error(`auth answered ${authed}`);
const keyScript = join(dir, 'key.lua');
writeFileSync(keyScript, `wrk.headers["x-api-key"] = "${API_KEY}"\n`);

// Warm-up lets V8 optimise the hot path before anything is measured.
for (const name of ['ours', 'off', 'bare']) wrk(url(name), { duration: '3s' });
wrk(url('auth'), { duration: '3s', script: keyScript });

// Alternating A C A' A'' A C ... spreads the shared machine's noise over the servers; the best run of each is kept.
const matrix = { ours: [], bare: [], off: [], auth: [] };
for (let run = 0; run < RUNS; run++) {
  for (const name of Object.keys(matrix)) matrix[name].push({ ...wrk(url(name), { script: name === 'auth' ? keyScript : undefined }), rss: rssOf(pids[name]) });
}
const best = Object.fromEntries(Object.entries(matrix).map(([name, runs]) => [name, runs.reduce((a, b) => (b.rps > a.rps ? b : a))]));

const batch = { ...(await postBatch(100)), rss: rssOf(pids.ours) };
wrk(url('workers'), { duration: '3s', pin: false });
const workers = { ...wrk(url('workers'), { pin: false }), rss: rssOf(pids.workers) };

const rows = [
  ['(a) ours GET /predict, 1 row', best.ours],
  ['(c) bare node:http', best.bare],
  ["(a') ours, metrics: false", best.off],
  ["(a'') ours + ApiKeyAuth", best.auth],
  ['(b) ours POST 100 rows', batch],
  ['(d) ours --workers 2, unpinned', workers],
];
console.log(`\nwrk -t1 -c${opts.connections} -d${opts.duration} --latency; best of ${RUNS} for (a) (c) (a') (a''); servers on core 0, wrk on core 1; (d) unpinned server`);
console.log(table(rows));
const ratio = best.ours.rps / best.bare.rps;
console.log(`\n(a)/(c) req/s: ${ratio.toFixed(2)} (goal >= 0.70)${ratio >= 0.7 ? '' : '  BELOW GOAL'}`);
console.log(`metrics cost: (a)/(a') req/s ${(best.ours.rps / best.off.rps).toFixed(3)}; ApiKeyAuth cost: (a'')/(a) req/s ${(best.auth.rps / best.ours.rps).toFixed(3)}`);
console.log(`(b) rows/s: ${(batch.rps * 100).toFixed(0)}; (d)/(a) req/s: ${(workers.rps / best.ours.rps).toFixed(2)}`);
console.log(
  `goals for (a): p99 <= 5 ms: ${ms(best.ours.p99) <= 5 ? 'met' : 'NOT met'}; RSS <= 100 MB: ${best.ours.rss <= 100 ? 'met' : 'NOT met'}; errors 0: ${best.ours.errors === 0 ? 'met' : 'NOT met'}`,
);
console.log(
  `all runs req/s: ${Object.entries(matrix)
    .map(([name, runs]) => `${name} ${runs.map((r) => r.rps.toFixed(0)).join(', ')}`)
    .join('; ')}`,
);
// The servers' pipes keep the event loop alive; exiting runs the cleanup that stops them.
process.exit(0);

function wrk(target, { duration = opts.duration, script, pin = true } = {}) {
  const args = ['wrk', '-t1', `-c${opts.connections}`, `-d${duration}`, '--latency', ...(script ? ['-s', script] : []), target];
  const out = pin ? execFileSync('taskset', ['-c', '1', ...args], { encoding: 'utf8' }) : execFileSync(args[0], args.slice(1), { encoding: 'utf8' });
  // Errors answer faster than predictions, so a run with any would flatter the server: they are counted.
  const result = parseWrk(out);
  if (Number.isNaN(result.rps)) throw new Error(`wrk run against ${target} printed no rate:\n${out}`);
  return result;
}

async function postBatch(count) {
  const sample = { 'sepal length': 5.2, 'sepal width': 3.5, 'petal length': 1.5, 'petal width': 0.2 };
  const body = JSON.stringify(Array.from({ length: count }, () => sample));
  const script = join(dir, 'post.lua');
  writeFileSync(script, `wrk.method = "POST"\nwrk.body = ${JSON.stringify(body)}\nwrk.headers["Content-Type"] = "application/json"\n`);
  const target = `http://127.0.0.1:${ports.ours}/predict`;
  const answer = JSON.parse(await httpText(target, { method: 'POST', body, headers: { 'content-type': 'application/json' } }));
  if (answer.result?.length !== count) throw new Error(`POST answered ${JSON.stringify(answer)}`);
  wrk(target, { duration: '3s', script });
  return wrk(target, { script });
}

/** Resident memory in MB of `pid` and all its descendants (a cluster primary and its workers). */
function rssOf(pid) {
  const parents = new Map();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      parents.set(Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {}
  }
  const tree = [pid];
  for (let i = 0; i < tree.length; i++) for (const [child, parent] of parents) if (parent === tree[i]) tree.push(child);
  let kb = 0;
  for (const p of tree) {
    try {
      kb += Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${p}/status`, 'utf8'))?.[1] ?? 0);
    } catch {}
  }
  return Math.round(kb / 1024);
}

function ms(value) {
  const match = /^([\d.]+)(us|ms|s)$/.exec(value ?? '');
  if (!match) return Number.NaN;
  return Number(match[1]) * { us: 0.001, ms: 1, s: 1000 }[match[2]];
}

function table(rows) {
  const lines = [['case', 'req/s', 'p50', 'p99', 'RSS MB', 'errors'], ...rows.map(([name, r]) => [name, r.rps.toFixed(0), r.p50, r.p99, String(r.rss), String(r.errors)])];
  return lines.map((cells) => cells.map((c, i) => (i === 0 ? c.padEnd(34) : c.padStart(9))).join('')).join('\n');
}

function start(name, command, options) {
  const child = spawn(command[0], command.slice(1), { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  pids[name] = child.pid;
  return servingOf(child, name);
}
