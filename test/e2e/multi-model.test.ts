import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PLD_BIN, pld, type RunningServer, startServer } from './helpers.js';
import { onnxAvailable, regressorOnnx } from './onnx-models.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/', import.meta.url));
const IRIS = ['sepal length', 'sepal width', 'petal length', 'petal width'];
const DIABETES = ['age', 'sex', 'bmi', 'bp', 's1', 's2', 's3', 's4', 's5', 's6'];
const SETOSA = { 'sepal length': 5.2, 'sepal width': 3.5, 'petal length': 1.5, 'petal width': 0.2 };
const PATIENT = Object.fromEntries(DIABETES.map((f) => [f, 0.02]));
const IRIS_VERSIONS = 20;
const MAX_LOADED = 3;

const post = (url: string, body: unknown) => fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
const json = async (response: Response) => (await response.json()) as { metadata: Record<string, unknown>; result: unknown; [key: string]: unknown };

/**
 * Three models in one config: an iris classifier (20 versions, max_loaded_versions 3), a diabetes
 * regressor and, when onnxruntime loads here, an ONNX regressor, each with its own File store.
 */
function workdir(withOnnx: boolean): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'pld-multi-model-e2e-'));
  cpSync(path.join(FIXTURES, 'iris.data'), path.join(dir, 'iris.data'));
  cpSync(path.join(FIXTURES, 'diabetes.csv'), path.join(dir, 'diabetes.csv'));
  const models: Record<string, unknown> = {
    iris: {
      dataset_loader_train: { __factory__: 'Table', path: 'iris.data', names: [...IRIS, 'species'], target_column: 'species', sep: ',' },
      model: { __factory__: 'DecisionTreeClassifier', max_depth: 3 },
      model_persister: { __factory__: 'File', path: 'store/iris-{version}' },
      predict_service: { __factory__: 'PredictService', mapping: IRIS.map((f) => [f, 'float']) },
      proba_service: { __factory__: 'PredictService', mapping: IRIS.map((f) => [f, 'float']), entry_point: '/proba', predict_proba: true },
      service_metadata: { service_name: 'iris-classifier' },
      max_loaded_versions: MAX_LOADED,
    },
    diabetes: {
      dataset_loader_train: { __factory__: 'CSV', path: 'diabetes.csv', target_column: 'target' },
      dataset_loader_test: { __factory__: 'CSV', path: 'diabetes.csv', target_column: 'target', nrows: 100 },
      model: { __factory__: 'LinearRegression' },
      model_persister: { __factory__: 'File', path: 'store/diabetes-{version}' },
      predict_service: { __factory__: 'PredictService', mapping: DIABETES.map((f) => [f, 'float']) },
    },
  };
  if (withOnnx) {
    writeFileSync(path.join(dir, 'regressor.onnx'), regressorOnnx());
    models.onnx = {
      dataset_loader_train: { __factory__: 'Table', path: 'iris.data', names: [...IRIS, 'species'], target_column: 'species', sep: ',' },
      model: { __factory__: 'OnnxModel', path: 'regressor.onnx', type: 'regressor' },
      model_persister: { __factory__: 'File', path: 'store/onnx-{version}' },
      predict_service: {
        __factory__: 'PredictService',
        mapping: [
          ['sepal length', 'float'],
          ['sepal width', 'float'],
        ],
      },
    };
  }
  writeFileSync(path.join(dir, 'config.json'), JSON.stringify({ server: { max_loaded_versions: 2 }, models }));
  return dir;
}

/** `pld <args>` without blocking the event loop, so several fits can run at once. */
function pldAsync(cwd: string, args: string[]): Promise<{ status: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [PLD_BIN, ...args], { cwd, env: { ...process.env, PALLADIUM_CONFIG: 'config.json', NO_COLOR: '1' } });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('exit', (status) => resolve({ status, stderr }));
  });
}

