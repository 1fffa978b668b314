import path from 'node:path';
import type { CreateContext } from '../config/registry.js';
import type { ResolvedScoring } from '../evaluation/scoring.js';
import { resolveScoring } from '../evaluation/scoring.js';
import type { Scorer } from '../evaluation/scorers.js';
import type { CommandContext } from './context.js';

/**
 * The top-level `scoring` of the config, resolved (names, lists, dicts, `./file.ts#fn`), or
 * `undefined` for the model's default score.
 * @example
 * const scorers = await scoringOf(ctx); // [accuracy scorer] for `"scoring": "accuracy"`
 */
export async function scoringOf(ctx: CommandContext): Promise<Scorer[] | undefined> {
  return (await resolvedScoringOf(ctx, 'scoring'))?.scorers;
}

/**
 * A `scoring` value at a dotted path (`scoring` or `grid_search.scoring`), resolved with the right
 * file and folder for user references.
 * @example
 * const resolved = await resolvedScoringOf(ctx, 'scoring');
 */
export async function resolvedScoringOf(ctx: CommandContext, keyPath: string, value: unknown = ctx.config.value('scoring')): Promise<ResolvedScoring | undefined> {
  return resolveScoring(value, createContextFor(ctx, keyPath));
}

/**
 * A component-creation context for a config key: its file, folder and the registry.
 * @example
 * const created = await instantiate(raw, createContextFor(ctx, 'grid_search'));
 */
export function createContextFor(ctx: CommandContext, keyPath: string): CreateContext {
  const file = ctx.config.fileOf(keyPath.split('.')[0]);
  return { registry: ctx.config.registry, file, baseDir: file === '<inline>' ? process.cwd() : path.dirname(file), keyPath };
}
