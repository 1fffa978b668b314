import type { CreateContext, Registry } from '../config/registry.js';
import { PldError } from '../errors.js';
import type { Estimator, EstimatorCodec, EstimatorSpec } from './types.js';
import { isEstimator } from './types.js';
import { isTransformer } from './types.js';

/**
 * The codec that turns estimators into `{ factory, params, state }` specs by their registry name and
 * back. Only registered estimators can be stored: the store keeps names and data, never code.
 * @example
 * const codec = createEstimatorCodec(registry);
 * const copy = codec.decode(codec.encode(fittedTree));
 */
export function createEstimatorCodec(registry: Registry): EstimatorCodec {
  const codec: EstimatorCodec = {
    encode(estimator: Estimator): EstimatorSpec {
      const definition = registry.definitionOf(estimator);
      if (definition === undefined || definition.kind !== 'estimator') {
        throw new PldError(
          'PLD_ERR_ESTIMATOR_INVALID_PARAM',
          `Cannot store a ${estimator.constructor.name}: only estimators in the registry can be persisted (register it with registry.register)`,
        );
      }
      // Composites (Pipeline...) hold estimators in their params: those go in as nested specs, unfitted; their fitted state is the composite's.
      if (_holdsEstimators(estimator))
        return {
          factory: definition.name,
          params: _encodeNested(_shallowParams(estimator), registry) as Record<string, unknown>,
          state: estimator.isFitted() ? estimator.getState(codec) : undefined,
        };
      return { factory: definition.name, params: estimator.getParams(), state: estimator.isFitted() ? estimator.getState(codec) : undefined };
    },
    decode(spec: EstimatorSpec): Estimator {
      const definition = registry.get(spec.factory);
      if (definition === undefined || definition.kind !== 'estimator') {
        throw new PldError('PLD_ERR_PERSIST_CORRUPT', `The stored model names estimator '${spec.factory}', which this installation does not know`);
      }
      const params = definition.params.parse(_decodeNested(spec.params, codec));
      const ctx: CreateContext = { baseDir: process.cwd(), file: '<model store>', keyPath: 'model', registry };
      const estimator = definition.create(params, ctx);
      if (isTransformer(estimator)) return (spec.state === undefined ? estimator : estimator.setState(spec.state, codec)) as unknown as Estimator;
      if (!isEstimator(estimator) || estimator instanceof Promise)
        throw new PldError('PLD_ERR_INTERNAL', `Registry entry '${spec.factory}' did not create an estimator synchronously`);
      return spec.state === undefined ? estimator : estimator.setState(spec.state, codec);
    },
  };
  return codec;
}

/** Marker key of a nested estimator spec inside stored params; protocol string, so a named constant. */
const _NESTED_KEY = '$estimator';

function _isComponent(value: unknown): value is Estimator {
  return isEstimator(value) || isTransformer(value);
}

// Only composites pay for the walk; a plain estimator's params are stored as they are.
function _holdsEstimators(estimator: Estimator): boolean {
  return Object.values(_shallowParams(estimator)).some(function holds(value: unknown): boolean {
    if (_isComponent(value)) return true;
    return Array.isArray(value) && value.some(holds);
  });
}

// scikit-learn's get_params(deep=False): composites also list `step__param` keys when deep.
function _shallowParams(estimator: Estimator): Record<string, unknown> {
  return (estimator.getParams as (deep?: boolean) => Record<string, unknown>).call(estimator, false);
}

function _encodeNested(value: unknown, registry: Registry): unknown {
  if (_isComponent(value)) {
    const definition = registry.definitionOf(value);
    if (definition === undefined || definition.kind !== 'estimator') {
      throw new PldError('PLD_ERR_ESTIMATOR_INVALID_PARAM', `Cannot store a ${value.constructor.name} inside a composite: only estimators in the registry can be persisted`);
    }
    return { [_NESTED_KEY]: { factory: definition.name, params: _encodeNested(_shallowParams(value), registry) } };
  }
  if (Array.isArray(value)) return value.map((item) => _encodeNested(item, registry));
  if (typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, _encodeNested(item, registry)]));
  }
  return value;
}

function _decodeNested(value: unknown, codec: EstimatorCodec): unknown {
  if (Array.isArray(value)) return value.map((item) => _decodeNested(item, codec));
  if (typeof value !== 'object' || value === null || Object.getPrototypeOf(value) !== Object.prototype) return value;
  const record = value as Record<string, unknown>;
  if (Object.keys(record).length === 1 && typeof record[_NESTED_KEY] === 'object' && record[_NESTED_KEY] !== null) return codec.decode(record[_NESTED_KEY] as EstimatorSpec);
  return Object.fromEntries(Object.entries(record).map(([key, item]) => [key, _decodeNested(item, codec)]));
}