describe('pld --model NAME with a config of several models', () => {
  let dir: string;
  beforeAll(() => {
    dir = workdir(false);
  });

  it('refuses to guess: no --model is PLD_ERR_CONFIG_MODEL_REQUIRED, an unknown one PLD_ERR_CONFIG_UNKNOWN_MODEL naming the known models', () => {
    const none = pld(dir, ['fit']);
    expect(none.status).toBe(2);
    expect(none.stderr).toMatch(/PLD_ERR_CONFIG_MODEL_REQUIRED/);
    expect(none.stderr).toMatch(/'iris', 'diabetes'.*--model NAME/);
    const unknown = pld(dir, ['list', '--model', 'fraud']);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toMatch(/PLD_ERR_CONFIG_UNKNOWN_MODEL.*Unknown model 'fraud'; the config defines 'iris', 'diabetes'/);
  });

  it('fits, tests, lists and activates one model at a time, each in its own store', () => {
    for (let i = 0; i < 2; i++) expect(pld(dir, ['fit', '--model', 'diabetes']).status).toBe(0);
    const listed = JSON.parse(pld(dir, ['list', '--model', 'diabetes', '--json']).stdout) as { models: { version: number }[]; properties: Record<string, string> };
    expect(listed.models.map((m) => m.version)).toEqual([1, 2]);
    expect(listed.properties['active-model']).toBe('2');
    expect(pld(dir, ['admin', 'activate', '1', '--model', 'diabetes']).status).toBe(0);
    expect(JSON.parse(pld(dir, ['-m', 'diabetes', 'list', '--json']).stdout).properties['active-model']).toBe('1');
    const tested = pld(dir, ['test', '--model', 'diabetes', '--json']);
    expect(tested.status, tested.stderr).toBe(0);
    expect(Object.keys(JSON.parse(tested.stdout))).toContain('scores');
    // The iris store is untouched; pld test on it names the missing key under its entry.
    expect(JSON.parse(pld(dir, ['list', '--model', 'iris', '--json']).stdout).models).toEqual([]);
    const noTest = pld(dir, ['test', '--model', 'iris']);
    expect(noTest.status).not.toBe(0);
    expect(noTest.stderr).toMatch(/models\.iris\.(dataset_loader_test|model_persister)|no active model|PLD_ERR_PERSIST/i);
  });

  it('config --validate creates the components of every entry and names a bad one by its key path', () => {
    const ok = pld(dir, ['config', '--validate', '--json']);
    expect(ok.status, ok.stderr).toBe(0);
    expect(JSON.parse(ok.stdout).components.map((c: { key: string }) => c.key)).toContain('models.diabetes.model_persister');
    const bad = path.join(dir, 'bad.json');
    writeFileSync(
      bad,
      JSON.stringify({ models: { fraud: { model_persister: { __factory__: 'File', path: 'x-{version}' }, model: { __factory__: 'DecisionTreeClassifier', max_depth: -1 } } } }),
    );
    const refused = pld(dir, ['config', '--validate', '--config', bad]);
    expect(refused.status).toBe(3);
    expect(refused.stderr).toMatch(/models\.fraud\.model\.max_depth/);
  });
});

