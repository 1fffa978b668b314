import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyExample, PLD_BIN, pld, startServer, type RunningServer } from './helpers.js';

const json = (response: Response): Promise<any> => response.json();
const DIST_INDEX = fileURLToPath(new URL('../../dist/index.js', import.meta.url));
const QUERY = 'sepal%20length=5.2&sepal%20width=3.5&petal%20length=1.5&petal%20width=0.2';
const SETOSA = { 'sepal length': 5.2, 'sepal width': 3.5, 'petal length': 1.5, 'petal width': 0.2 };
const VIRGINICA = { 'sepal length': 6.9, 'sepal width': 3.1, 'petal length': 5.4, 'petal width': 2.1 };
const SECRET = 'e2e-shared-secret-long-enough-for-hs256';

/** Adds keys to the copied example's config.json. */
function extendConfig(dir: string, extra: Record<string, unknown>): void {
  const config = JSON.parse(readFileSync(path.join(dir, 'config.json'), 'utf8'));
  writeFileSync(path.join(dir, 'config.json'), JSON.stringify({ ...config, ...extra }, null, 2));
}

describe('pld serve with hooks, several services, a custom service and /fit', () => {
  let server: RunningServer;
  beforeAll(async () => {
    const dir = copyExample();
    const mapping = JSON.parse(readFileSync(path.join(dir, 'config.json'), 'utf8')).predict_service.mapping;
    writeFileSync(
      path.join(dir, 'my-service.ts'),
      [
        `import { PredictService } from ${JSON.stringify(DIST_INDEX)};`,
        'let next = 0;',
        'export class MyPredictService extends PredictService {',
        '  responseFromPrediction(prediction: any, single: boolean, model?: any) {',
        '    const response = super.responseFromPrediction(prediction, single, model);',
        '    response.body.metadata.prediction_id = `pred-${++next}`;',
        '    response.body.metadata.model_version = model?.metadata.version;',
        '    return response;',
        '  }',
        '}',
      ].join('\n'),
    );
    extendConfig(dir, {
      predict_decorators: [{ __factory__: 'ApiKeyAuth', keys: ['${API_KEY}'] }, 'RequestLogger'],
      basic_service: { __factory__: 'PredictService', mapping, entry_point: '/predict-basic', decorator_list_name: 'basic_decorators' },
      basic_decorators: [{ __factory__: 'BasicAuth', users: { alice: 'wonderland' } }],
      jwt_service: { __factory__: 'PredictService', mapping, entry_point: '/predict-jwt', decorator_list_name: 'jwt_decorators', predict_proba: true },
      jwt_decorators: [{ __factory__: 'JwtAuth', secret: '${JWT_SECRET}', audience: 'iris', scope: 'predict' }],
      id_service: { __factory__: './my-service.ts#MyPredictService', mapping, entry_point: '/predict-id', decorator_list_name: 'id_decorators' },
      server: { routes: ['fit'] },
      server_fit_decorators: [{ __factory__: 'ApiKeyAuth', keys: ['admin-key'] }],
    });
    const env = { API_KEY: 'k-e2e', JWT_SECRET: SECRET };
    expect(pld(dir, ['fit'], { env }).status).toBe(0);
    server = await startServer(dir, [], env);
  });
  afterAll(async () => {
    expect(await server?.stop()).toBe(0);
  });

  const get = (entry: string, headers: Record<string, string> = {}) => fetch(`${server.url}${entry}?${QUERY}`, { headers });
  const token = (scope: string) => new SignJWT({ sub: 'e2e', scope }).setProtectedHeader({ alg: 'HS256' }).setAudience('iris').sign(new TextEncoder().encode(SECRET));

  it('guards /predict with an API key from the environment: 401 JSON without it, a prediction with it', async () => {
    for (const headers of [{}, { 'x-api-key': 'wrong' }] as Record<string, string>[]) {
      const refused = await get('/predict', headers);
      expect(refused.status).toBe(401);
      const body = await json(refused);
      expect(body.result).toBeUndefined();
      expect(body.metadata).toMatchObject({ status: 'ERROR', service_name: 'iris', error_type: expect.stringMatching(/^PLD_ERR_AUTH_/) });
    }
    expect(await json(await get('/predict', { 'x-api-key': 'k-e2e' }))).toMatchObject({ result: 'Iris-setosa' });
    // The line is written once the response has gone out, so it may reach us just after the response.
    const logged = /GET \/predict\?\S+ 200 [\d.]+ ms list=predict_decorators user=key-0/;
    while (!logged.test(server.logs())) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(server.logs()).toMatch(logged);
  });

  it('guards a second entry point with Basic auth and its own list', async () => {
    const refused = await get('/predict-basic', { 'x-api-key': 'k-e2e' });
    expect(refused.status).toBe(401);
    expect(refused.headers.get('www-authenticate')).toMatch(/^Basic realm="palladium"/);
    const wrong = await get('/predict-basic', { authorization: `Basic ${Buffer.from('alice:nope').toString('base64')}` });
    expect(wrong.status).toBe(401);
    const ok = await get('/predict-basic', { authorization: `Basic ${Buffer.from('alice:wonderland').toString('base64')}` });
    expect(await json(ok)).toMatchObject({ result: 'Iris-setosa' });
  });

  it('guards a predict_proba service with JWT: 401 without a valid token, 403 without the scope', async () => {
    expect((await get('/predict-jwt')).status).toBe(401);
    expect((await get('/predict-jwt', { authorization: 'Bearer not-a-token' })).status).toBe(401);
    const noScope = await get('/predict-jwt', { authorization: `Bearer ${await token('list')}` });
    expect(noScope.status).toBe(403);
    expect((await json(noScope)).metadata.error_type).toBe('PLD_ERR_AUTH_FORBIDDEN');
    const ok = await get('/predict-jwt', { authorization: `Bearer ${await token('predict')}` });
    expect(await json(ok)).toMatchObject({ result: [1, 0, 0] });
  });

  it('serves a custom ./my-service.ts#MyPredictService that adds a prediction_id to each response', async () => {
    const first = await json(await get('/predict-id'));
    const second = await json(
      await fetch(`${server.url}/predict-id`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify([SETOSA, VIRGINICA]) }),
    );
    expect(first).toEqual({
      metadata: { service_name: 'iris', service_version: '0.1', status: 'OK', error_code: 0, prediction_id: 'pred-1', model_name: 'default', model_version: 1 },
      result: 'Iris-setosa',
    });
    expect(second.metadata.prediction_id).toBe('pred-2');
    expect(second.result).toEqual(['Iris-setosa', 'Iris-virginica']);
  });

  it('fits a new version in a job on POST /fit; /alive shows it finished and /predict answers from it', async () => {
    expect((await fetch(`${server.url}/fit`, { method: 'POST' })).status).toBe(401);
    const started = await fetch(`${server.url}/fit`, {
      method: 'POST',
      headers: { 'x-api-key': 'admin-key', 'content-type': 'application/x-www-form-urlencoded' },
      body: 'evaluate=t',
    });
    const { job_id } = await json(started);
    let jobs = (await json(await fetch(`${server.url}/alive`))).process_metadata.jobs;
    while (jobs[job_id].status === 'running') {
      await new Promise((resolve) => setTimeout(resolve, 20));
      jobs = (await json(await fetch(`${server.url}/alive`))).process_metadata.jobs;
    }
    expect(jobs[job_id]).toMatchObject({ func: 'fit', status: 'finished', info: { version: 2, activated: true } });
    expect(await json(await fetch(`${server.url}/jobs/${job_id}`, { headers: { 'x-api-key': 'admin-key' } }))).toMatchObject({ status: 'finished' });
    expect((await json(await get('/predict-id'))).metadata.model_version).toBe(2);
  });
});

