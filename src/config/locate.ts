import { existsSync } from 'node:fs';
import path from 'node:path';
import { PldError } from '../errors.js';

/** Extensions a config file may have, in the order default lookup prefers them. */
export const CONFIG_EXTENSIONS = ['.json', '.yaml', '.yml', '.ts', '.mts', '.js', '.mjs', '.py'] as const;

/**
 * Default config names, tried in order in the working directory, then in `etc/`. Palladium's
 * `palladium-config.*` comes first; a bare `config.*` is accepted too because that is how a project
 * folder such as `examples/iris/` names its one config.
 */
export const DEFAULT_CONFIG_BASENAMES = ['palladium-config', 'config'] as const;

/** Where the config list comes from: `--config a,b`, then `PALLADIUM_CONFIG`, then the default names. */
export interface LocateOptions {
  readonly explicit?: string;
  readonly env?: string;
  readonly cwd: string;
}

/**
 * The config files to load, as absolute paths, left to right.
 * @example
 * locateConfigFiles({ explicit: 'base.json, prod.yaml', cwd: process.cwd() });
 */
export function locateConfigFiles(options: LocateOptions): string[] {
  const list = options.explicit ?? options.env;
  const source = options.explicit !== undefined ? '--config' : 'PALLADIUM_CONFIG';
  if (list !== undefined && list.trim() !== '') {
    return list
      .split(',')
      .map((name) => name.trim())
      .filter((name) => name !== '')
      .map((name) => {
        const file = path.resolve(options.cwd, name);
        if (!existsSync(file)) {
          throw new PldError('PLD_ERR_CONFIG_NOT_FOUND', `Config file '${file}' (from ${source}) does not exist`, { details: { file } });
        }
        return file;
      });
  }
  for (const dir of [options.cwd, path.join(options.cwd, 'etc')]) {
    for (const base of DEFAULT_CONFIG_BASENAMES) {
      for (const ext of CONFIG_EXTENSIONS) {
        const file = path.join(dir, base + ext);
        if (existsSync(file)) return [file];
      }
    }
  }
  throw new PldError(
    'PLD_ERR_CONFIG_NOT_FOUND',
    `No config file found in ${options.cwd} or its etc/ folder (looked for ${DEFAULT_CONFIG_BASENAMES.map((b) => `${b}.*`).join(', ')}). ` +
      'Pass --config <file> or set the environment variable PALLADIUM_CONFIG.',
  );
}
