import type { FastifyInstance } from 'fastify';
import type { CommandContext } from '../../commands/context.js';
import { registerCounter } from '../metric-series.js';
import type { ServerMetrics } from '../metrics.js';
import { predictionLogConfig } from './from-config.js';
import { PredictionLog } from './prediction-log.js';

/**
 * Creates the server's {@link PredictionLog} when the config has `prediction_log`: its records are
 * written and the sink closed when the server closes (after the last request drained, so SIGTERM loses
 * nothing queued), and `pld_prediction_log_records_total{outcome}` counts written, dropped (queue full)
 * and failed (sink error) records in `/metrics`.
 * @example
 * const predictionLog = await attachPredictionLog(ctx, app, metrics);
 */
export async function attachPredictionLog(ctx: CommandContext, app: FastifyInstance, metrics?: ServerMetrics): Promise<PredictionLog | undefined> {
  const settings = await predictionLogConfig(ctx);
  if (settings === undefined) return undefined;
  const predictionLog = new PredictionLog({
    sink: settings.sink,
    sampleRate: settings.sample_rate,
    queueSize: settings.queue_size,
    batchSize: settings.batch_size,
    log: ctx.log,
  });
  app.addHook('onClose', async () => {
    await predictionLog.close();
  });
  if (metrics !== undefined) {
    registerCounter(metrics.registry, {
      name: 'pld_prediction_log_records_total',
      help: 'Prediction log records by outcome: written by the sink, dropped because its queue was full, failed by a sink error',
      series: () => {
        const { written, dropped, failed } = predictionLog.counts;
        return [
          { labels: { outcome: 'written' }, value: written },
          { labels: { outcome: 'dropped' }, value: dropped },
          { labels: { outcome: 'failed' }, value: failed },
        ];
      },
    });
  }
  ctx.log.info(`Logging ${_percent(settings.sample_rate)} of predictions to ${settings.sink.describe}`);
  return predictionLog;
}

function _percent(rate: number): string {
  return `${Number((rate * 100).toPrecision(4))} %`;
}
