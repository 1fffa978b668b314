import { readFileSync, writeFileSync } from 'node:fs';
import { get } from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyExample, pld, startServer, type RunningServer } from './helpers.js';

/** Response bodies, checked field by field. */
type Json = any;

const FIELDS = ['sepal length', 'sepal width', 'petal length', 'petal width'] as const;

/** The iris rows as predict query strings. */
function irisQueries(dir: string): string[] {
  const lines = readFileSync(path.join(dir, 'iris.data'), 'utf8').trim().split('\n');
  return lines.map((line) => {
    const values = line.split(',');
    return FIELDS.map((field, i) => `${encodeURIComponent(field)}=${values[i]}`).join('&');
  });
}

function withConfig(dir: string, change: (config: Json) => void): void {
  const file = path.join(dir, 'config.json');
  const config = JSON.parse(readFileSync(file, 'utf8'));
  change(config);
  writeFileSync(file, JSON.stringify(config, null, 2));
}

/**
 * A project with two versions that answer differently: 1 (active) is the example's decision tree,
 * 2 a DummyClassifier that always says Iris-versicolor, so shadow comparisons both agree and disagree.
 */
function twoVersionProject(change: (config: Json) => void): string {
  const dir = copyExample();
  withConfig(dir, change);
  writeFileSync(path.join(dir, 'constant.json'), JSON.stringify({ model: { __factory__: 'DummyClassifier', strategy: 'constant', constant: 'Iris-versicolor' } }));
  expect(pld(dir, ['fit']).status).toBe(0);
  const second = pld(dir, ['fit', '--no-activate', '--config', 'config.json,constant.json']);
  expect(second.status, second.stderr).toBe(0);
  return dir;
}

/** Sends `queries` as GET /predict with `parallel` keep-alive clients; returns the answers in order. */
async function predictAll(url: string, queries: readonly string[], parallel = 8, headers: Record<string, string> = {}): Promise<Json[]> {
  const answers: Json[] = new Array(queries.length);
  let next = 0;
  const client = async () => {
    while (next < queries.length) {
      const i = next++;
      answers[i] = await (await fetch(`${url}/predict?${queries[i]}`, { headers })).json();
    }
  };
  await Promise.all(Array.from({ length: parallel }, client));
  return answers;
}