describe('pld stream', () => {
  it('answers good lines on stdout, [] plus an error on stderr for bad ones, and exits 0 at exit', () => {
    const dir = copyExample();
    expect(pld(dir, ['fit']).status).toBe(0);
    const input = [JSON.stringify([SETOSA, VIRGINICA]), 'not json', JSON.stringify([{ 'sepal length': 1 }]), JSON.stringify(VIRGINICA), 'exit', JSON.stringify([SETOSA])].join(
      '\n',
    );
    const env = { ...process.env, PALLADIUM_CONFIG: 'config.json', NO_COLOR: '1' };
    const result = spawnSync(process.execPath, [PLD_BIN, 'stream'], { cwd: dir, input, env, encoding: 'utf8' });
    expect(result.status).toBe(0);
    expect(result.stdout).toBe('["Iris-setosa","Iris-virginica"]\n[]\n[]\n"Iris-virginica"\n');
    expect(result.stderr).toContain('Error while processing input row: not json\nPLD_ERR_PREDICT_BAD_INPUT: The line is not valid JSON');
    expect(result.stderr).toContain(`Error while processing input row: [{"sepal length":1}]\nPLD_ERR_PREDICT_MISSING_FIELD: item 0: missing field 'sepal width'`);

    // Installed as Palladium's pld-stream, reading until the end of input.
    const link = path.join(mkdtempSync(path.join(tmpdir(), 'pld-bin-')), 'pld-stream');
    symlinkSync(PLD_BIN, link);
    const alias = spawnSync(process.execPath, [link], { cwd: dir, input: `${JSON.stringify([SETOSA])}\n`, env, encoding: 'utf8' });
    expect([alias.status, alias.stdout]).toEqual([0, '["Iris-setosa"]\n']);
  });
});
