import type { Registry } from '../../config/registry.js';
import type { Frame, Labels } from '../../data/frame.js';
import { PldError } from '../../errors.js';
import type { Estimator, Params } from '../../estimators/types.js';
import { silentLogger, type Logger } from '../../logging.js';
import type { Scorer } from '../scorers.js';
import { foldsFor } from '../splitters/check-cv.js';
import { type ParamDistributions, type ParamGrid, parameterGrid, parameterSampler } from './candidates.js';
import { buildCvResults, type CvResults } from './cv-results.js';
import type { SearchSpec } from './options.js';
import { type SearchExecutor, threadExecutor } from './executor.js';
import { resolveNJobs, workersAvailable } from './pool.js';
import { FoldCache, runTask, type SearchTask, type TaskResult } from './run-task.js';

/** How a search runs; everything but the spec is optional. */
export interface SearchRunOptions {
  /** The resolved scorers and whether there are several (names the result keys). */
  readonly scoring: { readonly scorers: readonly Scorer[]; readonly multimetric: boolean };
  /** Rows' group labels, for GroupKFold. */
  readonly groups?: Labels;
  /** Refit the best candidate on all the data (`--persist-best`). */
  readonly refit?: boolean;
  /** The registry the estimator came from; decides whether workers can rebuild it. */
  readonly registry?: Registry;
  /** Registry names that worker threads know (the built-ins); others run in-process. */
  readonly workerFactories?: ReadonlySet<string>;
  readonly log?: Logger;
  readonly onProgress?: (event: SearchProgress) => void;
  readonly signal?: AbortSignal;
  /**
   * Where the fits run instead of this process's threads (`redisExecutor` for `--backend`). The
   * estimator, scorers and params must then cross a process boundary, so they must be built-ins and
   * plain data; otherwise the search fails with PLD_ERR_EVAL_NOT_DISTRIBUTABLE.
   */
  readonly executor?: SearchExecutor;
}

/** One finished fit, for progress displays (`[CV 2/5] END max_depth=3;, score=0.95`). */
export interface SearchProgress {
  readonly done: number;
  readonly total: number;
  readonly candidate: number;
  readonly fold: number;
  readonly nSplits: number;
  readonly params: Params;
  readonly testScores?: readonly number[];
  readonly scorerNames: readonly string[];
  readonly fitTime: number;
  readonly error?: string;
}

/**
 * What a search found (scikit-learn's `cv_results_`, `best_index_`, `best_params_`, `best_score_`,
 * `best_estimator_` after a refit).
 * @example
 * const { bestParams, bestScore } = await runSearch(model, X, y, spec, options);
 */
export interface SearchResult {
  readonly cvResults: CvResults;
  readonly candidates: Params[];
  readonly nSplits: number;
  /** Result-key suffixes: `['score']` for one scorer, else the scorer names. */
  readonly metrics: string[];
  /** The metric that ranks candidates (`refit`, or the first). */
  readonly rankMetric: string;
  readonly bestIndex: number;
  readonly bestParams: Params;
  readonly bestScore: number;
  readonly bestEstimator?: Estimator;
  readonly refitTime?: number;
  /** Worker threads (or remote workers, with an executor) used; 1 = in-process. */
  readonly nJobs: number;
  readonly nFailed: number;
}

/**
 * Cross-validated search over a grid or sampled candidates, scikit-learn's `GridSearchCV` /
 * `RandomizedSearchCV.fit`. The folds, the candidates and every seed are fixed before the first fit,
 * and each (candidate, fold) task is independent, so the results are the same for every `n_jobs`.
 * With `n_jobs` ≠ 1 the tasks run on worker threads when the estimator and scorers are built-ins;
 * user-code estimators or scorers run in-process.
 * @example
 * const result = await runSearch(tree, X, y, parseSearchSpec({ param_grid: { max_depth: [2, 3] } }, 'inline'), { scoring });
 */
