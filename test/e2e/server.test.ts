import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyExample, pld, startServer, type RunningServer } from './helpers.js';

// biome-ignore lint/suspicious/noExplicitAny: response bodies are checked field by field
const json = (response: Response): Promise<any> => response.json();
const QUERY = 'sepal%20length=5.2&sepal%20width=3.5&petal%20length=1.5&petal%20width=0.2';
const SETOSA = { 'sepal length': 5.2, 'sepal width': 3.5, 'petal length': 1.5, 'petal width': 0.2 };
const METADATA = { status: 'OK', error_code: 0, service_name: 'iris', service_version: '0.1', model_name: 'default', model_version: 1 };

describe('pld serve on the iris example', () => {
  let server: RunningServer;
  let dir: string;

  beforeAll(async () => {
    dir = copyExample();
    expect(pld(dir, ['fit', '--evaluate']).status).toBe(0);
    server = await startServer(dir);
  });
  afterAll(async () => {
    expect(await server?.stop()).toBe(0);
  });

  it("answers GET /predict with Palladium's JSON", async () => {
    const response = await fetch(`${server.url}/predict?${QUERY}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(await json(response)).toEqual({ metadata: METADATA, result: 'Iris-setosa' });
    const plus = await fetch(`${server.url}/predict?sepal+length=6.9&sepal+width=3.1&petal+length=5.4&petal+width=2.1`);
    expect((await json(plus)).result).toBe('Iris-virginica');
  });

  it('answers POST /predict with a list of results', async () => {
    const body = [SETOSA, { 'sepal length': 6.9, 'sepal width': 3.1, 'petal length': 5.4, 'petal width': 2.1 }];
    const response = await fetch(`${server.url}/predict`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect(response.status).toBe(200);
    expect(await json(response)).toEqual({ metadata: METADATA, result: ['Iris-setosa', 'Iris-virginica'] });
  });

  it("answers /alive with Palladium's fields and the model metadata", async () => {
    const response = await fetch(`${server.url}/alive`);
    expect(response.status).toBe(200);
    const body = await json(response);
    expect(body).toMatchObject({ service_metadata: { service_name: 'iris', service_version: '0.1' }, process_metadata: {} });
    expect(typeof body.memory_usage).toBe('number');
    expect(typeof body.memory_usage_vms).toBe('number');
    expect(body.palladium_version).toMatch(/^\d+\.\d+\.\d+/);
    expect(body.model.updated).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(body.model.metadata).toMatchObject({ version: 1, score_train: 1 });
    expect(typeof body.model.metadata.score_test).toBe('number');
    expect(typeof body.model.metadata.train_timestamp).toBe('string');
  });

  it('answers /list with the models and properties', async () => {
    const body = await json(await fetch(`${server.url}/list`));
    expect(body.models.map((model: { version: number }) => model.version)).toEqual([1]);
    expect(body.properties).toMatchObject({ 'active-model': '1', 'db-version': expect.any(String) });
  });

  const post = (body: string, type = 'application/json') => fetch(`${server.url}/predict`, { method: 'POST', headers: { 'content-type': type }, body });
  it.each([
    ['a missing feature', () => fetch(`${server.url}/predict?sepal%20length=5.2&sepal%20width=3.5&petal%20length=1.5`), /missing field 'petal width'/],
    ['no features at all', () => fetch(`${server.url}/predict`), /missing field 'sepal length'/],
    ['a non-numeric feature', () => fetch(`${server.url}/predict?${QUERY.replace('0.2', 'abc')}`), /Field 'petal width' must be a finite number \(float\), got "abc"/],
    ['an empty feature', () => fetch(`${server.url}/predict?${QUERY.replace('0.2', '')}`), /Field 'petal width' must be a finite number/],
    ['a NaN', () => fetch(`${server.url}/predict?${QUERY.replace('5.2', 'nan')}`), /Field 'sepal length' must be a finite number/],
    ['malformed JSON', () => post('[{"sepal length": 5.2,'), /not valid JSON/],
    ['a body that is not a list', () => post(JSON.stringify(SETOSA)), /must be a JSON list of objects, got an object/],
    ['an empty list', () => post('[]'), /empty list/],
    ['a null value', () => post(JSON.stringify([{ ...SETOSA, 'petal width': null }])), /Field 'petal width' must be a finite number \(float\), got null/],
    ['a sample missing a key', () => post(JSON.stringify([{ 'sepal length': 1 }])), /item 0: missing field 'sepal width'/],
    ['a form body', () => post('a=1', 'application/x-www-form-urlencoded'), /Content-Type/],
    ['an empty JSON body', () => post(''), /empty/],
  ])('answers %s with a 400 naming the field, never a 500', async (_name, request, message) => {
    const response = await request();
    expect(response.status).toBe(400);
    const body = await json(response);
    expect(body.metadata).toMatchObject({ status: 'ERROR', service_name: 'iris' });
    expect(body.metadata.error_code).not.toBe(0);
    expect(body.metadata.error_message).toMatch(message);
    expect(body.metadata.error_type).toMatch(/^PLD_ERR_PREDICT_/);
  });

  it('answers unknown routes and methods with JSON 404 and 405', async () => {
    const missing = await fetch(`${server.url}/nope`);
    expect(missing.status).toBe(404);
    expect((await json(missing)).metadata).toMatchObject({ status: 'ERROR', error_type: 'PLD_ERR_SERVER_ROUTE_NOT_FOUND' });
    const wrong = await fetch(`${server.url}/predict`, { method: 'PUT' });
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get('allow')).toContain('POST');
  });
});

describe('pld serve without a model', () => {
  it('starts, answers /alive and /predict with 503, and picks up the first fitted model without a restart', async () => {
    const dir = copyExample();
    const server = await startServer(dir);
    try {
      const alive = await fetch(`${server.url}/alive`);
      expect(alive.status).toBe(503);
      expect((await json(alive)).model).toBe('N/A');
      const predict = await fetch(`${server.url}/predict?${QUERY}`);
      expect(predict.status).toBe(503);
      expect((await json(predict)).metadata).toMatchObject({ status: 'ERROR', error_type: 'PLD_ERR_SERVER_MODEL_NOT_LOADED' });
      expect(pld(dir, ['fit']).status).toBe(0);
      await new Promise((resolve) => setTimeout(resolve, 1100));
      expect((await fetch(`${server.url}/alive`)).status).toBe(200);
      const after = await fetch(`${server.url}/predict?${QUERY}`);
      expect(await json(after)).toMatchObject({ result: 'Iris-setosa' });
    } finally {
      await server.stop();
    }
  });

  it('runs as pld devserver with --host and --port', async () => {
    const dir = copyExample();
    expect(pld(dir, ['fit']).status).toBe(0);
    const server = await startServer(dir, ['--log-requests'], {}, 'devserver');
    try {
      expect((await fetch(`${server.url}/predict?${QUERY}`)).status).toBe(200);
      expect(server.logs()).toMatch(/Try: curl 'http:\/\/127\.0\.0\.1:\d+\/predict\?sepal%20length=1/);
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(server.logs()).toMatch(/GET \/predict\?\S+ 200/);
    } finally {
      await server.stop();
    }
  });
});
