import type { Frame, Labels } from '../data/frame.js';
import { testReportHtml } from '../evaluation/report/test-report.js';
import type { Score } from '../evaluation/score.js';
import { writeFileAtomic } from '../evaluation/search/results-file.js';
import type { LoadedModel } from '../persistence/model.js';

/**
 * Writes `pld test --report`: predicts the test set once more and renders the HTML report.
 * @example
 * await writeTestReport('report.html', model, X, y, scores);
 */
export async function writeTestReport(file: string, model: LoadedModel, X: Frame, y: Labels, scores: readonly Score[]): Promise<void> {
  const yPred = await model.estimator.predict(X);
  writeFileAtomic(file, testReportHtml({ version: model.metadata.version, scores, estimatorType: model.estimator.estimatorType, yTrue: y, yPred }));
}
