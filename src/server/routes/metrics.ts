import { toPldError } from '../../errors.js';
import { hooksFor } from '../hooks/resolve.js';
import { clusterMetrics, isClusterWorker, shareWorkerMetrics } from '../cluster.js';
import type { RouteGroup } from '../parts.js';
import { errorBody } from '../responses.js';

/** Where Prometheus scrapes. */
export const METRICS_PATH = '/metrics';

/**
 * `GET /metrics` in Prometheus' text format, behind the `metrics_decorators` hooks; absent when the
 * config sets `metrics: false`. In `--workers` mode any worker answers with the metrics of all workers
 * (aggregated by the primary), so a scrape sees the whole server whichever worker it reaches.
 * @example
 * const ROUTE_GROUPS = [predictRoutes, palladiumRoutes, metricsRoutes];
 */
export const metricsRoutes: RouteGroup = async (parts) => {
  const { metrics } = parts;
  if (metrics === undefined) return;
  const clustered = isClusterWorker();
  if (clustered) shareWorkerMetrics(metrics.registry);
  const preHandler = await hooksFor(parts, 'metrics_decorators');
  parts.declareRoute(METRICS_PATH, ['GET', 'HEAD']);
  parts.app.get(METRICS_PATH, { preHandler }, async (_request, reply) => {
    try {
      const text = clustered ? await clusterMetrics() : await metrics.registry.metrics();
      return reply.code(200).header('content-type', metrics.registry.contentType).send(text);
    } catch (error) {
      const pld = toPldError(error);
      return reply.code(pld.status).send(errorBody(pld, parts.serviceMetadata));
    }
  });
};
