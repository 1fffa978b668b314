import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadIris } from '../../../test/fixtures/iris.js';
import { DecisionTreeClassifier, OnnxModel, toOnnx } from '../../index.js';

const { X, y } = loadIris();
const dir = mkdtempSync(path.join(tmpdir(), 'pld-onnx-errors-'));
const file = path.join(dir, 'tree.onnx');
const onnxError = (text: string) => expect.objectContaining({ code: 'PLD_ERR_ESTIMATOR_ONNX', message: expect.stringContaining(text) });

describe('OnnxModel errors name the file, the parameter or the input', () => {
  beforeAll(async () => {
    const tree = await new DecisionTreeClassifier({ max_depth: 3, random_state: 0 }).fit(X, y);
    writeFileSync(file, toOnnx('DecisionTreeClassifier', tree.getState(undefined as never)));
  });

  it('reports a path it cannot read and a file ONNX Runtime cannot load', async () => {
    const missing = path.join(dir, 'missing.onnx');
    await expect(async () => new OnnxModel({ path: missing }).fit(X)).rejects.toThrow(onnxError(`OnnxModel: cannot read path '${missing}'`));
    const garbage = path.join(dir, 'garbage.onnx');
    writeFileSync(garbage, 'this is not an ONNX graph');
    await expect(async () => (await new OnnxModel({ path: garbage }).fit(X)).predict(X)).rejects.toThrow(expect.objectContaining({ code: 'PLD_ERR_ESTIMATOR_ONNX' }));
  });

  it('predicts only once fitted, and predictProba only as a classifier', async () => {
    await expect(async () => new OnnxModel({ path: file }).predict(X)).rejects.toThrow(expect.objectContaining({ code: 'PLD_ERR_ESTIMATOR_NOT_FITTED' }));
    const regressor = await new OnnxModel({ path: file, type: 'regressor' }).fit(X);
    expect(regressor.classes).toBeUndefined();
    await expect(async () => regressor.predictProba(X)).rejects.toThrow('OnnxModel: predictProba needs type: classifier');
  });

  it('names an output parameter that is not an output of the graph', async () => {
    const model = await new OnnxModel({ path: file, label_output: 'nope' }).fit(X);
    await expect(model.predict(X)).rejects.toThrow(onnxError("OnnxModel: label_output 'nope' is not an output of the graph; it has"));
  });

  it('refuses data without a column the graph takes', async () => {
    const model = await new OnnxModel({ path: file }).fit(X);
    await expect(async () => model.predict(X.drop('petal width'))).rejects.toThrow(/petal width/);
  });
});
