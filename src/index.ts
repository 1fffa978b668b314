/**
 * Palladium-TS public API. Everything a user or an extension needs is exported here; nothing else
 * in `dist/` is a stable interface.
 */
export { ERROR_CODES, PldError, isPldError, toPldError, type ErrorCode, type ErrorCodeInfo, type ErrorDetails } from './errors.js';
export { PACKAGE_VERSION } from './version.js';
export { createLogger, silentLogger, timed, type Logger, type LogLevel } from './logging.js';

export { defineConfig, type PalladiumConfig, type ComponentSpec, type CopySpec } from './config/define.js';
export { Config, configFromObject, instantiate, loadConfig, type LoadConfigOptions, type KindGuard } from './config/config.js';
export { Registry, type ComponentDefinition, type ComponentKind, type CreateContext } from './config/registry.js';
export { createRegistry } from './config/builtins.js';
export { locateConfigFiles, CONFIG_EXTENSIONS, DEFAULT_CONFIG_BASENAMES } from './config/locate.js';

export { Frame, Matrix, isNumericColumn, type Column, type NumericColumn, type CategoricalColumn, type Labels } from './data/frame.js';
export { isDatasetLoader, type Dataset, type DatasetLoader } from './data/types.js';
export { fingerprint } from './data/fingerprint.js';

export { BaseEstimator } from './estimators/base.js';
export { isEstimator, type Estimator, type EstimatorCodec, type EstimatorSpec, type EstimatorType, type MaybePromise, type Params } from './estimators/types.js';
export { createEstimatorCodec } from './estimators/codec.js';
export { DecisionTreeClassifier } from './estimators/tree/decision-tree-classifier.js';

export { accuracy, r2 } from './evaluation/metrics.js';
export { scoreModel, type Score, type Scoring } from './evaluation/score.js';

export {
  ARTIFACT_FORMAT,
  isModelPersister,
  type ActivationRecord,
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
export { convertField, FIELD_TYPES, type FieldType } from './service/convert.js';
export { ModelHolder } from './service/model-holder.js';

export { createServer, DEFAULT_MODEL_NAME, type PldServer, type ServerOptions } from './server/app.js';

export { createContext, type CommandContext } from './commands/context.js';
export { fit, type FitOptions, type FitResult } from './commands/fit.js';
export { test, type TestOptions, type TestResult } from './commands/test.js';
export { list, type ListResult } from './commands/list.js';
export { activate, remove } from './commands/admin.js';
export { serve, type ServeHandle, type ServeOptions } from './commands/serve.js';
export { type UpgradeOptions, type UpgradeResult, upgrade } from './commands/upgrade.js';
export { runCli } from './cli/program.js';
