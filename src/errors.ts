/**
 * One error vocabulary for the whole project. Every error a user can see is a {@link PldError} carrying
 * a stable `code` from {@link ERROR_CODES}; the HTTP layer maps `status`, the CLI maps `exitCode`.
 * `docs/reference/errors.md` documents every code (a test keeps the two in sync).
 */

/** What each code means, its HTTP status, its numeric `error_code` in Palladium-shaped bodies and its CLI exit code. */
export interface ErrorCodeInfo {
  readonly status: number;
  /** Palladium clients read `metadata.error_code` as a non-zero integer; each code has its own. */
  readonly number: number;
  readonly exit: keyof typeof EXIT_CODES;
  readonly summary: string;
}

const EXIT_USAGE = 2;
const EXIT_CONFIG = 3;
const EXIT_DATA = 4;
const EXIT_MODEL = 5;
const EXIT_STORE = 6;
const EXIT_RUNTIME = 1;

/** What each CLI exit code means; every `exit` in {@link ERROR_CODES} is one of these (docs/reference/cli.md lists them). */
export const EXIT_CODES = {
  0: 'Success.',
  [EXIT_RUNTIME]: 'Runtime failure (prediction, server, docker build, unexpected error).',
  [EXIT_USAGE]: 'Usage: unknown command or option, a bad argument such as a non-integer version, a file that would be overwritten.',
  [EXIT_CONFIG]: 'Configuration: missing or invalid config file, key or parameter; python3 missing for a config.py.',
  [EXIT_DATA]: 'Data: missing data file, malformed row, unknown column.',
  [EXIT_MODEL]: 'Model: invalid hyper-parameter, unfitted model, no scorer.',
  [EXIT_STORE]: 'Model store: unknown version, nothing active, corrupt artifact, I/O, lock.',
} as const satisfies Record<number, string>;

