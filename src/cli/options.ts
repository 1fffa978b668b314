import type { ExportOptions } from '../commands/export.js';
import type { FitOptions } from '../commands/fit.js';
import type { GridSearchOptions } from '../commands/grid-search.js';
import type { ServeOptions } from '../commands/serve.js';
import type { StreamOptions } from '../commands/stream.js';
import type { UpgradeOptions } from '../commands/upgrade.js';
import type { DockerizeOptions } from '../commands/dockerize.js';
import type { K8sCommandOptions } from '../commands/k8s.js';
import type { MigrateConfigOptions } from '../commands/migrate-config.js';
import type { WorkerOptions } from '../commands/worker.js';

/** One CLI flag, declared as data against the option it sets, so no option exists without its flag. */
export interface FlagSpec<O> {
  readonly flags: string;
  readonly description: string;
  readonly option: keyof O | 'json';
  readonly parse?: (value: string) => unknown;
  readonly defaultValue?: unknown;
}

/** Flags every command takes. */
export const GLOBAL_FLAGS = [
  { flags: '-c, --config <files>', description: 'config file(s), comma-separated; default $PALLADIUM_CONFIG, then palladium-config.* or config.* here or in etc/' },
  { flags: '--log-level <level>', description: 'DEBUG, INFO, WARNING or ERROR', defaultValue: 'INFO' },
  {
    flags: '-m, --model <name>',
    description: "the entry of the config's `models` section to work on; default: the only model (serve: all of them)",
  },
] as const;

export const FIT_FLAGS: readonly FlagSpec<FitOptions>[] = [
  { flags: '-n, --no-save', description: "fit but don't store the model", option: 'persist' },
  { flags: '--no-activate', description: "store the model but don't activate it", option: 'activate' },
  { flags: '-e, --evaluate', description: 'score the model on the train and test sets', option: 'evaluate' },
  {
    flags: '--save-if-better-than <score>',
    description: 'store only if the test score is at least <score>',
    option: 'persistIfBetterThan',
    parse: _number('--save-if-better-than'),
  },
  { flags: '--json', description: 'print the result as JSON', option: 'json' },
];

export const TEST_FLAGS: readonly FlagSpec<{ modelVersion?: string; report?: string; png?: boolean }>[] = [
  { flags: '--model-version <version>', description: 'test this version instead of the active one', option: 'modelVersion' },
  { flags: '--report <file>', description: 'write an HTML report (confusion matrix or residual plots) to <file>', option: 'report' },
  { flags: '--png', description: 'with --report: also write each chart as <file>-<chart>.png', option: 'png' },
  { flags: '--json', description: 'print the scores as JSON', option: 'json' },
];

export const GRID_SEARCH_FLAGS: readonly FlagSpec<GridSearchOptions>[] = [
  { flags: '--save-results <file>', description: 'write cv_results to <file> (.csv or .json)', option: 'saveResults' },
  { flags: '--persist-best', description: 'refit the best candidate on all data, store and activate it', option: 'persistBest' },
  { flags: '--report <file>', description: 'write an HTML report (score against each parameter) to <file>', option: 'report' },
  { flags: '--png', description: 'with --report: also write each chart as <file>-<parameter>.png', option: 'png' },
  { flags: '--backend <url>', description: 'run the fits on `pld worker` processes through this Redis (redis://host:6379) instead of local threads', option: 'backend' },
  { flags: '--json', description: 'print the results as JSON', option: 'json' },
];

export const WORKER_FLAGS: readonly FlagSpec<Omit<WorkerOptions, 'signal'>>[] = [
  { flags: '--backend <url>', description: 'the Redis that `pld grid-search --backend` queues fits on (redis://host:6379)', option: 'backend' },
  {
    flags: '--lock-duration <ms>',
    description: "how long a fit's lock lasts unrenewed; a dead worker's fit goes to another after about this long",
    option: 'lockDuration',
    parse: _number('--lock-duration'),
    defaultValue: 30000,
  },
];

export const LIST_FLAGS: readonly FlagSpec<object>[] = [{ flags: '--json', description: 'print as JSON', option: 'json' }];

