import { afterEach, describe, expect, it } from 'vitest';
import { Frame } from '../../data/frame.js';
import { ExtraTreesClassifier } from '../ensemble/forest-classifier.js';
import { ExtraTreesRegressor } from '../ensemble/forest-regressor.js';
import type { CartOptions } from './cart.js';
import { mulberry32 } from './prng.js';
import { growRandomClassificationTree, growRandomRegressionTree } from './random-builder.js';
import { setRandomSplitWasm } from './random-wasm.js';
import type { TreeArrays } from './tree-arrays.js';

// The random splitter's WebAssembly loops (random-wasm.ts) must grow exactly the trees of its JavaScript loops.

function generate(n: number, seed: number) {
  const random = mulberry32(seed);
  const columns = Array.from({ length: 6 }, (_, f) => Float64Array.from({ length: n }, () => (f === 5 ? Math.floor(random() * 4) : random() * 10 - 3)));
  const y = Int32Array.from({ length: n }, (_, i) => (random() < 0.1 ? 3 : columns[0][i] + columns[1][i] > 4 ? 2 : columns[2][i] > 2 ? 1 : 0));
  const target = Float64Array.from({ length: n }, (_, i) => 3 * columns[0][i] - columns[1][i] ** 2 + columns[5][i] + random() * 0.7);
  // Non-integer weights, a tenth of them 0 (left out of the tree, as out-of-bag rows are).
  const sampleWeight = Float64Array.from({ length: n }, () => (random() < 0.1 ? 0 : 0.25 + random() * 3));
  const X = new Frame(Object.fromEntries(columns.map((c, f) => [`x${f}`, c])));
  return { X, columns, y, target, sampleWeight, labels: Array.from(y, (c) => `c${c}`) };
}

function options(criterion: CartOptions['criterion'], seed: number, extra: Partial<CartOptions> = {}): CartOptions {
  const base = { criterion, splitter: 'random', maxDepth: Infinity, minSamplesSplit: 2, minSamplesLeaf: 1, maxFeatures: 4, minImpurityDecrease: 0, maxLeafNodes: null };
  return { ...base, ...extra, random: mulberry32(seed) } as CartOptions;
}

function expectSameTrees(a: readonly TreeArrays[], b: readonly TreeArrays[]): void {
  expect(b.length).toBe(a.length);
  for (let t = 0; t < a.length; t++) {
    for (const key of ['feature', 'threshold', 'left', 'right', 'impurity', 'nNodeSamples', 'weightedNNodeSamples', 'value', 'featureImportances'] as const) {
      expect(b[t][key]).toEqual(a[t][key]);
    }
  }
}

/** The trees `fit` grows with the JavaScript loops, then with the WebAssembly ones. */
async function bothWays(fit: () => Promise<readonly TreeArrays[]> | readonly TreeArrays[]): Promise<[readonly TreeArrays[], readonly TreeArrays[]]> {
  setRandomSplitWasm(false);
  const js = await fit();
  setRandomSplitWasm(true);
  return [js, await fit()];
}

