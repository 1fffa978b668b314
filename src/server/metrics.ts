import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { histogramSeries, observe, registerCounter, registerHistogram, type CounterSeries, type HistogramSeries } from './metric-series.js';
import type { Config } from '../config/config.js';
import type { ModelHolder } from '../service/model-holder.js';
import type { ModelVersions } from './models/versions.js';

/** Latency buckets in seconds: fine below 10 ms, where a healthy predict answers, coarse above. */
const _REQUEST_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const _LOAD_BUCKETS = [0.005, 0.025, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

/** The `version` label while no model is loaded. */
const _NO_VERSION = 'none';
/** The `route` label of requests no route matched, so unknown URLs cannot grow the label set. */
const _UNMATCHED = 'unmatched';

type RequestLabels = { route: string; method: string; status_class: string; model: string; version: string };

/** The series one answered request updates: its latency histogram, whose count is the request counter. */
interface RequestSeries {
  readonly status: number;
  readonly latency: HistogramSeries;
}

/**
 * The server's Prometheus metrics, in a registry of its own (never prom-client's global one, so several
 * servers in one process do not collide). Ours are prefixed `pld_`; Node's process metrics keep their
 * standard names (`process_cpu_seconds_total`, `nodejs_heap_size_used_bytes`...).
 *
 * The per-request metrics (`pld_http_*`, `pld_predictions_total`) are plain series found through
 * nested maps and updated in place, read only when Prometheus scrapes (see `metric-series.ts`): no
 * string or object is built per request.
 *
 * Every metric declares how `--workers` mode aggregates it (prom-client's `AggregatorRegistry`):
 * counters and histograms sum; `pld_model_active_version` takes the lowest version any worker serves,
 * and `pld_model_version_processes` counts the workers serving each version, so a rollout shows as two
 * versions until every worker converged.
 * @example
 * const metrics = new ServerMetrics(holder);
 * metrics.request('/predict', 'GET', 200, 0.0004);
 * await metrics.registry.metrics();
 */
export class ServerMetrics {
  /** Node's process metrics and this server's own. */
  readonly registry: Registry = Registry.merge([_processMetrics()]);
  readonly #holder: ModelHolder;
  // route → method → status → version → series.
  readonly #requests = new Map<string, Map<string, Map<number, Map<number, RequestSeries>>>>();
  readonly #predictions = new Map<string, Map<string, Map<number, CounterSeries>>>();
  // The routes of each model (`/models/{name}/...`), so their requests carry that model's name and version;
  // other routes carry the primary model's.
  readonly #routeHolders = new Map<string, ModelHolder>();
  readonly #observed = new Set<ModelHolder>();
  readonly #versions = new Set<ModelVersions>();
  // Set once the metric objects exist: attach a model's holder or version LRU to them.
  #watchHolder: ((holder: ModelHolder) => void) | undefined;
  #watchVersions: ((versions: ModelVersions) => void) | undefined;

  constructor(holder: ModelHolder) {
    this.#holder = holder;
    const requests = () => _leaves<RequestSeries>(this.#requests);
    registerCounter(this.registry, {
      name: 'pld_http_requests_total',
      help: 'HTTP requests answered, by route pattern, method, status class and the model version served',
      series: () => _map(requests(), (series) => ({ labels: series.latency.labels, value: series.latency.count })),
    });
    registerHistogram(this.registry, {
      name: 'pld_http_request_duration_seconds',
      help: 'Time from receiving a request to sending its answer, in seconds',
      bounds: _REQUEST_BUCKETS,
      series: () => _map(requests(), (series) => series.latency),
    });
    registerCounter(this.registry, {
      name: 'pld_http_errors_total',
      help: 'HTTP requests answered with a 4xx or 5xx status, by route pattern, method and status',
      series: () => _errors(requests()),
    });
    registerCounter(this.registry, {
      name: 'pld_predictions_total',
      help: 'Rows predicted (a GET is one row, a POST batch its length), by entry point and model version',
      series: () => _leaves<CounterSeries>(this.#predictions),
    });
    this.#observeModel(holder, [this.registry]);
    this.#observeVersions([this.registry]);
  }

  /**
   * Adds one more served model: its loads, swaps and active version (as for the primary model), its
   * inactive-version LRU (`pld_model_version_load_duration_seconds`, `pld_model_version_evictions_total`,
   * `pld_model_versions_loaded`), and `routes` whose requests are labelled with it.
   * @example
   * for (const model of models) metrics.observeModel(model, [`/models/${model.name}/predict`]);
   */
  observeModel(model: { readonly holder: ModelHolder; readonly versions?: ModelVersions }, routes: readonly string[] = []): void {
    if (!this.#observed.has(model.holder)) this.#watchHolder?.(model.holder);
    if (model.versions !== undefined && !this.#versions.has(model.versions)) {
      this.#versions.add(model.versions);
      this.#watchVersions?.(model.versions);
    }
    for (const route of routes) this.#routeHolders.set(route, model.holder);
  }

  /**
   * Records one answered request; `route` is the route pattern (`undefined` when none matched),
   * `version` the version that answered when a traffic policy routed it to a challenger (default: the
   * active version of the route's model).
   */
  request(route: string | undefined, method: string, status: number, seconds: number, version?: number): void {
    const key = route ?? _UNMATCHED;
    const holder = this.#routeHolders.get(key) ?? this.#holder;
    const answered = version ?? holder.current?.metadata.version ?? -1;
    observe(this.#seriesOf(key, method, status, answered, holder.name).latency, _REQUEST_BUCKETS, seconds);
  }

  /** Records `rows` predictions made by the service at `entryPoint` with `version` of `model` (default: the primary model). */
  predicted(entryPoint: string, version: number, rows: number, model = this.#holder.name): void {
    let byModel = this.#predictions.get(entryPoint);
    if (byModel === undefined) this.#predictions.set(entryPoint, (byModel = new Map()));
    let byVersion = byModel.get(model);
    if (byVersion === undefined) byModel.set(model, (byVersion = new Map()));
    let series = byVersion.get(version);
    if (series === undefined) byVersion.set(version, (series = { labels: { entry_point: entryPoint, model, version: String(version) }, value: 0 }));
    series.value += rows;
  }

  #seriesOf(route: string, method: string, status: number, version: number, model: string): RequestSeries {
    let byMethod = this.#requests.get(route);
    if (byMethod === undefined) this.#requests.set(route, (byMethod = new Map()));
    let byStatus = byMethod.get(method);
    if (byStatus === undefined) byMethod.set(method, (byStatus = new Map()));
    let byVersion = byStatus.get(status);
    if (byVersion === undefined) byStatus.set(status, (byVersion = new Map()));
    let series = byVersion.get(version);
    if (series === undefined) {
      const labels: RequestLabels = {
        route,
        method,
        status_class: `${Math.floor(status / 100)}xx`,
        model,
        version: version < 0 ? _NO_VERSION : String(version),
      };
      series = { status, latency: histogramSeries(labels, _REQUEST_BUCKETS) };
      byVersion.set(version, series);
    }
    return series;
  }

  #observeModel(holder: ModelHolder, registers: Registry[]): void {
    const loadDuration = new Histogram({
      name: 'pld_model_load_duration_seconds',
      help: 'Time to read and decode a model version from the store, in seconds (successful loads)',
      labelNames: ['model'],
      buckets: _LOAD_BUCKETS,
      registers,
    });
    const loads = new Counter({ name: 'pld_model_loads_total', help: 'Successful model loads (the first one and every reload)', labelNames: ['model'], registers });
    const failures = new Counter({ name: 'pld_model_load_failures_total', help: 'Model loads that failed (the previous model kept serving)', labelNames: ['model'], registers });
    const swaps = new Counter({ name: 'pld_model_swaps_total', help: 'Times the served model version changed', labelNames: ['model'], registers });
    const active = new Gauge({
      name: 'pld_model_active_version',
      help: 'The model version served (with --workers: the lowest version any worker serves)',
      labelNames: ['model'],
      aggregator: 'min',
      registers,
    });
    const processes = new Gauge({
      name: 'pld_model_version_processes',
      help: 'Processes serving each model version (1 without --workers; the spread shows a rollout in progress)',
      labelNames: ['model', 'version'],
      aggregator: 'sum',
      registers,
    });
    this.#watchHolder = (observed) => {
      this.#observed.add(observed);
      // Zero-valued series from the start, so rate() and alerts see them before the first event.
      for (const counter of [loads, failures, swaps]) counter.inc({ model: observed.name }, 0);
      observed.observe({
        loaded: ({ name, model, previous, seconds }) => {
          loadDuration.observe({ model: name }, seconds);
          loads.inc({ model: name });
          const version = model.metadata.version;
          const before = previous?.metadata.version;
          if (before !== undefined && before !== version) {
            swaps.inc({ model: name });
            processes.remove({ model: name, version: String(before) });
          }
          active.set({ model: name }, version);
          processes.set({ model: name, version: String(version) }, 1);
        },
        failed: ({ name }) => failures.inc({ model: name }),
      });
    };
    this.#watchHolder(holder);
  }

  #observeVersions(registers: Registry[]): void {
    const loadDuration = new Histogram({
      name: 'pld_model_version_load_duration_seconds',
      help: 'Time to read and decode an inactive (pinned) model version into the LRU, in seconds',
      labelNames: ['model'],
      buckets: _LOAD_BUCKETS,
      registers,
    });
    const evictions = new Counter({
      name: 'pld_model_version_evictions_total',
      help: 'Inactive model versions dropped from memory because max_loaded_versions others were used more recently',
      labelNames: ['model'],
      registers,
    });
    const all = this.#versions;
    new Gauge({
      name: 'pld_model_versions_loaded',
      help: 'Inactive model versions held in memory (loaded or loading), at most max_loaded_versions',
      labelNames: ['model'],
      aggregator: 'sum',
      registers,
      collect() {
        for (const versions of all) this.set({ model: versions.name }, versions.cached.length);
      },
    });
    this.#watchVersions = (versions) => {
      evictions.inc({ model: versions.name }, 0);
      versions.observe({
        loaded: ({ name, seconds }) => loadDuration.observe({ model: name }, seconds),
        evicted: ({ name }) => evictions.inc({ model: name }),
      });
    };
  }
}