/** The code table. Codes are stable: never rename one, only add. */
export const ERROR_CODES = {
  PLD_ERR_CLI_USAGE: { status: 400, number: 1001, exit: EXIT_USAGE, summary: 'Unknown command, option or argument.' },
  PLD_ERR_INIT_FILE_EXISTS: { status: 409, number: 1010, exit: EXIT_USAGE, summary: '`pld init` would overwrite an existing file.' },
  PLD_ERR_MIGRATE_OUT_EXISTS: { status: 409, number: 1011, exit: EXIT_USAGE, summary: '`pld migrate-config --out` names an existing file (pass `--force` to replace it).' },
  PLD_ERR_CLI_OUTPUT_FORMAT: {
    status: 400,
    number: 1002,
    exit: EXIT_USAGE,
    summary: 'An output file flag names a format the command cannot write (e.g. --save-results needs .csv or .json).',
  },
  PLD_ERR_CONFIG_NOT_FOUND: { status: 500, number: 1101, exit: EXIT_CONFIG, summary: 'No config file was given or found, or a named config file does not exist.' },
  PLD_ERR_CONFIG_PARSE: { status: 500, number: 1102, exit: EXIT_CONFIG, summary: 'A config file could not be parsed (JSON, YAML, TypeScript/JavaScript or Palladium config.py).' },
  PLD_ERR_CONFIG_UNKNOWN_FACTORY: { status: 500, number: 1103, exit: EXIT_CONFIG, summary: 'A `__factory__` (or `!`) names no registered component.' },
  PLD_ERR_CONFIG_INVALID_PARAM: { status: 500, number: 1104, exit: EXIT_CONFIG, summary: 'A component parameter is missing, unknown or has the wrong type or range.' },
  PLD_ERR_CONFIG_MISSING_KEY: { status: 500, number: 1105, exit: EXIT_CONFIG, summary: 'A top-level key the command needs is not in the config.' },
  PLD_ERR_CONFIG_COPY_TARGET: { status: 500, number: 1106, exit: EXIT_CONFIG, summary: 'A `__copy__` path points nowhere and has no `__default__`.' },
  PLD_ERR_CONFIG_ENV_VAR: { status: 500, number: 1107, exit: EXIT_CONFIG, summary: 'A `${VAR}` reference names an unset environment variable and has no default.' },
  PLD_ERR_CONFIG_PYTHON: {
    status: 500,
    number: 1108,
    exit: EXIT_CONFIG,
    summary: 'A Palladium `config.py` could not be evaluated by python3 (missing interpreter or non-literal values).',
  },
  PLD_ERR_CONFIG_USER_MODULE: {
    status: 500,
    number: 1109,
    exit: EXIT_CONFIG,
    summary: 'A `./file.ts#Export` or `package#Export` reference could not be imported or has no such export.',
  },
  PLD_ERR_CONFIG_WRONG_KIND: { status: 500, number: 1110, exit: EXIT_CONFIG, summary: 'A key holds a component of the wrong kind (e.g. a loader where an estimator is expected).' },
  PLD_ERR_DATA_FILE_NOT_FOUND: { status: 500, number: 1201, exit: EXIT_DATA, summary: 'A data file named by a dataset loader does not exist.' },
  PLD_ERR_DATA_PARSE: { status: 500, number: 1202, exit: EXIT_DATA, summary: 'A data file has a malformed row or value.' },
  PLD_ERR_DATA_COLUMN_NOT_FOUND: { status: 500, number: 1203, exit: EXIT_DATA, summary: 'A column named in the config (target, usecols) is not in the data.' },
  PLD_ERR_DATA_EMPTY: { status: 500, number: 1204, exit: EXIT_DATA, summary: 'A dataset has no rows where rows are needed.' },
  PLD_ERR_DATA_SOURCE_UNREACHABLE: {
    status: 500,
    number: 1205,
    exit: EXIT_DATA,
    summary: 'A database named by a dataset loader cannot be reached or opened (the URL is shown with its password masked).',
  },
  PLD_ERR_DATA_QUERY: {
    status: 500,
    number: 1206,
    exit: EXIT_DATA,
    summary: 'The SQL query or table of a dataset loader failed, or returned a column type that cannot become a Frame column.',
  },
  PLD_ERR_DATA_TYPE: {
    status: 500,
    number: 1207,
    exit: EXIT_DATA,
    summary: 'A column of a data file has a type that cannot become a Frame column (e.g. a Parquet list, struct or binary column).',
  },
  PLD_ERR_ESTIMATOR_NOT_FITTED: { status: 500, number: 1301, exit: EXIT_MODEL, summary: 'predict/score was called on an estimator that was never fitted.' },
  PLD_ERR_ESTIMATOR_BAD_INPUT: { status: 400, number: 1302, exit: EXIT_MODEL, summary: 'The data given to fit/predict has the wrong columns, missing values or wrong types.' },
  PLD_ERR_ESTIMATOR_INVALID_PARAM: { status: 500, number: 1303, exit: EXIT_MODEL, summary: 'An estimator hyper-parameter is invalid.' },
  PLD_ERR_ESTIMATOR_ONNX: { status: 500, number: 1310, exit: EXIT_MODEL, summary: 'An ONNX model could not be read, does not fit the data, or ONNX Runtime failed to run it.' },
  PLD_ERR_ESTIMATOR_EXTERNAL: {
    status: 502,
    number: 1311,
    exit: EXIT_MODEL,
    summary: 'An ExternalModel process could not start, died, broke the JSON-lines protocol or answered with an error.',
  },
  PLD_ERR_ESTIMATOR_EXTERNAL_TIMEOUT: { status: 504, number: 1312, exit: EXIT_MODEL, summary: 'An ExternalModel process did not answer within `timeout_ms`; it was restarted.' },
  PLD_ERR_EXPORT_ONNX_UNSUPPORTED: { status: 400, number: 1313, exit: EXIT_USAGE, summary: '`pld export --onnx` was asked for a model it cannot write as ONNX.' },
  PLD_ERR_ESTIMATOR_NO_PROBA: {
    status: 500,
    number: 1304,
    exit: EXIT_MODEL,
    summary: 'predictProba was called on a model that cannot give probabilities as configured (e.g. an SVC fitted with probability: false).',
  },
  PLD_ERR_EVAL_NO_SCORER: { status: 500, number: 1401, exit: EXIT_MODEL, summary: 'Evaluation needs a scorer: the model has no score() and no `scoring` is configured.' },
  PLD_ERR_EVAL_NO_TEST_DATA: { status: 500, number: 1402, exit: EXIT_MODEL, summary: 'The command needs `dataset_loader_test` but the config has none.' },
  PLD_ERR_EVAL_BAD_SCORING: { status: 500, number: 1403, exit: EXIT_CONFIG, summary: '`scoring` has the wrong form, or is set both at the top level and inside `grid_search`.' },
  PLD_ERR_EVAL_METRIC_INPUT: {
    status: 500,
    number: 1404,
    exit: EXIT_MODEL,
    summary: 'A metric cannot be computed on these targets or this model (e.g. `f1` on multiclass labels, `roc_auc` without predictProba).',
  },
  PLD_ERR_EVAL_BAD_SPLIT: {
    status: 500,
    number: 1405,
    exit: EXIT_DATA,
    summary: 'A cross-validation splitter cannot split this data (too few rows, classes or groups for n_splits).',
  },
  PLD_ERR_EVAL_BAD_SEARCH: {
    status: 500,
    number: 1406,
    exit: EXIT_CONFIG,
    summary: '`grid_search` is invalid: empty grid, unknown parameter, bad distribution, or `refit` not naming a scorer.',
  },
  PLD_ERR_EVAL_FIT_FAILED: { status: 500, number: 1407, exit: EXIT_MODEL, summary: 'Every fit of a search failed (or one did with `error_score: "raise"`).' },
  PLD_ERR_EVAL_INTERRUPTED: { status: 500, number: 1408, exit: EXIT_RUNTIME, summary: 'A search was stopped (Ctrl-C) before it finished; nothing was written.' },
  PLD_ERR_EVAL_WORKER: { status: 500, number: 1409, exit: EXIT_RUNTIME, summary: 'A search worker thread crashed or could not start.' },
  PLD_ERR_EVAL_PNG: { status: 500, number: 1410, exit: EXIT_RUNTIME, summary: '`--png`: @resvg/resvg-js could not be loaded or could not render a chart.' },
  PLD_ERR_EVAL_BACKEND_URL: { status: 400, number: 1411, exit: EXIT_USAGE, summary: '`--backend` is not a `redis://` or `rediss://` URL.' },
  PLD_ERR_EVAL_BACKEND_UNREACHABLE: {
    status: 500,
    number: 1412,
    exit: EXIT_RUNTIME,
    summary: 'The Redis server named by `--backend` did not answer (refused, unknown host or timed out).',
  },
  PLD_ERR_EVAL_DATA_MISMATCH: {
    status: 500,
    number: 1413,
    exit: EXIT_DATA,
    summary: "A `pld worker`'s training data has a different fingerprint from the distributed search's; it refused the fit.",
  },
  PLD_ERR_EVAL_NOT_DISTRIBUTABLE: {
    status: 500,
    number: 1414,
    exit: EXIT_CONFIG,
    summary: 'A search with `--backend` needs a built-in estimator, built-in scorers and plain-data parameters.',
  },
  PLD_ERR_EVAL_REMOTE_FAILED: { status: 500, number: 1415, exit: EXIT_RUNTIME, summary: 'A fit of a distributed search failed on the workers after its retries.' },
  PLD_ERR_PERSIST_VERSION_NOT_FOUND: { status: 404, number: 1501, exit: EXIT_STORE, summary: 'No model with that version is in the store.' },
  PLD_ERR_PERSIST_NO_ACTIVE_MODEL: { status: 503, number: 1502, exit: EXIT_STORE, summary: 'The store has no active model (fit one, or activate a version).' },
  PLD_ERR_PERSIST_CORRUPT: { status: 500, number: 1503, exit: EXIT_STORE, summary: 'A stored artifact or metadata index failed its checksum or could not be decoded.' },
  PLD_ERR_PERSIST_BAD_PATH: { status: 500, number: 1504, exit: EXIT_STORE, summary: 'A File persister path lacks the `{version}` placeholder.' },
  PLD_ERR_PERSIST_IO: { status: 500, number: 1505, exit: EXIT_STORE, summary: 'Reading or writing the model store failed.' },
  PLD_ERR_PERSIST_LOCKED: { status: 503, number: 1506, exit: EXIT_STORE, summary: 'The store stayed locked by another writer for too long.' },
  PLD_ERR_PERSIST_BAD_VERSION: { status: 400, number: 1507, exit: EXIT_USAGE, summary: 'A version is not a positive integer.' },
  PLD_ERR_PERSIST_ACTIVE_DELETE: { status: 409, number: 1508, exit: EXIT_STORE, summary: 'The active version cannot be deleted; activate another first.' },
  PLD_ERR_PERSIST_HTTP_AUTH: { status: 503, number: 1520, exit: EXIT_STORE, summary: 'A Rest model store refused the credentials (HTTP 401 or 403).' },
  PLD_ERR_PERSIST_HTTP_UNREACHABLE: { status: 503, number: 1521, exit: EXIT_STORE, summary: 'A Rest model store could not be reached or did not answer in time.' },
  PLD_ERR_PERSIST_HTTP_STATUS: { status: 502, number: 1522, exit: EXIT_STORE, summary: 'A Rest model store answered with an unexpected HTTP status (e.g. 5xx).' },
  PLD_ERR_PERSIST_CONFLICT: { status: 409, number: 1523, exit: EXIT_STORE, summary: 'The metadata index kept changing under a conditional write; retry later.' },
  PLD_ERR_PERSIST_NO_ROLLBACK: { status: 409, number: 1524, exit: EXIT_STORE, summary: 'The activation history names no earlier version to roll back to.' },
  PLD_ERR_PERSIST_UNREACHABLE: {
    status: 503,
    number: 1510,
    exit: EXIT_STORE,
    summary: 'The database of a Database persister cannot be opened or reached within `connect_timeout` (wrong URL, server down, missing database, unwritable SQLite path).',
  },
  PLD_ERR_PERSIST_SCHEMA_OUTDATED: {
    status: 503,
    number: 1511,
    exit: EXIT_STORE,
    summary: 'The store was written by an older layout (`db-version`); run `pld upgrade` before writing to it.',
  },
  PLD_ERR_PERSIST_FOREIGN_LAYOUT: {
    status: 500,
    number: 1512,
    exit: EXIT_STORE,
    summary: "The database holds a store this program cannot read: Palladium (Python)'s pickled model chunks, or a newer Palladium-TS schema.",
  },
  PLD_ERR_PREDICT_BAD_INPUT: {
    status: 400,
    number: 1601,
    exit: EXIT_USAGE,
    summary: 'A predict request is malformed: not JSON, not a list of objects, empty, or a value of the wrong type.',
  },
  PLD_ERR_PREDICT_MISSING_FIELD: { status: 400, number: 1602, exit: EXIT_USAGE, summary: 'A predict request lacks a feature named in the service `mapping`.' },
  PLD_ERR_PREDICT_FAILED: { status: 500, number: 1603, exit: EXIT_RUNTIME, summary: 'The model raised an error while predicting.' },
  PLD_ERR_SERVER_MODEL_NOT_LOADED: { status: 503, number: 1701, exit: EXIT_RUNTIME, summary: 'The server has no model loaded yet.' },
  PLD_ERR_SERVER_ROUTE_NOT_FOUND: { status: 404, number: 1702, exit: EXIT_RUNTIME, summary: 'No route matches the request path.' },
  PLD_ERR_SERVER_METHOD_NOT_ALLOWED: { status: 405, number: 1703, exit: EXIT_RUNTIME, summary: 'The route exists but not for this HTTP method.' },
  PLD_ERR_SERVER_ROUTE_CONFLICT: { status: 500, number: 1704, exit: EXIT_CONFIG, summary: 'Two predict services use the same `entry_point`.' },
  PLD_ERR_SERVER_BAD_HOOK: { status: 500, number: 1720, exit: EXIT_CONFIG, summary: 'A `*_decorators` entry is not a hook name, hook function or hook factory.' },
  PLD_ERR_SERVER_BAD_FIELD: { status: 400, number: 1721, exit: EXIT_USAGE, summary: 'A `/fit` or `/activate` request field is missing, unknown or has the wrong type.' },
  PLD_ERR_SERVER_JOB_NOT_FOUND: { status: 404, number: 1722, exit: EXIT_RUNTIME, summary: 'No job with that id is known (finished jobs are kept up to a limit).' },
  PLD_ERR_OIP_BAD_REQUEST: {
    status: 400,
    number: 1740,
    exit: EXIT_USAGE,
    summary: 'An Open Inference Protocol request is malformed: no `inputs`, an unknown or missing input, a bad datatype, a shape that does not match the data, an unknown output.',
  },
  PLD_ERR_OIP_MODEL_NOT_FOUND: { status: 404, number: 1741, exit: EXIT_RUNTIME, summary: 'An Open Inference Protocol path names a model this server does not serve.' },
  PLD_ERR_BATCH_INVALID_SETTINGS: {
    status: 500,
    number: 1780,
    exit: EXIT_CONFIG,
    summary: 'A micro-batching setting (`max_batch_size`, `max_batch_wait_ms`) passed through the package API is out of range.',
  },
  PLD_ERR_BATCH_RESULT_ROWS: {
    status: 500,
    number: 1781,
    exit: EXIT_RUNTIME,
    summary: 'With batching on, the model returned a different number of predictions than the batch had rows, so they cannot be handed back to each request.',
  },
  PLD_ERR_PREDLOG_UNREADABLE: {
    status: 500,
    number: 1785,
    exit: EXIT_DATA,
    summary: 'A prediction log (`pld replay <log>`: a JSON lines file or an SQL sink) does not exist or cannot be read.',
  },
  PLD_ERR_PREDLOG_BAD_RECORD: {
    status: 500,
    number: 1786,
    exit: EXIT_DATA,
    summary: 'A line or row of a prediction log is not a prediction record (bad JSON or a missing or mistyped field); the message names the file and line.',
  },
  PLD_ERR_PREDLOG_SINK_FAILED: {
    status: 500,
    number: 1787,
    exit: EXIT_RUNTIME,
    summary: 'A prediction log sink could not write; the records of that batch are counted as `failed` in `/metrics` and the server keeps answering.',
  },
  PLD_ERR_PREDLOG_EMPTY: { status: 500, number: 1788, exit: EXIT_DATA, summary: '`pld replay` found no prediction records to compare (an empty log, or `--model` matched none).' },
  PLD_ERR_REPLAY_UNKNOWN_ENTRY_POINT: {
    status: 500,
    number: 1789,
    exit: EXIT_CONFIG,
    summary: 'A logged record names an entry point no PredictService of the config serves, so it cannot be replayed locally.',
  },
  PLD_ERR_REPLAY_REQUEST_FAILED: {
    status: 500,
    number: 1790,
    exit: EXIT_RUNTIME,
    summary: '`pld replay --url`: the server could not be reached or answered a request with an error.',
  },
  PLD_ERR_REPLAY_DIFFERENCES: {
    status: 500,
    number: 1791,
    exit: EXIT_RUNTIME,
    summary: '`pld replay --fail-on-diff`: some replayed predictions differ from the logged ones (or failed).',
  },
  PLD_ERR_AUTH_MISSING_CREDENTIALS: { status: 401, number: 1801, exit: EXIT_RUNTIME, summary: 'The request lacks the credentials (API key, Basic, Bearer) a hook requires.' },
  PLD_ERR_AUTH_INVALID_CREDENTIALS: { status: 401, number: 1802, exit: EXIT_RUNTIME, summary: 'Wrong credentials: unknown API key, wrong password, or a bad or expired token.' },
  PLD_ERR_AUTH_FORBIDDEN: { status: 403, number: 1803, exit: EXIT_RUNTIME, summary: 'The credentials are valid but lack a required claim or scope.' },
  PLD_ERR_SERVER_BODY_TOO_LARGE: { status: 413, number: 1730, exit: EXIT_USAGE, summary: 'A request body is larger than `server.body_limit` (bytes).' },
  PLD_ERR_SERVER_TOO_MANY_ROWS: { status: 413, number: 1731, exit: EXIT_USAGE, summary: 'A predict batch has more rows than `server.max_batch_rows`.' },
  PLD_ERR_SERVER_REQUEST_TIMEOUT: {
    status: 408,
    number: 1732,
    exit: EXIT_RUNTIME,
    summary: 'The client did not send the whole request within `server.request_timeout` (ms); the connection is closed.',
  },
  PLD_ERR_SERVER_METRICS_UNAVAILABLE: {
    status: 503,
    number: 1733,
    exit: EXIT_RUNTIME,
    summary: "`/metrics` in `--workers` mode could not collect every worker's metrics in time; scrape again.",
  },
  PLD_ERR_SERVER_UI_READ_ONLY: {
    status: 403,
    number: 1750,
    exit: EXIT_RUNTIME,
    summary: "A dashboard admin route (`/ui/api/rollback`, `/ui/api/models/{version}`) was called but the config's `server.routes` does not list `activate`.",
  },
  PLD_ERR_TRAFFIC_BAD_POLICY: {
    status: 400,
    number: 1770,
    exit: EXIT_USAGE,
    summary: 'A traffic policy (admin route body, `pld admin traffic set`, or a stored one) has an unknown mode, a missing or extra field, or a weight outside 0..1.',
  },
  PLD_ERR_TRAFFIC_VERSION_NOT_FOUND: { status: 404, number: 1771, exit: EXIT_STORE, summary: "A traffic policy's `challenger` names a version the model store does not have." },
  PLD_ERR_TRAFFIC_STORE_UNSUPPORTED: {
    status: 501,
    number: 1772,
    exit: EXIT_STORE,
    summary: 'The model persister cannot store properties (no `setProperty`), so a traffic policy cannot be changed at runtime; set it in the config instead.',
  },
  PLD_ERR_TRAFFIC_MODEL_NOT_FOUND: { status: 404, number: 1773, exit: EXIT_RUNTIME, summary: '`/models/{name}/traffic` names a model this server does not serve.' },
  PLD_ERR_CONFIG_UNKNOWN_MODEL: {
    status: 400,
    number: 1760,
    exit: EXIT_USAGE,
    summary: "`--model NAME` (or a model route) names a model the config's `models` section does not define.",
  },
  PLD_ERR_CONFIG_MODEL_REQUIRED: {
    status: 400,
    number: 1761,
    exit: EXIT_USAGE,
    summary: 'The config defines several models and the command serves one; choose it with `--model NAME`.',
  },
  PLD_ERR_CONFIG_MODEL_NAME_TAKEN: {
    status: 500,
    number: 1762,
    exit: EXIT_CONFIG,
    summary: "`models.default` is set while the top-level `model_persister` already defines the model named 'default'.",
  },
  PLD_ERR_SERVER_MODEL_UPDATE_FAILED: { status: 503, number: 1710, exit: EXIT_RUNTIME, summary: 'Updating the served model failed; the server keeps serving the previous one.' },
  PLD_ERR_DEPLOY_FILE_EXISTS: {
    status: 409,
    number: 1901,
    exit: EXIT_USAGE,
    summary: '`pld dockerize` or `pld k8s` would overwrite an existing file; pass `--force` to replace it.',
  },
  PLD_ERR_DEPLOY_NO_PACKAGE: { status: 500, number: 1902, exit: EXIT_CONFIG, summary: 'The project folder has no package.json, or it does not depend on palladium-ts.' },
  PLD_ERR_DEPLOY_OUTSIDE_PROJECT: {
    status: 500,
    number: 1903,
    exit: EXIT_CONFIG,
    summary: 'A config file or the File model store lies outside the project folder, so the image cannot hold it.',
  },
  PLD_ERR_DEPLOY_BUILD_FAILED: { status: 500, number: 1904, exit: EXIT_RUNTIME, summary: '`docker build` exited with an error.' },
  PLD_ERR_DEPLOY_BAD_OPTION: {
    status: 400,
    number: 1905,
    exit: EXIT_USAGE,
    summary: 'A deploy option is invalid: a name that is not a DNS label, a non-positive replica count, a bad image.',
  },
  PLD_ERR_INTERNAL: { status: 500, number: 1999, exit: EXIT_RUNTIME, summary: 'An unexpected error; please report it with the log.' },
} as const satisfies Record<string, ErrorCodeInfo>;

