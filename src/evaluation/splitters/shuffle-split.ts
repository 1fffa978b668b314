import { z } from 'zod';
import type { Labels } from '../../data/frame.js';
import { PldError } from '../../errors.js';
import { encodeClasses } from '../labels.js';
import { permutation, seededRandom } from './random.js';
import type { Fold, Splitter } from './types.js';

const _size = z
  .union([z.int().min(1), z.number().gt(0).lt(1)], { error: 'must be an int >= 1, a float in (0, 1), or null' })
  .nullable()
  .default(null);

/** Parameters of {@link ShuffleSplit} and {@link StratifiedShuffleSplit}, scikit-learn's names and defaults. */
export const shuffleSplitParams = z
  .object({
    n_splits: z.int().min(1).default(10),
    test_size: _size,
    train_size: _size,
    random_state: z.int().nullable().default(null),
  })
  .strict();

/** Parsed {@link shuffleSplitParams}. */
export type ShuffleSplitParams = z.output<typeof shuffleSplitParams>;

/**
 * scikit-learn's `ShuffleSplit`: independent random train/test splits; `test_size` defaults to 0.1.
 * @example
 * new ShuffleSplit({ n_splits: 2, test_size: 0.25, random_state: 0 }).split(8)[0].test.length; // 2
 */
export class ShuffleSplit implements Splitter {
  readonly name: string = 'ShuffleSplit';
  readonly params: ShuffleSplitParams;

  constructor(params: Partial<ShuffleSplitParams> = {}) {
    this.params = shuffleSplitParams.parse(params);
  }

  getNSplits(): number {
    return this.params.n_splits;
  }

  split(nSamples: number, _y?: Labels): Fold[] {
    const [nTrain, nTest] = this.sizes(nSamples);
    const random = seededRandom(this.params.random_state);
    return Array.from({ length: this.params.n_splits }, () => {
      const order = permutation(nSamples, random);
      return { test: order.slice(0, nTest), train: order.slice(nTest, nTest + nTrain) };
    });
  }

  /** `[n_train, n_test]` as scikit-learn's `_validate_shuffle_split` computes them. */
  protected sizes(n: number): [number, number] {
    const { test_size, train_size } = this.params;
    const testSize = test_size ?? (train_size === null ? 0.1 : null);
    const nTest = testSize === null ? n - _count(train_size!, n, Math.floor) : _count(testSize, n, Math.ceil);
    const nTrain = train_size === null ? n - nTest : _count(train_size, n, Math.floor);
    if (nTrain < 1 || nTest < 1 || nTrain + nTest > n) {
      throw new PldError(
        'PLD_ERR_EVAL_BAD_SPLIT',
        `${this.name}: with ${n} samples, test_size=${test_size} and train_size=${train_size} leave ${nTrain} train and ${nTest} test rows`,
      );
    }
    return [nTrain, nTest];
  }
}

/**
 * scikit-learn's `StratifiedShuffleSplit`: random splits that keep the class proportions in both
 * parts (class shares are rounded as scikit-learn's `_approximate_mode` does).
 * @example
 * new StratifiedShuffleSplit({ n_splits: 1, test_size: 0.5, random_state: 0 }).split(4, ['a', 'a', 'b', 'b']);
 */
export class StratifiedShuffleSplit extends ShuffleSplit {
  override readonly name = 'StratifiedShuffleSplit';

  override split(nSamples: number, y?: Labels): Fold[] {
    if (y === undefined) throw new PldError('PLD_ERR_EVAL_BAD_SPLIT', 'StratifiedShuffleSplit needs the targets y to stratify on');
    const [nTrain, nTest] = this.sizes(nSamples);
    const { classes, yTrue } = encodeClasses(y, y, this.name);
    const members = classes.map(() => [] as number[]);
    for (let i = 0; i < yTrue.length; i++) members[yTrue[i]].push(i);
    const counts = members.map((rows) => rows.length);
    if (counts.some((count) => count < 2))
      throw new PldError('PLD_ERR_EVAL_BAD_SPLIT', `${this.name}: the least populated class in y has only 1 member; every class needs at least 2`);
    if (nTest < classes.length || nTrain < classes.length) {
      throw new PldError('PLD_ERR_EVAL_BAD_SPLIT', `${this.name}: train and test sizes (${nTrain}, ${nTest}) must each be at least the number of classes, ${classes.length}`);
    }
    const random = seededRandom(this.params.random_state);
    return Array.from({ length: this.params.n_splits }, () => {
      const trainShare = approximateMode(counts, nTrain);
      const testShare = approximateMode(
        counts.map((count, c) => count - trainShare[c]),
        nTest,
      );
      const train: number[] = [];
      const test: number[] = [];
      members.forEach((rows, c) => {
        const order = permutation(rows.length, random);
        for (let j = 0; j < trainShare[c]; j++) train.push(rows[order[j]]);
        for (let j = trainShare[c]; j < trainShare[c] + testShare[c]; j++) test.push(rows[order[j]]);
      });
      return { train: Int32Array.from(permutation(train.length, random), (j) => train[j]), test: Int32Array.from(permutation(test.length, random), (j) => test[j]) };
    });
  }
}

/**
 * Splits `total` draws over classes in proportion to `counts`: floors first, then the remaining draws
 * to the largest remainders, never more than a class has (deterministic, unlike scikit-learn's tie break).
 * @example
 * approximateMode([3, 3, 4], 5); // [1, 2, 2] or similar, summing to 5
 */
export function approximateMode(counts: number[], total: number): number[] {
  const all = counts.reduce((a, b) => a + b, 0);
  const exact = counts.map((count) => (count * total) / all);
  const out = exact.map(Math.floor);
  let left = total - out.reduce((a, b) => a + b, 0);
  const order = exact.map((_, c) => c).sort((a, b) => exact[b] - out[b] - (exact[a] - out[a]) || a - b);
  for (const c of order) {
    if (left === 0) break;
    if (out[c] < counts[c]) {
      out[c]++;
      left--;
    }
  }
  return out;
}

function _count(size: number, n: number, round: (x: number) => number): number {
  return Number.isInteger(size) && size >= 1 ? size : round(size * n);
}
