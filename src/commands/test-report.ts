import type { Frame, Labels } from '../data/frame.js';
import { testReportCharts, testReportHtml } from '../evaluation/report/test-report.js';
import { writeReport } from '../evaluation/report/write-report.js';
import type { Score } from '../evaluation/score.js';
import type { LoadedModel } from '../persistence/model.js';

/**
 * Writes `pld test --report` (and `--png`): predicts the test set once more and renders the HTML
 * report, plus one PNG per chart when asked. Returns the PNG files written.
 * @example
 * const pngs = await writeTestReport('report.html', model, X, y, scores, true);
 */
export async function writeTestReport(file: string, model: LoadedModel, X: Frame, y: Labels, scores: readonly Score[], png = false): Promise<string[]> {
  const yPred = await model.estimator.predict(X);
  const input = { version: model.metadata.version, scores, estimatorType: model.estimator.estimatorType, yTrue: y, yPred };
  const charts = testReportCharts(input);
  return writeReport(file, testReportHtml(input, charts), charts, png);
}
