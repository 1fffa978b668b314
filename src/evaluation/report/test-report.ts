import type { Labels } from '../../data/frame.js';
import { perClassMetrics, confusionMatrix } from '../classification-metrics.js';
import type { Score } from '../score.js';
import { htmlPage, htmlTable } from './html.js';
import type { NamedChart } from './png.js';
import { heatmap, scatterChart } from './svg.js';

/** What the test report shows: the scores, the truth and the predictions. */
export interface TestReportInput {
  readonly version: number;
  readonly scores: readonly Score[];
  readonly estimatorType: string;
  readonly yTrue: Labels;
  readonly yPred: Labels;
}

/**
 * The `pld test --report` page: scores, then for a classifier the confusion matrix and per-class
 * precision/recall/F1/support; for a regressor predicted-vs-true and residuals plots.
 * @example
 * writeFileSync('test.html', testReportHtml({ version: 1, scores, estimatorType: 'classifier', yTrue, yPred }));
 */
export function testReportHtml(input: TestReportInput, charts: readonly NamedChart[] = testReportCharts(input)): string {
  const sections = [
    `<p>Model version ${input.version}, ${input.yTrue.length} test samples.</p>`,
    htmlTable(
      ['scorer', 'value'],
      input.scores.map((score) => [score.name, score.value]),
      'scores',
    ),
    `<div class="charts">${charts.map((chart) => chart.svg).join('')}</div>`,
  ];
  if (input.estimatorType === 'classifier') {
    const { labels } = confusionMatrix(input.yTrue, input.yPred);
    const perClass = perClassMetrics(input.yTrue, input.yPred);
    sections.push(
      htmlTable(
        ['class', 'precision', 'recall', 'f1', 'support'],
        labels.map((label, k) => [String(label), perClass.precision[k], perClass.recall[k], perClass.f1[k], perClass.support[k]]),
        'per-class',
      ),
    );
  }
  return htmlPage(`pld test report (model version ${input.version})`, sections);
}

/**
 * The test report's charts as named SVGs (the HTML embeds them, `--png` renders them): a classifier's
 * confusion matrix, or a regressor's predicted-vs-true and residual plots.
 * @example
 * testReportCharts(input).map((chart) => chart.name); // ['confusion matrix']
 */
export function testReportCharts(input: TestReportInput): NamedChart[] {
  if (input.estimatorType === 'classifier') {
    const { labels, matrix } = confusionMatrix(input.yTrue, input.yPred);
    return [
      {
        name: 'confusion matrix',
        svg: heatmap(
          'confusion matrix',
          labels.map((label) => String(label)),
          matrix,
        ),
      },
    ];
  }
  const t = Float64Array.from(input.yTrue as ArrayLike<number>, Number);
  const p = Float64Array.from(input.yPred as ArrayLike<number>, Number);
  const residuals = p.map((value, i) => value - t[i]);
  return [
    { name: 'predicted vs true', svg: scatterChart('predicted vs true', 'true', 'predicted', t, p, true) },
    { name: 'residuals', svg: scatterChart('residuals', 'predicted', 'predicted − true', p, residuals, false, true) },
  ];
}
