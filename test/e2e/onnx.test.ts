import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import onnxProto from 'onnx-proto';
import { pld, type RunningServer, startServer } from './helpers.js';
import { regressorOnnx, valueInfo } from './onnx-models.js';

const IRIS = fileURLToPath(new URL('../fixtures/iris.data', import.meta.url));
const FEATURES = ['sepal length', 'sepal width', 'petal length', 'petal width'];
const { onnx } = onnxProto;
const T = onnx.TensorProto.DataType;
const A = onnx.AttributeProto.AttributeType;
const SETOSA: Record<string, number> = { 'sepal length': 5.2, 'sepal width': 3.5, 'petal length': 1.5, 'petal width': 0.2 };
const VIRGINICA: Record<string, number> = { 'sepal length': 6.9, 'sepal width': 3.1, 'petal length': 5.4, 'petal width': 2.1 };
const query = (row: Record<string, number>) => new URLSearchParams(Object.entries(row).map(([k, v]): [string, string] => [k, String(v)])).toString();
const post = (url: string, body: unknown) => fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
const mapping = FEATURES.map((name) => [name, 'float']);

function config(model: Record<string, unknown>, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({
    dataset_loader_train: { __factory__: 'Table', path: 'iris.data', names: [...FEATURES, 'species'], target_column: 'species', sep: ',' },
    model,
    model_persister: { __factory__: 'File', path: 'model-{version}' },
    predict_service: { __factory__: 'PredictService', mapping },
    proba_service: { __factory__: 'PredictService', mapping, entry_point: '/proba', predict_proba: true },
    ...extra,
  });
}

function workdir(model: Record<string, unknown>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'pld-onnx-e2e-'));
  cpSync(IRIS, path.join(dir, 'iris.data'));
  writeFileSync(path.join(dir, 'config.json'), config(model));
  return dir;
}

/** Scikit-learn-converter style: LinearClassifier with softmax, labels as strings, probabilities through ZipMap. */
const CLASSES = ['Iris-setosa', 'Iris-versicolor', 'Iris-virginica'];
const COEF = [0, 0, -2, 0, 0, 0, 0, 0, 0, 0, 2, 0];
const INTERCEPT = [6, 0, -10];
function classifierOnnx(): Uint8Array {
  const labels = { name: 'classlabels_strings', type: A.STRINGS, strings: CLASSES.map((c) => Buffer.from(c)) };
  const model = onnx.ModelProto.create({
    irVersion: 8,
    opsetImport: [
      { domain: '', version: 17 },
      { domain: 'ai.onnx.ml', version: 1 },
    ],
    graph: {
      name: 'iris-linear',
      node: [
        {
          opType: 'LinearClassifier',
          domain: 'ai.onnx.ml',
          input: ['float_input'],
          output: ['label', 'probability_tensor'],
          attribute: [
            { name: 'coefficients', type: A.FLOATS, floats: COEF },
            { name: 'intercepts', type: A.FLOATS, floats: INTERCEPT },
            { name: 'post_transform', type: A.STRING, s: Buffer.from('SOFTMAX') },
            labels,
          ],
        },
        { opType: 'ZipMap', domain: 'ai.onnx.ml', input: ['probability_tensor'], output: ['output_probability'], attribute: [labels] },
      ],
      input: [valueInfo('float_input', T.FLOAT, ['N', 4])],
      output: [
        valueInfo('label', T.STRING, ['N']),
        { name: 'output_probability', type: { sequenceType: { elemType: { mapType: { keyType: T.STRING, valueType: { tensorType: { elemType: T.FLOAT } } } } } } },
      ],
    },
  });
  return onnx.ModelProto.encode(model).finish();
}

function expectedProba(row: Record<string, number>): number[] {
  const x = FEATURES.map((f) => row[f]);
  const scores = [0, 1, 2].map((k) => INTERCEPT[k] + x.reduce((sum, v, j) => sum + COEF[k * 4 + j] * v, 0));
  const exp = scores.map((s) => Math.exp(s - Math.max(...scores)));
  return exp.map((e) => e / exp.reduce((a, b) => a + b, 0));
}

const json = async (response: Response) => (await response.json()) as { metadata: Record<string, unknown>; result: unknown };

