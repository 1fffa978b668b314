// wrk benchmark of traffic policies on GET /predict (iris example, two stored versions), in one run:
//   (n) policy none: the reference          (c) canary, weight 0.5
//   (k) sticky A/B by the x-pld-key header   (s) shadow: the challenger also predicts every request
// (k) sets a new key per request from a wrk Lua script, which costs wrk time too, so it is compared with
// (n') policy none driven by the same script.
// Each server is pinned to core 0 and wrk to core 1, one server loaded at a time, runs alternating so
// the shared machine's noise spreads over the cases; the best run of each is kept. (s) does twice
// the model work per request, so its ratio shows what a shadow costs in-process.
// Build first. Usage: node bench/serve/traffic.mjs [--duration 10s] [--connections 64] [--runs 2]
import { execFileSync, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { BIN, freePort, httpText, irisWorkdir, parseWrk, requireWrk, servingOf } from './harness.mjs';

const QUERY = 'sepal%20length=5.2&sepal%20width=3.5&petal%20length=1.5&petal%20width=0.2';

const { values: opts } = parseArgs({
  options: { duration: { type: 'string', default: '10s' }, connections: { type: 'string', default: '64' }, runs: { type: 'string', default: '2' } },
});
const RUNS = Number(opts.runs);
requireWrk();

const { dir, env, children } = irisWorkdir('pld-traffic-bench-', { fit: false });
const POLICIES = {
  none: { mode: 'none' },
  canary: { mode: 'canary', challenger: 2, weight: 0.5 },
  sticky: { mode: 'sticky', challenger: 2, weight: 0.5 },
  shadow: { mode: 'shadow', challenger: 2 },
};
for (const [name, traffic] of Object.entries(POLICIES)) writeFileSync(join(dir, `${name}.json`), JSON.stringify({ traffic }));
execFileSync(process.execPath, [BIN, 'fit'], { cwd: dir, env, stdio: 'ignore' });
execFileSync(process.execPath, [BIN, 'fit', '--no-activate'], { cwd: dir, env, stdio: 'ignore' });

const ports = {};
for (const name of Object.keys(POLICIES)) {
  ports[name] = await freePort();
  const child = spawn('taskset', ['-c', '0', process.execPath, BIN, 'serve', '--host', '127.0.0.1', '--port', String(ports[name])], {
    cwd: dir,
    env: { ...env, PALLADIUM_CONFIG: `config.json,${name}.json` },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  await servingOf(child, name);
}
const url = (name) => `http://127.0.0.1:${ports[name]}/predict?${QUERY}`;

// Check the answers first: a benchmark of errors would be meaningless.
for (const name of Object.keys(POLICIES)) {
  const body = JSON.parse(await httpText(url(name)));
  if (body.result !== 'Iris-setosa' || ![1, 2].includes(body.metadata.model_version)) throw new Error(`${name} answered ${JSON.stringify(body)}`);
}
// Sticky needs a key per request; a counter makes every request a new key, so both versions answer.
const stickyScript = join(dir, 'sticky.lua');
writeFileSync(stickyScript, 'local n = 0\nrequest = function()\n  n = n + 1\n  wrk.headers["x-pld-key"] = "user-" .. n\n  return wrk.format()\nend\n');

// Each case: [server, wrk script].
const CASES = { none: ['none'], noneKeyed: ['none', stickyScript], canary: ['canary'], sticky: ['sticky', stickyScript], shadow: ['shadow'] };
for (const [server, script] of Object.values(CASES)) wrk(url(server), { duration: '3s', script });
const runs = Object.fromEntries(Object.keys(CASES).map((name) => [name, []]));
for (let run = 0; run < RUNS; run++) for (const [name, [server, script]] of Object.entries(CASES)) runs[name].push(wrk(url(server), { script }));
const best = Object.fromEntries(Object.entries(runs).map(([name, list]) => [name, list.reduce((a, b) => (b.rps > a.rps ? b : a))]));
const shadowCounts = await httpText(`http://127.0.0.1:${ports.shadow}/metrics`);

console.log(`\nwrk -t1 -c${opts.connections} -d${opts.duration} --latency; best of ${RUNS}; servers on core 0, wrk on core 1`);
const lines = [['case', 'req/s', 'p50', 'p99', 'errors', 'ratio']];
for (const [label, name, reference] of [
  ['(n) policy none', 'none', 'none'],
  ['(c) canary 0.5, vs (n)', 'canary', 'none'],
  ['(s) shadow, vs (n)', 'shadow', 'none'],
  ["(n') policy none, keyed wrk", 'noneKeyed', 'noneKeyed'],
  ["(k) sticky 0.5, vs (n')", 'sticky', 'noneKeyed'],
]) {
  const r = best[name];
  lines.push([label, r.rps.toFixed(0), r.p50, r.p99, String(r.errors), (r.rps / best[reference].rps).toFixed(3)]);
}
console.log(lines.map((cells) => cells.map((c, i) => (i === 0 ? c.padEnd(30) : c.padStart(9))).join('')).join('\n'));
console.log(
  `all runs req/s: ${Object.entries(runs)
    .map(([name, list]) => `${name} ${list.map((r) => r.rps.toFixed(0)).join(', ')}`)
    .join('; ')}`,
);
console.log(
  `shadow comparisons counted: ${shadowCounts
    .split('\n')
    .filter((line) => line.startsWith('pld_shadow_predictions_total{'))
    .join('; ')}`,
);
process.exit(0);

function wrk(target, { duration = opts.duration, script } = {}) {
  const args = ['-c', '1', 'wrk', '-t1', `-c${opts.connections}`, `-d${duration}`, '--latency', ...(script ? ['-s', script] : []), target];
  const result = parseWrk(execFileSync('taskset', args, { encoding: 'utf8' }));
  if (Number.isNaN(result.rps)) throw new Error(`wrk against ${target} printed no rate`);
  return result;
}
