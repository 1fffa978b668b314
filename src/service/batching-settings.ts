import type { BatchingConfig } from '../config/batching-schema.js';
import { PldError } from '../errors.js';

/** How a {@link MicroBatcher} gathers requests. */
export interface BatchingSettings {
  /** Most rows in one model call; a request with at least this many rows runs alone. */
  readonly maxBatchSize: number;
  /** Longest a request waits in the queue for others, in ms; 0 never holds one back. */
  readonly maxBatchWaitMs: number;
}

/** Rows per model call unless `max_batch_size` says otherwise. */
export const DEFAULT_MAX_BATCH_SIZE = 64;
/** Queue wait bound unless `max_batch_wait_ms` says otherwise (ms). */
export const DEFAULT_MAX_BATCH_WAIT_MS = 5;

/**
 * The batching settings of a model from its `batching` config values, least specific first (the top
 * level's, then the model entry's): later values override earlier ones key by key, `true` / `false`
 * switch batching on / off. `undefined` when batching ends up off (the default).
 * @example
 * batchingSettings({ max_batch_size: 32 }); // { maxBatchSize: 32, maxBatchWaitMs: 5 }
 * batchingSettings({ max_batch_size: 32 }, false); // undefined
 */
export function batchingSettings(...configs: readonly (BatchingConfig | undefined)[]): BatchingSettings | undefined {
  let enabled = false;
  let maxBatchSize = DEFAULT_MAX_BATCH_SIZE;
  let maxBatchWaitMs = DEFAULT_MAX_BATCH_WAIT_MS;
  for (const config of configs) {
    if (config === undefined) continue;
    if (typeof config === 'boolean') {
      enabled = config;
      continue;
    }
    enabled = config.enabled ?? true;
    maxBatchSize = config.max_batch_size ?? maxBatchSize;
    maxBatchWaitMs = config.max_batch_wait_ms ?? maxBatchWaitMs;
  }
  return enabled ? checkBatchingSettings({ maxBatchSize, maxBatchWaitMs }) : undefined;
}

/**
 * `settings` when valid; otherwise PLD_ERR_BATCH_INVALID_SETTINGS naming the setting. Config files are
 * checked by the config schema already; this guards the package API.
 * @example
 * checkBatchingSettings({ maxBatchSize: 0, maxBatchWaitMs: 5 }); // throws: maxBatchSize must be an integer >= 1, got 0
 */
export function checkBatchingSettings(settings: BatchingSettings): BatchingSettings {
  const { maxBatchSize, maxBatchWaitMs } = settings;
  if (!Number.isInteger(maxBatchSize) || maxBatchSize < 1) throw _invalid('maxBatchSize (max_batch_size)', 'an integer >= 1', maxBatchSize);
  if (typeof maxBatchWaitMs !== 'number' || !Number.isFinite(maxBatchWaitMs) || maxBatchWaitMs < 0)
    throw _invalid('maxBatchWaitMs (max_batch_wait_ms)', 'a number of ms >= 0', maxBatchWaitMs);
  return { maxBatchSize, maxBatchWaitMs };
}

function _invalid(name: string, expected: string, got: unknown): PldError {
  return new PldError('PLD_ERR_BATCH_INVALID_SETTINGS', `Batching setting ${name} must be ${expected}, got ${JSON.stringify(got) ?? String(got)}`, { details: { setting: name } });
}
