import { z } from 'zod';
import type { Labels } from '../../data/frame.js';
import { PldError } from '../../errors.js';
import { encodeClasses } from '../labels.js';
import { complement, permutation, seededRandom, shuffleInPlace } from './random.js';
import type { Fold, Splitter } from './types.js';

/** Parameters of {@link KFold} and {@link StratifiedKFold}, scikit-learn's names and defaults. */
export const kFoldParams = z
  .object({
    n_splits: z.int({ error: 'must be an int >= 2' }).min(2, { error: 'must be an int >= 2' }).default(5),
    shuffle: z.boolean().default(false),
    random_state: z.int().nullable().default(null),
  })
  .strict();

/** Parsed {@link kFoldParams}. */
export type KFoldParams = z.output<typeof kFoldParams>;

/**
 * scikit-learn's `KFold`: consecutive folds (after an optional seeded shuffle); the first
 * `n % n_splits` folds get one extra row.
 * @example
 * new KFold({ n_splits: 3 }).split(7).map((fold) => fold.test.length); // [3, 2, 2]
 */
export class KFold implements Splitter {
  readonly name: string = 'KFold';
  readonly params: KFoldParams;

  constructor(params: Partial<KFoldParams> = {}) {
    this.params = kFoldParams.parse(params);
  }

  getNSplits(): number {
    return this.params.n_splits;
  }

  split(nSamples: number): Fold[] {
    const { n_splits: k, shuffle, random_state } = this.params;
    checkEnoughSamples(this.name, k, nSamples);
    const order = shuffle ? permutation(nSamples, seededRandom(random_state)) : Int32Array.from({ length: nSamples }, (_, i) => i);
    const folds: Fold[] = [];
    let start = 0;
    for (let i = 0; i < k; i++) {
      const size = Math.floor(nSamples / k) + (i < nSamples % k ? 1 : 0);
      const test = order.slice(start, start + size);
      folds.push({ train: complement(nSamples, test), test });
      start += size;
    }
    return folds;
  }
}

/**
 * scikit-learn's `StratifiedKFold` (its ≥ 0.22 algorithm): each class's rows are dealt to the folds so
 * every fold keeps the class proportions; without `shuffle` the folds are exactly scikit-learn's.
 * @example
 * new StratifiedKFold({ n_splits: 2 }).split(4, ['a', 'a', 'b', 'b'])[0].test; // Int32Array [0, 2]
 */
export class StratifiedKFold extends KFold {
  override readonly name = 'StratifiedKFold';

  override split(nSamples: number, y?: Labels): Fold[] {
    if (y === undefined) throw new PldError('PLD_ERR_EVAL_BAD_SPLIT', 'StratifiedKFold needs the targets y to stratify on');
    const { n_splits: k, shuffle, random_state } = this.params;
    checkEnoughSamples(this.name, k, nSamples);
    const encoded = _byFirstAppearance(y);
    const nClasses = Math.max(...encoded) + 1;
    const counts = new Array<number>(nClasses).fill(0);
    for (const c of encoded) counts[c]++;
    if (counts.every((count) => count < k)) {
      throw new PldError('PLD_ERR_EVAL_BAD_SPLIT', `StratifiedKFold: n_splits=${k} cannot be greater than the number of members in each class (at most ${Math.max(...counts)})`);
    }
    // Deal the class-sorted labels round-robin, as scikit-learn does, to get each fold's share per class.
    const sorted = [...encoded].sort((a, b) => a - b);
    const allocation = Array.from({ length: k }, () => new Array<number>(nClasses).fill(0));
    for (let i = 0; i < sorted.length; i++) allocation[i % k][sorted[i]]++;
    const random = seededRandom(random_state);
    const testFold = new Int32Array(nSamples);
    for (let c = 0; c < nClasses; c++) {
      const foldsForClass: number[] = [];
      for (let f = 0; f < k; f++) for (let j = 0; j < allocation[f][c]; j++) foldsForClass.push(f);
      if (shuffle) shuffleInPlace(foldsForClass, random);
      let j = 0;
      for (let i = 0; i < nSamples; i++) if (encoded[i] === c) testFold[i] = foldsForClass[j++];
    }
    return Array.from({ length: k }, (_, f) => {
      const test = Int32Array.from(_indicesWhere(testFold, f));
      return { train: complement(nSamples, test), test };
    });
  }
}

/**
 * Throws PLD_ERR_EVAL_BAD_SPLIT when there are fewer rows than splits.
 * @example
 * checkEnoughSamples('KFold', 5, 3); // throws
 */
export function checkEnoughSamples(name: string, nSplits: number, nSamples: number): void {
  if (nSplits > nSamples) throw new PldError('PLD_ERR_EVAL_BAD_SPLIT', `${name}: cannot have n_splits=${nSplits} greater than the number of samples, ${nSamples}`);
}

// Class codes in order of first appearance: scikit-learn encodes this way so folds don't depend on label names.
function _byFirstAppearance(y: Labels): Int32Array {
  const { yTrue } = encodeClasses(y, y, 'StratifiedKFold');
  const firstSeen = new Map<number, number>();
  for (let i = 0; i < yTrue.length; i++) if (!firstSeen.has(yTrue[i])) firstSeen.set(yTrue[i], firstSeen.size);
  return yTrue.map((code) => firstSeen.get(code)!);
}

function _indicesWhere(values: Int32Array, target: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < values.length; i++) if (values[i] === target) out.push(i);
  return out;
}
