/**
 * Palladium-TS public API. Everything a user or an extension needs is exported here; nothing else
 * in `dist/` is a stable interface.
 */
export { ERROR_CODES, PldError, isPldError, toPldError, type ErrorCode, type ErrorCodeInfo, type ErrorDetails } from './errors.js';
export { PACKAGE_VERSION } from './version.js';
export { createJsonLogger, createLogger, silentLogger, timed, type Logger, type LogLevel } from './logging.js';

/** zod, re-exported so user components can declare parameter schemas without a second dependency. */
export { z } from 'zod';
export { defineConfig, type PalladiumConfig, type ComponentSpec, type CopySpec } from './config/define.js';
export { Config, configFromObject, instantiate, loadConfig, type LoadConfigOptions, type KindGuard } from './config/config.js';
export { configForModel, DEFAULT_MODEL, MODELS_KEY, modelConfigs, modelEntryNames, modelNameOf, selectModel, unknownModel } from './config/models.js';
export { MODEL_NAME_PATTERN, modelEntrySchema, modelsSchema } from './config/schema.js';
export { Registry, type ComponentDefinition, type ComponentKind, type CreateContext } from './config/registry.js';
export { createRegistry } from './config/builtins.js';
export { locateConfigFiles, CONFIG_EXTENSIONS, DEFAULT_CONFIG_BASENAMES } from './config/locate.js';

export { Frame, Matrix, isNumericColumn, type Column, type NumericColumn, type CategoricalColumn, type Labels } from './data/frame.js';
export { isDatasetLoader, type Dataset, type DatasetLoader } from './data/types.js';
export { fingerprint } from './data/fingerprint.js';
export { SqlLoader, sqlLoaderParams, type SqlLoaderInput } from './data/loaders/sql.js';
export { TableLoader, type TableLoaderOptions } from './data/loaders/table.js';
export { tableLoaderParams, type TableLoaderInput } from './data/loaders/table-params.js';
export { ParquetLoader } from './data/loaders/parquet.js';
export { type FilterCondition, type ParquetLoaderInput, parquetLoaderParams } from './data/loaders/parquet-params.js';
export { ScheduledDatasetLoader, scheduledLoaderParams, type ScheduledLoaderParams } from './data/loaders/scheduled.js';

export { BaseEstimator } from './estimators/base.js';
export { isEstimator, type Estimator, type EstimatorCodec, type EstimatorSpec, type EstimatorType, type MaybePromise, type Params } from './estimators/types.js';
export { createEstimatorCodec } from './estimators/codec.js';
export { DecisionTreeClassifier } from './estimators/tree/decision-tree-classifier.js';
export { DecisionTreeRegressor } from './estimators/tree/decision-tree-regressor.js';
export { ExtraTreesClassifier, RandomForestClassifier } from './estimators/ensemble/forest-classifier.js';
export { ExtraTreesRegressor, RandomForestRegressor } from './estimators/ensemble/forest-regressor.js';
export { HistGradientBoostingClassifier, HistGradientBoostingRegressor } from './estimators/ensemble/hist-gradient-boosting.js';
export { LogisticRegression } from './estimators/linear/logistic-regression.js';
export { LinearRegression, Ridge } from './estimators/linear/linear-regression.js';
export { Lasso } from './estimators/linear/lasso.js';
export { SVC, type SVCState } from './estimators/svm/svc.js';
export { KNeighborsClassifier, KNeighborsRegressor } from './estimators/neighbors/k-neighbors.js';
export { GaussianNB } from './estimators/naive-bayes/gaussian-nb.js';
export { MultinomialNB } from './estimators/naive-bayes/multinomial-nb.js';
export { DummyClassifier } from './estimators/dummy/dummy-classifier.js';
export { DummyRegressor } from './estimators/dummy/dummy-regressor.js';
export { OnnxModel, type OnnxModelState } from './estimators/onnx/onnx-model.js';
export type { OnnxModelParams } from './estimators/onnx/params.js';
export { ONNX_EXPORTABLE, toOnnx } from './estimators/onnx/export.js';
export { ExternalModel, type ExternalModelState } from './estimators/external/external-model.js';
export type { ExternalModelParams } from './estimators/external/params.js';
export { isTransformer, type Transformer } from './estimators/types.js';
export { BaseTransformer } from './estimators/preprocessing/base-transformer.js';
export { StandardScaler, type StandardScalerState } from './estimators/preprocessing/standard-scaler.js';
export { MinMaxScaler, type MinMaxScalerState } from './estimators/preprocessing/min-max-scaler.js';
export { OneHotEncoder, type OneHotEncoderState } from './estimators/preprocessing/one-hot-encoder.js';
export { OrdinalEncoder, type OrdinalEncoderState } from './estimators/preprocessing/ordinal-encoder.js';
export { SimpleImputer, type SimpleImputerState } from './estimators/preprocessing/simple-imputer.js';
export { Pipeline, pipelineParams, type PipelineParams, type PipelineStep } from './estimators/compose/pipeline.js';
export {
  ColumnTransformer,
  columnTransformerParams,
  type ColumnSelector,
  type ColumnTransformerEntry,
  type ColumnTransformerParams,
} from './estimators/compose/column-transformer.js';
export { isComponent, type Component } from './estimators/compose/nested-params.js';
export { describeParams } from './estimators/compose/describe-params.js';

