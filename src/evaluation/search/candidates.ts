import { PldError } from '../../errors.js';
import type { Params } from '../../estimators/types.js';
import { isPlainObject } from '../../internal/objects.js';
import { seededRandom, shuffleInPlace } from '../splitters/random.js';
import { type Distribution, isDistribution } from './distributions.js';

/** `param_grid`: a dict of lists, or a list of such dicts. */
export type ParamGrid = Record<string, readonly unknown[]> | readonly Record<string, readonly unknown[]>[];

/** `param_distributions`: values are lists (sampled uniformly) or distributions; or a list of such dicts. */
export type ParamDistributions = Record<string, readonly unknown[] | Distribution> | readonly Record<string, readonly unknown[] | Distribution>[];

/**
 * Every candidate of a grid, in scikit-learn's `ParameterGrid` order: grid by grid, keys sorted, the
 * last key varying fastest.
 * @example
 * parameterGrid({ b: [1, 2], a: ['x'] }); // [{ a: 'x', b: 1 }, { a: 'x', b: 2 }]
 */
export function parameterGrid(grid: ParamGrid, key = 'grid_search.param_grid'): Params[] {
  const grids = _grids(grid, key);
  const out: Params[] = [];
  grids.forEach((one, g) => {
    const keys = Object.keys(one).sort();
    for (const name of keys) {
      const values = one[name];
      if (!Array.isArray(values) || values.length === 0) {
        throw new PldError('PLD_ERR_EVAL_BAD_SEARCH', `${key}${grids.length > 1 ? `.${g}` : ''}.${name}: expected a non-empty list of values, got ${JSON.stringify(values)}`);
      }
    }
    let partial: Params[] = [{}];
    for (const name of keys) partial = partial.flatMap((params) => (one[name] as unknown[]).map((value) => ({ ...params, [name]: value })));
    out.push(...partial);
  });
  if (out.length === 0) throw new PldError('PLD_ERR_EVAL_BAD_SEARCH', `${key}: the grid has no candidates`);
  return out;
}

/**
 * `nIter` candidates as scikit-learn's `ParameterSampler` draws them: when every value is a list,
 * without replacement from the grid; otherwise each key (sorted) from its list or distribution.
 * Seeded by `randomState`, so the same config gives the same candidates.
 * @example
 * parameterSampler({ C: new LogUniform({ a: 0.01, b: 10 }) }, 5, 0); // five { C } dicts
 */
export function parameterSampler(distributions: ParamDistributions, nIter: number, randomState: number | null, key = 'grid_search.param_distributions'): Params[] {
  const grids = _grids(distributions as ParamGrid, key) as Record<string, readonly unknown[] | Distribution>[];
  const random = seededRandom(randomState);
  const allLists = grids.every((one) => Object.values(one).every((value) => Array.isArray(value)));
  if (allLists) {
    const grid = parameterGrid(grids as Record<string, readonly unknown[]>[], key);
    return shuffleInPlace([...grid], random).slice(0, Math.min(nIter, grid.length));
  }
  return Array.from({ length: nIter }, () => {
    const one = grids[Math.floor(random() * grids.length)];
    const params: Params = {};
    for (const name of Object.keys(one).sort()) {
      const value = one[name];
      if (isDistribution(value)) params[name] = value.rvs(random);
      else if (Array.isArray(value) && value.length > 0) params[name] = value[Math.floor(random() * value.length)];
      else
        throw new PldError(
          'PLD_ERR_EVAL_BAD_SEARCH',
          `${key}.${name}: expected a non-empty list or a distribution ({"__factory__": "uniform", ...}), got ${JSON.stringify(value)}`,
        );
    }
    return params;
  });
}

function _grids(grid: unknown, key: string): Record<string, unknown>[] {
  const grids = Array.isArray(grid) ? grid : [grid];
  if (grids.length === 0 || !grids.every(isPlainObject)) {
    throw new PldError('PLD_ERR_EVAL_BAD_SEARCH', `${key}: expected a dict of parameter name → values, or a non-empty list of such dicts, got ${JSON.stringify(grid)}`);
  }
  return grids as Record<string, unknown>[];
}
