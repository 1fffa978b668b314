import { existsSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { createRequire } from 'node:module';
import { PldError } from '../errors.js';
import { moduleImporter } from './read.js';

/** True for `./path/module.ts#Export`, `../x.js#Y`, `/abs/x.ts#Y` or `package#Export` references. */
export function isUserModuleReference(name: string): boolean {
  return name.includes('#');
}

/**
 * Imports the export named by a user reference: paths are relative to `baseDir` (the config file's
 * folder), bare names are packages resolved from there. TypeScript files load without a build step.
 * @example
 * const MyModel = await importUserExport('./models/my-model.ts#MyModel', '/srv/app', 'model');
 */
export async function importUserExport(reference: string, baseDir: string, keyPath: string, file: string): Promise<unknown> {
  const hash = reference.lastIndexOf('#');
  const specifier = reference.slice(0, hash);
  const exportName = reference.slice(hash + 1) || 'default';
  const isPath = specifier.startsWith('.') || path.isAbsolute(specifier);
  let url: string;
  if (isPath) {
    const resolved = path.resolve(baseDir, specifier);
    if (!existsSync(resolved)) {
      throw new PldError('PLD_ERR_CONFIG_USER_MODULE', `${file}: ${keyPath}.__factory__: module '${resolved}' (from '${reference}') does not exist`, {
        details: { file, keyPath },
      });
    }
    url = pathToFileURL(resolved).href;
  } else {
    try {
      url = pathToFileURL(createRequire(path.join(baseDir, 'noop.js')).resolve(specifier)).href;
    } catch (cause) {
      throw new PldError('PLD_ERR_CONFIG_USER_MODULE', `${file}: ${keyPath}.__factory__: package '${specifier}' cannot be resolved from ${baseDir}`, {
        cause,
        details: { file, keyPath },
      });
    }
  }
  let loaded: Record<string, unknown>;
  try {
    loaded = (await moduleImporter.import(url)) as Record<string, unknown>;
  } catch (cause) {
    throw new PldError('PLD_ERR_CONFIG_USER_MODULE', `${file}: ${keyPath}.__factory__: importing '${reference}' failed: ${(cause as Error).message}`, {
      cause,
      details: { file, keyPath },
    });
  }
  if (!(exportName in loaded)) {
    throw new PldError(
      'PLD_ERR_CONFIG_USER_MODULE',
      `${file}: ${keyPath}.__factory__: '${specifier}' has no export '${exportName}'; it exports ${JSON.stringify(Object.keys(loaded))}`,
      {
        details: { file, keyPath },
      },
    );
  }
  return loaded[exportName];
}
