import { describe, expect, it } from 'vitest';
import { Frame } from '../../data/frame.js';
import { PldError } from '../../errors.js';
import { DecisionTreeClassifier, DecisionTreeRegressor, ExtraTreesClassifier, ExtraTreesRegressor, RandomForestClassifier, RandomForestRegressor } from '../../index.js';
import { mulberry32 } from './prng.js';
import { TREE_LEAF, type TreeArrays } from './tree-arrays.js';

// Batch predict walks compact copies of the trees over row-major blocks (tree-walk.ts); these tests hold
// it to the plain definition — one row at a time down the public node arrays, `x <= threshold` goes left —
// for row counts around its special cases: 8 rows or fewer (walked from the columns), fewer than four
// rows per lane, partial lane groups and several blocks (1024 rows for one tree; 2^19 / d for a forest).

const D = 40;

function columnsOf(n: number, seed: number): Float64Array[] {
  const random = mulberry32(seed);
  return Array.from({ length: D }, () => Float64Array.from({ length: n }, () => Math.round(random() * 1000) / 1000));
}

function frame(columns: Float64Array[]): Frame {
  return new Frame(Object.fromEntries(columns.map((c, f) => [`x${f}`, c])));
}

/** Three classes from a few features, one label in five random: deep trees, as on real data. */
function labels(columns: Float64Array[]): string[] {
  const random = mulberry32(9);
  const names = ['hi', 'mid', 'lo'];
  return Array.from(columns[0], (v, i) => (random() < 0.2 ? names[Math.floor(random() * 3)] : v + columns[1][i] * columns[2][i] > 0.9 ? 'hi' : columns[3][i] > 0.5 ? 'mid' : 'lo'));
}

function leafOf(tree: Readonly<TreeArrays>, columns: Float64Array[], i: number): number {
  let node = 0;
  while (tree.left[node] !== TREE_LEAF) node = columns[tree.feature[node]][i] <= tree.threshold[node] ? tree.left[node] : tree.right[node];
  return node;
}

/** Mean over the trees of the leaf values (k per node), summed in tree order like the estimators. */
function referenceMean(trees: readonly Readonly<TreeArrays>[], columns: Float64Array[], n: number, k: number): Float64Array {
  const out = new Float64Array(n * k);
  for (const tree of trees) {
    for (let i = 0; i < n; i++) {
      const leaf = leafOf(tree, columns, i);
      for (let c = 0; c < k; c++) out[i * k + c] += tree.value[leaf * k + c];
    }
  }
  return out;
}

const ROW_COUNTS = [0, 1, 3, 8, 9, 13, 1023, 1024, 1025, 2500];
// 2^19 / 40 = 13107 rows per forest block: three blocks, the last one partial.
const FOREST_ROWS = 30_001;

describe('batch predict of trees and forests (compact walk)', () => {
  const train = columnsOf(600, 1);
  const test = columnsOf(FOREST_ROWS, 2);
  const y = labels(train);
  const yReal = Float64Array.from(train[0], (v, i) => v * 3 + train[4][i] * train[5][i]);

  it('a classification tree gives every row the class shares of the leaf it reaches', async () => {
    const tree = await new DecisionTreeClassifier({ random_state: 0 }).fit(frame(train), y);
    expect(tree.depth).toBeGreaterThan(8);
    for (const n of ROW_COUNTS) {
      const cols = test.map((c) => c.subarray(0, n));
      const expected = referenceMean([tree.tree], cols, n, 3);
      expect(tree.predictProba(frame(cols)).data).toEqual(expected);
      const predicted = tree.predict(frame(cols));
      expect(predicted).toHaveLength(n);
      const row = (i: number) => Array.from(expected.subarray(i * 3, i * 3 + 3));
      expect(predicted).toEqual(Array.from({ length: n }, (_, i) => tree.classes?.[row(i).indexOf(Math.max(...row(i)))]));
    }
  });

  it('a regression tree predicts the mean of the leaf each row reaches', async () => {
    const tree = await new DecisionTreeRegressor({ random_state: 0 }).fit(frame(train), yReal);
    for (const n of ROW_COUNTS) {
      const cols = test.map((c) => c.subarray(0, n));
      expect(tree.predict(frame(cols))).toEqual(referenceMean([tree.tree], cols, n, 1));
    }
  });

  it('forest classifiers average their trees bit for bit, over several blocks of rows', async () => {
    for (const Forest of [RandomForestClassifier, ExtraTreesClassifier]) {
      const forest = await new Forest({ n_estimators: 7, random_state: 3 }).fit(frame(train), y);
      for (const n of [1, 5, 9, 1025, FOREST_ROWS]) {
        const cols = test.map((c) => c.subarray(0, n));
        const expected = referenceMean(forest.estimators, cols, n, 3).map((v) => v * (1 / 7));
        expect(forest.predictProba(frame(cols)).data).toEqual(expected);
      }
    }
  });

  it('forest regressors average their trees bit for bit, over several blocks of rows', async () => {
    for (const Forest of [RandomForestRegressor, ExtraTreesRegressor]) {
      const forest = await new Forest({ n_estimators: 5, random_state: 3, max_features: 'sqrt' }).fit(frame(train), yReal);
      for (const n of [2, 9, FOREST_ROWS]) {
        const cols = test.map((c) => c.subarray(0, n));
        expect(forest.predict(frame(cols))).toEqual(referenceMean(forest.estimators, cols, n, 1).map((v) => v / 5));
      }
    }
  });

  it('a tree that is a single leaf predicts it for every row', async () => {
    const stump = await new DecisionTreeClassifier().fit(frame(train), new Array(600).fill('only'));
    expect(stump.tree.nodeCount).toBe(1);
    expect(stump.predict(frame(test.map((c) => c.subarray(0, 1030))))).toEqual(new Array(1030).fill('only'));
  });

  it('names the first column holding NaN or Infinity, even in a later block, for trees and forests', async () => {
    const tree = await new DecisionTreeClassifier({ random_state: 0, max_depth: 4 }).fit(frame(train), y);
    const forest = await new RandomForestRegressor({ n_estimators: 3, random_state: 0, max_depth: 4 }).fit(frame(train), yReal);
    for (const [n, row] of [
      [3, 2],
      [FOREST_ROWS, 20_000],
    ]) {
      const cols = test.map((c) => c.slice(0, n));
      cols[7][row] = Number.NaN;
      cols[12][row - 1] = Number.POSITIVE_INFINITY;
      for (const run of [() => tree.predict(frame(cols)), () => tree.predictProba(frame(cols)), () => forest.predict(frame(cols))]) {
        let error: unknown;
        try {
          run();
        } catch (caught) {
          error = caught;
        }
        expect(error).toBeInstanceOf(PldError);
        expect((error as PldError).code).toBe('PLD_ERR_ESTIMATOR_BAD_INPUT');
        expect((error as PldError).message).toContain(`Column 'x7' has NaN at row ${row}`);
      }
    }
  });
});
