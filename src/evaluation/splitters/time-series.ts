import { z } from 'zod';
import { PldError } from '../../errors.js';
import type { Fold, Splitter } from './types.js';

/** Parameters of {@link TimeSeriesSplit}, scikit-learn's names and defaults. */
export const timeSeriesSplitParams = z
  .object({
    n_splits: z.int().min(2).default(5),
    max_train_size: z.int().min(1).nullable().default(null),
    test_size: z.int().min(1).nullable().default(null),
    gap: z.int().min(0).default(0),
  })
  .strict();

/**
 * scikit-learn's `TimeSeriesSplit`: growing windows of past rows to fit on, the next rows to score on.
 * Rows must be in time order.
 * @example
 * new TimeSeriesSplit({ n_splits: 2 }).split(6).map((f) => [f.train.length, f.test.length]); // [[2, 2], [4, 2]]
 */
export class TimeSeriesSplit implements Splitter {
  readonly name = 'TimeSeriesSplit';
  readonly params: z.output<typeof timeSeriesSplitParams>;

  constructor(params: Partial<z.output<typeof timeSeriesSplitParams>> = {}) {
    this.params = timeSeriesSplitParams.parse(params);
  }

  getNSplits(): number {
    return this.params.n_splits;
  }

  split(nSamples: number): Fold[] {
    const { n_splits: k, max_train_size, gap } = this.params;
    const testSize = this.params.test_size ?? Math.floor(nSamples / (k + 1));
    if (k + 1 > nSamples || nSamples - gap - testSize * k <= 0) {
      throw new PldError('PLD_ERR_EVAL_BAD_SPLIT', `TimeSeriesSplit: ${nSamples} samples are too few for n_splits=${k}, test_size=${testSize}, gap=${gap}`);
    }
    const folds: Fold[] = [];
    for (let start = nSamples - k * testSize; start < nSamples; start += testSize) {
      const trainEnd = start - gap;
      const trainStart = max_train_size !== null && max_train_size < trainEnd ? trainEnd - max_train_size : 0;
      folds.push({ train: _range(trainStart, trainEnd), test: _range(start, start + testSize) });
    }
    return folds;
  }
}

function _range(start: number, end: number): Int32Array {
  return Int32Array.from({ length: end - start }, (_, i) => start + i);
}