describe('OnnxModel served end to end over HTTP', () => {
  let classifier: RunningServer;
  let regressor: RunningServer;
  let dirs: string[] = [];

  beforeAll(async () => {
    const clf = workdir({ __factory__: 'OnnxModel', path: 'iris.onnx' });
    writeFileSync(path.join(clf, 'iris.onnx'), classifierOnnx());
    const reg = workdir({ __factory__: 'OnnxModel', path: 'models/regressor.onnx', type: 'regressor' });
    mkdirSync(path.join(reg, 'models'));
    writeFileSync(path.join(reg, 'models', 'regressor.onnx'), regressorOnnx());
    dirs = [clf, reg];
    for (const dir of dirs) {
      const fit = pld(dir, ['fit']);
      expect(fit.status, fit.stderr).toBe(0);
    }
    // The version holds the ONNX bytes: the server needs no file.
    rmSync(path.join(clf, 'iris.onnx'));
    rmSync(path.join(reg, 'models'), { recursive: true });
    [classifier, regressor] = await Promise.all(dirs.map((dir) => startServer(dir)));
  }, 120_000);

  afterAll(async () => {
    await Promise.all([classifier?.stop(), regressor?.stop()]);
  });

  it('classifier (2-D tensor input, string labels, ZipMap probabilities): GET, POST batch and /proba', async () => {
    expect((await json(await fetch(`${classifier.url}/predict?${query(SETOSA)}`))).result).toBe('Iris-setosa');
    const batch = await json(await post(`${classifier.url}/predict`, [SETOSA, VIRGINICA]));
    expect(batch.result).toEqual(['Iris-setosa', 'Iris-virginica']);
    const proba = (await json(await post(`${classifier.url}/proba`, [SETOSA, VIRGINICA]))).result as number[][];
    [SETOSA, VIRGINICA].forEach((row, i) => {
      for (const [k, p] of expectedProba(row).entries()) expect(proba[i][k]).toBeCloseTo(p, 6);
    });
  });

  it('regressor (one input per column, float32): GET and POST batch', async () => {
    expect((await json(await fetch(`${regressor.url}/predict?${query(SETOSA)}`))).result).toBeCloseTo(0.5 * 5.2 - 0.25 * 3.5 + 1, 5);
    const batch = (await json(await post(`${regressor.url}/predict`, [SETOSA, VIRGINICA]))).result as number[];
    expect(batch[1]).toBeCloseTo(0.5 * 6.9 - 0.25 * 3.1 + 1, 5);
  });

  it('a file that is not ONNX fails pld fit with PLD_ERR_ESTIMATOR_ONNX naming it', () => {
    const dir = workdir({ __factory__: 'OnnxModel', path: 'broken.onnx' });
    writeFileSync(path.join(dir, 'broken.onnx'), 'not a model');
    const fit = pld(dir, ['fit']);
    expect(fit.status).not.toBe(0);
    expect(fit.stderr).toMatch(/PLD_ERR_ESTIMATOR_ONNX.*broken\.onnx/);
  });
});

describe('pld export --onnx', () => {
  it('writes a fitted tree that ONNX Runtime and OnnxModel serve with our predictions', async () => {
    const dir = workdir({ __factory__: 'DecisionTreeClassifier', max_depth: 3 });
    expect(pld(dir, ['fit']).status).toBe(0);
    const exported = pld(dir, ['export', '--onnx', 'tree.onnx', '--json']);
    expect(exported.status, exported.stderr).toBe(0);
    expect(JSON.parse(exported.stdout)).toMatchObject({ source: 1, factory: 'DecisionTreeClassifier', file: path.join(dir, 'tree.onnx') });
    const session = await ort.InferenceSession.create(readFileSync(path.join(dir, 'tree.onnx')));
    const rows = [SETOSA, VIRGINICA];
    const out = await session.run({ X: new ort.Tensor('float64', Float64Array.from(rows.flatMap((r) => FEATURES.map((f) => r[f]))), [2, 4]) });
    expect(Array.from(out.label.data as string[])).toEqual(['Iris-setosa', 'Iris-virginica']);

    // Serve the exported file through OnnxModel as version 2 of the same store.
    writeFileSync(path.join(dir, 'config.json'), config({ __factory__: 'OnnxModel', path: 'tree.onnx' }));
    expect(pld(dir, ['fit']).status).toBe(0);
    const server = await startServer(dir);
    try {
      expect((await json(await post(`${server.url}/predict`, rows))).result).toEqual(['Iris-setosa', 'Iris-virginica']);
    } finally {
      await server.stop();
    }
  }, 120_000);
});
