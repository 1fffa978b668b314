import { cpSync, mkdtempSync, readFileSync, renameSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createContext } from '../commands/context.js';
import { fit } from '../commands/fit.js';
import { createRegistry } from '../config/builtins.js';
import { configFromObject } from '../config/config.js';
import { silentLogger } from '../logging.js';
import { createServer, type PldServer } from './app.js';

const EXAMPLE = fileURLToPath(new URL('../../examples/iris/', import.meta.url));
const QUERY = 'sepal%20length=5.2&sepal%20width=3.5&petal%20length=1.5&petal%20width=0.2';
const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

/** A copy of the iris example with a fitted version 1, plus `extra` config keys. */
async function irisServer(extra: Record<string, unknown>): Promise<PldServer & { dir: string }> {
  const dir = mkdtempSync(path.join(tmpdir(), 'pld-server-api-'));
  cpSync(path.join(EXAMPLE, 'iris.data'), path.join(dir, 'iris.data'));
  const base = JSON.parse(readFileSync(path.join(EXAMPLE, 'config.json'), 'utf8')) as Record<string, unknown>;
  const config = configFromObject({ ...base, model_persister: { __factory__: 'File', path: path.join(dir, 'iris-model-{version}') }, ...extra }, createRegistry(), dir);
  const ctx = createContext(config, silentLogger);
  await fit(ctx, {});
  return { ...(await createServer(ctx)), dir };
}

const mapping = [
  ['sepal length', 'float'],
  ['sepal width', 'float'],
  ['petal length', 'float'],
  ['petal width', 'float'],
];

describe('predict services with their own hook lists', () => {
  let server: PldServer;
  let app: FastifyInstance;
  beforeAll(async () => {
    server = await irisServer({
      predict_decorators: [{ __factory__: 'ApiKeyAuth', keys: ['k-predict'] }],
      proba_service: { __factory__: 'PredictService', mapping, entry_point: '/proba', predict_proba: true, decorator_list_name: 'proba_decorators' },
      proba_decorators: [{ __factory__: 'BasicAuth', users: { alice: 'pw' } }],
      list_decorators: [{ __factory__: 'ApiKeyAuth', keys: ['k-list'] }],
      alive_decorators: ['RequestLogger'],
    });
    app = server.app;
  });
  afterAll(() => app.close());

  it('refuses /predict without its API key with a 401 in the service shape, never calling the model', async () => {
    const predict = vi.spyOn(server.holder.current!.estimator, 'predict');
    const response = await app.inject({ url: `/predict?${QUERY}` });
    expect(response.statusCode).toBe(401);
    expect(response.json()).toEqual({
      metadata: {
        service_name: 'iris',
        service_version: '0.1',
        status: 'ERROR',
        error_code: 1801,
        error_type: 'PLD_ERR_AUTH_MISSING_CREDENTIALS',
        error_message: expect.any(String),
      },
    });
    expect((await app.inject({ url: `/predict?${QUERY}`, headers: { 'x-api-key': 'k-list' } })).statusCode).toBe(401);
    expect(predict).not.toHaveBeenCalled();
    const ok = await app.inject({ url: `/predict?${QUERY}`, headers: { 'x-api-key': 'k-predict' } });
    expect(ok.json()).toMatchObject({ metadata: { status: 'OK' }, result: 'Iris-setosa' });
    expect(predict).toHaveBeenCalledTimes(1);
  });

  it('serves probabilities at a second entry point behind its own list (Basic auth)', async () => {
    const refused = await app.inject({ url: `/proba?${QUERY}`, headers: { 'x-api-key': 'k-predict' } });
    expect(refused.statusCode).toBe(401);
    expect(refused.headers['www-authenticate']).toMatch(/^Basic realm="palladium"/);
    const ok = await app.inject({ url: `/proba?${QUERY}`, headers: { authorization: basic('alice', 'pw') } });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().result).toEqual([1, 0, 0]);
  });

  it('applies list_decorators to /list and alive_decorators to /alive', async () => {
    const refused = await app.inject({ url: '/list' });
    expect(refused.statusCode).toBe(401);
    expect(refused.json().metadata).toMatchObject({ status: 'ERROR', service_name: 'iris', error_type: 'PLD_ERR_AUTH_MISSING_CREDENTIALS' });
    const ok = await app.inject({ url: '/list', headers: { 'x-api-key': 'k-list' } });
    expect(ok.json().properties['active-model']).toBe('1');
    const alive = await app.inject({ url: '/alive' });
    expect(alive.statusCode).toBe(200);
    expect(alive.json().process_metadata).toEqual({});
  });

  it('does not mount the opt-in routes unless server.routes lists them', async () => {
    expect((await app.inject({ method: 'POST', url: '/fit' })).statusCode).toBe(404);
    expect((await app.inject({ method: 'POST', url: '/activate', payload: { model_version: 1 } })).statusCode).toBe(404);
  });
});

