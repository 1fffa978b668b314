import type { FitOptions } from '../commands/fit.js';
import type { ServeOptions } from '../commands/serve.js';
import type { UpgradeOptions } from '../commands/upgrade.js';

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

export const TEST_FLAGS: readonly FlagSpec<{ modelVersion?: string }>[] = [
  { flags: '--model-version <version>', description: 'test this version instead of the active one', option: 'modelVersion' },
  { flags: '--json', description: 'print the scores as JSON', option: 'json' },
];

export const LIST_FLAGS: readonly FlagSpec<object>[] = [{ flags: '--json', description: 'print as JSON', option: 'json' }];

export const SERVE_FLAGS: readonly FlagSpec<ServeOptions>[] = [
  { flags: '--host <host>', description: 'interface to listen on', option: 'host', defaultValue: '0.0.0.0' },
  { flags: '--port <port>', description: 'port to listen on', option: 'port', parse: _number('--port'), defaultValue: 5000 },
  { flags: '--log-requests', description: 'log one line per request', option: 'logRequests' },
];

export const UPGRADE_FLAGS: readonly FlagSpec<UpgradeOptions>[] = [
  { flags: '--from <version>', description: "the store's current layout version; default its db-version", option: 'from' },
  { flags: '--to <version>', description: 'the layout version to upgrade to; default the newest', option: 'to' },
  { flags: '--json', description: 'print the steps run as JSON', option: 'json' },
];

export const ADMIN_DELETE_FLAGS: readonly FlagSpec<{ force?: boolean }>[] = [
  { flags: '-f, --force', description: 'delete even the active version, leaving no active model', option: 'force' },
];

function _number(flag: string): (value: string) => number {
  return (value) => {
    const number = Number(value);
    if (value.trim() === '' || !Number.isFinite(number)) throw new Error(`${flag} must be a number, got '${value}'`);
    return number;
  };
}