export { accuracy, r2 } from './evaluation/metrics.js';
export { scoreModel, type Score, type Scoring } from './evaluation/score.js';
export { balancedAccuracy, confusionMatrix, perClassMetrics, precisionRecallF1 } from './evaluation/classification-metrics.js';
export type { Average, ConfusionMatrix, PerClassMetrics } from './evaluation/classification-metrics.js';
export { logLoss, rocAuc, rocAucFromProba } from './evaluation/probability-metrics.js';
export { meanAbsoluteError, meanSquaredError, rootMeanSquaredError } from './evaluation/regression-metrics.js';
export { builtinScorer, builtinScorers, functionScorer, isScorer, SCORER_NAMES } from './evaluation/scorers.js';
export type { PredictionCache, Scorer, ScoringFunction } from './evaluation/scorers.js';
export { defaultScorer, resolveScoring, type ResolvedScoring } from './evaluation/scoring.js';
export { builtinEvaluation } from './evaluation/builtins.js';
export { KFold, StratifiedKFold, kFoldParams, type KFoldParams } from './evaluation/splitters/kfold.js';
export { ShuffleSplit, StratifiedShuffleSplit, shuffleSplitParams, type ShuffleSplitParams } from './evaluation/splitters/shuffle-split.js';
export { GroupKFold } from './evaluation/splitters/group-kfold.js';
export { TimeSeriesSplit } from './evaluation/splitters/time-series.js';
export { builtinSplitters } from './evaluation/splitters/builtins.js';
export { foldsFor, type CvFunction } from './evaluation/splitters/check-cv.js';
export { isSplitter, type Fold, type Splitter } from './evaluation/splitters/types.js';
export { parameterGrid, parameterSampler, type ParamDistributions, type ParamGrid } from './evaluation/search/candidates.js';
export { LogUniform, RandInt, Uniform, isDistribution, type Distribution } from './evaluation/search/distributions.js';
export { parseSearchSpec, type SearchSpec } from './evaluation/search/options.js';
export { runSearch, type SearchProgress, type SearchResult, type SearchRunOptions } from './evaluation/search/search.js';
export { threadExecutor, type ExecutorRun, type SearchExecutor, type SearchJob } from './evaluation/search/executor.js';
// Types only: BullMQ loads when a search or worker uses a backend (gridSearch's `backend`, `worker`).
export type { SearchWorkerSummary } from './evaluation/search/remote/worker.js';
export { buildCvResults, cvResultsRecords, rankDescending, type CvResults } from './evaluation/search/cv-results.js';
export { searchReportCharts, searchReportHtml } from './evaluation/report/search-report.js';
export { testReportCharts, testReportHtml } from './evaluation/report/test-report.js';
export { PNG_SCALE, pngFileFor, renderPngs, type NamedChart, type RenderedPng } from './evaluation/report/png.js';
export { writeReport } from './evaluation/report/write-report.js';