describe('opt-in /fit, /jobs and /activate', () => {
  let server: PldServer & { dir: string };
  let app: FastifyInstance;
  const admin = { 'x-api-key': 'admin' };
  beforeAll(async () => {
    server = await irisServer({
      server: { routes: ['fit', 'activate'] },
      server_fit_decorators: [{ __factory__: 'ApiKeyAuth', keys: ['admin'] }],
      activate_decorators: [{ __factory__: 'ApiKeyAuth', keys: ['admin'] }],
    });
    app = server.app;
  });
  afterAll(() => app.close());

  const form = (url: string, body: string, headers: Record<string, string> = admin) =>
    app.inject({ method: 'POST', url, payload: body, headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' } });
  const settle = async (id: string) => {
    let job = (await app.inject({ url: `/jobs/${id}`, headers: admin })).json();
    while (job.status === 'running') {
      await new Promise((resolve) => setTimeout(resolve, 10));
      job = (await app.inject({ url: `/jobs/${id}`, headers: admin })).json();
    }
    return job;
  };

  it('refuses /fit and /activate without the admin key and starts no job', async () => {
    expect((await form('/fit', 'evaluate=1', {})).statusCode).toBe(401);
    expect((await app.inject({ method: 'POST', url: '/activate', payload: { model_version: 1 } })).statusCode).toBe(401);
    expect((await app.inject({ url: '/alive' })).json().process_metadata).toEqual({});
  });

  it('fits in a job from a form body, shows it in /alive and /jobs/{id}, then serves the new version', async () => {
    const response = await form('/fit', 'evaluate=T&activate=true');
    expect(response.statusCode).toBe(200);
    const { job_id } = response.json();
    expect(job_id).toMatch(/^[0-9a-f-]{36}$/);
    const job = await settle(job_id);
    expect(job).toMatchObject({ id: job_id, func: 'fit', status: 'finished', info: { version: 2, persisted: true, activated: true, score_train: 1 } });
    expect(typeof job.info.score_test).toBe('number');
    const alive = (await app.inject({ url: '/alive' })).json();
    expect(alive.process_metadata.jobs[job_id]).toMatchObject({ func: 'fit', status: 'finished', started: expect.stringMatching(/^\d{4}-/) });
    expect(alive.model.metadata.version).toBe(2);
    expect(server.holder.current?.metadata.version).toBe(2);
    expect((await app.inject({ url: `/predict?${QUERY}` })).json().result).toBe('Iris-setosa');
  });

  it('honours the query string and JSON bodies (Palladium read only the form)', async () => {
    const byQuery = await settle((await app.inject({ method: 'POST', url: '/fit?persist=0', headers: admin })).json().job_id);
    expect(byQuery.info).toMatchObject({ version: null, persisted: false, activated: false });
    const byJson = await settle((await app.inject({ method: 'POST', url: '/fit', headers: admin, payload: { persist: true, activate: false } })).json().job_id);
    expect(byJson.info).toMatchObject({ version: 3, persisted: true, activated: false });
    expect(server.holder.current?.metadata.version).toBe(2);
  });

  it.each([
    ['an unknown field', 'evalute=1', /Unknown field 'evalute'; expected 'persist', 'activate', 'evaluate', 'persist_if_better_than'/],
    ['a non-boolean', 'evaluate=maybe', /Field 'evaluate' must be true or false .*got "maybe"/],
    ['a non-number', 'persist_if_better_than=high', /Field 'persist_if_better_than' must be a number, got "high"/],
  ])('answers /fit with %s with a 400 naming the field', async (_name, body, message) => {
    const response = await form('/fit', body);
    expect(response.statusCode).toBe(400);
    expect(response.json().metadata).toMatchObject({ status: 'ERROR', error_type: 'PLD_ERR_SERVER_BAD_FIELD', error_message: expect.stringMatching(message) });
  });

  it('records a failed fit as an error job and keeps serving the active model', async () => {
    renameSync(path.join(server.dir, 'iris.data'), path.join(server.dir, 'moved.data'));
    try {
      const job = await settle((await form('/fit', 'activate=1')).json().job_id);
      expect(job).toMatchObject({ status: 'error', info: { error_type: 'PLD_ERR_DATA_FILE_NOT_FOUND' } });
    } finally {
      renameSync(path.join(server.dir, 'moved.data'), path.join(server.dir, 'iris.data'));
    }
    expect(server.holder.current?.metadata.version).toBe(2);
    expect((await app.inject({ url: `/predict?${QUERY}` })).statusCode).toBe(200);
  });

  it('answers an unknown job id with a 404 JSON body', async () => {
    const response = await app.inject({ url: '/jobs/nope', headers: admin });
    expect(response.statusCode).toBe(404);
    expect(response.json().metadata).toMatchObject({ error_type: 'PLD_ERR_SERVER_JOB_NOT_FOUND', error_message: "No job with id 'nope'" });
  });

  it('activates a version from JSON or a form, answers the /list body and serves it at once', async () => {
    const byJson = await app.inject({ method: 'POST', url: '/activate', headers: admin, payload: { model_version: 1 } });
    expect(byJson.statusCode).toBe(200);
    expect(byJson.json().properties['active-model']).toBe('1');
    expect(byJson.json().models.map((m: { version: number }) => m.version)).toEqual([1, 2, 3]);
    expect(server.holder.current?.metadata.version).toBe(1);
    const byForm = (await form('/activate', 'model_version=3')).json();
    expect(byForm.properties['active-model']).toBe('3');
    expect(server.holder.current?.metadata.version).toBe(3);
    // The history says these came over HTTP, not from the CLI that may have started the server.
    expect(byForm.history.slice(-2).map((entry: { version: number; via: string }) => [entry.version, entry.via])).toEqual([
      [1, 'http'],
      [3, 'http'],
    ]);
  });

  it.each([
    ['an unknown version', 'model_version=99', 404, 'PLD_ERR_PERSIST_VERSION_NOT_FOUND', /99/],
    ['a non-integer', 'model_version=abc', 400, 'PLD_ERR_PERSIST_BAD_VERSION', /model_version must be a positive integer, got "abc"/],
    ['no version', '', 400, 'PLD_ERR_SERVER_BAD_FIELD', /Field 'model_version' is required/],
  ])('answers /activate with %s with JSON, not an HTML page', async (_name, body, status, code, message) => {
    const response = await form('/activate', body);
    expect(response.statusCode).toBe(status);
    expect(response.json().metadata).toMatchObject({ error_type: code, error_message: expect.stringMatching(message) });
    expect(server.holder.current?.metadata.version).toBe(3);
  });

  it('still refuses form bodies on /predict', async () => {
    const response = await app.inject({ method: 'POST', url: '/predict', payload: 'a=1', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(response.statusCode).toBe(400);
    expect(response.json().metadata.error_message).toMatch(/Content-Type/);
  });
});
