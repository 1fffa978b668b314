import { afterEach, describe, expect, it } from 'vitest';
import { expectPldError } from '../../../test/fixtures/trees.js';
import { Frame } from '../../data/frame.js';
import { mulberry32 } from '../tree/prng.js';
import type { EstimatorCodec } from '../types.js';
import { addTree, type HistTree } from './hgb-grower.js';
import { addTrees, loopTrees } from './hgb-predict.js';
import { setPredictWasm } from './hgb-predict-wasm.js';
import { HistGradientBoostingClassifier, HistGradientBoostingRegressor, type HistGradientBoostingState } from './hist-gradient-boosting.js';

/** Columns of uniform values in [0, 1), rounded to 2 decimals so that many rows hit a threshold exactly or lie beyond the bin edges. */
function randomColumns(seed: number, nRows: number, nFeatures: number): Float64Array[] {
  const random = mulberry32(seed);
  return Array.from({ length: nFeatures }, () => Float64Array.from({ length: nRows }, () => Math.round(random() * 100) / 100));
}

function frameOf(columns: Float64Array[]): Frame {
  return new Frame(Object.fromEntries(columns.map((c, f) => [`x${f}`, c])));
}

function stateOf(model: HistGradientBoostingClassifier | HistGradientBoostingRegressor): HistGradientBoostingState {
  return (model.getState(undefined as unknown as EstimatorCodec) as { state: HistGradientBoostingState }).state;
}

/** The straightforward walk predict used before the blocked one: baseline, then each tree over all rows. */
function referenceRaw(state: HistGradientBoostingState, columns: Float64Array[], nRows: number): Float64Array {
  const raw = new Float64Array(nRows * state.k);
  for (let i = 0; i < nRows; i++) raw.set(state.baseline, i * state.k);
  for (let t = 0; t < state.trees.length; t++) addTree(state.trees[t], columns, raw, state.k, t % state.k);
  return raw;
}

function blockedRaw(state: HistGradientBoostingState, columns: Float64Array[], nRows: number): Float64Array {
  const raw = new Float64Array(nRows * state.k);
  for (let i = 0; i < nRows; i++) raw.set(state.baseline, i * state.k);
  expect(addTrees(loopTrees(state.trees), columns, nRows, raw, state.k)).toBe(true);
  return raw;
}

function expectSameBits(actual: Float64Array, expected: Float64Array): void {
  expect(actual.length).toBe(expected.length);
  let differing = 0;
  for (let i = 0; i < expected.length; i++) if (!Object.is(actual[i], expected[i])) differing++;
  expect(differing).toBe(0);
}

describe.each([
  ['WebAssembly', true],
  ['JavaScript', false],
])('HistGradientBoosting blocked predict (%s walk)', (_, wasm) => {
  afterEach(() => setPredictWasm(true));

  it('runs the walk under test', () => {
    expect(setPredictWasm(wasm)).toBe(true);
  });

  it('gives bit-for-bit the raw predictions of the per-tree reference walk (multiclass, deep trees)', async () => {
    setPredictWasm(wasm);
    const train = randomColumns(1, 3000, 7);
    const y = Float64Array.from({ length: 3000 }, (_, i) => Math.min(3, Math.floor(train[0][i] * 2 + train[1][i] * train[2][i] * 2)));
    // Unbounded leaves, small leaves: trees of very different depths in one model.
    const model = await new HistGradientBoostingClassifier({ max_iter: 15, max_leaf_nodes: null, min_samples_leaf: 3, max_bins: 32, random_state: 0 }).fit(frameOf(train), y);
    const state = stateOf(model);
    expect(state.k).toBe(4);
    // Unseen rows, including values beyond every bin edge; block boundaries (65536 bytes / (8 × 7) = 1170 rows a block) and lane remainders.
    const test = randomColumns(2, 5003, 7).map((col) => Float64Array.from(col, (v, i) => (i % 97 === 0 ? v * 1e6 - 5e5 : v)));
    for (const nRows of [9, 10, 11, 12, 13, 1170, 1171, 5003]) {
      const columns = test.map((col) => col.subarray(0, nRows));
      expectSameBits(blockedRaw(state, columns, nRows), referenceRaw(state, columns, nRows));
    }
    // Rows sitting exactly on each tree's thresholds go left in both walks.
    const onThresholds = state.binThresholds.map((t) => Float64Array.from({ length: 600 }, (_, i) => t[i % t.length]));
    expectSameBits(blockedRaw(state, onThresholds, 600), referenceRaw(state, onThresholds, 600));
    // predictProba goes through the blocked walk; its probabilities match the reference's softmax order of work.
    const proba = model.predictProba(frameOf(test));
    const few = model.predictProba(frameOf(test.map((col) => col.subarray(0, 3))));
    expectSameBits(few.data, proba.data.subarray(0, 3 * 4));
  });

  it('matches the reference for regression and binary classification, and for a model of stumps', async () => {
    setPredictWasm(wasm);
    const train = randomColumns(3, 800, 3);
    const target = Float64Array.from({ length: 800 }, (_, i) => Math.sin(6 * train[0][i]) + train[1][i] ** 2);
    const test = randomColumns(4, 1001, 3);
    const reg = await new HistGradientBoostingRegressor({ max_iter: 40, max_depth: 9, random_state: 0 }).fit(frameOf(train), target);
    expectSameBits(reg.predict(frameOf(test)), referenceRaw(stateOf(reg), test, 1001));
    const binary = await new HistGradientBoostingClassifier({ max_iter: 20, random_state: 0 }).fit(
      frameOf(train),
      Float64Array.from(target, (v) => (v > 0.8 ? 1 : 0)),
    );
    const state = stateOf(binary);
    expect(state.k).toBe(1);
    expectSameBits(blockedRaw(state, test, 1001), referenceRaw(state, test, 1001));
    // A constant target grows single-leaf trees: the root is its own leaf.
    const flat = await new HistGradientBoostingRegressor({ max_iter: 3 }).fit(frameOf(train), new Float64Array(800).fill(2.5));
    expect(stateOf(flat).trees.every((tree: HistTree) => tree.left.length === 1)).toBe(true);
    expectSameBits(flat.predict(frameOf(test)), referenceRaw(stateOf(flat), test, 1001));
  });

  it('reports the first NaN or infinite value, wherever its block is', async () => {
    setPredictWasm(wasm);
    const train = randomColumns(5, 500, 2);
    const model = await new HistGradientBoostingRegressor({ max_iter: 5 }).fit(frameOf(train), train[0]);
    const test = randomColumns(6, 20_000, 2);
    test[1][12_345] = Number.NaN;
    await expectPldError(() => model.predict(frameOf(test)), 'PLD_ERR_ESTIMATOR_BAD_INPUT', 'row 12345');
    test[1][12_345] = 0.5;
    test[0][19_999] = Number.NEGATIVE_INFINITY;
    await expectPldError(() => model.predict(frameOf(test)), 'PLD_ERR_ESTIMATOR_BAD_INPUT', "'x0' has -Infinity at row 19999");
    const state = stateOf(model);
    const raw = new Float64Array(20_000);
    expect(addTrees(loopTrees(state.trees), test, 20_000, raw, 1)).toBe(false);
  });
});
