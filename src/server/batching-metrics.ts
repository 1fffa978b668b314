import type { BatchObserver } from '../service/batcher.js';
import { histogramSeries, observe, registerHistogram, type HistogramSeries } from './metric-series.js';
import type { ServerMetrics } from './metrics.js';

/** Powers of two up to a large batch: batch sizes are counts, and doubling is the scale they vary on. */
const _SIZE_BUCKETS = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024];

const _registered = new WeakMap<ServerMetrics, Map<string, _Series>>();

interface _Series {
  readonly requests: HistogramSeries;
  readonly rows: HistogramSeries;
}

/**
 * The batch-size metrics of one batched predict service, registered in the server's metrics on first
 * use: `pld_batch_requests` (requests served by each model call) and `pld_batch_rows` (rows in each
 * model call), histograms labelled by model and entry point. Their `_count` is the number of model
 * calls; `_sum` over `_count` is the mean batch size.
 * @example
 * const observe = batchMetrics(metrics, 'default', '/predict');
 * observe(12, 12);
 */
export function batchMetrics(metrics: ServerMetrics, model: string, entryPoint: string): BatchObserver {
  let all = _registered.get(metrics);
  if (all === undefined) {
    const series = new Map<string, _Series>();
    _registered.set(metrics, (all = series));
    registerHistogram(metrics.registry, {
      name: 'pld_batch_requests',
      help: 'Requests served by one model call with batching on (1: the call ran alone), by model and entry point',
      bounds: _SIZE_BUCKETS,
      series: () => _map(series.values(), (s) => s.requests),
    });
    registerHistogram(metrics.registry, {
      name: 'pld_batch_rows',
      help: 'Rows in one model call with batching on, by model and entry point',
      bounds: _SIZE_BUCKETS,
      series: () => _map(series.values(), (s) => s.rows),
    });
  }
  const key = `${model}\u0000${entryPoint}`;
  let series = all.get(key);
  if (series === undefined) {
    const labels = { model, entry_point: entryPoint };
    series = { requests: histogramSeries(labels, _SIZE_BUCKETS), rows: histogramSeries(labels, _SIZE_BUCKETS) };
    all.set(key, series);
  }
  const { requests, rows } = series;
  return (callers, count) => {
    observe(requests, _SIZE_BUCKETS, callers);
    observe(rows, _SIZE_BUCKETS, count);
  };
}

function* _map<A, B>(items: Iterable<A>, f: (item: A) => B): Generator<B> {
  for (const item of items) yield f(item);
}
