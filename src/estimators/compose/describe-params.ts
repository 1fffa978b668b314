import type { Params } from '../types.js';
import { isComponent } from './nested-params.js';

/**
 * Params as plain JSON for metadata and logs: an estimator inside (a Pipeline step, the `clf` of
 * deep params) becomes `{ "__factory__": "DecisionTreeClassifier", ...its own params }` instead of
 * its whole object, fitted state included, which `JSON.stringify` would otherwise write.
 * @example
 * describeParams(pipeline.getParams()); // { steps: [['clf', { __factory__: 'DecisionTreeClassifier', max_depth: 3, ... }]], clf__max_depth: 3, ... }
 */
export function describeParams(params: Params): Params {
  return _describe(params) as Params;
}

function _describe(value: unknown): unknown {
  if (isComponent(value)) {
    const own = (value.getParams as (deep?: boolean) => Params).call(value, false);
    return { __factory__: value.constructor.name, ...(_describe(own) as Params) };
  }
  if (Array.isArray(value)) return value.map(_describe);
  if (ArrayBuffer.isView(value)) return value;
  if (typeof value === 'object' && value !== null) return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, _describe(item)]));
  return value;
}
