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
import { readJsonLines } from '../prediction-log/jsonl-sink.js';
import { createServer } from '../app.js';

const EXAMPLE = fileURLToPath(new URL('../../../examples/iris/', import.meta.url));
const DIABETES = fileURLToPath(new URL('../../../test/fixtures/diabetes.csv', import.meta.url));
const IRIS_QUERY = 'sepal%20length=5.2&sepal%20width=3.5&petal%20length=1.5&petal%20width=0.2';
const DIABETES_FIELDS = ['age', 'sex', 'bmi', 'bp', 's1', 's2', 's3', 's4', 's5', 's6'];
const DIABETES_ROW = Object.fromEntries(DIABETES_FIELDS.map((f) => [f, 0.01]));

/**
 * Traffic policies, micro-batching and prediction logging are per model: a `models` entry's `traffic`
 * applies to that model only (its challenger is a version of its own store), batching and the log see
 * every model's routes and name the model.
 */
describe('several models with traffic, batching and prediction logging', () => {
  let app: FastifyInstance;
  let logPath: string;
  beforeAll(async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'pld-multi-policies-'));
    cpSync(path.join(EXAMPLE, 'iris.data'), path.join(dir, 'iris.data'));
    cpSync(DIABETES, path.join(dir, 'diabetes.csv'));
    logPath = path.join(dir, 'predictions.jsonl');
    const base = JSON.parse(readFileSync(path.join(EXAMPLE, 'config.json'), 'utf8')) as Record<string, unknown>;
    const diabetes = {
      dataset_loader_train: { __factory__: 'CSV', path: 'diabetes.csv', target_column: 'target' },
      model: { __factory__: 'LinearRegression' },
      model_persister: { __factory__: 'File', path: path.join(dir, 'diabetes-{version}') },
      predict_service: { __factory__: 'PredictService', mapping: DIABETES_FIELDS.map((f) => [f, 'float']) },
    };
    const data = {
      ...base,
      model_persister: { __factory__: 'File', path: path.join(dir, 'iris-{version}') },
      server: { routes: ['traffic'] },
      batching: true,
      prediction_log: { sink: { __factory__: 'JsonLinesSink', path: logPath } },
      models: { diabetes },
    };
    await fit(createContext(configFromObject(data, createRegistry(), dir), silentLogger), {});
    for (const nrows of [100, 442]) {
      const entry = { ...diabetes, dataset_loader_train: { ...diabetes.dataset_loader_train, nrows } };
      await fit(createContext(selectModel(configFromObject({ ...data, models: { diabetes: entry } }, createRegistry(), dir), 'diabetes'), silentLogger), {});
    }
    // Every diabetes request goes to its version 1; the iris model has no policy.
    const served = { ...data, models: { diabetes: { ...diabetes, traffic: { mode: 'canary', challenger: 1, weight: 1 } } } };
    app = (await createServer(createContext(configFromObject(served, createRegistry(), dir), silentLogger))).app;
  }, 60_000);
  afterAll(() => app?.close());

  it("applies a model entry's traffic policy to that model only", async () => {
    const diabetes = await app.inject({ method: 'POST', url: '/models/diabetes/predict', payload: [DIABETES_ROW] });
    expect(diabetes.json().metadata).toMatchObject({ model_name: 'diabetes', model_version: 1 });
    const pinned = await app.inject({ method: 'POST', url: '/models/diabetes/versions/2/predict', payload: [DIABETES_ROW] });
    expect(pinned.json().metadata).toMatchObject({ model_name: 'diabetes', model_version: 2 });
    const iris = await app.inject({ url: `/predict?${IRIS_QUERY}` });
    expect(iris.json().metadata).toMatchObject({ model_name: 'default', model_version: 1 });
    const policy = (await app.inject({ url: '/models/diabetes/traffic' })).json();
    expect(policy).toMatchObject({ model: 'diabetes', source: 'config', policy: { mode: 'canary', challenger: 1, weight: 1 } });
    expect((await app.inject({ url: '/models/default/traffic' })).json()).toMatchObject({ model: 'default', policy: { mode: 'none' } });
  });

  it('batches every model and logs each answer with its model and version', async () => {
    const answers = await Promise.all(Array.from({ length: 8 }, () => app.inject({ method: 'POST', url: '/models/diabetes/predict', payload: [DIABETES_ROW] })));
    expect(new Set(answers.map((a) => a.json().result[0])).size).toBe(1);
    const metrics = (await app.inject({ url: '/metrics' })).body;
    expect(metrics).toMatch(/pld_batch_requests_count\{[^}]*model="diabetes"/);
    await app.close();
    const models = new Set<string>();
    for await (const record of readJsonLines(logPath)) models.add(`${record.model}@${record.version}`);
    expect(models).toEqual(new Set(['diabetes@1', 'diabetes@2', 'default@1']));
  });
});
