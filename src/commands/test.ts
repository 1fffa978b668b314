import type { Score, Scoring } from '../evaluation/score.js';
import { scoreModel } from '../evaluation/score.js';
import { timed } from '../logging.js';
import { fromArtifact } from '../persistence/model.js';
import type { Version } from '../persistence/types.js';
import { loaderOf, persisterOf, type CommandContext } from './context.js';

/** `pld test` options. */
export interface TestOptions {
  /** The version to test; the active one when omitted (`--model-version`). */
  readonly modelVersion?: Version;
}

/** Scores of a stored model on the test set. */
export interface TestResult {
  readonly version: number;
  readonly scores: Score[];
}

/**
 * Loads `dataset_loader_test` and a stored model, and scores it with the configured `scoring`.
 * @example
 * const { scores } = await test(ctx); // [{ name: 'accuracy', value: 0.96 }]
 */
export async function test(ctx: CommandContext, options: TestOptions = {}): Promise<TestResult> {
  const loader = await loaderOf(ctx, 'dataset_loader_test');
  const persister = await persisterOf(ctx);
  const scoring = ctx.config.value<Scoring>('scoring');
  const { X, y } = await timed(ctx.log, 'Loading data', () => loader.load());
  const model = fromArtifact(await persister.read(options.modelVersion).finally(() => persister.close?.()), ctx.codec);
  ctx.log.info(`Loaded model version ${model.metadata.version}`);
  const scores = await scoreModel(model.estimator, X, y, scoring);
  return { version: model.metadata.version, scores };
}