describe('random splitter WebAssembly loops', () => {
  afterEach(() => setRandomSplitWasm(true));

  it('are available on this engine', () => {
    expect(setRandomSplitWasm(true)).toBe(true);
  });

  it('grow the JavaScript trees for classification, with sample and class weights, gini and entropy', async () => {
    const { X, columns, y, sampleWeight, labels } = generate(3000, 1);
    const classWeight = Float64Array.of(1, 0.7, 1.3, 2.5);
    const unit = Float64Array.of(1, 1, 1, 1);
    for (const criterion of ['gini', 'entropy'] as const) {
      const trees = await bothWays(() => [
        growRandomClassificationTree({ columns, y, nClasses: 4, classWeight: unit }, options(criterion, 3)),
        growRandomClassificationTree({ columns, y, nClasses: 4, classWeight, sampleWeight }, options(criterion, 4)),
        growRandomClassificationTree({ columns, y, nClasses: 4, classWeight, sampleWeight }, options(criterion, 5, { maxLeafNodes: 30, minSamplesLeaf: 3 })),
      ]);
      expectSameTrees(...trees);
      expect(trees[1][1].nodeCount).toBeGreaterThan(100);
    }
    const fit = async () =>
      (await new ExtraTreesClassifier({ n_estimators: 4, bootstrap: true, max_features: 3, random_state: 2, class_weight: 'balanced' }).fit(X, labels)).estimators;
    expectSameTrees(...(await bothWays(fit)));
  });

  it('run a node in one call exactly as candidate by candidate, and leave the PRNG where JavaScript leaves it', () => {
    const { columns, y, target, sampleWeight } = generate(3000, 3);
    // A constant feature and a near-constant one: nodes keep drawing past max_features while all drawn were constant.
    const constant = [new Float64Array(3000).fill(2), Float64Array.from({ length: 3000 }, (_, i) => (i % 1000 === 0 ? 1 : 0))];
    const wide = [...constant, ...columns];
    const unit = Float64Array.of(1, 1, 1, 1);
    const classWeight = Float64Array.of(1, 0.7, 1.3, 2.5);
    const classifier = (cols: Float64Array[], cw: Float64Array, sw?: Float64Array) => (o: CartOptions) =>
      growRandomClassificationTree({ columns: cols, y, nClasses: 4, classWeight: cw, sampleWeight: sw }, o);
    const regressor = (cols: Float64Array[], sw?: Float64Array) => (o: CartOptions) => growRandomRegressionTree({ columns: cols, y: target, sampleWeight: sw }, o);
    const cases: [(o: CartOptions) => TreeArrays, CartOptions['criterion'], Partial<CartOptions>][] = [
      [classifier(wide, unit), 'gini', { maxFeatures: 1 }],
      [classifier(wide, classWeight, sampleWeight), 'gini', { maxFeatures: 3, minSamplesLeaf: 5 }],
      [classifier(columns, unit, sampleWeight), 'gini', { maxFeatures: 6, maxDepth: 7 }],
      [classifier(wide, unit), 'gini', { maxFeatures: 3, maxLeafNodes: 40, minSamplesSplit: 20 }],
      [regressor(wide), 'squared_error', { maxFeatures: 1 }],
      [regressor(wide, sampleWeight), 'squared_error', { maxFeatures: 3, minSamplesLeaf: 4 }],
      [regressor(wide, sampleWeight), 'friedman_mse', { maxFeatures: 2, maxLeafNodes: 60 }],
    ];
    for (const [grow, criterion, extra] of cases) {
      const withRandom = (random: () => number) => grow({ ...options(criterion, 0, extra), random });
      const whole = mulberry32(9);
      // Not a mulberry32 (no readable state): the builder then calls the kernels candidate by candidate.
      const perCandidate = mulberry32(9);
      const trees = [withRandom(whole), withRandom(() => perCandidate())];
      setRandomSplitWasm(false);
      const js = mulberry32(9);
      trees.push(withRandom(js));
      setRandomSplitWasm(true);
      expectSameTrees([trees[2], trees[2]], [trees[0], trees[1]]);
      expect(trees[2].nodeCount).toBeGreaterThan(50);
      expect(whole.state).toBe(js.state);
      expect(perCandidate.state).toBe(js.state);
    }
  });

  it('grow the JavaScript trees for regression, both criteria, with weights', async () => {
    const { X, columns, target, sampleWeight } = generate(2500, 2);
    for (const criterion of ['squared_error', 'friedman_mse'] as const) {
      const trees = await bothWays(() => [
        growRandomRegressionTree({ columns, y: target }, options(criterion, 1)),
        growRandomRegressionTree({ columns, y: target, sampleWeight }, options(criterion, 2, { minSamplesLeaf: 4 })),
      ]);
      expectSameTrees(...trees);
      expect(trees[1][0].nodeCount).toBeGreaterThan(100);
    }
    const fit = async () => (await new ExtraTreesRegressor({ n_estimators: 3, bootstrap: true, random_state: 5 }).fit(X, target)).estimators;
    expectSameTrees(...(await bothWays(fit)));
  });
});
