import type { CreateContext, Registry } from '../config/registry.js';
import { PldError } from '../errors.js';
import type { Estimator, EstimatorCodec, EstimatorSpec } from './types.js';
import { isEstimator } from './types.js';

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
      return { factory: definition.name, params: estimator.getParams(), state: estimator.isFitted() ? estimator.getState(codec) : undefined };
    },
    decode(spec: EstimatorSpec): Estimator {
      const definition = registry.get(spec.factory);
      if (definition === undefined || definition.kind !== 'estimator') {
        throw new PldError('PLD_ERR_PERSIST_CORRUPT', `The stored model names estimator '${spec.factory}', which this installation does not know`);
      }
      const params = definition.params.parse(spec.params);
      const ctx: CreateContext = { baseDir: process.cwd(), file: '<model store>', keyPath: 'model', registry };
      const estimator = definition.create(params, ctx);
      if (!isEstimator(estimator) || estimator instanceof Promise)
        throw new PldError('PLD_ERR_INTERNAL', `Registry entry '${spec.factory}' did not create an estimator synchronously`);
      return spec.state === undefined ? estimator : estimator.setState(spec.state, codec);
    },
  };
  return codec;
}
