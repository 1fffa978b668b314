// Time from `pld admin activate` returning to `pld serve` answering /alive with the new version, for a
// CachedUpdatePersister (update_cache_interval 0.2 s) over a File store, over 10 swaps. Runs the
// built CLI (dist/, build first with `npm run build`) in a temp copy of examples/iris.
// Usage: node bench/store/activate.mjs [swaps] [interval-seconds]
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const swaps = Number(process.argv[2] ?? 10);
const interval = Number(process.argv[3] ?? 0.2);
const BIN = fileURLToPath(new URL('../../dist/cli/bin.js', import.meta.url));
const EXAMPLE = fileURLToPath(new URL('../../examples/iris/', import.meta.url));
const env = { ...process.env, PALLADIUM_CONFIG: 'config.json', NO_COLOR: '1' };

const dir = mkdtempSync(join(tmpdir(), 'pld-bench-store-'));
for (const file of ['config.json', 'iris.data']) cpSync(join(EXAMPLE, file), join(dir, file));
const config = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8'));
config.model_persister = { __factory__: 'CachedUpdatePersister', impl: config.model_persister, update_cache_interval: interval };
writeFileSync(join(dir, 'config.json'), JSON.stringify(config));
const pld = (...args) => {
  const result = spawnSync(process.execPath, [BIN, ...args], { cwd: dir, env, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`pld ${args.join(' ')} failed:\n${result.stderr}`);
};
pld('fit');
pld('fit');

const server = spawn(process.execPath, [BIN, 'serve', '--host', '127.0.0.1', '--port', '0'], { cwd: dir, env });
const url = await new Promise((resolve, reject) => {
  let logs = '';
  server.stderr.on('data', (chunk) => {
    logs += chunk;
    const match = /Serving on (http:\/\/\S+)/.exec(logs);
    if (match) resolve(match[1]);
  });
  server.on('exit', (code) => reject(new Error(`server exited with ${code}:\n${logs}`)));
});
const served = async () => (await (await fetch(`${url}/alive`)).json()).model?.metadata?.version;

const times = [];
try {
  for (let i = 0; i < swaps; i++) {
    const next = (await served()) === 1 ? 2 : 1;
    pld('admin', 'activate', String(next));
    const start = performance.now();
    while ((await served()) !== next) await new Promise((resolve) => setTimeout(resolve, 5));
    times.push(performance.now() - start);
  }
} finally {
  server.kill('SIGTERM');
  rmSync(dir, { recursive: true, force: true });
}
times.sort((a, b) => a - b);
const p50 = times[Math.floor((times.length - 1) / 2)];
console.log(`swaps: ${swaps}, update_cache_interval: ${interval} s`);
console.log(`activate → served: p50 ${p50.toFixed(0)} ms, max ${times[times.length - 1].toFixed(0)} ms, min ${times[0].toFixed(0)} ms`);
