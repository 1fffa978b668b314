import type { Labels } from '../../data/frame.js';
import { PldError } from '../../errors.js';

/**
 * Class labels as integer codes: `classes` sorted like `np.unique` (numbers ascending, strings by code
 * point), `codes[i]` the index of `y[i]` in `classes`.
 * @example
 * const { classes, codes } = encodeLabels(['b', 'a', 'b']); // classes ['a', 'b'], codes Int32Array [1, 0, 1]
 */
export function encodeLabels(y: Labels | undefined): { classes: Labels; codes: Int32Array } {
  if (y === undefined) throw new PldError('PLD_ERR_ESTIMATOR_BAD_INPUT', 'A classifier needs labels y to fit; none were given');
  const codes = new Int32Array(y.length);
  if (y instanceof Float64Array) {
    for (let i = 0; i < y.length; i++) {
      if (!Number.isFinite(y[i])) throw new PldError('PLD_ERR_ESTIMATOR_BAD_INPUT', `Label y[${i}] is ${y[i]}; labels must be finite numbers or strings`, { details: { row: i } });
    }
    const classes = Float64Array.from(new Set(y)).sort();
    const index = new Map<number, number>();
    for (let k = 0; k < classes.length; k++) index.set(classes[k], k);
    for (let i = 0; i < y.length; i++) codes[i] = index.get(y[i]) as number;
    return { classes, codes };
  }
  for (let i = 0; i < y.length; i++) {
    if (typeof y[i] !== 'string')
      throw new PldError('PLD_ERR_ESTIMATOR_BAD_INPUT', `Label y[${i}] is ${String(y[i])}; labels must be strings or numbers, not missing`, { details: { row: i } });
  }
  // Code-point order, as np.unique sorts strings (localeCompare would not).
  const classes = [...new Set(y)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const index = new Map<string, number>();
  for (let k = 0; k < classes.length; k++) index.set(classes[k], k);
  for (let i = 0; i < y.length; i++) codes[i] = index.get(y[i]) as number;
  return { classes, codes };
}

/**
 * Labels for class codes: the same kind as `classes` (string[] or Float64Array).
 * @example
 * decodeLabels(['a', 'b'], Int32Array.of(1, 0)); // ['b', 'a']
 */
export function decodeLabels(classes: Labels, codes: Int32Array): Labels {
  if (classes instanceof Float64Array) {
    const out = new Float64Array(codes.length);
    for (let i = 0; i < codes.length; i++) out[i] = classes[codes[i]];
    return out;
  }
  const out: string[] = new Array(codes.length);
  for (let i = 0; i < codes.length; i++) out[i] = classes[codes[i]];
  return out;
}