export async function runSearch(estimator: Estimator, X: Frame, y: Labels | undefined, spec: SearchSpec, options: SearchRunOptions): Promise<SearchResult> {
  const log = options.log ?? silentLogger;
  const candidates =
    spec.kind === 'grid' ? parameterGrid(spec.param_grid as ParamGrid) : parameterSampler(spec.param_distributions as ParamDistributions, spec.n_iter, spec.random_state);
  _checkParamNames(estimator, candidates);
  const { scorers, multimetric } = options.scoring;
  const metrics = multimetric ? scorers.map((scorer) => scorer.name) : ['score'];
  const rankMetric = _rankMetric(spec.refit, metrics, multimetric, options.refit === true);
  const folds = foldsFor(spec.cv, estimator.estimatorType, X, y, options.groups);
  const nSplits = folds.length;
  const seedParams = _seedParams(estimator, spec.random_state);
  const tasks: SearchTask[] = candidates.flatMap((params, c) => folds.map((_, k) => ({ index: c * nSplits + k, candidate: c, fold: k, params: { ...params, ...seedParams(k) } })));
  const errorScore = spec.error_score === 'raise' ? 'raise' : typeof spec.error_score === 'number' ? spec.error_score : Number.NaN;
  if (spec.verbose > 0) log.info(`Fitting ${nSplits} folds for each of ${candidates.length} candidates, totalling ${tasks.length} fits`);

  let done = 0;
  const onResult = (result: TaskResult) => {
    done++;
    const task = tasks[result.index];
    if (result.error !== undefined) {
      if (errorScore === 'raise') {
        throw new PldError(
          'PLD_ERR_EVAL_FIT_FAILED',
          `Fit failed for candidate ${JSON.stringify(candidates[task.candidate])} on fold ${task.fold} (error_score: 'raise'): ${result.error.message}`,
          { details: { candidate: task.candidate, fold: task.fold, code: result.error.code } },
        );
      }
      log.warn(`Fit failed for ${formatParams(candidates[task.candidate])} on fold ${task.fold + 1}/${nSplits}; its score is set to ${errorScore}: ${result.error.message}`);
    }
    options.onProgress?.({
      done,
      total: tasks.length,
      candidate: task.candidate,
      fold: task.fold,
      nSplits,
      params: candidates[task.candidate],
      testScores: result.testScores,
      scorerNames: metrics,
      fitTime: result.fitTime,
      error: result.error?.message,
    });
  };

  // Dispatched fold by fold (all candidates on fold 0, then fold 1...), so a worker's consecutive tasks
  // share the fold's rows and tree presorts (FoldCache); results are still stored by task index.
  const dispatchOrder = folds.flatMap((_, k) => candidates.map((_, c) => tasks[c * nSplits + k]));
  const nJobs = Math.min(resolveNJobs(spec.n_jobs), tasks.length);
  const remote = options.executor;
  const workerSpec =
    remote !== undefined ? _remoteSpec(estimator, scorers, candidates, options) : nJobs > 1 ? _workerSpec(estimator, scorers, candidates, options, log) : undefined;
  let results: TaskResult[];
  let workersUsed = 1;
  if (workerSpec !== undefined) {
    const executor = remote ?? threadExecutor(nJobs);
    const job = {
      spec: workerSpec,
      X,
      y,
      folds,
      scorers: scorers.map((scorer) => ({ name: scorer.name, builtinName: scorer.builtinName! })),
      returnTrainScore: spec.return_train_score,
    };
    const run = await executor.run(job, dispatchOrder, onResult, options.signal);
    results = run.results;
    workersUsed = run.workers;
  } else {
    results = new Array(tasks.length);
    // User code (a ./file.ts#Export model or scorer) might modify the rows it is given; like
    // scikit-learn, it then gets fresh copies for every fit. Built-ins never modify their input.
    const shared = _isBuiltinModel(estimator, options) && scorers.every((scorer) => scorer.builtinName !== undefined) ? new FoldCache() : undefined;
    for (const task of dispatchOrder) {
      if (options.signal?.aborted) throw new PldError('PLD_ERR_EVAL_INTERRUPTED', `Search interrupted after ${done} of ${tasks.length} fits; nothing was written`);
      const result = await runTask(estimator, { X, y, folds }, task, scorers, spec.return_train_score, shared ?? new FoldCache());
      results[task.index] = result;
      onResult(result);
    }
  }
  const nFailed = results.filter((result) => result.error !== undefined).length;
  if (nFailed === results.length) {
    throw new PldError('PLD_ERR_EVAL_FIT_FAILED', `All the ${nFailed} fits failed; the first error: ${results[0].error!.message}`);
  }
  if (nFailed > 0) log.warn(`${nFailed} fits failed out of a total of ${results.length}; their scores are set to ${errorScore}`);

  const cvResults = buildCvResults(candidates, nSplits, metrics, results, spec.return_train_score, errorScore === 'raise' ? Number.NaN : errorScore);
  const ranks = cvResults[`rank_test_${rankMetric}`] as number[];
  const bestIndex = ranks.indexOf(Math.min(...ranks));
  const bestParams = candidates[bestIndex];
  const bestScore = (cvResults[`mean_test_${rankMetric}`] as number[])[bestIndex];
  if (options.refit !== true) return { cvResults, candidates, nSplits, metrics, rankMetric, bestIndex, bestParams, bestScore, nJobs: workersUsed, nFailed };
  const start = performance.now();
  const bestEstimator = await estimator.clone().setParams(bestParams).fit(X, y);
  const refitTime = (performance.now() - start) / 1000;
  return { cvResults, candidates, nSplits, metrics, rankMetric, bestIndex, bestParams, bestScore, bestEstimator, refitTime, nJobs: workersUsed, nFailed };
}