/** A stable error code such as `PLD_ERR_CONFIG_UNKNOWN_FACTORY`. */
export type ErrorCode = keyof typeof ERROR_CODES;

/** Extra, structured facts about an error (file, key path, field...), echoed in JSON output. */
export type ErrorDetails = Readonly<Record<string, unknown>>;

/**
 * The only error type the project throws on purpose.
 * @example
 * throw new PldError('PLD_ERR_PERSIST_VERSION_NOT_FOUND', 'No such version: 7', { details: { version: 7 } });
 */
export class PldError extends Error {
  readonly code: ErrorCode;
  readonly details: ErrorDetails;

  constructor(code: ErrorCode, message: string, options: { cause?: unknown; details?: ErrorDetails } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'PldError';
    this.code = code;
    this.details = options.details ?? {};
  }

  /** HTTP status for this error. */
  get status(): number {
    return ERROR_CODES[this.code].status;
  }

  /** Numeric `error_code` for Palladium-shaped response metadata. */
  get number(): number {
    return ERROR_CODES[this.code].number;
  }

  /** Process exit code for the CLI. */
  get exitCode(): number {
    return ERROR_CODES[this.code].exit;
  }
}

/** True for a {@link PldError}, also across module copies (checked by shape, not identity). */
export function isPldError(error: unknown): error is PldError {
  return error instanceof PldError || (error instanceof Error && typeof (error as PldError).code === 'string' && (error as PldError).code in ERROR_CODES);
}

/**
 * Wraps anything thrown into a PldError, keeping PldErrors as they are.
 * @example
 * const err = toPldError(new Error('boom')); // err.code === 'PLD_ERR_INTERNAL'
 */
export function toPldError(error: unknown, fallback: ErrorCode = 'PLD_ERR_INTERNAL'): PldError {
  if (isPldError(error)) return error;
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return new PldError(fallback, message, { cause: error });
}
