import { describe, expect, it } from 'vitest';
import { Frame, foldsFor, KFold, ShuffleSplit, StratifiedShuffleSplit } from '../../index.js';

const X = new Frame(new Map([['x', Float64Array.from({ length: 10 }, (_, i) => i)]]));
const y = ['a', 'a', 'a', 'a', 'a', 'b', 'b', 'b', 'b', 'b'];
const sizes = (folds: { train: ArrayLike<number>; test: ArrayLike<number> }[]) => folds.map((f) => [f.train.length, f.test.length]);

describe('foldsFor (grid_search.cv)', () => {
  it('uses a splitter as is and a function (Palladium callable cv) returning a splitter or [train, test] pairs', () => {
    expect(sizes(foldsFor(new KFold({ n_splits: 2 }), 'regressor', X))).toEqual([
      [5, 5],
      [5, 5],
    ]);
    const seen: number[] = [];
    const lastRows = foldsFor(
      ({ n }: { n: number }) => {
        seen.push(n);
        return [[Array.from({ length: n - 3 }, (_, i) => i), [n - 3, n - 2, n - 1]]];
      },
      'classifier',
      X,
      y,
    );
    expect(seen).toEqual([10]);
    expect(Array.from(lastRows[0].test)).toEqual([7, 8, 9]);
    expect(lastRows[0].train).toBeInstanceOf(Int32Array);
    expect(sizes(foldsFor(() => new KFold({ n_splits: 5 }), 'regressor', X))).toHaveLength(5);
  });

  it('defaults to 5 folds, stratified for a classifier with labels', () => {
    const folds = foldsFor(undefined, 'classifier', X, y);
    expect(folds).toHaveLength(5);
    for (const fold of folds) expect(Array.from(fold.test, (i) => y[i]).sort()).toEqual(['a', 'b']);
  });

  it('rejects a bad cv, folds outside the data and no folds at all, naming grid_search.cv', () => {
    expect(() => foldsFor(1, 'classifier', X, y)).toThrow(expect.objectContaining({ code: 'PLD_ERR_EVAL_BAD_SEARCH', message: expect.stringContaining('got 1') }));
    expect(() => foldsFor(2.5, 'regressor', X)).toThrow(/grid_search\.cv must be an int >= 2/);
    expect(() => foldsFor('three', 'regressor', X)).toThrow(expect.objectContaining({ code: 'PLD_ERR_EVAL_BAD_SEARCH', message: expect.stringContaining('got "three"') }));
    expect(() => foldsFor(() => [[[0, 1], [10]]], 'regressor', X)).toThrow(
      expect.objectContaining({ code: 'PLD_ERR_EVAL_BAD_SPLIT', message: 'grid_search.cv: fold 0 holds the row index 10, outside 0..9' }),
    );
    expect(() => foldsFor(() => [], 'regressor', X)).toThrow(expect.objectContaining({ code: 'PLD_ERR_EVAL_BAD_SPLIT', message: expect.stringContaining('produced no folds') }));
  });
});

describe('ShuffleSplit and StratifiedShuffleSplit errors', () => {
  it('reports sizes that leave no train or test rows', () => {
    expect(new ShuffleSplit({ n_splits: 3 }).getNSplits()).toBe(3);
    expect(() => new ShuffleSplit({ test_size: 0.5, train_size: 0.6 }).split(10)).toThrow(
      expect.objectContaining({ code: 'PLD_ERR_EVAL_BAD_SPLIT', message: expect.stringContaining('leave 6 train and 5 test rows') }),
    );
    expect(() => new ShuffleSplit({ test_size: 0.1 }).split(1)).toThrow(/with 1 samples/);
  });

  it('needs y, two members per class and room for every class on both sides', () => {
    const split = new StratifiedShuffleSplit({ n_splits: 1, test_size: 0.5, random_state: 0 });
    expect(() => split.split(4)).toThrow(expect.objectContaining({ code: 'PLD_ERR_EVAL_BAD_SPLIT', message: expect.stringContaining('needs the targets y') }));
    expect(() => split.split(3, ['a', 'a', 'b'])).toThrow(/least populated class in y has only 1 member/);
    expect(() => new StratifiedShuffleSplit({ test_size: 2 }).split(6, ['a', 'a', 'b', 'b', 'c', 'c'])).toThrow(/must each be at least the number of classes, 3/);
  });

  it('hands out rounded class shares so train and test have their exact sizes', () => {
    const labels = ['a', 'a', 'a', 'b', 'b', 'b', 'b', 'c', 'c', 'c', 'c'];
    for (const fold of new StratifiedShuffleSplit({ n_splits: 4, test_size: 5, random_state: 3 }).split(labels.length, labels)) {
      expect([fold.train.length, fold.test.length]).toEqual([6, 5]);
      expect(new Set(Array.from(fold.test, (i) => labels[i]))).toEqual(new Set(['a', 'b', 'c']));
    }
  });
});