async function traffic(url: string, method: 'GET' | 'PUT' | 'DELETE', body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: Json }> {
  const response = await fetch(`${url}/admin/traffic`, {
    method,
    headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: await response.json() };
}

function metric(text: string, name: string, labels: Record<string, string>): number {
  const line = text.split('\n').find((l) => l.startsWith(`${name}{`) && Object.entries(labels).every(([k, v]) => l.includes(`${k}="${v}"`)));
  return line === undefined ? 0 : Number(line.slice(line.lastIndexOf(' ') + 1));
}

async function until<T>(ms: number, probe: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  const deadline = Date.now() + ms;
  let value = await probe();
  while (!done(value) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    value = await probe();
  }
  return value;
}

const ADMIN_KEY = { 'x-api-key': 'traffic-secret' };

describe('traffic policies on a real server (File store, refreshed every 1 s)', () => {
  let dir: string;
  let server: RunningServer;
  let queries: string[];

  beforeAll(async () => {
    dir = twoVersionProject((config) => {
      config.model_persister = { __factory__: 'CachedUpdatePersister', impl: config.model_persister, update_cache_interval: 1 };
      config.server = { routes: ['traffic'] };
      config.activate_decorators = [{ __factory__: 'ApiKeyAuth', keys: ['traffic-secret'] }];
    });
    queries = irisQueries(dir);
    server = await startServer(dir);
  });
  afterAll(async () => {
    expect(await server?.stop()).toBe(0);
  });

  it('starts with no policy, and guards the admin route with activate_decorators', async () => {
    expect((await traffic(server.url, 'GET', undefined, ADMIN_KEY)).body).toMatchObject({ model: 'default', policy: { mode: 'none' }, source: 'default', active_version: 1 });
    const refused = await traffic(server.url, 'PUT', { mode: 'canary', challenger: 2, weight: 1 });
    expect(refused.status).toBe(401);
    expect(refused.body.metadata.error_type).toBe('PLD_ERR_AUTH_MISSING_CREDENTIALS');
    const answers = await predictAll(server.url, queries.slice(0, 20));
    expect(answers.every((answer) => answer.metadata.model_version === 1)).toBe(true);
    const openapi = (await (await fetch(`${server.url}/openapi.json`)).json()) as Json;
    expect(openapi.paths['/admin/traffic'].put.requestBody.content['application/json'].schema.properties.mode.enum).toEqual(['none', 'canary', 'sticky', 'shadow']);
    expect(Object.keys(openapi.paths['/models/{name}/traffic'])).toEqual(expect.arrayContaining(['get', 'put', 'delete']));
  });

  it('canary weight 0.2 sends 20 ± 3 % of 5,000 requests to the challenger, counted per version in /metrics', async () => {
    const before = await (await fetch(`${server.url}/metrics`)).text();
    const put = await traffic(server.url, 'PUT', { mode: 'canary', challenger: 2, weight: 0.2 }, ADMIN_KEY);
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ policy: { mode: 'canary', challenger: 2, weight: 0.2, shadow: false }, source: 'store', via: 'http' });
    const many = Array.from({ length: 5000 }, (_, i) => queries[i % queries.length]);
    const answers = await predictAll(server.url, many);
    const byVersion = { 1: 0, 2: 0 } as Record<number, number>;
    for (const answer of answers) byVersion[answer.metadata.model_version] += 1;
    expect(byVersion[1] + byVersion[2]).toBe(5000);
    expect(byVersion[2] / 5000).toBeGreaterThanOrEqual(0.17);
    expect(byVersion[2] / 5000).toBeLessThanOrEqual(0.23);
    // The challenger answers with its own prediction (the constant model), named in the metadata.
    for (const answer of answers.filter((a) => a.metadata.model_version === 2)) expect(answer.result).toBe('Iris-versicolor');
    const after = await (await fetch(`${server.url}/metrics`)).text();
    for (const version of ['1', '2']) {
      const labels = { entry_point: '/predict', version };
      expect(metric(after, 'pld_predictions_total', labels) - metric(before, 'pld_predictions_total', labels)).toBe(byVersion[Number(version)]);
      const requests = { route: '/predict', method: 'GET', status_class: '2xx', version };
      expect(metric(after, 'pld_http_requests_total', requests) - metric(before, 'pld_http_requests_total', requests)).toBe(byVersion[Number(version)]);
    }
  });

  it('sticky A/B: the same key always gets the same version; no key gets the active version', async () => {
    const put = await traffic(server.url, 'PUT', { mode: 'sticky', challenger: 2, weight: 0.5, key: { header: 'X-User' } }, ADMIN_KEY);
    expect(put.status).toBe(200);
    const seen = new Map<string, Set<number>>();
    for (let user = 0; user < 40; user++) {
      const answers = await predictAll(server.url, queries.slice(0, 5), 5, { 'x-user': `user-${user}` });
      seen.set(`user-${user}`, new Set(answers.map((a) => a.metadata.model_version)));
    }
    for (const versions of seen.values()) expect(versions.size).toBe(1);
    const versions = [...seen.values()].map((set) => [...set][0]);
    expect(versions).toContain(1);
    expect(versions).toContain(2);
    const anonymous = await predictAll(server.url, queries.slice(0, 20));
    expect(anonymous.every((answer) => answer.metadata.model_version === 1)).toBe(true);
  });

  it('a sticky key in a query parameter works the same way', async () => {
    expect((await traffic(server.url, 'PUT', { mode: 'sticky', challenger: 2, weight: 0.5, key: { query: 'user' } }, ADMIN_KEY)).status).toBe(200);
    const versions = new Set<number>();
    for (let user = 0; user < 20; user++) {
      const answers = await predictAll(
        server.url,
        queries.slice(0, 4).map((q) => `${q}&user=u${user}`),
        4,
      );
      expect(new Set(answers.map((a) => a.metadata.model_version)).size).toBe(1);
      versions.add(answers[0].metadata.model_version);
    }
    expect(versions.size).toBe(2);
  });

  it('shadow never changes answers, and counts and logs the comparison', async () => {
    expect((await traffic(server.url, 'DELETE', undefined, ADMIN_KEY)).body).toMatchObject({ policy: { mode: 'none' }, source: 'default' });
    const plain = await predictAll(server.url, queries);
    const batch = JSON.stringify(queries.slice(0, 30).map((q) => Object.fromEntries(new URLSearchParams(q))));
    const plainBatch = await (await fetch(`${server.url}/predict`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: batch })).json();
    const before = await (await fetch(`${server.url}/metrics`)).text();

    expect((await traffic(server.url, 'PUT', { mode: 'shadow', challenger: 2 }, ADMIN_KEY)).body.policy).toEqual({ mode: 'shadow', challenger: 2 });
    const shadowed = await predictAll(server.url, queries);
    const shadowedBatch = await (await fetch(`${server.url}/predict`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: batch })).json();
    expect(shadowed).toEqual(plain);
    expect(shadowedBatch).toEqual(plainBatch);
    expect(shadowed.every((answer) => answer.metadata.model_version === 1)).toBe(true);

    const total = queries.length + 1;
    const outcomes = (text: string) => ({
      agree: metric(text, 'pld_shadow_predictions_total', { version: '2', outcome: 'agree' }) - metric(before, 'pld_shadow_predictions_total', { version: '2', outcome: 'agree' }),
      disagree:
        metric(text, 'pld_shadow_predictions_total', { version: '2', outcome: 'disagree' }) - metric(before, 'pld_shadow_predictions_total', { version: '2', outcome: 'disagree' }),
    });
    const counted = await until(
      3000,
      async () => outcomes(await (await fetch(`${server.url}/metrics`)).text()),
      (o) => o.agree + o.disagree === total,
    );
    expect(counted.agree + counted.disagree).toBe(total);
    // Version 1 answers the three species, the constant model only Iris-versicolor: both outcomes occur.
    const versicolor = plain.filter((answer) => answer.result === 'Iris-versicolor').length;
    expect(counted.agree).toBe(versicolor);
    expect(counted.disagree).toBe(total - versicolor);
    expect(server.logs()).toMatch(/Shadow version 2 of model 'default' disagrees with version 1 \(req_id=[^)]+\): "Iris-setosa" vs "Iris-versicolor"/);
    const status = (await traffic(server.url, 'GET', undefined, ADMIN_KEY)).body;
    expect(status.shadow).toMatchObject({ error: 0 });
    expect(status.shadow.agree + status.shadow.disagree).toBeGreaterThanOrEqual(total);
  });

  it('a challenger that fails never affects the answers: its failures are counted and logged', async () => {
    // Version 3 was trained on columns a..d, so it cannot predict the service's iris fields.
    const config = JSON.parse(readFileSync(path.join(dir, 'config.json'), 'utf8'));
    const renamed = { ...config.dataset_loader_train, names: ['a', 'b', 'c', 'd', 'species'] };
    writeFileSync(path.join(dir, 'renamed.json'), JSON.stringify({ dataset_loader_train: renamed, dataset_loader_test: { ...renamed, nrows: undefined, skiprows: 100 } }));
    const third = pld(dir, ['fit', '--no-activate', '--config', 'config.json,renamed.json']);
    expect(third.status, third.stderr).toBe(0);
    expect((await traffic(server.url, 'DELETE', undefined, ADMIN_KEY)).status).toBe(200);
    const sample = queries.slice(0, 40);
    const plain = await predictAll(server.url, sample);
    const before = await (await fetch(`${server.url}/metrics`)).text();
    expect((await traffic(server.url, 'PUT', { mode: 'shadow', challenger: 3 }, ADMIN_KEY)).status).toBe(200);
    expect(await predictAll(server.url, sample)).toEqual(plain);
    const errors = (text: string) =>
      metric(text, 'pld_shadow_predictions_total', { version: '3', outcome: 'error' }) - metric(before, 'pld_shadow_predictions_total', { version: '3', outcome: 'error' });
    expect(
      await until(
        3000,
        async () => errors(await (await fetch(`${server.url}/metrics`)).text()),
        (n) => n === sample.length,
      ),
    ).toBe(sample.length);
    expect(server.logs()).toMatch(/WARNING:palladium:Shadow prediction of model 'default' failed \(req_id=[^)]+\) \(the answer of version 1 was sent\): /);
    expect((await traffic(server.url, 'DELETE', undefined, ADMIN_KEY)).status).toBe(200);
  });

  it('canary with shadow: the challenger answers its share and shadows the rest', async () => {
    expect((await traffic(server.url, 'PUT', { mode: 'canary', challenger: 2, weight: 0.5, shadow: true }, ADMIN_KEY)).status).toBe(200);
    const before = await (await fetch(`${server.url}/metrics`)).text();
    const answers = await predictAll(server.url, queries);
    const active = answers.filter((answer) => answer.metadata.model_version === 1).length;
    expect(active).toBeGreaterThan(0);
    expect(active).toBeLessThan(queries.length);
    const shadowCount = (text: string) =>
      ['agree', 'disagree'].reduce(
        (sum, outcome) => sum + metric(text, 'pld_shadow_predictions_total', { version: '2', outcome }) - metric(before, 'pld_shadow_predictions_total', { version: '2', outcome }),
        0,
      );
    const shadowed = await until(
      3000,
      async () => shadowCount(await (await fetch(`${server.url}/metrics`)).text()),
      (n) => n === active,
    );
    expect(shadowed).toBe(active);
  });

  it('OIP infer follows the policy on the unversioned path, not on a pinned version', async () => {
    expect((await traffic(server.url, 'PUT', { mode: 'canary', challenger: 2, weight: 1 }, ADMIN_KEY)).status).toBe(200);
    const body = JSON.stringify({ inputs: FIELDS.map((name) => ({ name, shape: [1], datatype: 'FP64', data: [name.startsWith('petal') ? 0.2 : 5] })) });
    const infer = async (suffix: string) =>
      (await (await fetch(`${server.url}/v2/models/iris${suffix}/infer`, { method: 'POST', headers: { 'content-type': 'application/json' }, body })).json()) as Json;
    const routed = await infer('');
    expect(routed.model_version).toBe('2');
    expect(routed.outputs[0].data).toEqual(['Iris-versicolor']);
    const pinned = await infer('/versions/1');
    expect(pinned.model_version).toBe('1');
    expect(pinned.outputs[0].data).toEqual(['Iris-setosa']);
  });

  it('pld admin traffic changes the policy of the running server within the refresh interval', async () => {
    const set = pld(dir, ['admin', 'traffic', 'set', 'canary', '--challenger', '2', '--weight', '1']);
    expect(set.status, set.stderr).toBe(0);
    expect(set.stdout).toContain('Traffic policy (store): canary: 100% of requests to version 2');
    const started = Date.now();
    const answer = await until(
      3000,
      async () => (await predictAll(server.url, [queries[0]], 1))[0],
      (a) => a.metadata.model_version === 2,
    );
    expect(answer.metadata.model_version).toBe(2);
    expect(Date.now() - started).toBeLessThan(3000);
    expect(server.logs()).toMatch(/Traffic policy of model 'default' \(store\): canary: 100% of requests to version 2/);

    const cleared = pld(dir, ['admin', 'traffic', 'clear', '--json']);
    expect(cleared.status).toBe(0);
    expect(JSON.parse(cleared.stdout)).toMatchObject({ policy: { mode: 'none' }, source: 'default' });
    const back = await until(
      3000,
      async () => (await predictAll(server.url, [queries[0]], 1))[0],
      (a) => a.metadata.model_version === 1,
    );
    expect(back.metadata.model_version).toBe(1);
    const shown = pld(dir, ['admin', 'traffic', 'show', '--json']);
    expect(JSON.parse(shown.stdout)).toMatchObject({ policy: { mode: 'none' }, source: 'default', configured: { mode: 'none' } });
  });

  it('refuses bad policies with codes naming the field, and keeps the policy in force', async () => {
    expect((await traffic(server.url, 'PUT', { mode: 'canary', challenger: 2, weight: 0.3 }, ADMIN_KEY)).status).toBe(200);
    const cases: [unknown, number, string, string][] = [
      [{ mode: 'canary', challenger: 2, weight: 1.5 }, 400, 'PLD_ERR_TRAFFIC_BAD_POLICY', 'weight'],
      [{ mode: 'canary', challenger: 9, weight: 0.1 }, 404, 'PLD_ERR_TRAFFIC_VERSION_NOT_FOUND', 'challenger'],
      [{ mode: 'shadow' }, 400, 'PLD_ERR_TRAFFIC_BAD_POLICY', 'challenger'],
      [{ mode: 'blue-green' }, 400, 'PLD_ERR_TRAFFIC_BAD_POLICY', 'mode'],
      [{ mode: 'sticky', challenger: 2, key: { cookie: 'id' } }, 400, 'PLD_ERR_TRAFFIC_BAD_POLICY', 'key'],
      [[1, 2], 400, 'PLD_ERR_TRAFFIC_BAD_POLICY', ''],
    ];
    for (const [body, status, code, field] of cases) {
      const answer = await traffic(server.url, 'PUT', body, ADMIN_KEY);
      expect(answer.status, JSON.stringify(body)).toBe(status);
      expect(answer.body.metadata).toMatchObject({ status: 'ERROR', error_type: code });
      if (field !== '') expect(answer.body.metadata.error_message).toMatch(new RegExp(`^${field} `));
    }
    expect((await traffic(server.url, 'GET', undefined, ADMIN_KEY)).body.policy).toMatchObject({ mode: 'canary', weight: 0.3 });
    const unknown = await fetch(`${server.url}/models/nope/traffic`, { headers: ADMIN_KEY });
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as Json).metadata.error_type).toBe('PLD_ERR_TRAFFIC_MODEL_NOT_FOUND');
    const perModel = await fetch(`${server.url}/models/default/traffic`, { headers: ADMIN_KEY });
    expect(((await perModel.json()) as Json).policy).toMatchObject({ mode: 'canary', weight: 0.3 });
    const post = await fetch(`${server.url}/admin/traffic`, { method: 'POST', headers: ADMIN_KEY });
    expect(post.status).toBe(405);
    const cli = pld(dir, ['admin', 'traffic', 'set', 'canary', '--challenger', '2', '--weight', '2']);
    expect(cli.status).toBe(2);
    expect(cli.stderr).toContain('PLD_ERR_TRAFFIC_BAD_POLICY: weight must be a number from 0 to 1');
    const missing = pld(dir, ['admin', 'traffic', 'set', 'shadow', '--challenger', '7']);
    expect(missing.status).toBe(6);
    expect(missing.stderr).toContain('PLD_ERR_TRAFFIC_VERSION_NOT_FOUND: challenger names version 7, which is not in the model store');
    expect((await traffic(server.url, 'DELETE', undefined, ADMIN_KEY)).status).toBe(200);
  });
});

