// Distributed grid search through a real Redis (127.0.0.1:6379) and real `pld worker` processes.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pld } from './helpers.js';
import { type Child, freePort, startPld } from './process-helpers.js';

const BACKEND = 'redis://127.0.0.1:6379';
// Each test starts several CLI processes; on a busy shared machine one start alone can take seconds.
const SLOW = 90_000;
// Fits of ~0.3 s, so a worker can be killed while one is running.
const CONFIG = {
  dataset_loader_train: { __factory__: 'palladium.dataset.Table', path: 'data.csv', target_column: 'label', sep: ',' },
  model: { __factory__: 'sklearn.ensemble.RandomForestClassifier', n_estimators: 40, random_state: 0 },
  grid_search: { param_grid: { max_depth: [3, 6], min_samples_leaf: [1, 5] }, cv: 3, n_jobs: 1 },
};

// A fixed pseudo-random classification set: same rows in every folder unless `rows` differs.
function project(rows = 3000): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'pld-dist-'));
  let seed = 1;
  const random = () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
  const lines = ['a,b,c,d,e,f,label'];
  for (let i = 0; i < rows; i++) {
    const x = Array.from({ length: 6 }, random);
    lines.push(`${x.map((v) => v.toFixed(4)).join(',')},${x[0] + x[1] * x[2] + 0.3 * random() > 0.9 ? 'yes' : 'no'}`);
  }
  writeFileSync(path.join(dir, 'data.csv'), `${lines.join('\n')}\n`);
  writeFileSync(path.join(dir, 'config.json'), JSON.stringify(CONFIG));
  return dir;
}

function scores(file: string): unknown[] {
  const records = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>[];
  return records.map((record) => Object.fromEntries(Object.entries(record).filter(([key]) => !key.includes('_time'))));
}

// The printed table without the fit-time column, which differs between runs.
function table(stdout: string): string[] {
  return stdout
    .trim()
    .split('\n')
    .map((line) => line.replace(/^(\s*\S+\s+\S+\s+\S+)\s+\S+/, '$1'));
}

async function search(dir: string, args: string[] = []): Promise<{ code: number | null; stdout: string; output: string }> {
  const child = startPld(dir, ['grid-search', '--backend', BACKEND, '--save-results', 'remote.json', ...args]);
  const code = await child.exited();
  const output = child.output();
  return {
    code,
    stdout: output
      .split('\n')
      .filter((line) => !/^(INFO|WARNING|ERROR|\[CV)/.test(line))
      .join('\n'),
    output,
  };
}

// Workers leave a finished run within their poll interval and then remove what their last polls left.
async function keysOf(redis: Redis, queue: string): Promise<string[]> {
  let keys = await redis.keys(`pld:${queue}*`);
  for (let tries = 0; keys.length > 0 && tries < 50; tries++) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    keys = await redis.keys(`pld:${queue}*`);
  }
  return keys;
}

async function startWorker(dir: string): Promise<Child> {
  const worker = startPld(dir, ['worker', '--backend', BACKEND, '--lock-duration', '2000']);
  await worker.waitFor(/waiting for search fits/);
  return worker;
}

describe('pld grid-search --backend with pld worker processes', () => {
  const dir = project();
  const workers: Child[] = [];
  let local: { stdout: string; scores: unknown[] };
  const redis = new Redis(BACKEND, { lazyConnect: true });

  beforeAll(() => {
    const run = pld(dir, ['grid-search', '--save-results', 'local.json']);
    expect(run.status, run.stderr).toBe(0);
    local = { stdout: run.stdout, scores: scores(path.join(dir, 'local.json')) };
  }, SLOW);
  afterAll(async () => {
    await Promise.all(workers.map((worker) => worker.stop('SIGKILL')));
    redis.disconnect();
  }, SLOW);

  it(
    'fails at once with a clear error and a non-zero exit when the backend is unreachable',
    async () => {
      const port = await freePort();
      const run = pld(dir, ['grid-search', '--backend', `redis://127.0.0.1:${port}`]);
      expect(run.status).toBe(1);
      expect(run.stderr).toContain(`PLD_ERR_EVAL_BACKEND_UNREACHABLE: Cannot reach the search backend redis://127.0.0.1:${port}: connect ECONNREFUSED`);
      expect(pld(dir, ['grid-search', '--backend', 'http://127.0.0.1:6379']).stderr).toContain('PLD_ERR_EVAL_BACKEND_URL');
    },
    SLOW,
  );

  it(
    'a worker whose data differs refuses the fits, and the search fails naming both fingerprints',
    async () => {
      const other = startPld(project(2000), ['worker', '--backend', BACKEND]);
      workers.push(other);
      await other.waitFor(/waiting for search fits/);
      const run = await search(dir);
      expect(run.code, run.output).toBe(4);
      expect(run.output).toMatch(/PLD_ERR_EVAL_DATA_MISMATCH: Worker \S+ refused the search's fits: its training data \(2000 rows.*\) differs from .*\(3000 rows/);
      expect(other.output()).toContain('refused');
      await other.stop();
    },
    SLOW,
  );

  it(
    'two workers give the same cv_results and ranking as a local run, and the queue is removed after',
    async () => {
      workers.push(...(await Promise.all([startWorker(dir), startWorker(dir)])));
      const run = await search(dir);
      expect(run.code, run.output).toBe(0);
      expect(table(run.stdout)).toEqual(table(local.stdout));
      expect(scores(path.join(dir, 'remote.json'))).toEqual(local.scores);
      expect(run.output).toMatch(/Grid search done in [\d.]+ sec\. \(2 workers on the backend\)/);
      const queue = /queue (pld-search-[\w-]+)/.exec(run.output)![1];
      for (const worker of workers.slice(-2)) expect(worker.output()).toMatch(new RegExp(`Fit \\d+ of ${queue} done`));
      await redis.connect();
      expect(await keysOf(redis, queue)).toEqual([]);
      expect(await redis.zscore('pld:search-runs', queue)).toBeNull();
    },
    SLOW,
  );

  it(
    'a worker SIGKILLed mid-fit has that fit retried by the other, and the search completes with the same results',
    async () => {
      const [a, b] = workers.slice(-2);
      const from = [a.output().length, b.output().length];
      const child = startPld(dir, ['grid-search', '--backend', BACKEND, '--save-results', 'remote.json']);
      // Whichever worker starts a fit first is killed while that fit runs.
      const started = await Promise.race([
        a.waitFor(/Fit (\d+) of (\S+) started/, 30_000, from[0]).then((m) => ({ m, victim: a, other: b, at: from[1] })),
        b.waitFor(/Fit (\d+) of (\S+) started/, 30_000, from[1]).then((m) => ({ m, victim: b, other: a, at: from[0] })),
      ]);
      started.victim.process.kill('SIGKILL');
      const [, index, queue] = started.m;
      expect(await child.exited(), child.output()).toBe(0);
      expect(started.other.output().slice(started.at)).toContain(`Fit ${index} of ${queue} done`);
      expect(scores(path.join(dir, 'remote.json'))).toEqual(local.scores);
      expect(await keysOf(redis, queue)).toEqual([]);
    },
    SLOW,
  );
  it(
    'a worker stops on SIGTERM, leaving its queues, and says how many fits it ran',
    async () => {
      const survivor = workers.slice(-2).find((worker) => worker.process.exitCode === null && worker.process.signalCode === null);
      expect(survivor).toBeDefined();
      expect(await survivor!.stop('SIGTERM')).toBe(0);
      expect(survivor!.output()).toMatch(/Worker stopped after [1-9]\d* fits in [1-9]\d* searches/);
    },
    SLOW,
  );
});
