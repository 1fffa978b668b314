import { describe, expect, it } from 'vitest';
import { createRegistry } from '../../config/builtins.js';
import { configFromObject } from '../../config/config.js';
import { GroupKFold } from './group-kfold.js';
import { KFold, StratifiedKFold } from './kfold.js';
import { ShuffleSplit, StratifiedShuffleSplit } from './shuffle-split.js';
import { TimeSeriesSplit } from './time-series.js';
import { isSplitter } from './types.js';

const tests = (folds: { test: Int32Array }[]) => folds.map((fold) => Array.from(fold.test));

// Expected folds were computed with scikit-learn 1.2.1.
describe('splitters match scikit-learn', () => {
  it('KFold and StratifiedKFold without shuffling', () => {
    expect(tests(new KFold({ n_splits: 3 }).split(7))).toEqual([
      [0, 1, 2],
      [3, 4],
      [5, 6],
    ]);
    const y = ['x', 'y', 'x', 'y', 'x', 'z', 'z', 'x', 'y', 'x', 'z', 'y'];
    expect(tests(new StratifiedKFold({ n_splits: 3 }).split(12, y))).toEqual([
      [0, 1, 2, 5],
      [3, 4, 6, 7],
      [8, 9, 10, 11],
    ]);
    expect(() => new StratifiedKFold({ n_splits: 6 }).split(12, y)).toThrow(/n_splits=6/);
  });

  it('GroupKFold and TimeSeriesSplit', () => {
    expect(tests(new GroupKFold({ n_splits: 3 }).split(10, undefined, Float64Array.of(1, 1, 1, 2, 2, 3, 4, 4, 4, 4)))).toEqual([
      [6, 7, 8, 9],
      [0, 1, 2],
      [3, 4, 5],
    ]);
    expect(new TimeSeriesSplit({ n_splits: 3 }).split(8).map((f) => [Array.from(f.train), Array.from(f.test)])).toEqual([
      [
        [0, 1],
        [2, 3],
      ],
      [
        [0, 1, 2, 3],
        [4, 5],
      ],
      [
        [0, 1, 2, 3, 4, 5],
        [6, 7],
      ],
    ]);
    expect(new TimeSeriesSplit({ n_splits: 2, gap: 1, max_train_size: 2 }).split(8).map((f) => [Array.from(f.train), Array.from(f.test)])).toEqual([
      [
        [1, 2],
        [4, 5],
      ],
      [
        [3, 4],
        [6, 7],
      ],
    ]);
  });

  it('shuffled splitters are seeded, disjoint and cover the requested sizes', () => {
    const a = new KFold({ n_splits: 4, shuffle: true, random_state: 3 }).split(20);
    expect(tests(a)).toEqual(tests(new KFold({ n_splits: 4, shuffle: true, random_state: 3 }).split(20)));
    expect(
      tests(a)
        .flat()
        .sort((x, y) => x - y),
    ).toEqual(Array.from({ length: 20 }, (_, i) => i));
    const ss = new ShuffleSplit({ n_splits: 3, test_size: 0.25, random_state: 0 }).split(20);
    for (const fold of ss) {
      expect([fold.train.length, fold.test.length]).toEqual([15, 5]);
      expect(new Set([...fold.train, ...fold.test]).size).toBe(20);
    }
    const y = Array.from({ length: 30 }, (_, i) => (i < 20 ? 'a' : 'b'));
    for (const fold of new StratifiedShuffleSplit({ n_splits: 2, test_size: 0.3, random_state: 1 }).split(30, y)) {
      expect(Array.from(fold.test).filter((i) => y[i] === 'b').length).toBe(3);
      expect(fold.test.length).toBe(9);
    }
  });

  it('are registry components with sklearn.model_selection aliases', async () => {
    const config = configFromObject({ cv: { __factory__: 'sklearn.model_selection.StratifiedKFold', n_splits: 3, shuffle: true, random_state: 0 } }, createRegistry());
    const cv = await config.component('cv', 'splitter', isSplitter);
    expect(cv).toBeInstanceOf(StratifiedKFold);
    await expect(configFromObject({ cv: { __factory__: 'KFold', n_splits: 1 } }, createRegistry()).component('cv', 'splitter', isSplitter)).rejects.toMatchObject({
      code: 'PLD_ERR_CONFIG_INVALID_PARAM',
    });
  });
});
