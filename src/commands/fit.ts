import { fingerprint } from '../data/fingerprint.js';
import { PldError } from '../errors.js';
import { scoreModel, type Score } from '../evaluation/score.js';
import { timed } from '../logging.js';
import { describeParams } from '../estimators/compose/describe-params.js';
import { toArtifact } from '../persistence/model.js';
import type { ModelMetadata, ModelPersister, Version } from '../persistence/types.js';
import { PACKAGE_VERSION } from '../version.js';
import { activationInfo } from './activation.js';
import { scoringOf } from './scoring-of.js';
import { loaderOf, modelOf, persisterOf, type CommandContext } from './context.js';

/** `pld fit` options (Palladium's flags). */
export interface FitOptions {
  /** Store the fitted model (default true; `--no-save` turns it off). */
  readonly persist?: boolean;
  /** Activate the stored version (default true; `--no-activate`). */
  readonly activate?: boolean;
  /** Score on the train set and, when configured, the test set (`--evaluate`). */
  readonly evaluate?: boolean;
  /** Store only if the test score is at least this (`--save-if-better-than`); implies evaluate. */
  readonly persistIfBetterThan?: number;
}

/** What a fit did. */
export interface FitResult {
  readonly version?: Version;
  readonly persisted: boolean;
  readonly activated: boolean;
  readonly scoresTrain: Score[];
  readonly scoresTest: Score[];
  readonly fitDuration: number;
  readonly metadata: Omit<ModelMetadata, 'version'>;
}

/**
 * Loads `dataset_loader_train`, fits `model`, optionally evaluates, stores and activates a new version.
 * Every component is created (and its config validated) before any data is read; a failed fit or a
 * score below the bar leaves the store and the active version untouched.
 * @example
 * const result = await fit(ctx, { evaluate: true }); // result.version === 1
 */
export async function fit(ctx: CommandContext, options: FitOptions = {}): Promise<FitResult> {
  const persist = options.persist ?? true;
  const evaluate = options.evaluate === true || options.persistIfBetterThan !== undefined;
  const scoring = await scoringOf(ctx);
  const trainLoader = await loaderOf(ctx, 'dataset_loader_train');
  const testLoader = evaluate ? await loaderOf(ctx, 'dataset_loader_test', true) : undefined;
  if (options.persistIfBetterThan !== undefined && testLoader === undefined) {
    throw new PldError('PLD_ERR_EVAL_NO_TEST_DATA', '--save-if-better-than needs `dataset_loader_test` in the config to score the model on');
  }
  const model = await modelOf(ctx);
  const persister = persist ? await persisterOf(ctx) : undefined;

  let train: { X: import('../data/frame.js').Frame; y?: import('../data/frame.js').Labels } | undefined = await timed(ctx.log, 'Loading data', () => trainLoader.load());
  const data = fingerprint(train.X, train.y);
  const start = performance.now();
  await timed(ctx.log, 'Fitting model', () => model.fit(train!.X, train!.y));
  const fitDuration = (performance.now() - start) / 1000;

  let scoresTrain: Score[] = [];
  let scoresTest: Score[] = [];
  if (evaluate) {
    ctx.log.debug('Evaluating model on train set...');
    scoresTrain = await scoreModel(model, train.X, train.y, scoring);
    ctx.log.info(`Train score: ${_formatScores(scoresTrain)}`);
  }
  train = undefined; // the test set may be as large; let the train set go first, as Palladium does
  if (testLoader !== undefined) {
    const test = await timed(ctx.log, 'Loading test data', () => testLoader.load());
    ctx.log.debug('Evaluating model on test set...');
    scoresTest = await scoreModel(model, test.X, test.y, scoring);
    ctx.log.info(`Test score: ${_formatScores(scoresTest)}`);
  }

  const metadata: Omit<ModelMetadata, 'version'> = {
    train_timestamp: new Date().toISOString(),
    ...(scoresTrain.length > 0 ? { score_train: scoresTrain[0].value } : {}),
    ...(scoresTest.length > 0 ? { score_test: scoresTest[0].value } : {}),
    ...(scoresTrain.length + scoresTest.length > 1 ? { scores: _named(scoresTrain, scoresTest) } : {}),
    params: describeParams(model.getParams()),
    data,
    fit_duration: Number(fitDuration.toFixed(6)),
    package_version: PACKAGE_VERSION,
  };
  const base = { persisted: false, activated: false, scoresTrain, scoresTest, fitDuration, metadata };

  if (persister === undefined) return base;
  const bar = options.persistIfBetterThan;
  if (bar !== undefined && scoresTest[0].value < bar) {
    ctx.log.info(`Not persisting model that has a test score ${scoresTest[0].value} < ${bar}`);
    await persister.close?.();
    return base;
  }
  const activate = options.activate ?? true;
  const version = await _store(ctx, persister, () => toArtifact(model, metadata, ctx.codec), activate).finally(() => persister.close?.());
  return { ...base, version, persisted: true, activated: activate };
}

async function _store(ctx: CommandContext, persister: ModelPersister, artifact: () => Parameters<ModelPersister['write']>[0], activate: boolean): Promise<Version> {
  const version = await timed(ctx.log, 'Writing model', () => persister.write(artifact()));
  ctx.log.info(`Wrote model with version ${version}.`);
  if (activate) {
    await persister.activate(version, activationInfo(ctx));
    ctx.log.info(`Activated model with version ${version}.`);
  }
  return version;
}

function _formatScores(scores: Score[]): string {
  return scores.length === 1 ? String(scores[0].value) : scores.map((score) => `${score.name}: ${score.value}`).join(', ');
}

function _named(train: Score[], test: Score[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const score of train) out[`train_${score.name}`] = score.value;
  for (const score of test) out[`test_${score.name}`] = score.value;
  return out;
}