/**
 * `max_depth=3, min_samples_leaf=1`, scikit-learn's verbose format of a candidate.
 * @example
 * formatParams({ max_depth: 3 }); // 'max_depth=3'
 */
export function formatParams(params: Params): string {
  return Object.entries(params)
    .map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`)
    .join(', ');
}

function _rankMetric(refit: boolean | string, metrics: string[], multimetric: boolean, refitting: boolean): string {
  if (typeof refit === 'string') {
    if (!metrics.includes(refit)) throw new PldError('PLD_ERR_EVAL_BAD_SEARCH', `grid_search.refit: '${refit}' is not one of the scorers ${JSON.stringify(metrics)}`);
    return refit;
  }
  if (multimetric && refitting) {
    throw new PldError(
      'PLD_ERR_EVAL_BAD_SEARCH',
      `grid_search.refit: with several scorers, refit must name the one that picks the best candidate, one of ${JSON.stringify(metrics)}`,
    );
  }
  return metrics[0];
}

function _checkParamNames(estimator: Estimator, candidates: Params[]): void {
  const known = Object.keys(estimator.getParams());
  for (const params of candidates) {
    for (const name of Object.keys(params)) {
      if (!known.includes(name) && !name.includes('__')) {
        throw new PldError('PLD_ERR_EVAL_BAD_SEARCH', `grid_search: '${name}' is not a parameter of ${estimator.constructor.name}; its parameters are ${known.join(', ')}`);
      }
    }
  }
}

// A model whose random_state is null would draw a new seed per fit, so results would depend on the
// run; fixing one seed per fold (the same for every candidate) keeps runs and n_jobs comparable.
function _seedParams(estimator: Estimator, randomState: number | null): (fold: number) => Params {
  const params = estimator.getParams();
  if (!('random_state' in params) || params.random_state !== null) return () => ({});
  const base = randomState ?? 0;
  return (fold) => ({ random_state: (base * 1_000_003 + fold) >>> 0 });
}

function _workerSpec(
  estimator: Estimator,
  scorers: readonly Scorer[],
  candidates: Params[],
  options: SearchRunOptions,
  log: Logger,
): { factory: string; params: Params } | undefined {
  const { spec, reasons } = _portableSpec(estimator, scorers, candidates, options);
  if (!workersAvailable()) reasons.push('the compiled worker is not available (running TypeScript sources)');
  if (reasons.length > 0) {
    log.info(`Running the search in-process: ${reasons.join('; ')}`);
    return undefined;
  }
  return spec;
}

// A remote executor cannot fall back to this process: the user asked for the fits to run elsewhere.
function _remoteSpec(estimator: Estimator, scorers: readonly Scorer[], candidates: Params[], options: SearchRunOptions): { factory: string; params: Params } {
  const { spec, reasons } = _portableSpec(estimator, scorers, candidates, options);
  if (spec === undefined || reasons.length > 0) {
    throw new PldError('PLD_ERR_EVAL_NOT_DISTRIBUTABLE', `The search cannot run on ${options.executor!.name}: ${reasons.join('; ')}. Run it without --backend.`);
  }
  return spec;
}

// Whether the estimator, its params and the scorers can be rebuilt from JSON in another thread or process.
function _portableSpec(
  estimator: Estimator,
  scorers: readonly Scorer[],
  candidates: Params[],
  options: SearchRunOptions,
): { spec?: { factory: string; params: Params }; reasons: string[] } {
  const definition = options.registry?.definitionOf(estimator);
  const reasons: string[] = [];
  if (!_isBuiltinModel(estimator, options)) reasons.push('the model is not a built-in estimator');
  if (scorers.some((scorer) => scorer.builtinName === undefined)) reasons.push('a scorer is user code');
  const params = estimator.getParams();
  if (!_isPlainData(params) || !candidates.every(_isPlainData)) reasons.push('a parameter is not plain data');
  return { spec: definition === undefined ? undefined : { factory: definition.name, params }, reasons };
}

function _isBuiltinModel(estimator: Estimator, options: SearchRunOptions): boolean {
  const definition = options.registry?.definitionOf(estimator);
  return definition !== undefined && definition.kind === 'estimator' && (options.workerFactories?.has(definition.name) ?? false);
}

function _isPlainData(value: unknown): boolean {
  if (value === null || ['string', 'number', 'boolean'].includes(typeof value)) return true;
  if (Array.isArray(value)) return value.every(_isPlainData);
  if (typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) return Object.values(value as object).every(_isPlainData);
  return false;
}
