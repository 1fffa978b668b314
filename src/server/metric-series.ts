import type { Metric, Registry } from 'prom-client';

/** One labelled series of a histogram, updated in place on the hot path. */
export interface HistogramSeries {
  readonly labels: Readonly<Record<string, string>>;
  count: number;
  sum: number;
  /** Observations per bucket (not cumulative); the last slot counts those above every bound. */
  readonly buckets: Float64Array;
}

/** One labelled counter value, updated in place on the hot path. */
export interface CounterSeries {
  readonly labels: Readonly<Record<string, string>>;
  value: number;
}

type MetricValue = { labels: Record<string, string | number>; value: number; metricName?: string };

/**
 * Adds `series` to a histogram: one bucket increment, no allocation. prom-client's own `observe`
 * builds a label-hash string and validates the labels on every call (about 2 µs per request here);
 * these series are plain objects found once per label set and read only when Prometheus scrapes.
 * @example
 * observe(series, bounds, 0.0004);
 */
export function observe(series: HistogramSeries, bounds: readonly number[], value: number): void {
  let i = 0;
  while (i < bounds.length && value > bounds[i]) i++;
  series.buckets[i] += 1;
  series.count += 1;
  series.sum += value;
}

/**
 * A new histogram series for `labels` with `bounds.length + 1` buckets.
 * @example
 * const series = histogramSeries({ route: '/predict' }, bounds);
 */
export function histogramSeries(labels: Readonly<Record<string, string>>, bounds: readonly number[]): HistogramSeries {
  return { labels, count: 0, sum: 0, buckets: new Float64Array(bounds.length + 1) };
}

/**
 * Registers a histogram whose series live outside prom-client, in prom-client's metric shape (so the
 * text format and `--workers` aggregation, which sums each bucket, work unchanged).
 * @example
 * registerHistogram(registry, { name: 'x_seconds', help: '...', bounds, series: () => map.values() });
 */
export function registerHistogram(
  registry: Registry,
  spec: { readonly name: string; readonly help: string; readonly bounds: readonly number[]; readonly series: () => Iterable<HistogramSeries> },
): void {
  const { name, help, bounds } = spec;
  const get = () => {
    const values: MetricValue[] = [];
    for (const series of spec.series()) {
      let cumulative = 0;
      for (let i = 0; i <= bounds.length; i++) {
        cumulative += series.buckets[i];
        values.push({ labels: { ...series.labels, le: i < bounds.length ? bounds[i] : '+Inf' }, value: cumulative, metricName: `${name}_bucket` });
      }
      values.push({ labels: { ...series.labels }, value: series.sum, metricName: `${name}_sum` });
      values.push({ labels: { ...series.labels }, value: series.count, metricName: `${name}_count` });
    }
    return { name, help, type: 'histogram', values, aggregator: 'sum' };
  };
  _register(registry, name, help, 'histogram', get);
}

/**
 * Registers a counter whose series live outside prom-client (see {@link registerHistogram}).
 * @example
 * registerCounter(registry, { name: 'x_total', help: '...', series: () => map.values() });
 */
export function registerCounter(registry: Registry, spec: { readonly name: string; readonly help: string; readonly series: () => Iterable<CounterSeries> }): void {
  const { name, help } = spec;
  const get = () => {
    const values: MetricValue[] = [];
    for (const series of spec.series()) values.push({ labels: { ...series.labels }, value: series.value });
    return { name, help, type: 'counter', values, aggregator: 'sum' };
  };
  _register(registry, name, help, 'counter', get);
}

function _register(registry: Registry, name: string, help: string, type: string, get: () => unknown): void {
  // The registry only calls `get()` and reads name, help, type and aggregator, so any object of that
  // shape is a metric to it; prom-client's types name only its own classes, hence the cast.
  registry.registerMetric({ name, help, type, aggregator: 'sum', get: async () => get() } as unknown as Metric);
}
