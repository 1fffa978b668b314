import { instantiate } from '../config/config.js';
import { createRegistry } from '../config/builtins.js';
import { importUserExport, isUserModuleReference } from '../config/user-module.js';
import { fingerprint } from '../data/fingerprint.js';
import type { Frame, Labels } from '../data/frame.js';
import { PldError } from '../errors.js';
import { cvResultsRecords } from '../evaluation/search/cv-results.js';
import { checkPngOption } from '../evaluation/report/write-report.js';
import { parseSearchSpec } from '../evaluation/search/options.js';
import { checkBackendUrl } from '../evaluation/search/remote/protocol.js';
import { cvResultsCsv, resultsFormat, writeFileAtomic } from '../evaluation/search/results-file.js';
import { runSearch, type SearchProgress, type SearchResult } from '../evaluation/search/search.js';
import { defaultScorer } from '../evaluation/scoring.js';
import { timed } from '../logging.js';
import { toArtifact } from '../persistence/model.js';
import type { Version } from '../persistence/types.js';
import { PACKAGE_VERSION } from '../version.js';
import { loaderOf, modelOf, persisterOf, type CommandContext } from './context.js';
import { createContextFor, resolvedScoringOf } from './scoring-of.js';

/** `pld grid-search` options (Palladium's flags plus progress and interruption). */
export interface GridSearchOptions {
  /** Write `cv_results` to this `.csv` or `.json` file (`--save-results`). */
  readonly saveResults?: string;
  /** Refit the best candidate on all data, store it and activate it (`--persist-best`). */
  readonly persistBest?: boolean;
  /** Write an HTML report (score against each parameter) to this file (`--report`). */
  readonly report?: string;
  /** With `report`: also write each chart as a PNG beside the report, `<report>-<param>.png` (`--png`). */
  readonly png?: boolean;
  /**
   * Run the fits on `pld worker` processes through this Redis (`--backend redis://host:6379`) instead
   * of local threads. Workers load their own `dataset_loader_train`; its fingerprint must match.
   */
  readonly backend?: string;
  /** Called after every fit. */
  readonly onProgress?: (event: SearchProgress) => void;
  /** Aborting stops the workers; nothing is written. */
  readonly signal?: AbortSignal;
}

/** What a search did. */
export interface GridSearchResult extends Omit<SearchResult, 'bestEstimator'> {
  /** One record per candidate, scikit-learn's `cv_results_` keys. */
  readonly records: Record<string, unknown>[];
  readonly version?: Version;
  readonly savedResults?: string;
  readonly report?: string;
  /** The PNG files written (`--png`). */
  readonly pngs?: string[];
}

/**
 * Palladium's `grid_search`: cross-validates every candidate of `grid_search` on
 * `dataset_loader_train` and ranks them; optionally saves the results, and refits, stores and
 * activates the best model (its metadata holds `cv_results`).
 * @example
 * const result = await gridSearch(ctx, { saveResults: 'results.csv' }); // result.bestParams
 */