export {
  ARTIFACT_FORMAT,
  isModelPersister,
  type ActivationInfo,
  type ActivationRecord,
  type ActivationVia,
  type DataFingerprint,
  type ModelArtifact,
  type ModelMetadata,
  type ModelPersister,
  type Properties,
  type Version,
} from './persistence/types.js';
export { parseVersion } from './persistence/version.js';
export { checksum, decodeArtifact, encodeArtifact } from './persistence/artifact.js';
export { createVersionedPersister, type VersionedPersisterOptions } from './persistence/versioned.js';
export { createFilePersister } from './persistence/file.js';
export { fsStorage, type FsStorageOptions } from './persistence/storage/fs.js';
export { memoryStorage } from './persistence/storage/memory.js';
export { createDatabasePersister, type DatabasePersisterParams, databasePersisterParams } from './persistence/database.js';
export { DEFAULT_CHUNK_SIZE, type SqlStorage, type SqlStorageOptions, sqlStorage } from './persistence/storage/sql/storage.js';
export { SQL_SCHEMA_VERSION } from './persistence/storage/sql/schema.js';
export { maskUrl, parseSqlUrl, type SqlTarget } from './persistence/storage/sql/url.js';
export type { StorageDriver } from './persistence/storage/types.js';
export type { DeleteOptions } from './persistence/types.js';
export { fromArtifact, toArtifact, type LoadedModel } from './persistence/model.js';
export { CachedUpdatePersister, cachedPersisterParams, createCachedPersister, isCachedUpdatePersister, type CachedPersisterParams } from './persistence/cached.js';
export { cronSchedule, intervalSchedule, rruleSchedule, scheduleFromParams, type Schedule, type ScheduleParams } from './persistence/schedule.js';
export { startSchedule, type ScheduleHandle } from './persistence/schedule-runner.js';
export { createRestPersister, restPersisterParams, type RestPersisterParams } from './persistence/rest.js';
export { httpStorage, type HttpAuth, type HttpStorageOptions } from './persistence/storage/http.js';

export {
  PredictService,
  isPredictService,
  predictServiceParams,
  type PredictInput,
  type PredictResponse,
  type PredictServiceParams,
  type ResponseMetadata,
  type ServedModel,
} from './service/predict-service.js';
export { convertField, FIELD_JSON_TYPES, FIELD_TYPES, type FieldType } from './service/convert.js';
export { ModelHolder, type ModelHolderObserver, type RefreshOptions, type RefreshResult, type RefreshStatus } from './service/model-holder.js';
export { MicroBatcher, type BatchObserver, type BatchRun, type Prediction } from './service/batcher.js';
export { BatchedService } from './service/batched-service.js';
export { batchingSettings, checkBatchingSettings, DEFAULT_MAX_BATCH_SIZE, DEFAULT_MAX_BATCH_WAIT_MS, type BatchingSettings } from './service/batching-settings.js';
export { batchingSchema, type BatchingConfig } from './config/batching-schema.js';

