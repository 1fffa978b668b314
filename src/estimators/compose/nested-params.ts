import { z } from 'zod';
import { PldError } from '../../errors.js';
import type { Estimator, Params, Transformer } from '../types.js';
import { isEstimator, isTransformer } from '../types.js';

/**
 * Anything a composite can hold as a part: an estimator or a transformer.
 * @example
 * const part: Component = new StandardScaler();
 */
export type Component = Estimator | Transformer;

/**
 * True for estimators and transformers.
 * @example
 * isComponent(new StandardScaler()); // true
 */
export function isComponent(value: unknown): value is Component {
  return isEstimator(value) || isTransformer(value);
}

/**
 * A zod schema for one part of a composite: an estimator or transformer instance (the config loader
 * builds `{"__factory__": ...}` objects before the composite sees them), or one of `keywords`.
 * @example
 * componentSchema(['passthrough']).parse(new StandardScaler());
 */
export function componentSchema<K extends string>(keywords: readonly K[]): z.ZodType<Component | K> {
  const words = keywords.map((word) => `'${word}'`).join(' or ');
  return z.custom<Component | K>((value) => isComponent(value) || (keywords as readonly unknown[]).includes(value), {
    error: `must be an estimator or transformer (a {"__factory__": ...} object)${words === '' ? '' : ` or ${words}`}`,
  });
}

/**
 * scikit-learn's deep `get_params()` for named parts: each part under its name, and each of its own
 * (deep) params as `name__param`.
 * @example
 * deepParams([['clf', tree]]); // { clf: tree, clf__max_depth: null, ... }
 */
export function deepParams(parts: readonly (readonly [string, unknown])[]): Params {
  const out: Params = {};
  for (const [name, part] of parts) {
    out[name] = part;
    if (!isComponent(part)) continue;
    for (const [key, value] of Object.entries(part.getParams())) out[`${name}__${key}`] = value;
  }
  return out;
}

/**
 * Splits `setParams` input for a composite: `own` keys (e.g. `steps`), whole-part replacements
 * (`clf: newTree`) and nested params per part (`clf__max_depth: 3` → `{ clf: { max_depth: 3 } }`).
 * An unknown key or part name is an error naming it, like scikit-learn's "Invalid parameter".
 * @example
 * routeParams({ clf__max_depth: 3 }, ['steps'], ['scaler', 'clf'], 'Pipeline'); // nested: { clf: { max_depth: 3 } }
 */
export function routeParams(
  params: Params,
  ownKeys: readonly string[],
  partNames: readonly string[],
  owner: string,
): { own: Params; replace: Map<string, unknown>; nested: Map<string, Params> } {
  const own: Params = {};
  const replace = new Map<string, unknown>();
  const nested = new Map<string, Params>();
  for (const [key, value] of Object.entries(params)) {
    const split = key.indexOf('__');
    const head = split === -1 ? key : key.slice(0, split);
    if (split === -1 && ownKeys.includes(key)) own[key] = value;
    else if (partNames.includes(head)) {
      if (split === -1) replace.set(head, value);
      else nested.set(head, { ...nested.get(head), [key.slice(split + 2)]: value });
    } else {
      throw new PldError(
        'PLD_ERR_ESTIMATOR_INVALID_PARAM',
        `${owner}: invalid parameter '${key}'; valid are ${[...ownKeys, ...partNames].map((name) => `'${name}'`).join(', ')} and 'part__param' for a part's own params`,
        { details: { params: [key] } },
      );
    }
  }
  return { own, replace, nested };
}

/**
 * Checks part names: unique, non-empty, without `__` (which would make `name__param` ambiguous) and
 * not clashing with the composite's own params.
 * @example
 * checkPartNames(['scaler', 'clf'], ['steps'], 'Pipeline', 'steps');
 */
export function checkPartNames(names: readonly string[], ownKeys: readonly string[], owner: string, param: string): void {
  const seen = new Set<string>();
  for (const name of names) {
    let problem: string | undefined;
    if (name === '') problem = 'an empty name';
    else if (name.includes('__')) problem = `the name '${name}', which contains '__'`;
    else if (seen.has(name)) problem = `the name '${name}' twice`;
    else if (ownKeys.includes(name)) problem = `the name '${name}', which is also a ${owner} parameter`;
    if (problem !== undefined)
      throw new PldError('PLD_ERR_ESTIMATOR_INVALID_PARAM', `${owner}: ${param}: has ${problem}; names must be unique and free of '__'`, { details: { params: [param] } });
    seen.add(name);
  }
}