export async function gridSearch(ctx: CommandContext, options: GridSearchOptions = {}): Promise<GridSearchResult> {
  checkPngOption(options);
  const raw = ctx.config.value<Record<string, unknown>>('grid_search');
  if (raw === undefined || raw === null) {
    throw new PldError('PLD_ERR_CONFIG_MISSING_KEY', `The required key 'grid_search' was not found in your configuration (${ctx.config.files.join(', ')}).`, {
      details: { key: 'grid_search' },
    });
  }
  const file = ctx.config.fileOf('grid_search');
  const spec = parseSearchSpec(await instantiate(raw, createContextFor(ctx, 'grid_search')), file);
  if (spec.scoring !== undefined && ctx.config.has('scoring')) {
    throw new PldError('PLD_ERR_EVAL_BAD_SCORING', `${file}: set \`scoring\` either at the top level or in grid_search, not both`, {
      details: { file, keyPath: 'grid_search.scoring' },
    });
  }
  if (spec.scoring !== undefined) ctx.log.warn('grid_search.scoring is deprecated (as in Palladium); use the top-level `scoring` key');
  const cv =
    typeof spec.cv === 'string' && isUserModuleReference(spec.cv) ? await importUserExport(spec.cv, createContextFor(ctx, 'grid_search').baseDir, 'grid_search.cv', file) : spec.cv;
  if (options.saveResults !== undefined) resultsFormat(options.saveResults);
  if (options.backend !== undefined) checkBackendUrl(options.backend);
  const model = await modelOf(ctx);
  const scoring = (spec.scoring !== undefined ? await resolvedScoringOf(ctx, 'grid_search.scoring', spec.scoring) : await resolvedScoringOf(ctx, 'scoring')) ?? {
    scorers: [defaultScorer(model)],
    multimetric: false,
  };
  const loader = await loaderOf(ctx, 'dataset_loader_train');
  const persister = options.persistBest ? await persisterOf(ctx) : undefined;

  const data = await timed(ctx.log, 'Loading data', () => loader.load());
  const { X, groups } = _splitGroups(data.X, spec.groups);
  // BullMQ and ioredis take a second to import on a busy machine: only searches with --backend pay it.
  const executor =
    options.backend === undefined
      ? undefined
      : (await import('../evaluation/search/remote/coordinator.js')).redisExecutor({
          url: options.backend,
          fingerprint: fingerprint(data.X, data.y),
          groups: spec.groups,
          log: ctx.log,
        });
  const started = performance.now();
  const search = await runSearch(
    model,
    X,
    data.y,
    { ...spec, cv },
    {
      scoring,
      groups,
      refit: options.persistBest === true,
      registry: ctx.config.registry,
      workerFactories: new Set(
        createRegistry()
          .list('estimator')
          .map((definition) => definition.name),
      ),
      log: ctx.log,
      onProgress: options.onProgress,
      signal: options.signal,
      executor,
    },
  );
  const where = options.backend === undefined ? '' : ' on the backend';
  ctx.log.info(`Grid search done in ${((performance.now() - started) / 1000).toFixed(3)} sec. (${search.nJobs} worker${search.nJobs === 1 ? '' : 's'}${where})`);
  const { bestEstimator, ...rest } = search;
  const records = cvResultsRecords(search.cvResults);
  const result: GridSearchResult = { ...rest, records };

  const written: { savedResults?: string; report?: string; pngs?: string[]; version?: Version } = {};
  if (options.report !== undefined) {
    // Rendered (HTML and PNGs) before anything is written, so a rendering failure leaves no results file either.
    const { searchReportCharts, searchReportHtml } = await import('../evaluation/report/search-report.js');
    const { writeReport } = await import('../evaluation/report/write-report.js');
    const charts = searchReportCharts(result);
    const pngs = await writeReport(options.report, searchReportHtml(result, charts), charts, options.png === true);
    ctx.log.info(`Wrote the report ${[options.report, ...pngs].join(', ')}`);
    written.report = options.report;
    if (options.png === true) written.pngs = pngs;
  }
  if (options.saveResults !== undefined) {
    writeFileAtomic(options.saveResults, resultsFormat(options.saveResults) === 'csv' ? cvResultsCsv(search.cvResults) : `${JSON.stringify(records, null, 2)}\n`);
    written.savedResults = options.saveResults;
  }
  if (persister !== undefined && bestEstimator !== undefined) {
    const metadata = {
      train_timestamp: new Date().toISOString(),
      params: bestEstimator.getParams(),
      best_params: search.bestParams,
      best_score: search.bestScore,
      data: fingerprint(X, data.y),
      fit_duration: Number((search.refitTime ?? 0).toFixed(6)),
      package_version: PACKAGE_VERSION,
      cv_results: records,
    };
    const version = await timed(ctx.log, 'Writing model', () => persister.write(toArtifact(bestEstimator, metadata, ctx.codec)));
    ctx.log.info(`Wrote model with version ${version}.`);
    await persister.activate(version);
    ctx.log.info(`Activated model with version ${version}.`);
    written.version = version;
  }
  return { ...result, ...written };
}

function _splitGroups(X: Frame, column: string | undefined): { X: Frame; groups?: Labels } {
  if (column === undefined) return { X };
  const values = X.column(column);
  const groups: Labels = values instanceof Float64Array ? values : values.map((value) => value ?? '');
  return { X: X.drop(column), groups };
}
