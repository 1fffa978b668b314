import type { Estimator, EstimatorCodec } from '../estimators/types.js';
import { ARTIFACT_FORMAT, type ModelArtifact, type ModelMetadata } from './types.js';

/** A fitted estimator with its stored metadata: what `read` gives the server. */
export interface LoadedModel {
  readonly estimator: Estimator;
  readonly metadata: ModelMetadata;
}

/**
 * The artifact for a fitted estimator: registry name, params and state, never code.
 * @example
 * const version = await persister.write(toArtifact(tree, { train_timestamp: new Date().toISOString() }, codec));
 */
export function toArtifact(
  estimator: Estimator,
  metadata: Omit<ModelMetadata, 'version'>,
  codec: EstimatorCodec,
): Omit<ModelArtifact, 'metadata'> & { metadata: Omit<ModelMetadata, 'version'> } {
  const spec = codec.encode(estimator);
  return { format: ARTIFACT_FORMAT, factory: spec.factory, params: spec.params, state: spec.state, metadata: { ...metadata, factory: spec.factory } };
}

/**
 * The fitted estimator an artifact describes.
 * @example
 * const { estimator, metadata } = fromArtifact(await persister.read(), codec);
 */
export function fromArtifact(artifact: ModelArtifact, codec: EstimatorCodec): LoadedModel {
  const estimator = codec.decode({ factory: artifact.factory, params: artifact.params, state: artifact.state });
  return { estimator, metadata: artifact.metadata };
}