export const SERVE_FLAGS: readonly FlagSpec<ServeOptions>[] = [
  { flags: '--host <host>', description: 'interface to listen on', option: 'host', defaultValue: '0.0.0.0' },
  { flags: '--port <port>', description: 'port to listen on', option: 'port', parse: _number('--port'), defaultValue: 5000 },
  { flags: '--log-requests', description: 'log one line per request', option: 'logRequests' },
  {
    flags: '--workers <n>',
    description: "worker processes sharing the port (node:cluster); 0 or 'auto': one per CPU; default server.workers, else 1",
    option: 'workers',
    parse: _workers,
  },
  { flags: '--log-format <format>', description: "'text' (default) or 'json': one JSON object per log line", option: 'logFormat', parse: _logFormat },
];

function _workers(value: string): number | 'auto' {
  if (value === 'auto') return 'auto';
  const number = Number(value);
  if (value.trim() === '' || !Number.isInteger(number) || number < 0) throw new Error(`--workers must be a whole number >= 0 or 'auto', got '${value}'`);
  return number;
}

function _logFormat(value: string): 'text' | 'json' {
  if (value !== 'text' && value !== 'json') throw new Error(`--log-format must be 'text' or 'json', got '${value}'`);
  return value;
}

export const STREAM_FLAGS: readonly FlagSpec<Pick<StreamOptions, 'service'>>[] = [
  { flags: '--service <key>', description: 'the config key of the PredictService to use', option: 'service', defaultValue: 'predict_service' },
];

export const EXPORT_FLAGS: readonly FlagSpec<Omit<ExportOptions, 'version'> & { version?: string }>[] = [
  { flags: '--version <version>', description: 'export this version instead of the active one', option: 'version' },
  { flags: '--no-activate', description: "don't activate the copy in model_persister_export", option: 'activate' },
  { flags: '--onnx <file>', description: 'write the version as an ONNX model file instead (trees, forests, linear models)', option: 'onnx' },
  { flags: '--json', description: 'print the result as JSON', option: 'json' },
];

export const ROLLBACK_FLAGS: readonly FlagSpec<object>[] = [{ flags: '--json', description: 'print the result as JSON', option: 'json' }];

export const UPGRADE_FLAGS: readonly FlagSpec<UpgradeOptions>[] = [
  { flags: '--from <version>', description: "the store's current layout version; default its db-version", option: 'from' },
  { flags: '--to <version>', description: 'the layout version to upgrade to; default the newest', option: 'to' },
  { flags: '--json', description: 'print the steps run as JSON', option: 'json' },
];

export const ADMIN_DELETE_FLAGS: readonly FlagSpec<{ force?: boolean }>[] = [
  { flags: '-f, --force', description: 'delete even the active version, leaving no active model', option: 'force' },
  { flags: '--json', description: 'print the deleted version as JSON', option: 'json' },
];

export const ADMIN_ACTIVATE_FLAGS: readonly FlagSpec<object>[] = [{ flags: '--json', description: 'print the activated version as JSON', option: 'json' }];

/** Options of `pld admin traffic set <mode>`: the policy's fields as flags. */
export interface TrafficSetOptions {
  readonly challenger?: string;
  readonly weight?: number;
  readonly shadow?: boolean;
  readonly keyHeader?: string;
  readonly keyQuery?: string;
}

export const ADMIN_TRAFFIC_SET_FLAGS: readonly FlagSpec<TrafficSetOptions>[] = [
  { flags: '--challenger <version>', description: 'the version that gets a share of requests (canary, sticky) or shadows them (shadow)', option: 'challenger' },
  { flags: '--weight <share>', description: "the challenger's share of requests (canary) or of keys (sticky), 0 to 1", option: 'weight', parse: _number('--weight') },
  { flags: '--shadow', description: 'canary/sticky: the challenger also shadows the requests the active version answers', option: 'shadow' },
  { flags: '--key-header <name>', description: 'sticky: the header holding the request key (default x-pld-key)', option: 'keyHeader' },
  { flags: '--key-query <name>', description: 'sticky: the query parameter holding the request key, instead of a header', option: 'keyQuery' },
  { flags: '--json', description: 'print the policy as JSON', option: 'json' },
];

