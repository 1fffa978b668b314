// Types for prom-text.js, which the browser loads as-is (no build step for the dashboard).
export interface Sample {
  readonly name: string;
  readonly labels: Record<string, string>;
  readonly value: number;
}
export interface Bucket {
  readonly le: number;
  readonly count: number;
}
export interface RouteTotal {
  requests: number;
  errors: number;
  buckets: Map<number, number>;
}
export interface LiveRow {
  readonly route: string;
  readonly requests: number;
  readonly rps: number | undefined;
  readonly errorRate: number;
  readonly p50: number | undefined;
  readonly p95: number | undefined;
  readonly p99: number | undefined;
}
export function parsePrometheus(text: string): Sample[];
export function histogramQuantile(buckets: readonly Bucket[], q: number): number | undefined;
export function routeTotals(samples: readonly Sample[]): Record<string, RouteTotal>;
export function liveStats(previous: Record<string, RouteTotal> | undefined, current: Record<string, RouteTotal>, seconds: number): LiveRow[];
export function gaugeValue(samples: readonly Sample[], name: string): number | undefined;