export { createServer, DEFAULT_MODEL_NAME, type PldServer, type ServerOptions } from './server/app.js';
export { createServices, serviceKeys, DEFAULT_SERVICE_KEY } from './server/services.js';
export { metricsEnabled, ServerMetrics } from './server/metrics.js';
export { batchMetrics } from './server/batching-metrics.js';
export { batchedServiceFor } from './server/batching.js';
export { serverSettings, type ServerConfig, type ServerSettings } from './server/settings.js';
export { METRICS_PATH } from './server/routes/metrics.js';
export { REQUEST_ID_HEADER, WORKER_HEADER } from './server/observe.js';
export { JobRegistry, MAX_FINISHED_JOBS, type Job, type JobStatus } from './server/jobs.js';
export { OPT_IN_ROUTES, routeEnabled, type OptInRoute } from './server/routes/opt-in.js';
export { DOCS_PATH, OPENAPI_PATH, openApiEnabled } from './server/routes/openapi.js';
export { openApiDocument, OPENAPI_VERSION, type MountedRoute, type OpenApiSource } from './server/openapi/document.js';
export { OIP_PREFIX, OIP_SERVER_NAME, oipModelName, primaryService } from './server/routes/oip.js';
export { OipModel, OIP_PLATFORM, type InferResponse, type ModelMetadataResponse, type OutputTensor, type TensorMetadata } from './server/oip/model.js';
export { decodeInferRequest, FIELD_DATATYPES, OIP_DATATYPES, OIP_OUTPUTS, type DecodedRequest, type OipDatatype, type OipOutputName } from './server/oip/request.js';
export { DEFAULT_PINNED_VERSIONS, PinnedVersions } from './server/oip/versions.js';
export {
  PredictionLog,
  REPLAY_HEADER,
  type InferLogContext,
  type PredictLogContext,
  type PredictionLogOptions,
} from './server/prediction-log/prediction-log.js';
export { PredictionLogQueue, type QueueCounts, type QueueOptions } from './server/prediction-log/queue.js';
export { createSampler, type Sampler } from './server/prediction-log/sampler.js';
export { isPredictionSink, type PredictionSink } from './server/prediction-log/sink.js';
export { JsonLinesSink, jsonLinesSinkParams, readJsonLines, type JsonLinesSinkParams } from './server/prediction-log/jsonl-sink.js';
export { DEFAULT_LOG_TABLE, SqlSink, sqlSinkParams, type SqlSinkParams } from './server/prediction-log/sql-sink.js';
export { LOGGED_OUTPUTS, parseRecord, predictionRecordSchema, type LoggedOutput, type LoggedRow, type PredictionRecord } from './server/prediction-log/record.js';
export { PREDICTION_LOG_KEY, predictionLogConfig, predictionLogParams, type PredictionLogConfig } from './server/prediction-log/from-config.js';
export { attachPredictionLog } from './server/prediction-log/attach.js';
export { builtinSinks } from './server/prediction-log/builtins.js';
export { OIP_INFER_ENTRY_POINT } from './server/routes/oip.js';
export { TrafficController, type PolicyOrigin, type Routed, type TrafficControllerOptions, type TrafficStatus, type VersionSource } from './server/traffic/controller.js';
export { createTrafficController } from './server/traffic/setup.js';
export { MAX_SHADOWS_IN_FLIGHT, ShadowRunner, shadowCounter, type ShadowCounter, type ShadowCounts, type ShadowOutcome } from './server/traffic/shadow.js';
export { MODEL_TRAFFIC_PATH, TRAFFIC_ADMIN_PATH } from './server/routes/traffic.js';
export {
  challengerOf,
  DEFAULT_STICKY_HEADER,
  DEFAULT_STICKY_WEIGHT,
  describePolicy,
  NO_TRAFFIC_POLICY,
  parseTrafficPolicy,
  policyToJson,
  TRAFFIC_MODES,
  type PolicySource,
  type StickyKey,
  type TrafficMode,
  type TrafficPolicy,
} from './traffic/policy.js';
export { selectVersion, stickyFraction, type TrafficChoice } from './traffic/select.js';
export { checkChallenger, clearStoredPolicy, readStoredPolicy, TRAFFIC_PROPERTY, writeStoredPolicy, type StoredTrafficPolicy } from './traffic/store.js';
export { configuredTrafficPolicy, TRAFFIC_CONFIG_KEY } from './traffic/config.js';
export { DEFAULT_MAX_LOADED_VERSIONS, ModelVersions, type ModelVersionsObserver } from './server/models/versions.js';
export { createModelRegistry, ModelRegistry, type RegisteredModel } from './server/models/registry.js';
export { MODELS_PREFIX, versionsSummary } from './server/routes/models.js';
export { chainHooks, hooksFor, resolveHookList, type RefusalResponder } from './server/hooks/resolve.js';
export { isHook, type AuthInfo, type Hook, type HookContext } from './server/hooks/types.js';
export { apiKeyAuth, apiKeyAuthParams } from './server/hooks/api-key.js';
export { basicAuth, basicAuthParams } from './server/hooks/basic-auth.js';
export { jwtAuth, jwtAuthParams } from './server/hooks/jwt-auth.js';
export { requestLogger, requestLoggerParams } from './server/hooks/request-logger.js';

export { createContext, type CommandContext } from './commands/context.js';
export { fit, type FitOptions, type FitResult } from './commands/fit.js';
export { test, type TestOptions, type TestResult } from './commands/test.js';
export { gridSearch, type GridSearchOptions, type GridSearchResult } from './commands/grid-search.js';
export { worker, type WorkerOptions } from './commands/worker.js';
export { list, type ListResult } from './commands/list.js';
export { activate, remove } from './commands/admin.js';
export { rollback, type RollbackResult } from './commands/rollback.js';
export { clearTraffic, setTraffic, showTraffic, type TrafficShowResult } from './commands/traffic.js';
export { exportModel, exportOnnx, type ExportOptions, type ExportResult, type OnnxExportResult } from './commands/export.js';
export { activationInfo } from './commands/activation.js';
export { serve, serveCluster, workerCount, type ClusterHandle, type ServeHandle, type ServeOptions } from './commands/serve.js';
export { migrateConfig, type MigrateConfigOptions, type MigrateConfigResult, type MigrationChange } from './commands/migrate-config.js';
export { stream, type StreamLineError, type StreamOptions, type StreamResult } from './commands/stream.js';
export { replay, type ReplayDiff, type ReplayOptions, type ReplayReport } from './commands/replay.js';
export { httpTarget, localTarget, type ReplayAnswer, type ReplayTarget } from './commands/replay-targets.js';
export { numericDifference, sameOutput } from './commands/replay-compare.js';
export { type UpgradeOptions, type UpgradeResult, upgrade } from './commands/upgrade.js';
export { runCli } from './cli/program.js';
export { configJsonSchema } from './config/json-schema.js';
export { cliReference } from './cli/program.js';
