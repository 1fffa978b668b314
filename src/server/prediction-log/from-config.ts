import { z } from 'zod';
import type { CommandContext } from '../../commands/context.js';
import { PldError } from '../../errors.js';
import { formatZodError } from '../../internal/zod-format.js';
import { isPredictionSink, type PredictionSink } from './sink.js';

/** The top-level config key of prediction logging. */
export const PREDICTION_LOG_KEY = 'prediction_log';

/**
 * `prediction_log`: the `sink` (a `__factory__`: `JsonLinesSink`, `SqlSink` or a user class), the share
 * of requests logged, and the queue between the server and the sink.
 * @example
 * { "prediction_log": { "sink": { "__factory__": "JsonLinesSink", "path": "predictions.jsonl" }, "sample_rate": 0.1 } }
 */
export const predictionLogParams = z.strictObject({
  sink: z.custom<PredictionSink>(isPredictionSink, {
    message: 'expected a prediction sink, e.g. {"__factory__": "JsonLinesSink", "path": "predictions.jsonl"} or {"__factory__": "SqlSink", "url": "sqlite:predictions.db"}',
  }),
  sample_rate: z.number().min(0).max(1).default(1),
  queue_size: z.number().int().positive().default(10_000),
  batch_size: z.number().int().positive().default(500),
});

/** Parsed `prediction_log`. */
export type PredictionLogConfig = z.infer<typeof predictionLogParams>;

/**
 * The config's `prediction_log`, its sink created, or `undefined` when the key is not set (logging is
 * opt-in). Invalid values are PLD_ERR_CONFIG_INVALID_PARAM naming the file and key; an unknown sink
 * factory is PLD_ERR_CONFIG_UNKNOWN_FACTORY.
 * @example
 * const settings = await predictionLogConfig(ctx); // { sink, sample_rate: 0.1, queue_size: 10000, batch_size: 500 }
 */
export async function predictionLogConfig(ctx: CommandContext): Promise<PredictionLogConfig | undefined> {
  const { config } = ctx;
  if (!config.has(PREDICTION_LOG_KEY)) return undefined;
  const file = config.fileOf(PREDICTION_LOG_KEY);
  const raw = config.value(PREDICTION_LOG_KEY);
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    throw new PldError('PLD_ERR_CONFIG_INVALID_PARAM', `${file}: ${PREDICTION_LOG_KEY}: expected an object with a "sink", got ${JSON.stringify(raw)}`, {
      details: { file, keyPath: PREDICTION_LOG_KEY },
    });
  }
  // A persister has write() and close() too: refuse registered components of another kind by name.
  const sinkSpec = (raw as Record<string, unknown> | null)?.sink as Record<string, unknown> | undefined;
  const factory = sinkSpec?.__factory__ ?? sinkSpec?.['!'];
  const definition = typeof factory === 'string' ? config.registry.get(factory) : undefined;
  if (definition !== undefined && definition.kind !== 'other') {
    throw new PldError(
      'PLD_ERR_CONFIG_INVALID_PARAM',
      `${file}: ${PREDICTION_LOG_KEY}.sink: '${factory}' is a ${definition.kind}, not a prediction sink; use JsonLinesSink or SqlSink`,
      {
        details: { file, keyPath: `${PREDICTION_LOG_KEY}.sink` },
      },
    );
  }
  const built = await config.component<unknown>(PREDICTION_LOG_KEY, 'other', () => true);
  const parsed = predictionLogParams.safeParse(built);
  if (!parsed.success) {
    throw new PldError('PLD_ERR_CONFIG_INVALID_PARAM', `${file}: ${formatZodError(parsed.error, PREDICTION_LOG_KEY, raw)}`, { details: { file, keyPath: PREDICTION_LOG_KEY } });
  }
  return parsed.data;
}
