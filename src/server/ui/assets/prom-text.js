// The Prometheus text format, read in the browser for the Live page: a parser and the few sums the
// page needs (rates, latency percentiles, error rates per route). Plain ES module, no dependencies.

/**
 * Parses exposition text into samples `{name, labels, value}`; comment and blank lines are skipped.
 * @example
 * parsePrometheus('up{job="a"} 1')[0].labels.job; // 'a'
 */
export function parsePrometheus(text) {
  const samples = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const sample = parseLine(line);
    if (sample !== undefined) samples.push(sample);
  }
  return samples;
}

function parseLine(line) {
  const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)/.exec(line);
  if (match === null) return undefined;
  const name = match[1];
  let i = name.length;
  const labels = {};
  if (line[i] === '{') {
    i++;
    while (i < line.length && line[i] !== '}') {
      const key = /^\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*=\s*"/.exec(line.slice(i));
      if (key === null) return undefined;
      i += key[0].length;
      let value = '';
      // Label values escape backslash, double quote and newline.
      while (i < line.length && line[i] !== '"') {
        if (line[i] === '\\') {
          const next = line[i + 1];
          value += next === 'n' ? '\n' : next;
          i += 2;
        } else value += line[i++];
      }
      labels[key[1]] = value;
      i++;
      while (line[i] === ',' || line[i] === ' ') i++;
    }
    i++;
  }
  const rest = line.slice(i).trim().split(/\s+/);
  const value = parseValue(rest[0]);
  return value === undefined ? undefined : { name, labels, value };
}

function parseValue(text) {
  if (text === undefined || text === '') return undefined;
  if (text === '+Inf' || text === 'Inf') return Number.POSITIVE_INFINITY;
  if (text === '-Inf') return Number.NEGATIVE_INFINITY;
  if (text === 'NaN') return Number.NaN;
  const value = Number(text);
  return Number.isNaN(value) ? undefined : value;
}

/**
 * The q-quantile (0..1) of a cumulative histogram `[{le, count}]`, interpolated linearly inside the
 * bucket as PromQL's histogram_quantile does; `undefined` without observations.
 * @example
 * histogramQuantile([{ le: 0.1, count: 5 }, { le: Infinity, count: 10 }], 0.5); // 0.1
 */
export function histogramQuantile(buckets, q) {
  const sorted = [...buckets].sort((a, b) => a.le - b.le);
  const total = sorted.length === 0 ? 0 : sorted[sorted.length - 1].count;
  if (total <= 0) return undefined;
  const rank = q * total;
  let lowerBound = 0;
  let lowerCount = 0;
  for (const bucket of sorted) {
    if (bucket.count >= rank) {
      // Above the largest finite bound nothing is known: answer that bound, as Prometheus does.
      if (bucket.le === Number.POSITIVE_INFINITY) return lowerBound;
      const inBucket = bucket.count - lowerCount;
      return inBucket <= 0 ? bucket.le : lowerBound + ((bucket.le - lowerBound) * (rank - lowerCount)) / inBucket;
    }
    lowerBound = bucket.le;
    lowerCount = bucket.count;
  }
  return lowerBound;
}

/**
 * Per-route totals of a pld scrape: `{route: {requests, errors, buckets: Map<le, count>}}`, summed over
 * methods, statuses and model versions.
 */
export function routeTotals(samples) {
  const routes = {};
  const of = (route) => (routes[route] ??= { requests: 0, errors: 0, buckets: new Map() });
  for (const { name, labels, value } of samples) {
    if (labels.route === undefined) continue;
    if (name === 'pld_http_requests_total') of(labels.route).requests += value;
    else if (name === 'pld_http_errors_total') of(labels.route).errors += value;
    else if (name === 'pld_http_request_duration_seconds_bucket') {
      const buckets = of(labels.route).buckets;
      const le = parseValue(labels.le);
      buckets.set(le, (buckets.get(le) ?? 0) + value);
    }
  }
  return routes;
}

/**
 * What the Live page shows per route between two scrapes `seconds` apart (`previous` may be undefined:
 * then the totals since the server started, with no rate): `[{route, requests, rps, errorRate, p50, p95, p99}]`,
 * busiest first. Latencies are in seconds.
 * @example
 * liveStats(routeTotals(parsePrometheus(before)), routeTotals(parsePrometheus(after)), 3);
 */
export function liveStats(previous, current, seconds) {
  const rows = [];
  for (const [route, now] of Object.entries(current)) {
    const before = previous?.[route];
    const requests = now.requests - (before?.requests ?? 0);
    const errors = now.errors - (before?.errors ?? 0);
    const buckets = [...now.buckets].map(([le, count]) => ({ le, count: count - (before?.buckets.get(le) ?? 0) }));
    rows.push({
      route,
      requests,
      rps: previous === undefined || !(seconds > 0) ? undefined : requests / seconds,
      errorRate: requests > 0 ? errors / requests : 0,
      p50: histogramQuantile(buckets, 0.5),
      p95: histogramQuantile(buckets, 0.95),
      p99: histogramQuantile(buckets, 0.99),
    });
  }
  return rows.sort((a, b) => b.requests - a.requests || a.route.localeCompare(b.route));
}

/** The first value of the gauge `name` (e.g. `pld_model_active_version`), or undefined. */
export function gaugeValue(samples, name) {
  return samples.find((sample) => sample.name === name)?.value;
}
