import { Counter, Histogram, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { gaugeValue, histogramQuantile, liveStats, parsePrometheus, routeTotals } from './prom-text.js';

describe('parsePrometheus', () => {
  it('reads names, escaped label values, special values and skips comments', () => {
    const samples = parsePrometheus(
      ['# HELP a help', '# TYPE a counter', 'a{path="C:\\\\x",q="say \\"hi\\"",n="1\\n2"} 3.5', 'b +Inf', 'c NaN', 'd 7 1700000000000', ''].join('\n'),
    );
    expect(samples.map((s) => s.name)).toEqual(['a', 'b', 'c', 'd']);
    expect(samples[0].labels).toEqual({ path: 'C:\\x', q: 'say "hi"', n: '1\n2' });
    expect(samples[0].value).toBe(3.5);
    expect(samples[1].value).toBe(Number.POSITIVE_INFINITY);
    expect(samples[2].value).toBeNaN();
    expect(samples[3].value).toBe(7);
  });

  it("reads prom-client's own output and computes per-route rates, error rates and percentiles", async () => {
    const registry = new Registry();
    const labelNames = ['route', 'method', 'status_class'];
    const requests = new Counter({ name: 'pld_http_requests_total', help: 'h', labelNames, registers: [registry] });
    const errors = new Counter({ name: 'pld_http_errors_total', help: 'h', labelNames: ['route', 'method', 'status'], registers: [registry] });
    const latency = new Histogram({ name: 'pld_http_request_duration_seconds', help: 'h', labelNames, buckets: [0.001, 0.01, 0.1, 1], registers: [registry] });
    const record = (route: string, status: number, seconds: number) => {
      const labels = { route, method: 'GET', status_class: `${Math.floor(status / 100)}xx` };
      requests.inc(labels);
      latency.observe(labels, seconds);
      if (status >= 400) errors.inc({ route, method: 'GET', status: String(status) });
    };
    for (let i = 0; i < 10; i++) record('/predict', 200, 0.005);
    const before = routeTotals(parsePrometheus(await registry.metrics()));
    for (let i = 0; i < 8; i++) record('/predict', 200, 0.05);
    for (let i = 0; i < 2; i++) record('/predict', 400, 0.5);
    record('/alive', 200, 0.0005);
    const after = routeTotals(parsePrometheus(await registry.metrics()));

    const total = liveStats(undefined, after, 0);
    expect(total.map((row) => [row.route, row.requests, row.rps])).toEqual([
      ['/predict', 20, undefined],
      ['/alive', 1, undefined],
    ]);
    const [predict] = liveStats(before, after, 2);
    expect(predict.requests).toBe(10);
    expect(predict.rps).toBe(5);
    expect(predict.errorRate).toBeCloseTo(0.2);
    // Since `before`: 8 answers in (0.01, 0.1], 2 in (0.1, 1].
    expect(predict.p50).toBeGreaterThan(0.01);
    expect(predict.p50).toBeLessThanOrEqual(0.1);
    expect(predict.p99).toBeGreaterThan(0.1);
    expect(predict.p99).toBeLessThanOrEqual(1);
  });
});

describe('histogramQuantile', () => {
  it('interpolates inside the bucket and is undefined without observations', () => {
    expect(
      histogramQuantile(
        [
          { le: 1, count: 0 },
          { le: 2, count: 4 },
          { le: Number.POSITIVE_INFINITY, count: 4 },
        ],
        0.5,
      ),
    ).toBe(1.5);
    expect(
      histogramQuantile(
        [
          { le: 0.1, count: 0 },
          { le: Number.POSITIVE_INFINITY, count: 3 },
        ],
        0.5,
      ),
    ).toBe(0.1);
    expect(histogramQuantile([{ le: 1, count: 0 }], 0.5)).toBeUndefined();
  });
});

describe('gaugeValue', () => {
  it('finds a gauge', () => {
    expect(gaugeValue(parsePrometheus('pld_model_active_version{model="default"} 3'), 'pld_model_active_version')).toBe(3);
    expect(gaugeValue([], 'x')).toBeUndefined();
  });
});