describe('one pld serve, three models', () => {
  let dir: string;
  let server: RunningServer;
  let withOnnx = false;

  beforeAll(async () => {
    withOnnx = await onnxAvailable();
    dir = workdir(withOnnx);
    expect(pld(dir, ['fit', '--model', 'diabetes']).status).toBe(0);
    if (withOnnx) expect(pld(dir, ['fit', '--model', 'onnx']).status).toBe(0);
    // 20 iris versions, four fits at a time; the store gives concurrent fits distinct versions.
    for (let i = 0; i < IRIS_VERSIONS; i += 4) {
      const fits = await Promise.all(Array.from({ length: Math.min(4, IRIS_VERSIONS - i) }, () => pldAsync(dir, ['fit', '--model', 'iris'])));
      for (const fit of fits) expect(fit.status, fit.stderr).toBe(0);
    }
    expect(pld(dir, ['admin', 'activate', String(IRIS_VERSIONS), '--model', 'iris']).status).toBe(0);
    server = await startServer(dir);
  }, 240_000);

  afterAll(async () => {
    await server?.stop();
  });

  it('answers each model on /models/{name}/predict, naming the model and the version that answered', async () => {
    const iris = await json(await fetch(`${server.url}/models/iris/predict?${new URLSearchParams(Object.entries(SETOSA).map(([k, v]): [string, string] => [k, String(v)]))}`));
    expect(iris).toEqual({ result: 'Iris-setosa', metadata: { service_name: 'iris-classifier', status: 'OK', error_code: 0, model_name: 'iris', model_version: IRIS_VERSIONS } });
    const proba = await json(await post(`${server.url}/models/iris/proba`, [SETOSA]));
    expect((proba.result as number[][])[0]).toHaveLength(3);
    const diabetes = await json(await post(`${server.url}/models/diabetes/predict`, [PATIENT, PATIENT]));
    expect(diabetes.metadata).toMatchObject({ model_name: 'diabetes', model_version: 1 });
    expect((diabetes.result as number[])[0]).toBeGreaterThan(0);
    // The root routes serve the first model, in Palladium's shapes.
    expect((await json(await post(`${server.url}/predict`, [SETOSA]))).metadata.model_name).toBe('iris');
    if (withOnnx) {
      const onnx = await json(await post(`${server.url}/models/onnx/predict`, [SETOSA]));
      expect(onnx.metadata).toMatchObject({ model_name: 'onnx', model_version: 1 });
      expect((onnx.result as number[])[0]).toBeCloseTo(0.5 * 5.2 - 0.25 * 3.5 + 1, 5);
      const infer = (await (
        await post(`${server.url}/v2/models/onnx/infer`, {
          inputs: [
            { name: 'sepal length', shape: [1], datatype: 'FP64', data: [5.2] },
            { name: 'sepal width', shape: [1], datatype: 'FP64', data: [3.5] },
          ],
        })
      ).json()) as {
        model_name: string;
        outputs: { data: number[] }[];
      };
      expect(infer.model_name).toBe('onnx');
      expect(infer.outputs[0].data[0]).toBeCloseTo(0.5 * 5.2 - 0.25 * 3.5 + 1, 5);
    }
    const infer = await post(`${server.url}/v2/models/diabetes/infer`, { inputs: [{ name: 'x', shape: [1, DIABETES.length], datatype: 'FP64', data: DIABETES.map(() => 0.02) }] });
    expect(((await infer.json()) as { outputs: { data: number[] }[] }).outputs[0].data[0]).toBeCloseTo((diabetes.result as number[])[0], 8);
  });

  it('pins versions; an unknown one is a 404 with its code', async () => {
    for (const version of [1, 7, IRIS_VERSIONS]) {
      const pinned = await json(await post(`${server.url}/models/iris/versions/${version}/predict`, [SETOSA]));
      expect(pinned.metadata).toMatchObject({ model_name: 'iris', model_version: version });
    }
    const missing = await post(`${server.url}/models/iris/versions/${IRIS_VERSIONS + 1}/predict`, [SETOSA]);
    expect(missing.status).toBe(404);
    expect((await json(missing)).metadata).toMatchObject({ status: 'ERROR', error_type: 'PLD_ERR_PERSIST_VERSION_NOT_FOUND' });
    const oip = await post(`${server.url}/v2/models/iris/versions/3/infer`, { inputs: [{ name: 'x', shape: [1, 4], datatype: 'FP64', data: Object.values(SETOSA) }] });
    expect(((await oip.json()) as { model_version: string }).model_version).toBe('3');
  });

  it(`walks all ${IRIS_VERSIONS} versions and never holds more than max_loaded_versions=${MAX_LOADED} inactive ones`, async () => {
    for (let version = 1; version <= IRIS_VERSIONS; version++) {
      const answer = await json(await post(`${server.url}/models/iris/versions/${version}/predict`, [SETOSA]));
      expect(answer.metadata.model_version).toBe(version);
      const alive = await json(await fetch(`${server.url}/models/iris/alive`));
      expect((alive.loaded_versions as number[]).length).toBeLessThanOrEqual(MAX_LOADED);
      expect(alive.max_loaded_versions).toBe(MAX_LOADED);
    }
    const alive = await json(await fetch(`${server.url}/models/iris/alive`));
    expect(alive.loaded_versions).toEqual([17, 18, 19]);
    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    expect(metrics).toMatch(new RegExp(`pld_model_versions_loaded\\{model="iris"\\} ${MAX_LOADED}\\b`));
    const evictions = Number(/pld_model_version_evictions_total\{model="iris"\} (\d+)/.exec(metrics)?.[1]);
    const loads = Number(/pld_model_version_load_duration_seconds_count\{model="iris"\} (\d+)/.exec(metrics)?.[1]);
    // Every inactive version read stays in memory or was evicted: nothing else holds one.
    expect(loads - evictions).toBe(MAX_LOADED);
    expect(evictions).toBeGreaterThanOrEqual(IRIS_VERSIONS - 1 - MAX_LOADED);
    // The other models keep the server-wide bound.
    expect((await json(await fetch(`${server.url}/models/diabetes/alive`))).max_loaded_versions).toBe(2);
  });

  it('lists every model on the root /alive and /list, and each on its own', async () => {
    const alive = await json(await fetch(`${server.url}/alive`));
    expect(Object.keys(alive.models as object)).toEqual(withOnnx ? ['iris', 'diabetes', 'onnx'] : ['iris', 'diabetes']);
    expect((alive.models as Record<string, { version: number }>).diabetes.version).toBe(1);
    const list = await json(await fetch(`${server.url}/models/diabetes/list`));
    expect((list.models as { version: number }[]).map((m) => m.version)).toEqual([1]);
    expect((await json(await fetch(`${server.url}/list`))).model_names).toEqual(withOnnx ? ['iris', 'diabetes', 'onnx'] : ['iris', 'diabetes']);
    const document = (await (await fetch(`${server.url}/openapi.json`)).json()) as { paths: Record<string, unknown> };
    expect(Object.keys(document.paths)).toEqual(expect.arrayContaining(['/models/iris/versions/{version}/predict', '/models/diabetes/predict', '/models/iris/proba']));
  });

  it('pld serve --model NAME serves that one model, under its name', async () => {
    const one = await startServer(dir, ['--model', 'diabetes']);
    try {
      const root = await json(await post(`${one.url}/predict`, [PATIENT]));
      expect(root.metadata).toMatchObject({ model_name: 'diabetes', model_version: 1 });
      expect((await fetch(`${one.url}/models/diabetes/alive`)).status).toBe(200);
      expect((await fetch(`${one.url}/models/iris/alive`)).status).toBe(404);
    } finally {
      await one.stop();
    }
  });
});
