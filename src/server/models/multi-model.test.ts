import { cpSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContext } from '../../commands/context.js';
import { fit } from '../../commands/fit.js';
import { createRegistry } from '../../config/builtins.js';
import { configFromObject } from '../../config/config.js';
import { selectModel } from '../../config/models.js';
import { silentLogger } from '../../logging.js';
import { createFilePersister } from '../../persistence/file.js';
import type { Version } from '../../persistence/types.js';
import { createServer, type PldServer } from '../app.js';

const EXAMPLE = fileURLToPath(new URL('../../../examples/iris/', import.meta.url));
const DIABETES = fileURLToPath(new URL('../../../test/fixtures/diabetes.csv', import.meta.url));
const IRIS_QUERY = 'sepal%20length=5.2&sepal%20width=3.5&petal%20length=1.5&petal%20width=0.2';
const DIABETES_FIELDS = ['age', 'sex', 'bmi', 'bp', 's1', 's2', 's3', 's4', 's5', 's6'];
const DIABETES_ROW = Object.fromEntries(DIABETES_FIELDS.map((f) => [f, 0.01]));

/**
 * The iris example as the top-level model (`default`) and a diabetes regressor as `models.diabetes`,
 * with 3 versions of the regressor (version k fitted on the first 100·k rows), the last one active.
 */
async function twoModels(): Promise<{ server: PldServer; dir: string }> {
  const dir = mkdtempSync(path.join(tmpdir(), 'pld-multi-model-'));
  cpSync(path.join(EXAMPLE, 'iris.data'), path.join(dir, 'iris.data'));
  cpSync(DIABETES, path.join(dir, 'diabetes.csv'));
  const base = JSON.parse(readFileSync(path.join(EXAMPLE, 'config.json'), 'utf8')) as Record<string, unknown>;
  const data = {
    ...base,
    model_persister: { __factory__: 'File', path: path.join(dir, 'iris-{version}') },
    server: { max_loaded_versions: 1 },
    models: {
      diabetes: {
        dataset_loader_train: { __factory__: 'CSV', path: 'diabetes.csv', target_column: 'target' },
        model: { __factory__: 'LinearRegression' },
        model_persister: { __factory__: 'File', path: path.join(dir, 'diabetes-{version}') },
        predict_service: { __factory__: 'PredictService', mapping: DIABETES_FIELDS.map((f) => [f, 'float']) },
        service_metadata: { service_name: 'diabetes-regressor' },
      },
    },
  };
  const config = configFromObject(data, createRegistry(), dir);
  await fit(createContext(config, silentLogger), {});
  for (const nrows of [100, 200, 442]) {
    const entry = { ...data.models.diabetes, dataset_loader_train: { ...data.models.diabetes.dataset_loader_train, nrows } };
    await fit(createContext(selectModel(configFromObject({ ...data, models: { diabetes: entry } }, createRegistry(), dir), 'diabetes'), silentLogger), {});
  }
  // The server checks the regressor's active version on a schedule of its own (a CachedUpdatePersister over the same store).
  const cached = { __factory__: 'CachedUpdatePersister', impl: data.models.diabetes.model_persister, update_cache_interval: 3600 };
  const served = configFromObject({ ...data, models: { diabetes: { ...data.models.diabetes, model_persister: cached } } }, createRegistry(), dir);
  return { server: await createServer(createContext(served, silentLogger)), dir };
}

