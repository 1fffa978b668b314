import { z } from 'zod';
import type { Labels } from '../../data/frame.js';
import { PldError } from '../../errors.js';
import { encodeClasses } from '../labels.js';
import { complement } from './random.js';
import type { Fold, Splitter } from './types.js';

/** Parameters of {@link GroupKFold}. */
export const groupKFoldParams = z.object({ n_splits: z.int({ error: 'must be an int >= 2' }).min(2, { error: 'must be an int >= 2' }).default(5) }).strict();

/**
 * scikit-learn's `GroupKFold`: no group is in both train and test; groups go, largest first, to the
 * fold with the fewest rows so far. The groups are a column named by `grid_search.groups`.
 * @example
 * new GroupKFold({ n_splits: 2 }).split(4, undefined, ['a', 'a', 'b', 'c']);
 */
export class GroupKFold implements Splitter {
  readonly name = 'GroupKFold';
  readonly params: z.output<typeof groupKFoldParams>;

  constructor(params: Partial<z.output<typeof groupKFoldParams>> = {}) {
    this.params = groupKFoldParams.parse(params);
  }

  getNSplits(): number {
    return this.params.n_splits;
  }

  split(nSamples: number, _y?: Labels, groups?: Labels): Fold[] {
    if (groups === undefined) throw new PldError('PLD_ERR_EVAL_BAD_SPLIT', 'GroupKFold needs groups: set `groups` in grid_search to the name of a column of X');
    const k = this.params.n_splits;
    const { classes, yTrue: code } = encodeClasses(groups, groups, this.name);
    if (classes.length < k) throw new PldError('PLD_ERR_EVAL_BAD_SPLIT', `GroupKFold: cannot have n_splits=${k} greater than the number of groups, ${classes.length}`);
    const sizes = new Array<number>(classes.length).fill(0);
    for (const g of code) sizes[g]++;
    // Largest group first; equal sizes in reverse label order, as scikit-learn's argsort(...)[::-1].
    const order = sizes.map((_, g) => g).sort((a, b) => sizes[b] - sizes[a] || b - a);
    const foldRows = new Array<number>(k).fill(0);
    const foldOf = new Int32Array(classes.length);
    for (const g of order) {
      const lightest = foldRows.indexOf(Math.min(...foldRows));
      foldRows[lightest] += sizes[g];
      foldOf[g] = lightest;
    }
    return Array.from({ length: k }, (_, f) => {
      const test = Int32Array.from(Array.from(code.keys()).filter((i) => foldOf[code[i]] === f));
      return { train: complement(nSamples, test), test };
    });
  }
}
