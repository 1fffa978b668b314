import { z } from 'zod';
import type { ComponentDefinition } from '../../config/registry.js';
import { PldError } from '../../errors.js';
import { formatZodError } from '../../internal/zod-format.js';

const _common = {
  cv: z.unknown().optional(),
  scoring: z.unknown().optional(),
  refit: z.union([z.boolean(), z.string()]).default(true),
  n_jobs: z.int({ error: 'must be an int (-1 = all cores) or null' }).nullable().default(null),
  verbose: z.number().default(0),
  return_train_score: z.boolean().default(false),
  error_score: z.union([z.literal('raise'), z.number(), z.literal('nan'), z.null()], { error: "must be 'raise', a number, or null/'nan' for NaN" }).default(null),
  groups: z.string({ error: 'must name a column of X' }).optional(),
  random_state: z.int().nullable().default(null),
  pre_dispatch: z.unknown().optional(),
};

/** `grid_search` for a grid (scikit-learn's `GridSearchCV` keyword arguments). */
export const gridSearchParams = z.object({ param_grid: z.unknown(), ..._common }).strict();

/** `grid_search` for random sampling (scikit-learn's `RandomizedSearchCV` keyword arguments). */
export const randomizedSearchParams = z.object({ param_distributions: z.unknown(), n_iter: z.int().min(1).default(10), ..._common }).strict();

/** Parsed options of either search; `kind` says which. */
export type SearchSpec = ({ readonly kind: 'grid' } & z.output<typeof gridSearchParams>) | ({ readonly kind: 'random' } & z.output<typeof randomizedSearchParams>);

/**
 * Reads a `grid_search` value (already instantiated): a dict of `GridSearchCV` keyword arguments,
 * one with `param_distributions` (a `RandomizedSearchCV`), or a `{"__factory__": "RandomizedSearchCV"}`.
 * @example
 * parseSearchSpec({ param_grid: { max_depth: [2, 3] }, cv: 3 }, 'config.json').kind; // 'grid'
 */
export function parseSearchSpec(value: unknown, file: string): SearchSpec {
  if (_isSpec(value)) return value;
  const random = typeof value === 'object' && value !== null && 'param_distributions' in value;
  const schema = random ? randomizedSearchParams : gridSearchParams;
  const parsed = schema.safeParse(value);
  if (!parsed.success)
    throw new PldError('PLD_ERR_EVAL_BAD_SEARCH', `${file}: ${formatZodError(parsed.error, 'grid_search', value)}`, { details: { file, keyPath: 'grid_search' } });
  return { kind: random ? 'random' : 'grid', ...parsed.data } as SearchSpec;
}

/**
 * `GridSearchCV` and `RandomizedSearchCV` as registry entries, for `"grid_search": {"__factory__":
 * "sklearn.model_selection.RandomizedSearchCV", ...}` (the model comes from `model`).
 * @example
 * for (const definition of builtinSearches) registry.register(definition);
 */
export const builtinSearches: ComponentDefinition[] = [
  {
    name: 'GridSearchCV',
    aliases: ['sklearn.model_selection.GridSearchCV'],
    kind: 'other',
    params: gridSearchParams,
    create: (params) => ({ kind: 'grid', ...params }),
    summary: 'Exhaustive search over param_grid with cross-validation.',
  },
  {
    name: 'RandomizedSearchCV',
    aliases: ['sklearn.model_selection.RandomizedSearchCV'],
    kind: 'other',
    params: randomizedSearchParams,
    create: (params) => ({ kind: 'random', ...params }),
    summary: 'n_iter candidates sampled from param_distributions, with cross-validation.',
  },
];

function _isSpec(value: unknown): value is SearchSpec {
  return typeof value === 'object' && value !== null && ((value as SearchSpec).kind === 'grid' || (value as SearchSpec).kind === 'random');
}