describe('one server, two models', () => {
  let server: PldServer;
  let app: FastifyInstance;
  let dir: string;
  beforeAll(async () => {
    ({ server, dir } = await twoModels());
    app = server.app;
  }, 60_000);
  afterAll(() => app.close());

  const predictDiabetes = async (url: string) => {
    const response = await app.inject({ method: 'POST', url, payload: [DIABETES_ROW] });
    return { status: response.statusCode, body: response.json() as { result: number[]; metadata: Record<string, unknown> } };
  };

  it('answers each model on its own routes, naming the model and version in the metadata', async () => {
    const iris = (await app.inject({ url: `/models/default/predict?${IRIS_QUERY}` })).json();
    expect(iris).toEqual({
      result: 'Iris-setosa',
      metadata: { service_name: 'iris', service_version: '0.1', status: 'OK', error_code: 0, model_name: 'default', model_version: 1 },
    });
    // The root keeps serving the primary (top-level) model.
    expect((await app.inject({ url: `/predict?${IRIS_QUERY}` })).json()).toEqual(iris);
    const diabetes = await predictDiabetes('/models/diabetes/predict');
    expect(diabetes.status).toBe(200);
    expect(typeof diabetes.body.result[0]).toBe('number');
    expect(diabetes.body.metadata).toMatchObject({ service_name: 'diabetes-regressor', model_name: 'diabetes', model_version: 3 });
    expect((await app.inject({ url: '/models/nope/predict' })).json().metadata.error_type).toBe('PLD_ERR_SERVER_ROUTE_NOT_FOUND');
  });

  it('pins a stored version, with a 404 and its code when the store has none', async () => {
    const answers = await Promise.all([1, 2, 3].map((v) => predictDiabetes(`/models/diabetes/versions/${v}/predict`)));
    expect(answers.map((a) => a.body.metadata.model_version)).toEqual([1, 2, 3]);
    // Three fits on different rows: three different answers.
    expect(new Set(answers.map((a) => a.body.result[0])).size).toBe(3);
    for (const missing of ['9', 'abc']) {
      const response = await predictDiabetes(`/models/diabetes/versions/${missing}/predict`);
      expect(response.status).toBe(404);
      expect(response.body.metadata).toMatchObject({ status: 'ERROR', error_type: 'PLD_ERR_PERSIST_VERSION_NOT_FOUND', error_code: 1501 });
    }
  });

  it('reports each model on /models/{name}/alive and /list, and all of them on the root /alive and /list', async () => {
    await predictDiabetes('/models/diabetes/versions/1/predict');
    await predictDiabetes('/models/diabetes/versions/2/predict');
    const alive = (await app.inject({ url: '/models/diabetes/alive' })).json();
    expect(alive).toMatchObject({ model_name: 'diabetes', version: 3, loaded_versions: [2], max_loaded_versions: 1, service_metadata: { service_name: 'diabetes-regressor' } });
    expect(alive.model.metadata.version).toBe(3);
    const root = (await app.inject({ url: '/alive' })).json();
    expect(root.service_metadata.service_name).toBe('iris');
    expect(root.models).toEqual({
      default: { version: 1, loaded_versions: [], max_loaded_versions: 1 },
      diabetes: { version: 3, loaded_versions: [2], max_loaded_versions: 1 },
    });
    const list = (await app.inject({ url: '/models/diabetes/list' })).json();
    expect(list.models.map((m: { version: number }) => m.version)).toEqual([1, 2, 3]);
    expect(list.properties['active-model']).toBe('3');
    expect((await app.inject({ url: '/list' })).json()).toMatchObject({ properties: { 'active-model': '1' }, model_names: ['default', 'diabetes'] });
  });

  it('serves every model over the Open Inference Protocol, pinned versions included', async () => {
    const inputs = DIABETES_FIELDS.map((name) => ({ name, shape: [1], datatype: 'FP64', data: [0.01] }));
    const infer = await app.inject({ method: 'POST', url: '/v2/models/diabetes/versions/2/infer', payload: { inputs } });
    expect(infer.statusCode).toBe(200);
    expect(infer.json()).toMatchObject({ model_name: 'diabetes', model_version: '2' });
    expect(infer.json().outputs[0].data[0]).toBeCloseTo((await predictDiabetes('/models/diabetes/versions/2/predict')).body.result[0], 10);
    expect((await app.inject({ url: '/v2/models/diabetes' })).json()).toMatchObject({ name: 'diabetes', versions: ['1', '2', '3'] });
    expect((await app.inject({ url: '/v2/models/iris/ready' })).statusCode).toBe(200);
    expect((await app.inject({ url: '/v2/models/default' })).json().name).toBe('iris');
    const unknown = await app.inject({ url: '/v2/models/nope' });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().error).toBe("Unknown model 'nope'; this server serves 'iris', 'diabetes'");
    expect((await app.inject({ url: '/v2/health/ready' })).statusCode).toBe(200);
  });

  it('labels /metrics by model and counts inactive-version loads and evictions per model', async () => {
    await predictDiabetes('/models/diabetes/versions/1/predict');
    await predictDiabetes('/models/diabetes/versions/2/predict');
    const text = (await app.inject({ url: '/metrics' })).body;
    expect(text).toMatch(/pld_predictions_total\{entry_point="\/predict",model="diabetes",version="2"\} \d+/);
    expect(text).toMatch(/pld_http_requests_total\{route="\/models\/diabetes\/versions\/:version\/predict",method="POST",status_class="2xx",model="diabetes",version="3"\} \d+/);
    expect(text).toMatch(/pld_model_version_load_duration_seconds_count\{model="diabetes"\} [1-9]/);
    expect(text).toMatch(/pld_model_version_evictions_total\{model="diabetes"\} [1-9]/);
    expect(text).toMatch(/pld_model_versions_loaded\{model="diabetes"\} 1\b/);
    expect(text).toMatch(/pld_model_active_version\{model="diabetes"\} 3/);
    expect(text).toMatch(/pld_model_active_version\{model="default"\} 1/);
  });

  it('documents every model route in the OpenAPI document', async () => {
    const document = (await app.inject({ url: '/openapi.json' })).json() as { paths: Record<string, Record<string, { summary?: string; parameters?: { name: string }[] }>> };
    for (const path of ['/models/diabetes/predict', '/models/diabetes/versions/{version}/predict', '/models/diabetes/alive', '/models/diabetes/list', '/models/default/predict']) {
      expect(document.paths[path], path).toBeDefined();
    }
    const pinned = document.paths['/models/diabetes/versions/{version}/predict'].post;
    expect(pinned.summary).toMatch(/pinned/i);
    expect(pinned.parameters?.map((p) => p.name)).toContain('version');
    expect(JSON.stringify(document.paths['/models/diabetes/predict'].get)).toContain('"bmi"');
  });

  it('refreshes each model on its own: /models/{name}/update-model-cache and its schedule', async () => {
    // Only the regressor's store is a CachedUpdatePersister: the primary model has no refresh route.
    expect((await app.inject({ method: 'POST', url: '/update-model-cache' })).statusCode).toBe(404);
    expect((await app.inject({ url: '/models/diabetes/alive' })).json().model_cache).toMatchObject({ schedule: expect.stringContaining('3600') });
    const store = createFilePersister({ path: path.join(dir, 'diabetes-{version}') }, { baseDir: dir });
    await store.activate(2 as Version);
    const refreshed = (await app.inject({ method: 'POST', url: '/models/diabetes/update-model-cache' })).json();
    expect(refreshed).toMatchObject({ status: 'finished', changed: true, version: 2, previous: 3 });
    expect((await predictDiabetes('/models/diabetes/predict')).body.metadata.model_version).toBe(2);
    expect((await app.inject({ url: `/models/default/predict?${IRIS_QUERY}` })).json().metadata.model_version).toBe(1);
    // The version served before joins the LRU, so pinning it costs no read.
    expect(server.models.get('diabetes')?.versions.cached).toContain(3);
    await store.activate(3 as Version);
    expect((await app.inject({ method: 'POST', url: '/models/diabetes/update-model-cache' })).json()).toMatchObject({ changed: true, version: 3 });
  });
});
