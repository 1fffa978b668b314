// Memory of a model's inactive versions: requests pin each of 20 stored versions of a random forest
// (diabetes, 60 fully grown trees) in turn, three passes, through the per-model LRU (ModelVersions) with
// max_loaded_versions=3, against the same walk with a bound of 20 (every version kept: what an unbounded
// cache holds). Each case runs in its own `node --expose-gc` process; after a full GC the heap and RSS
// are read. Prints both and the ratio bounded/unbounded. Build first (`npm run build`).
// Usage: node bench/models/lru.mjs [versions] [trees]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const versions = Number(process.argv[2] ?? 20);
const trees = Number(process.argv[3] ?? 60);
const DIST = fileURLToPath(new URL('../../dist/index.js', import.meta.url));
const DIABETES = fileURLToPath(new URL('../../test/fixtures/diabetes.csv', import.meta.url));

if (process.env.PLD_BENCH_CHILD === undefined) {
  const dir = mkdtempSync(join(tmpdir(), 'pld-bench-lru-'));
  const run = (mode, capacity) => {
    const child = spawnSync(process.execPath, ['--expose-gc', fileURLToPath(import.meta.url), String(versions), String(trees)], {
      env: { ...process.env, PLD_BENCH_CHILD: mode, PLD_BENCH_DIR: dir, PLD_BENCH_CAPACITY: String(capacity) },
      encoding: 'utf8',
    });
    if (child.status !== 0) throw new Error(child.stderr);
    return JSON.parse(child.stdout.trim().split('\n').pop());
  };
  const { seconds, bytes } = run('write', 0);
  console.log(`${versions} versions of RandomForestRegressor(n_estimators=${trees}) written in ${seconds.toFixed(1)} s (${(bytes / 1e6).toFixed(2)} MB on disk each)`);
  const baseline = run('walk', 0);
  const bounded = run('walk', 3);
  const unbounded = run('walk', versions);
  const mb = (b) => (b / 1024 / 1024).toFixed(1);
  console.log('| case | versions held | heap used MB | RSS MB | evictions |');
  console.log('| --- | ---: | ---: | ---: | ---: |');
  for (const [name, r] of [
    ['no pinned versions (active only)', baseline],
    ['max_loaded_versions=3', bounded],
    [`max_loaded_versions=${versions} (all kept)`, unbounded],
  ]) {
    console.log(`| ${name} | ${r.held} | ${mb(r.heap)} | ${mb(r.rss)} | ${r.evictions} |`);
  }
  const over = (r) => r.heap - baseline.heap;
  console.log(
    `Heap above the active-only baseline: bounded ${mb(over(bounded))} MB, all kept ${mb(over(unbounded))} MB; ratio bounded/all kept: ${(over(bounded) / over(unbounded)).toFixed(3)} (expected about 3/${versions - 1} = ${(3 / (versions - 1)).toFixed(3)})`,
  );
  rmSync(dir, { recursive: true, force: true });
} else {
  const pld = await import(DIST);
  const dir = process.env.PLD_BENCH_DIR;
  const registry = pld.createRegistry();
  const codec = pld.createEstimatorCodec(registry);
  const persister = pld.createFilePersister({ path: 'forest-{version}' }, { baseDir: dir });
  if (process.env.PLD_BENCH_CHILD === 'write') {
    const config = pld.configFromObject({ loader: { __factory__: 'CSV', path: DIABETES, target_column: 'target' } }, registry, dir);
    const { X, y } = await (await config.component('loader', 'loader', () => true)).load();
    const start = performance.now();
    for (let v = 1; v <= versions; v++) {
      const model = registry.get('RandomForestRegressor').create({ n_estimators: trees, random_state: v }, {});
      await model.fit(X, y);
      await persister.write(pld.toArtifact(model, { train_timestamp: new Date().toISOString() }, codec));
    }
    await persister.activate(versions);
    const { statSync, readdirSync } = await import('node:fs');
    const file = readdirSync(dir).find((f) => f.startsWith('forest-1') && !f.endsWith('.json'));
    console.log(JSON.stringify({ seconds: (performance.now() - start) / 1000, bytes: statSync(join(dir, file)).size }));
  } else {
    const holder = new pld.ModelHolder('forest', persister, codec);
    await holder.load();
    const capacity = Number(process.env.PLD_BENCH_CAPACITY);
    let evictions = 0;
    let held = 0;
    if (capacity > 0) {
      const lru = new pld.ModelVersions(holder, capacity);
      lru.observe({ evicted: () => evictions++ });
      for (let pass = 0; pass < 3; pass++) for (let v = 1; v <= versions; v++) await lru.get(v);
      held = lru.cached.length;
      globalThis.keep = lru;
    }
    for (let i = 0; i < 3; i++) {
      globalThis.gc();
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const memory = process.memoryUsage();
    console.log(JSON.stringify({ held, evictions, heap: memory.heapUsed + memory.arrayBuffers, rss: memory.rss }));
  }
}
