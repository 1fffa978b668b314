import { describe, expect, it } from 'vitest';
import { loadIris } from '../../../test/fixtures/iris.js';
import { Frame } from '../../data/frame.js';
import { ExtraTreesClassifier } from '../ensemble/forest-classifier.js';
import { ExtraTreesRegressor } from '../ensemble/forest-regressor.js';
import { DecisionTreeClassifier } from './decision-tree-classifier.js';
import { DecisionTreeRegressor } from './decision-tree-regressor.js';
import { float64Threshold } from './float32-rows.js';
import { mulberry32 } from './prng.js';
import { TREE_LEAF, type TreeArrays } from './tree-arrays.js';

// The sort-free random splitter (random-builder.ts) behind splitter: 'random' and the extra-trees forests.

function generate(n: number, seed: number): { X: Frame; columns: Float64Array[]; labels: string[]; target: Float64Array } {
  const random = mulberry32(seed);
  const columns = Array.from({ length: 5 }, (_, f) => Float64Array.from({ length: n }, () => (f === 4 ? Math.floor(random() * 4) : Math.round(random() * 1000) / 1000)));
  const labels = Array.from({ length: n }, (_, i) => (random() < 0.05 ? 'noise' : columns[0][i] + columns[1][i] > 1 ? 'hi' : columns[2][i] > 0.5 ? 'mid' : 'lo'));
  const target = Float64Array.from({ length: n }, (_, i) => 3 * columns[0][i] - columns[1][i] ** 2 + columns[4][i] + random() * 0.1);
  return { X: new Frame(Object.fromEntries(columns.map((c, f) => [`x${f}`, c]))), columns, labels, target };
}

/** The leaf each row reaches, walking the tree by hand (x <= threshold goes left). */
function leavesOf(tree: TreeArrays, columns: Float64Array[], n: number): Int32Array {
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let node = 0;
    while (tree.left[node] !== TREE_LEAF) node = columns[tree.feature[node]][i] <= tree.threshold[node] ? tree.left[node] : tree.right[node];
    out[i] = node;
  }
  return out;
}

/** Checks that the node statistics are those of the training rows routed through the tree with float64 values. */
function expectConsistent(tree: TreeArrays, columns: Float64Array[], n: number, weights?: Float64Array): void {
  const reached = new Float64Array(tree.nodeCount);
  const counted = new Int32Array(tree.nodeCount);
  for (let i = 0; i < n; i++) {
    const w = weights ? weights[i] : 1;
    if (w === 0) continue;
    let node = 0;
    for (;;) {
      reached[node] += w;
      counted[node]++;
      if (tree.left[node] === TREE_LEAF) break;
      node = columns[tree.feature[node]][i] <= tree.threshold[node] ? tree.left[node] : tree.right[node];
    }
  }
  for (let node = 0; node < tree.nodeCount; node++) {
    expect(counted[node]).toBe(tree.nNodeSamples[node]);
    expect(reached[node]).toBeCloseTo(tree.weightedNNodeSamples[node], 9);
    if (tree.left[node] !== TREE_LEAF) {
      // Every split sends rows both ways.
      expect(tree.nNodeSamples[tree.left[node]]).toBeGreaterThan(0);
      expect(tree.nNodeSamples[tree.right[node]]).toBeGreaterThan(0);
    }
  }
}

