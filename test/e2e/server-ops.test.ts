import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyExample, pld, startServer, type RunningServer } from './helpers.js';
import { slowRequest } from './server-helpers.js';

/** Response bodies and config files, checked field by field. */
type Json = any;

const QUERY = 'sepal%20length=5.2&sepal%20width=3.5&petal%20length=1.5&petal%20width=0.2';
const ROW = { 'sepal length': 5.2, 'sepal width': 3.5, 'petal length': 1.5, 'petal width': 0.2 };

function withConfig(dir: string, change: (config: Json) => void): void {
  const file = path.join(dir, 'config.json');
  const config = JSON.parse(readFileSync(file, 'utf8'));
  change(config);
  writeFileSync(file, JSON.stringify(config, null, 2));
}

const metricsText = async (url: string): Promise<string> => (await fetch(`${url}/metrics`)).text();

/** The value of one sample line (`name{labels} value`), or undefined when absent. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    if (Object.entries(labels).every(([key, value]) => line.includes(`${key}="${value}"`))) return Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return undefined;
}

describe('GET /metrics with a CachedUpdatePersister', () => {
  let dir: string;
  let server: RunningServer;

  beforeAll(async () => {
    dir = copyExample();
    withConfig(dir, (config) => {
      config.model_persister = { __factory__: 'CachedUpdatePersister', impl: config.model_persister, update_cache_interval: 1 };
    });
    expect(pld(dir, ['fit']).status).toBe(0);
    server = await startServer(dir);
  });
  afterAll(async () => {
    expect(await server?.stop()).toBe(0);
  });

  it('serves Prometheus text with our pld_ metrics and the standard process metrics', async () => {
    const response = await fetch(`${server.url}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await response.text();
    expect(text).toContain('# TYPE pld_http_request_duration_seconds histogram');
    expect(sample(text, 'process_cpu_seconds_total')).toBeGreaterThan(0);
    expect(sample(text, 'nodejs_heap_size_used_bytes')).toBeGreaterThan(0);
    expect(sample(text, 'pld_model_active_version', { model: 'default' })).toBe(1);
    expect(sample(text, 'pld_model_loads_total', { model: 'default' })).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'pld_model_load_duration_seconds_count', { model: 'default' })).toBeGreaterThanOrEqual(1);
  });

  it('counts requests by route pattern, method, status class and version; errors; predicted rows', async () => {
    const before = await metricsText(server.url);
    const labels = { route: '/predict', method: 'GET', status_class: '2xx', model: 'default', version: '1' };
    const requests = sample(before, 'pld_http_requests_total', labels) ?? 0;
    const rows = sample(before, 'pld_predictions_total', { entry_point: '/predict', version: '1' }) ?? 0;
    for (let i = 0; i < 3; i++) expect((await fetch(`${server.url}/predict?${QUERY}`)).status).toBe(200);
    const batch = await fetch(`${server.url}/predict`, { method: 'POST', body: JSON.stringify([ROW, ROW, ROW, ROW, ROW]), headers: { 'content-type': 'application/json' } });
    expect(batch.status).toBe(200);
    expect((await fetch(`${server.url}/predict?sepal%20length=x`)).status).toBe(400);
    expect((await fetch(`${server.url}/no/such/thing/${Math.random()}`)).status).toBe(404);

    const after = await metricsText(server.url);
    expect(sample(after, 'pld_http_requests_total', labels)).toBe(requests + 3);
    expect(sample(after, 'pld_http_request_duration_seconds_count', labels)).toBe(requests + 3);
    expect(sample(after, 'pld_http_requests_total', { ...labels, status_class: '4xx' })).toBeGreaterThanOrEqual(1);
    expect(sample(after, 'pld_http_errors_total', { route: '/predict', method: 'GET', status: '400' })).toBeGreaterThanOrEqual(1);
    // Unknown URLs share one label value, so they cannot grow the series without bound.
    expect(sample(after, 'pld_http_errors_total', { route: 'unmatched', status: '404' })).toBeGreaterThanOrEqual(1);
    expect(after).not.toContain('/no/such/thing');
    expect(sample(after, 'pld_predictions_total', { entry_point: '/predict', version: '1' })).toBe(rows + 3 + 5);
  });

  it('counts rows predicted through the Open Inference Protocol under the infer route', async () => {
    const entry = { entry_point: '/v2/models/{name}/infer', version: '1' };
    const rows = sample(await metricsText(server.url), 'pld_predictions_total', entry) ?? 0;
    const body = { inputs: [{ name: 'input-0', shape: [2, 4], datatype: 'FP64', data: [5.2, 3.5, 1.5, 0.2, 6.9, 3.1, 5.4, 2.1] }] };
    const infer = await fetch(`${server.url}/v2/models/default/infer`, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
    expect(infer.status, await infer.clone().text()).toBe(200);
    expect(sample(await metricsText(server.url), 'pld_predictions_total', entry)).toBe(rows + 2);
  });

  it('records the swap after pld fit and activate, and labels new requests with the new version', async () => {
    expect(pld(dir, ['fit', '--no-activate']).status).toBe(0);
    expect(pld(dir, ['admin', 'activate', '2']).status).toBe(0);
    const deadline = Date.now() + 10_000;
    let text = await metricsText(server.url);
    while (sample(text, 'pld_model_active_version', { model: 'default' }) !== 2 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      text = await metricsText(server.url);
    }
    expect(sample(text, 'pld_model_active_version', { model: 'default' })).toBe(2);
    expect(sample(text, 'pld_model_swaps_total', { model: 'default' })).toBe(1);
    expect(sample(text, 'pld_model_loads_total', { model: 'default' })).toBe(2);
    expect(sample(text, 'pld_model_load_failures_total', { model: 'default' })).toBe(0);
    expect(sample(text, 'pld_model_version_processes', { model: 'default', version: '2' })).toBe(1);
    expect(sample(text, 'pld_model_version_processes', { model: 'default', version: '1' })).toBeUndefined();

    expect((await fetch(`${server.url}/predict?${QUERY}`)).status).toBe(200);
    const after = await metricsText(server.url);
    expect(sample(after, 'pld_http_requests_total', { route: '/predict', method: 'GET', status_class: '2xx', version: '2' })).toBe(1);
    expect(sample(after, 'pld_predictions_total', { entry_point: '/predict', version: '2' })).toBe(1);
  });
});

describe('pld serve operations: metrics off, auth on /metrics, request ids, JSON logs, graceful shutdown', () => {
  // One fitted store for every server below; each test adds its own config file.
  let dir: string;
  beforeAll(() => {
    dir = copyExample();
    expect(pld(dir, ['fit']).status).toBe(0);
  });

  it('has no /metrics with metrics: false', async () => {
    writeFileSync(path.join(dir, 'off.json'), JSON.stringify({ metrics: false }));
    const off = await startServer(dir, [], { PALLADIUM_CONFIG: 'config.json,off.json' });
    try {
      expect((await fetch(`${off.url}/metrics`)).status).toBe(404);
      expect((await fetch(`${off.url}/predict?${QUERY}`)).status).toBe(200);
    } finally {
      expect(await off.stop()).toBe(0);
    }
  });

  it('puts metrics_decorators in front of /metrics; echoes x-request-id or generates one; writes JSON request logs with it', async () => {
    writeFileSync(path.join(dir, 'auth.json'), JSON.stringify({ metrics_decorators: [{ __factory__: 'ApiKeyAuth', keys: ['scrape-key'] }] }));
    const server = await startServer(dir, ['--log-format', 'json', '--log-requests'], { PALLADIUM_CONFIG: 'config.json,auth.json' });
    try {
      const refused = await fetch(`${server.url}/metrics`);
      expect(refused.status).toBe(401);
      expect(((await refused.json()) as Json).metadata.error_type).toBe('PLD_ERR_AUTH_MISSING_CREDENTIALS');
      expect((await fetch(`${server.url}/metrics`, { headers: { 'x-api-key': 'scrape-key' } })).status).toBe(200);

      const given = await fetch(`${server.url}/predict?${QUERY}`, { headers: { 'x-request-id': 'trace-abc-123' } });
      expect(given.headers.get('x-request-id')).toBe('trace-abc-123');
      const generated = await fetch(`${server.url}/alive`);
      const id = generated.headers.get('x-request-id');
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-z]+$/);
      // An id that is not a plain token is replaced, not echoed.
      const hostile = await fetch(`${server.url}/alive`, { headers: { 'x-request-id': 'a b<script>' } });
      expect(hostile.headers.get('x-request-id')).toMatch(/^[0-9a-f]{8}-/);
      await new Promise((resolve) => setTimeout(resolve, 200));
      const lines = server
        .logs()
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as Json);
      expect(lines.find((line) => String(line.msg).startsWith('Serving on'))).toMatchObject({ level: 'INFO', name: 'palladium' });
      const request = lines.find((line) => line.req_id === 'trace-abc-123');
      expect(request).toMatchObject({ msg: 'request', method: 'GET', route: '/predict', status: 200, model_version: 1, level: 'INFO' });
      expect(typeof request.duration_ms).toBe('number');
      expect(typeof request.time).toBe('string');
      expect(lines.find((line) => line.req_id === id)).toMatchObject({ route: '/alive', status: 200 });
    } finally {
      expect(await server.stop()).toBe(0);
    }
  });

  it('on SIGTERM stops accepting, lets a request in flight finish, and exits 0', async () => {
    const server = await startServer(dir);
    const { answer, finish } = slowRequest(server.url);
    // The request has started (headers and half the body are in); now the server is asked to stop.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const exited = new Promise<number | null>((resolve) => server.process.once('exit', (code) => resolve(code)));
    server.process.kill('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 300));
    // New connections are refused while the old one drains.
    await expect(fetch(`${server.url}/alive`)).rejects.toThrow();
    finish();
    const response = await answer;
    expect(response).toMatch(/^HTTP\/1\.1 200 /);
    expect(response).toContain('"result":["Iris-setosa"]');
    expect(await exited).toBe(0);
    expect(server.logs()).toContain('SIGTERM: shutting down');
    expect(server.logs()).toContain('Server stopped');
    expect(server.logs()).not.toContain('still running after server.shutdown_timeout');
  });
});