/**
 * Whether the config enables `/metrics`: on unless the top-level `metrics` or `server.metrics` is `false`.
 * @example
 * metricsEnabled(config); // true
 */
export function metricsEnabled(config: Config): boolean {
  return config.value<boolean>('metrics') !== false && config.value<{ metrics?: boolean }>('server')?.metrics !== false;
}

/** Every leaf of nested maps. */
function* _leaves<T>(map: Map<unknown, unknown>): Generator<T> {
  for (const value of map.values()) {
    if (value instanceof Map) yield* _leaves<T>(value);
    else yield value as T;
  }
}

function* _map<A, B>(items: Iterable<A>, f: (item: A) => B): Generator<B> {
  for (const item of items) yield f(item);
}

/** 4xx and 5xx answers summed over model versions, by route, method and exact status. */
function _errors(requests: Iterable<RequestSeries>): CounterSeries[] {
  const byKey = new Map<string, CounterSeries>();
  for (const { status, latency } of requests) {
    if (status < 400 || latency.count === 0) continue;
    const { route, method } = latency.labels;
    const key = `${route} ${method} ${status}`;
    const series = byKey.get(key);
    if (series === undefined) byKey.set(key, { labels: { route, method, status: String(status) }, value: latency.count });
    else series.value += latency.count;
  }
  return [...byKey.values()];
}

let _process: Registry | undefined;

/**
 * Node's default process metrics, collected once per process: they describe the process, not a
 * server, and prom-client cannot stop their GC observer and event-loop monitor, so a registry per
 * server would leak one set per server created (tests, embedding).
 */
function _processMetrics(): Registry {
  if (_process === undefined) {
    _process = new Registry();
    collectDefaultMetrics({ register: _process });
  }
  return _process;
}
