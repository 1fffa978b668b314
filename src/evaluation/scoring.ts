import type { CreateContext } from '../config/registry.js';
import { isPlainObject, joinPath } from '../internal/objects.js';
import { instantiate } from '../config/config.js';
import { importUserExport, isUserModuleReference } from '../config/user-module.js';
import { PldError } from '../errors.js';
import type { Estimator } from '../estimators/types.js';
import { builtinScorer, functionScorer, isScorer, SCORER_NAMES, type Scorer, type ScoringFunction } from './scorers.js';

/**
 * `scoring` after resolution: the scorers in order, and whether the config asked for several
 * (a list or a dict), which is what names the search results (`test_score` vs `test_<name>`).
 * @example
 * const { scorers, multimetric } = await resolveScoring(['accuracy', 'f1_macro'], ctx);
 */
export interface ResolvedScoring {
  readonly scorers: Scorer[];
  readonly multimetric: boolean;
}

/**
 * Resolves every form scikit-learn and Palladium accept for `scoring`: a scorer name, a list of
 * names, a dict `{label: name}`, a `./file.ts#fn` reference (or `{"__factory__": ...}`), or a scorer
 * object/function given by a TypeScript config. `undefined` stays `undefined` (use the default).
 * @example
 * await resolveScoring({ acc: 'accuracy', mine: './scorers.ts#custom' }, ctx);
 */
export async function resolveScoring(value: unknown, ctx: CreateContext): Promise<ResolvedScoring | undefined> {
  if (value === undefined || value === null) return undefined;
  if (Array.isArray(value)) {
    const scorers = await Promise.all(value.map((item, i) => _one(item, undefined, { ...ctx, keyPath: joinPath(ctx.keyPath, String(i)) })));
    _checkUnique(scorers, ctx);
    return { scorers, multimetric: true };
  }
  if (isPlainObject(value) && !('__factory__' in value)) {
    const entries = Object.entries(value);
    if (entries.length === 0) throw new PldError('PLD_ERR_EVAL_BAD_SCORING', `${ctx.file}: ${ctx.keyPath}: expected at least one scorer, got an empty dict`);
    const scorers = await Promise.all(entries.map(([label, item]) => _one(item, label, { ...ctx, keyPath: joinPath(ctx.keyPath, label) })));
    return { scorers, multimetric: true };
  }
  return { scorers: [await _one(value, undefined, ctx)], multimetric: false };
}

/**
 * The scorer used when `scoring` is not set: accuracy for classifiers, R² for regressors (what
 * scikit-learn's `estimator.score` computes), else the estimator's own `score`.
 * @example
 * defaultScorer(tree).name; // 'accuracy'
 */
export function defaultScorer(estimator: Estimator): Scorer {
  if (estimator.estimatorType === 'classifier') return builtinScorer('accuracy')!;
  if (estimator.estimatorType === 'regressor') return builtinScorer('r2')!;
  if (typeof estimator.score === 'function') return functionScorer('score', (model, X, y) => model.score!(X, y));
  throw new PldError('PLD_ERR_EVAL_NO_SCORER', `A ${estimator.estimatorType} has no default score; set \`scoring\` in the config`);
}

async function _one(item: unknown, label: string | undefined, ctx: CreateContext): Promise<Scorer> {
  if (typeof item === 'string') {
    if (isUserModuleReference(item)) {
      const exported = await importUserExport(item, ctx.baseDir, ctx.keyPath, ctx.file);
      return _fromValue(exported, label ?? item.slice(item.lastIndexOf('#') + 1), ctx);
    }
    const definition = ctx.registry.get(item);
    if (definition?.kind === 'scorer') return _rename((await definition.create({}, ctx)) as Scorer, label);
    const hint = ctx.registry.suggest(item).filter((name) => SCORER_NAMES.includes(name));
    throw new PldError(
      'PLD_ERR_EVAL_NO_SCORER',
      `${ctx.file}: ${ctx.keyPath}: unknown scorer '${item}'.${hint.length > 0 ? ` Did you mean '${hint[0]}'?` : ''} Known: ${SCORER_NAMES.join(', ')}, or './file.ts#fn'`,
      { details: { file: ctx.file, keyPath: ctx.keyPath } },
    );
  }
  if (isPlainObject(item) && '__factory__' in item) return _fromValue(await instantiate(item, ctx), label ?? String(item.__factory__), ctx);
  return _fromValue(item, label ?? 'score', ctx);
}

function _fromValue(value: unknown, name: string, ctx: CreateContext): Scorer {
  if (isScorer(value)) return _rename(value, name);
  if (typeof value === 'function') return functionScorer(name, value as ScoringFunction);
  throw new PldError('PLD_ERR_EVAL_BAD_SCORING', `${ctx.file}: ${ctx.keyPath}: expected a scorer name, './file.ts#fn', a list or a dict of them, got ${JSON.stringify(value)}`, {
    details: { file: ctx.file, keyPath: ctx.keyPath },
  });
}

function _rename(scorer: Scorer, label: string | undefined): Scorer {
  return label === undefined || label === scorer.name ? scorer : { name: label, builtinName: scorer.builtinName, score: scorer.score.bind(scorer) };
}

function _checkUnique(scorers: Scorer[], ctx: CreateContext): void {
  const names = scorers.map((scorer) => scorer.name);
  const twice = names.find((name, i) => names.indexOf(name) !== i);
  if (twice !== undefined) throw new PldError('PLD_ERR_EVAL_BAD_SCORING', `${ctx.file}: ${ctx.keyPath}: the scorer '${twice}' is listed twice`);
}