describe('a traffic policy in the config', () => {
  it('is in force at start, and a bad one fails the start naming the key', async () => {
    const dir = twoVersionProject((config) => {
      config.traffic = { mode: 'canary', challenger: 2, weight: 1 };
    });
    const server = await startServer(dir);
    try {
      const answers = await predictAll(server.url, irisQueries(dir).slice(0, 10), 2);
      expect(answers.every((answer) => answer.metadata.model_version === 2)).toBe(true);
      expect(server.logs()).toContain("Traffic policy of model 'default' (config): canary: 100% of requests to version 2");
      // Without `traffic` in server.routes there is no admin route.
      expect((await fetch(`${server.url}/admin/traffic`)).status).toBe(404);
    } finally {
      expect(await server.stop()).toBe(0);
    }
    withConfig(dir, (config) => {
      config.traffic = { mode: 'canary', challenger: 2, weight: 7 };
    });
    const bad = pld(dir, ['serve', '--port', '0']);
    expect(bad.status).toBe(3);
    expect(bad.stderr).toMatch(/PLD_ERR_CONFIG_INVALID_PARAM: .*config\.json: traffic\.weight: Too big/);
    // What the JSON schema cannot say (fields per mode) the server checks at start, naming the key too.
    withConfig(dir, (config) => {
      config.traffic = { mode: 'shadow', challenger: 2, weight: 0.5 };
    });
    const extra = pld(dir, ['serve', '--port', '0']);
    expect(extra.status).toBe(3);
    expect(extra.stderr).toContain("PLD_ERR_CONFIG_INVALID_PARAM: traffic.weight is not a field of mode 'shadow'");
  });
});