describe('splitter: random (sort-free)', () => {
  it('grows a classifier whose node counts match the training rows routed with float64 values', async () => {
    const { X, columns, labels } = generate(3000, 1);
    const model = await new DecisionTreeClassifier({ splitter: 'random', random_state: 3 }).fit(X, labels);
    expectConsistent(model.tree, columns, 3000);
    // Grown until pure (no two rows share all features), so it fits its training rows.
    expect(model.score(X, labels)).toBe(1);
    const importances = model.featureImportances;
    expect(importances.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    // Leaf values are the class shares of the rows that reach the leaf.
    const leaves = leavesOf(model.tree, columns, 3000);
    const k = model.tree.nClasses;
    const classes = model.classes as string[];
    for (let i = 0; i < 3000; i += 97) expect(model.tree.value[leaves[i] * k + classes.indexOf(labels[i])]).toBe(1);
  });

  it('grows a regressor whose leaves predict the mean of their rows, for both criteria', async () => {
    const { X, columns, target } = generate(2000, 2);
    for (const criterion of ['squared_error', 'friedman_mse'] as const) {
      const model = await new DecisionTreeRegressor({ splitter: 'random', criterion, random_state: 1, min_samples_leaf: 5 }).fit(X, target);
      const tree = model.tree;
      expectConsistent(tree, columns, 2000);
      const leaves = leavesOf(tree, columns, 2000);
      const sum = new Float64Array(tree.nodeCount);
      for (let i = 0; i < 2000; i++) sum[leaves[i]] += target[i];
      for (let node = 0; node < tree.nodeCount; node++) {
        if (tree.left[node] !== TREE_LEAF) continue;
        expect(tree.nNodeSamples[node]).toBeGreaterThanOrEqual(5);
        expect(tree.value[node]).toBeCloseTo(sum[node] / tree.nNodeSamples[node], 9);
      }
      const predicted = model.predict(X) as Float64Array;
      for (let i = 0; i < 2000; i += 101) expect(predicted[i]).toBe(tree.value[leaves[i]]);
    }
  });

  it('respects min_samples_leaf, min_samples_split, max_depth and min_impurity_decrease', async () => {
    const { X, columns, labels } = generate(2000, 3);
    const leafy = (await new DecisionTreeClassifier({ splitter: 'random', random_state: 0, min_samples_leaf: 25 }).fit(X, labels)).tree;
    for (let node = 0; node < leafy.nodeCount; node++) if (leafy.left[node] === TREE_LEAF) expect(leafy.nNodeSamples[node]).toBeGreaterThanOrEqual(25);
    expectConsistent(leafy, columns, 2000);
    const split = (await new DecisionTreeClassifier({ splitter: 'random', random_state: 0, min_samples_split: 100 }).fit(X, labels)).tree;
    for (let node = 0; node < split.nodeCount; node++) if (split.left[node] !== TREE_LEAF) expect(split.nNodeSamples[node]).toBeGreaterThanOrEqual(100);
    expect((await new DecisionTreeClassifier({ splitter: 'random', random_state: 0, max_depth: 3 }).fit(X, labels)).depth).toBe(3);
    const stump = await new DecisionTreeClassifier({ splitter: 'random', random_state: 0, min_impurity_decrease: 0.9 }).fit(X, labels);
    expect(stump.nLeaves).toBe(1);
  });

  it('grows best-first up to max_leaf_nodes, the leaves with the largest decreases split first', async () => {
    const { X, columns, labels } = generate(2000, 4);
    for (const maxLeaves of [2, 7, 40]) {
      const model = await new DecisionTreeClassifier({ splitter: 'random', random_state: 5, max_leaf_nodes: maxLeaves }).fit(X, labels);
      expect(model.nLeaves).toBe(maxLeaves);
      expectConsistent(model.tree, columns, 2000);
    }
    // The first split of the best-first tree is the root split of the depth-first one (same draws at the root).
    const bestFirst = (await new DecisionTreeClassifier({ splitter: 'random', random_state: 5, max_leaf_nodes: 2 }).fit(X, labels)).tree;
    const depthFirst = (await new DecisionTreeClassifier({ splitter: 'random', random_state: 5 }).fit(X, labels)).tree;
    expect(bestFirst.feature[0]).toBe(depthFirst.feature[0]);
    expect(bestFirst.threshold[0]).toBe(depthFirst.threshold[0]);
  });

  it('is deterministic under random_state and differs between seeds', async () => {
    const { X, labels, target } = generate(1500, 5);
    const fit = (seed: number) => new DecisionTreeClassifier({ splitter: 'random', random_state: seed, max_features: 2 }).fit(X, labels);
    const [a, b, c] = [await fit(9), await fit(9), await fit(10)];
    expect(b.tree.threshold).toEqual(a.tree.threshold);
    expect(b.tree.value).toEqual(a.tree.value);
    expect(c.tree.threshold).not.toEqual(a.tree.threshold);
    const forest = (seed: number) => new ExtraTreesRegressor({ n_estimators: 4, random_state: seed }).fit(X, target);
    expect((await forest(2)).predict(X)).toEqual((await forest(2)).predict(X));
  });

  it('weights samples: bootstrap counts, with out-of-bag rows left out, and class weights', async () => {
    const { X, columns, labels } = generate(1200, 6);
    const forest = await new ExtraTreesClassifier({ n_estimators: 3, bootstrap: true, random_state: 2, class_weight: 'balanced' }).fit(X, labels);
    const classes = forest.classes as string[];
    const counts = classes.map((label) => labels.filter((l) => l === label).length);
    const classWeight = counts.map((count) => 1200 / (classes.length * count));
    for (const tree of forest.estimators) {
      // The root holds the distinct rows drawn; its weight is the draws times their class weights.
      expect(tree.nNodeSamples[0]).toBeLessThan(1200);
      expect(tree.weightedNNodeSamples[0]).toBeGreaterThan(0);
      const leafValueSums = tree.value.subarray(0, tree.nClasses).reduce((x, y) => x + y, 0);
      expect(leafValueSums).toBeCloseTo(1, 12);
      for (let node = 0; node < tree.nodeCount; node++) {
        if (tree.left[node] === TREE_LEAF) continue;
        const children = tree.weightedNNodeSamples[tree.left[node]] + tree.weightedNNodeSamples[tree.right[node]];
        expect(children).toBeCloseTo(tree.weightedNNodeSamples[node], 9);
      }
    }
    // Without bootstrap every row is in every tree, weighted by its class weight.
    const plain = await new ExtraTreesClassifier({ n_estimators: 2, random_state: 2, class_weight: 'balanced' }).fit(X, labels);
    const weights = Float64Array.from(labels, (label) => classWeight[classes.indexOf(label)]);
    for (const tree of plain.estimators) {
      expect(tree.nNodeSamples[0]).toBe(1200);
      expectConsistent(tree, columns, 1200, weights);
    }
  });

  it('keeps drawing features while every one drawn is constant', async () => {
    const n = 200;
    const informative = Float64Array.from({ length: n }, (_, i) => i);
    const columns: Record<string, Float64Array> = {};
    for (let f = 0; f < 9; f++) columns[`c${f}`] = new Float64Array(n).fill(f);
    columns.x = informative;
    const labels = Array.from({ length: n }, (_, i) => (i < 100 ? 'a' : 'b'));
    const model = await new DecisionTreeClassifier({ splitter: 'random', max_features: 1, random_state: 0 }).fit(new Frame(columns), labels);
    expect(model.score(new Frame(columns), labels)).toBe(1);
    expect(model.featureImportances[9]).toBe(1);
  });

  it('classifies held-out iris like scikit-learn (ExtraTreesClassifier, 0.96 in scikit-learn 1.2.1)', async () => {
    const { X, y } = loadIris();
    const even = [...Array(150).keys()].filter((i) => i % 2 === 0);
    const odd = [...Array(150).keys()].filter((i) => i % 2 === 1);
    const forest = await new ExtraTreesClassifier({ random_state: 0 }).fit(
      X.take(even),
      even.map((i) => y[i]),
    );
    const accuracy = forest.score(
      X.take(odd),
      odd.map((i) => y[i]),
    );
    expect(accuracy).toBeGreaterThanOrEqual(0.94);
  });

  it('stores float64 thresholds that split float64 values as float32(x) <= t splits float32 ones', () => {
    const random = mulberry32(8);
    const disagreements: number[] = [];
    for (let k = 0; k < 20000; k++) {
      const scale = [1, 1e-3, 1e6, 1e-40, 1e30][k % 5];
      const t = (random() * 2 - 1) * scale;
      const threshold = float64Threshold(t);
      for (const x of [threshold, t, Math.fround(t), Math.fround(threshold), threshold * (1 + 2e-16), threshold * (1 - 2e-16), (random() * 2 - 1) * scale]) {
        if (x <= threshold !== Math.fround(x) <= t) disagreements.push(x);
      }
    }
    expect(disagreements).toEqual([]);
    expect(float64Threshold(0.5)).toBe(0.5 + 2 ** -25);
  });

  it('cannot split between values beyond the float32 range, but still predicts them consistently', async () => {
    const X = new Frame({ x: Float64Array.of(1, 2, 3, 1e39, 2e39, 3e39) });
    const labels = ['a', 'a', 'a', 'b', 'b', 'c'];
    const model = await new DecisionTreeClassifier({ splitter: 'random', random_state: 0 }).fit(X, labels);
    expectConsistent(model.tree, [X.numeric('x')], 6);
    expect(model.predict(new Frame({ x: Float64Array.of(2, 5e39) }))[0]).toBe('a');
  });
  it('grows the same tree whatever tree was grown before it (the node arrays are reused from tree to tree)', async () => {
    const { X, labels, target } = generate(1500, 11);
    const small = generate(40, 12);
    const fit = async () => (await new DecisionTreeClassifier({ splitter: 'random', random_state: 3 }).fit(X, labels)).tree;
    const first = await fit();
    // A regressor (another node value size), a tiny tree and a best-first one in between.
    await new DecisionTreeRegressor({ splitter: 'random', random_state: 1 }).fit(X, target);
    await new DecisionTreeClassifier({ splitter: 'random', random_state: 2 }).fit(small.X, small.labels);
    await new DecisionTreeClassifier({ splitter: 'random', random_state: 4, max_leaf_nodes: 30 }).fit(X, labels);
    const again = await fit();
    expect(again).toEqual(first);
    expect((await fit()).feature).toEqual(first.feature);
  });
});
