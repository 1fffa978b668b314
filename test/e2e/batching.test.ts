import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyExample, pld, startServer, type RunningServer } from './helpers.js';

/** Config files and response bodies, checked field by field. */
type Json = any;

const FEATURES = ['sepal length', 'sepal width', 'petal length', 'petal width'];
const MAX_BATCH_SIZE = 16;

/** Histogram sample `name{labels} value` from Prometheus text, or undefined. */
function sample(text: string, name: string, labels: Record<string, string>): number | undefined {
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`)) continue;
    if (Object.entries(labels).every(([key, value]) => line.includes(`${key}="${value}"`))) return Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return undefined;
}

/** 240 requests of every kind: GET rows, small POST batches, to /predict and /proba, a few of them invalid. */
function requests(dir: string): { path: string; init?: RequestInit }[] {
  const data = readFileSync(path.join(dir, 'iris.data'), 'utf8').trim().split('\n');
  const rows = data.map((line) =>
    Object.fromEntries(
      line
        .split(',')
        .slice(0, 4)
        .map((value, i) => [FEATURES[i], Number(value)]),
    ),
  );
  const out: { path: string; init?: RequestInit }[] = [];
  for (let i = 0; i < 240; i++) {
    const row = rows[(i * 7) % rows.length];
    const route = i % 2 === 0 ? '/predict' : '/proba';
    if (i % 5 === 0) {
      const body = [row, rows[(i * 11) % rows.length], rows[(i * 13) % rows.length]];
      out.push({ path: route, init: { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) } });
    } else if (i % 17 === 0) {
      out.push({ path: `${route}?${new URLSearchParams({ ...row, 'petal width': 'wide' } as Json)}` });
    } else {
      out.push({ path: `${route}?${new URLSearchParams(row as Json)}` });
    }
  }
  return out;
}

async function answersOf(server: RunningServer, all: { path: string; init?: RequestInit }[]): Promise<Json[]> {
  return Promise.all(
    all.map(async ({ path: route, init }) => {
      const response = await fetch(`${server.url}${route}`, init);
      return { status: response.status, body: await response.json() };
    }),
  );
}

describe('pld serve with batching on', () => {
  let dir: string;
  let plain: RunningServer;
  let batched: RunningServer;

  beforeAll(async () => {
    dir = copyExample();
    const file = path.join(dir, 'config.json');
    const config = JSON.parse(readFileSync(file, 'utf8'));
    // Enough trees that a model call outlasts a request's HTTP work, so concurrent requests find the model busy and queue.
    config.model = { __factory__: 'RandomForestClassifier', n_estimators: 300, random_state: 0 };
    config.proba_service = { ...config.predict_service, entry_point: '/proba', predict_proba: true };
    writeFileSync(file, JSON.stringify(config));
    writeFileSync(path.join(dir, 'batching.json'), JSON.stringify({ batching: { enabled: true, max_batch_size: MAX_BATCH_SIZE, max_batch_wait_ms: 20 } }));
    expect(pld(dir, ['fit']).status).toBe(0);
    [plain, batched] = await Promise.all([startServer(dir), startServer(dir, [], { PALLADIUM_CONFIG: 'config.json,batching.json' })]);
  }, 60_000);
  afterAll(async () => {
    await Promise.all([plain?.stop(), batched?.stop()]);
  });

  it('answers concurrent requests exactly as without batching, and gathers them into batches of at most max_batch_size rows', async () => {
    const all = requests(dir);
    const expected = await answersOf(plain, all);
    const statuses = new Set(expected.map((answer) => answer.status));
    expect([...statuses].sort()).toEqual([200, 400]);
    expect(await answersOf(batched, all)).toEqual(expected);

    const metrics = await (await fetch(`${batched.url}/metrics`)).text();
    for (const entry_point of ['/predict', '/proba']) {
      const labels = { model: 'default', entry_point };
      const calls = sample(metrics, 'pld_batch_requests_count', labels) ?? 0;
      const served = sample(metrics, 'pld_batch_requests_sum', labels) ?? 0;
      // Every valid request was served by some model call; fewer calls than requests means batches of several.
      expect(served).toBe(expected.filter((answer, i) => answer.status === 200 && all[i].path.startsWith(`${entry_point}`)).length);
      expect(calls).toBeGreaterThan(0);
      expect(served / calls).toBeGreaterThan(1);
      expect(sample(metrics, 'pld_batch_rows_bucket', { ...labels, le: String(MAX_BATCH_SIZE) })).toBe(sample(metrics, 'pld_batch_rows_count', labels));
    }
    expect(await (await fetch(`${plain.url}/metrics`)).text()).not.toContain('pld_batch_requests');
  });

  it('serves a lone request by a model call of its own', async () => {
    const ones = async () => sample(await (await fetch(`${batched.url}/metrics`)).text(), 'pld_batch_requests_bucket', { entry_point: '/predict', le: '1' }) ?? 0;
    const before = await ones();
    const query = new URLSearchParams({ 'sepal length': '5.2', 'sepal width': '3.5', 'petal length': '1.5', 'petal width': '0.2' });
    const answer = await (await fetch(`${batched.url}/predict?${query}`)).json();
    expect(answer).toEqual({
      metadata: { service_name: 'iris', service_version: '0.1', status: 'OK', error_code: 0, model_version: 1, model_name: 'default' },
      result: 'Iris-setosa',
    });
    expect(await ones()).toBe(before + 1);
  });

  it('rejects an invalid batching setting when the config is loaded, naming the key', () => {
    writeFileSync(path.join(dir, 'bad.json'), JSON.stringify({ batching: { max_batch_size: 0 } }));
    const result = pld(dir, ['serve', '--port', '0'], { env: { PALLADIUM_CONFIG: 'config.json,bad.json' } });
    expect(result.status).toBe(3);
    expect(result.stderr).toMatch(/batching\.max_batch_size/);
  });
});
