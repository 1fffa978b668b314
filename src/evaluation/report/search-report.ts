import type { Params } from '../../estimators/types.js';
import type { CvResults } from '../search/cv-results.js';
import { htmlPage, htmlTable } from './html.js';
import type { NamedChart } from './png.js';
import { type ChartPoint, lineChart } from './svg.js';

/** What the search report needs from a search result. */
export interface SearchReportInput {
  readonly cvResults: CvResults;
  readonly candidates: readonly Params[];
  readonly rankMetric: string;
  readonly metrics: readonly string[];
  readonly bestParams: Params;
  readonly bestScore: number;
}

/**
 * The `pld grid-search --report` page: for each searched parameter, the mean test score (the best over
 * the other parameters) against its values with ±1 std error bars, then the ranked table.
 * @example
 * writeFileSync('search.html', searchReportHtml(result));
 */
export function searchReportHtml(result: SearchReportInput, charts: readonly NamedChart[] = searchReportCharts(result)): string {
  const metric = result.rankMetric;
  const means = result.cvResults[`mean_test_${metric}`] as number[];
  const stds = result.cvResults[`std_test_${metric}`] as number[];
  const ranks = result.cvResults[`rank_test_${metric}`] as number[];
  const order = ranks.map((_, i) => i).sort((a, b) => ranks[a] - ranks[b] || a - b);
  const table = htmlTable(
    ['rank', 'params', `mean test ${metric}`, `std test ${metric}`, 'mean fit time (s)'],
    order.map((i) => [ranks[i], JSON.stringify(result.candidates[i]), means[i], stds[i], (result.cvResults.mean_fit_time as number[])[i]]),
    'results',
  );
  return htmlPage('pld grid-search report', [
    `<p>Best: <code>${JSON.stringify(result.bestParams).replaceAll('<', '&lt;')}</code>, mean test ${metric} ${result.bestScore.toFixed(4)}</p>`,
    `<div class="charts">${charts.map((chart) => chart.svg).join('\n')}</div>`,
    table,
  ]);
}

/**
 * The search report's charts as named SVGs (one per searched parameter, named after it), for the HTML
 * and for `--png`.
 * @example
 * searchReportCharts(result).map((chart) => chart.name); // ['max_depth', 'min_samples_leaf']
 */
export function searchReportCharts(result: SearchReportInput): NamedChart[] {
  const metric = result.rankMetric;
  const means = result.cvResults[`mean_test_${metric}`] as number[];
  const stds = result.cvResults[`std_test_${metric}`] as number[];
  const names = [...new Set(result.candidates.flatMap((params) => Object.keys(params)))].filter((name) => name !== 'random_state');
  return names.map((name) => ({
    name,
    svg: lineChart(`mean test ${metric} vs ${name}`, name, `mean test ${metric}`, _bestPerValue(result.candidates, name, means, stds)),
  }));
}

// One point per value of `name`: the candidate scoring best among those with that value.
function _bestPerValue(candidates: readonly Params[], name: string, means: number[], stds: number[]): ChartPoint[] {
  const best = new Map<string, { x: number | string; y: number; error: number }>();
  candidates.forEach((params, i) => {
    if (!(name in params)) return;
    const value = params[name];
    const key = JSON.stringify(value);
    const current = best.get(key);
    if (current === undefined || means[i] > current.y || Number.isNaN(current.y))
      best.set(key, { x: typeof value === 'number' ? value : String(value), y: means[i], error: stds[i] });
  });
  return [...best.values()].sort((a, b) => (typeof a.x === 'number' && typeof b.x === 'number' ? a.x - b.x : 0));
}