/** A GET /predict over a fresh connection (so `--workers` round-robin picks a worker): its version and worker. */
function predictFresh(url: string, query: string): Promise<{ version: number; worker: number }> {
  return new Promise((resolve, reject) => {
    const request = get(`${url}/predict?${query}`, { agent: false, timeout: 3000 }, (response) => {
      let text = '';
      response.on('data', (chunk) => {
        text += chunk;
      });
      response.on('end', () => resolve({ version: JSON.parse(text).metadata.model_version, worker: Number(response.headers['x-pld-worker']) }));
    });
    request.on('timeout', () => request.destroy(new Error('timeout')));
    request.on('error', reject);
  });
}

describe('pld serve --workers 2 without a refresh schedule', () => {
  let server: RunningServer;
  let dir: string;

  beforeAll(async () => {
    dir = twoVersionProject((config) => {
      config.server = { routes: ['traffic'] };
    });
    server = await startServer(dir, ['--workers', '2']);
  });
  afterAll(async () => {
    if (server.process.exitCode === null) await server.stop();
  });

  it('a change through one worker reaches the other at once', async () => {
    const query = irisQueries(dir)[0];
    const put = await traffic(server.url, 'PUT', { mode: 'canary', challenger: 2, weight: 1 });
    expect(put.status).toBe(200);
    // The other worker re-reads the store when the primary relays the change; give the message a moment.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const answers = [];
    for (let i = 0; i < 30; i++) answers.push(await predictFresh(server.url, query));
    expect(new Set(answers.map((a) => a.worker)).size).toBe(2);
    expect(answers.every((a) => a.version === 2)).toBe(true);
  });
});