export const ADMIN_TRAFFIC_FLAGS: readonly FlagSpec<object>[] = [{ flags: '--json', description: 'print the policy as JSON', option: 'json' }];

export const VERSION_FLAGS: readonly FlagSpec<object>[] = [{ flags: '--json', description: 'print the package and Node.js versions as JSON', option: 'json' }];

function _number(flag: string): (value: string) => number {
  return (value) => {
    const number = Number(value);
    if (value.trim() === '' || !Number.isFinite(number)) throw new Error(`${flag} must be a number, got '${value}'`);
    return number;
  };
}

export const CONFIG_FLAGS: readonly FlagSpec<{ print?: boolean; validate?: boolean; schema?: boolean }>[] = [
  { flags: '--print', description: 'print the merged config as JSON (the default)', option: 'print' },
  { flags: '--validate', description: 'create every component (checks parameters and files) without loading data', option: 'validate' },
  { flags: '--schema', description: "print the config's JSON Schema (for editors' $schema)", option: 'schema' },
  { flags: '--json', description: 'print --validate results as JSON', option: 'json' },
];

export const DOCKERIZE_FLAGS: readonly FlagSpec<Omit<DockerizeOptions, 'dir' | 'docker'>>[] = [
  { flags: '--fit', description: "run pld fit while building, so the image holds a fitted model (Palladium's predict image)", option: 'fit' },
  { flags: '--out <dir>', description: 'write the Dockerfile to <dir> instead of the project folder', option: 'out' },
  { flags: '--dry-run', description: 'print the files; write and build nothing', option: 'dryRun' },
  { flags: '--force', description: 'replace an existing Dockerfile and .dockerignore', option: 'force' },
  { flags: '-t, --tag <image>', description: 'image tag; default <package name>:<package version>', option: 'tag' },
  { flags: '--workers <n>', description: 'pld serve --workers in the image (default 2)', option: 'workers', parse: _number('--workers') },
  { flags: '--port <port>', description: 'port the server listens on in the container (default 5000)', option: 'port', parse: _number('--port') },
  { flags: '--no-build', description: "write the files but don't run docker build", option: 'build' },
  { flags: '--json', description: 'print the result as JSON', option: 'json' },
];

export const K8S_FLAGS: readonly FlagSpec<Omit<K8sCommandOptions, 'dir'>>[] = [
  { flags: '--replicas <n>', description: 'Deployment replicas and the autoscaler minimum (default 2)', option: 'replicas', parse: _number('--replicas') },
  { flags: '--max-replicas <n>', description: 'autoscaler maximum (default 3 × replicas)', option: 'maxReplicas', parse: _number('--max-replicas') },
  { flags: '--image <image>', description: 'container image; default <package name>:<package version>', option: 'image' },
  { flags: '--name <name>', description: 'object names; default the package name', option: 'name' },
  { flags: '--workers <n>', description: 'pld serve --workers per pod (default 1)', option: 'workers', parse: _number('--workers') },
  { flags: '--port <port>', description: 'container port (default 5000)', option: 'port', parse: _number('--port') },
  { flags: '--secret <name>', description: "the Secret holding the config's ${VAR}s; default <name>-secrets", option: 'secretName' },
  { flags: '--no-store-volume', description: "don't mount a volume on a file model store (the image holds the model)", option: 'storeVolume' },
  { flags: '-o, --out <file>', description: 'write the YAML to <file> instead of stdout', option: 'out' },
  { flags: '--force', description: 'replace an existing --out file', option: 'force' },
  { flags: '--json', description: 'print the objects as JSON', option: 'json' },
];

export const MIGRATE_CONFIG_FLAGS: readonly FlagSpec<Pick<MigrateConfigOptions, 'out' | 'keepAliases' | 'force'>>[] = [
  { flags: '-o, --out <file>', description: 'write a .json config or a .ts defineConfig file; default: the JSON on stdout', option: 'out' },
  { flags: '--keep-aliases', description: 'keep palladium.*/sklearn.* dotted factory names (aliases) instead of the short names', option: 'keepAliases' },
  { flags: '--force', description: 'replace an existing --out file', option: 'force' },
  { flags: '--json', description: 'print the config and the report as JSON', option: 'json' },
];
