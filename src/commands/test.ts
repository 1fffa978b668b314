import type { Score } from '../evaluation/score.js';
import { scoreModel } from '../evaluation/score.js';
import { timed } from '../logging.js';
import type { Version } from '../persistence/types.js';
import { scoringOf } from './scoring-of.js';
import { checkPngOption } from '../evaluation/report/write-report.js';
import { writeTestReport } from './test-report.js';
import { loaderOf, persisterOf, readModel, type CommandContext } from './context.js';

/** `pld test` options. */
export interface TestOptions {
  /** The version to test; the active one when omitted (`--model-version`). */
  readonly modelVersion?: Version;
  /** Write a self-contained HTML report (confusion matrix or residual plots) to this file (`--report`). */
  readonly report?: string;
  /** With `report`: also write each chart as a PNG beside the report, `<report>-<chart>.png` (`--png`). */
  readonly png?: boolean;
}

/** Scores of a stored model on the test set. */
export interface TestResult {
  readonly version: number;
  readonly scores: Score[];
  /** The report written (`--report`). */
  readonly report?: string;
  /** The PNG files written (`--png`). */
  readonly pngs?: string[];
}

/**
 * Loads `dataset_loader_test` and a stored model, and scores it with the configured `scoring`.
 * @example
 * const { scores } = await test(ctx); // [{ name: 'accuracy', value: 0.96 }]
 */
export async function test(ctx: CommandContext, options: TestOptions = {}): Promise<TestResult> {
  checkPngOption(options);
  const loader = await loaderOf(ctx, 'dataset_loader_test');
  await persisterOf(ctx); // created before any data is read, so a bad store config fails first
  const scoring = await scoringOf(ctx);
  const { X, y } = await timed(ctx.log, 'Loading data', () => loader.load());
  const model = await readModel(ctx, options.modelVersion).finally(async () => (await persisterOf(ctx)).close?.());
  ctx.log.info(`Loaded model version ${model.metadata.version}`);
  const scores = await scoreModel(model.estimator, X, y, scoring);
  if (options.report === undefined) return { version: model.metadata.version, scores };
  const pngs = await writeTestReport(options.report, model, X, y!, scores, options.png === true);
  ctx.log.info(`Wrote the report ${[options.report, ...pngs].join(', ')}`);
  return { version: model.metadata.version, scores, report: options.report, ...(options.png ? { pngs } : {}) };
}
