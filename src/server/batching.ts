import type { BatchingConfig } from '../config/batching-schema.js';
import { BatchedService } from '../service/batched-service.js';
import { batchingSettings } from '../service/batching-settings.js';
import type { PredictService } from '../service/predict-service.js';
import { batchMetrics } from './batching-metrics.js';
import type { ServerParts } from './parts.js';

// One batcher per service: the root route and `/models/{name}{entry_point}` feed the same batches.
const _batched = new WeakMap<PredictService, BatchedService | undefined>();

/**
 * The batched form of `service` for the model `modelName` when the config turns batching on (the
 * top-level `batching`, overridden key by key by `modelBatching`, a model entry's own `batching`), else
 * `undefined`. A service that replaces `handle` cannot be batched: it is served as it is, with a warning.
 * @example
 * const batched = batchedServiceFor(parts, service);
 * registerPredictRoute(parts.app, service, parts.holder, hooks, { batched });
 */
export function batchedServiceFor(parts: ServerParts, service: PredictService, modelName: string = parts.holder.name, modelBatching?: BatchingConfig): BatchedService | undefined {
  if (_batched.has(service)) return _batched.get(service);
  const batched = _createBatched(parts, service, modelName, modelBatching);
  _batched.set(service, batched);
  return batched;
}

function _createBatched(parts: ServerParts, service: PredictService, modelName: string, modelBatching?: BatchingConfig): BatchedService | undefined {
  const settings = batchingSettings(parts.ctx.config.value<BatchingConfig>('batching'), modelBatching);
  if (settings === undefined) return undefined;
  if (!BatchedService.supports(service)) {
    parts.ctx.log.warn(`Batching is on, but the service at ${service.entryPoint} overrides handle(); it is served without batching (override the steps instead)`);
    return undefined;
  }
  const observe = parts.metrics && batchMetrics(parts.metrics, modelName, service.entryPoint);
  return new BatchedService(service, modelName, settings, observe);
}
