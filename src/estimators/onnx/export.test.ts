import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { Frame } from '../../data/frame.js';
import { isPldError } from '../../errors.js';
import { RandomForestClassifier } from '../ensemble/forest-classifier.js';
import { RandomForestRegressor } from '../ensemble/forest-regressor.js';
import { LinearRegression } from '../linear/linear-regression.js';
import { LogisticRegression } from '../linear/logistic-regression.js';
import { DecisionTreeClassifier } from '../tree/decision-tree-classifier.js';
import { DecisionTreeRegressor } from '../tree/decision-tree-regressor.js';
import type { Estimator } from '../types.js';
import { toOnnx } from './export.js';
import { OnnxModel } from './onnx-model.js';

const ROWS = 10_000;
const FEATURES = ['a', 'b', 'c', 'd'];

/** 10k rows of four features with continuous values (no two rows share a value by construction). */
function data(rows = ROWS, seed = 7): { X: Frame; yClass: string[]; yNum: Float64Array; yValue: Float64Array } {
  let s = seed >>> 0;
  const rand = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const cols = FEATURES.map(() => new Float64Array(rows));
  const yClass: string[] = [];
  const yNum = new Float64Array(rows);
  const yValue = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    for (const col of cols) col[i] = rand() * 10 - 5;
    const score = cols[0][i] - 0.5 * cols[1][i] + 0.3 * cols[2][i] * cols[3][i] + rand() * 2;
    const k = score < -1 ? 0 : score < 2 ? 1 : 2;
    yClass.push(['low', 'mid', 'high'][k]);
    yNum[i] = k === 2 ? 1 : 0;
    yValue[i] = 3 * cols[0][i] - cols[1][i] + Math.sin(cols[2][i]) + rand();
  }
  return { X: new Frame(Object.fromEntries(FEATURES.map((f, j) => [f, cols[j]]))), yClass, yNum, yValue };
}

async function runOrt(bytes: Uint8Array, X: Frame): Promise<Record<string, ort.Tensor>> {
  const session = await ort.InferenceSession.create(bytes);
  const flat = new Float64Array(X.nRows * FEATURES.length);
  FEATURES.forEach((f, j) => {
    const col = X.numeric(f);
    for (let i = 0; i < X.nRows; i++) flat[i * FEATURES.length + j] = col[i];
  });
  return (await session.run({ X: new ort.Tensor('float64', flat, [X.nRows, FEATURES.length]) })) as Record<string, ort.Tensor>;
}

const stateOf = (estimator: Estimator) => estimator.getState(undefined as never);

function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, relative: number): void {
  expect(actual.length).toBe(expected.length);
  let worst = 0;
  for (let i = 0; i < expected.length; i++) worst = Math.max(worst, Math.abs(actual[i] - expected[i]) / Math.max(1, Math.abs(expected[i])));
  expect(worst).toBeLessThanOrEqual(relative);
}

describe('pld export --onnx: ONNX Runtime predicts what we predict (10k rows)', () => {
  const { X, yClass, yNum, yValue } = data();
  const train = X.slice(0, 2000);

  const classifiers: [string, () => Estimator, 'string' | 'number'][] = [
    ['DecisionTreeClassifier', () => new DecisionTreeClassifier({ max_depth: 8, random_state: 0 }), 'string'],
    ['RandomForestClassifier', () => new RandomForestClassifier({ n_estimators: 15, max_depth: 7, random_state: 0 }), 'string'],
    ['LogisticRegression', () => new LogisticRegression({ max_iter: 200 }), 'string'],
    ['LogisticRegression', () => new LogisticRegression({ max_iter: 200 }), 'number'],
  ];
  for (const [factory, make, kind] of classifiers) {
    it(`${factory} (${kind} labels): same labels, same probabilities`, async () => {
      const y = kind === 'string' ? yClass.slice(0, 2000) : yNum.slice(0, 2000);
      const model = await make().fit(train, y);
      const out = await runOrt(toOnnx(factory, stateOf(model)), X);
      const ours = await model.predict(X);
      const theirs = out.label.data as ArrayLike<unknown>;
      expect(Array.from(theirs)).toEqual(Array.from(ours as ArrayLike<unknown>));
      const proba = await (model.predictProba as NonNullable<Estimator['predictProba']>).call(model, X);
      // Trees: the ai.onnx.ml operator outputs float32; linear models stay double.
      expectClose(out.probabilities.data as Float32Array, proba.data, factory === 'LogisticRegression' ? 1e-12 : 1e-6);
    });
  }

  const regressors: [string, () => Estimator][] = [
    ['DecisionTreeRegressor', () => new DecisionTreeRegressor({ max_depth: 10 })],
    ['RandomForestRegressor', () => new RandomForestRegressor({ n_estimators: 10, max_depth: 8, random_state: 0 })],
    ['LinearRegression', () => new LinearRegression()],
  ];
  for (const [factory, make] of regressors) {
    it(`${factory}: same predictions`, async () => {
      const model = await make().fit(train, yValue.slice(0, 2000));
      const out = await runOrt(toOnnx(factory, stateOf(model)), X);
      expectClose(out.variable.data as ArrayLike<number>, (await model.predict(X)) as Float64Array, factory === 'LinearRegression' ? 1e-12 : 1e-6);
    });
  }

  it('an exported model loads into OnnxModel with its feature names, in any column order', async () => {
    const tree = await new DecisionTreeClassifier({ max_depth: 6 }).fit(train, yClass.slice(0, 2000));
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'pld-onnx-')), 'tree.onnx');
    writeFileSync(file, toOnnx('DecisionTreeClassifier', stateOf(tree)));
    const shuffled = X.select(['d', 'c', 'b', 'a']);
    const model = await new OnnxModel({ path: file }).fit(shuffled);
    expect(model.featureNames).toEqual(FEATURES);
    expect(model.classes).toEqual(['high', 'low', 'mid']);
    expect(await model.predict(shuffled)).toEqual(tree.predict(X));
  });

  it('refuses a model it cannot write, naming it', () => {
    expect(() => toOnnx('KNeighborsClassifier', { state: {} })).toThrow(
      expect.objectContaining({ code: 'PLD_ERR_EXPORT_ONNX_UNSUPPORTED', message: expect.stringContaining('KNeighborsClassifier') }),
    );
    try {
      toOnnx('Pipeline', { state: {} });
    } catch (error) {
      expect(isPldError(error)).toBe(true);
    }
  });
});
