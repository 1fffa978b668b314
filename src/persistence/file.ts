import { resolve } from 'node:path';
import { z } from 'zod';
import type { CreateContext } from '../config/registry.js';
import { PldError } from '../errors.js';
import { fsStorage } from './storage/fs.js';
import { INDEX_KEY } from './storage/types.js';
import type { ModelPersister } from './types.js';
import { createVersionedPersister } from './versioned.js';

/**
 * Parameters of the `File` persister (`palladium.persistence.File`).
 * @example
 * filePersisterParams.parse({ path: 'model-{version}' });
 */
export const filePersisterParams = z.strictObject({
  path: z.string().min(1),
});

/** Parsed parameters of the `File` persister. */
export type FilePersisterParams = z.infer<typeof filePersisterParams>;

/** The placeholder Palladium's `path` must contain. */
export const VERSION_PLACEHOLDER = '{version}';

/**
 * Where each file of a File store lives, in Palladium's layout with our artifact extension:
 * `model-3.json.gz` for version 3, `model-metadata.json` for the index, `model-lock.lock` for the lock.
 * @example
 * fileLayout('/m/model-{version}').artifact('3'); // '/m/model-3.json.gz'
 */
export function fileLayout(absolutePath: string): { artifact(version: string): string; index: string; lock: string; pathFor(key: string): string } {
  const at = (value: string): string => absolutePath.replaceAll(VERSION_PLACEHOLDER, value);
  const artifact = (version: string): string => `${at(version)}.json.gz`;
  const index = `${at(INDEX_KEY)}.json`;
  return { artifact, index, lock: `${at('lock')}.lock`, pathFor: (key) => (key === INDEX_KEY ? index : artifact(key)) };
}

/**
 * The `File` persister: the versioned core over the local file system. `path` must contain
 * `{version}`; a relative path resolves against the config file's folder.
 * @example
 * const persister = createFilePersister({ path: 'models/iris-{version}' }, { baseDir: '/project', keyPath: 'model_persister' });
 */
export function createFilePersister(params: FilePersisterParams, ctx: Partial<Pick<CreateContext, 'baseDir' | 'keyPath' | 'file'>> = {}): ModelPersister {
  if (!params.path.includes(VERSION_PLACEHOLDER)) {
    const where = ctx.keyPath ? `${ctx.keyPath}.path` : 'path';
    throw new PldError(
      'PLD_ERR_PERSIST_BAD_PATH',
      `${where}: Your file persister path must have a {version} placeholder, e.g. model-{version}; got ${JSON.stringify(params.path)}`,
      {
        details: { path: params.path, keyPath: ctx.keyPath, file: ctx.file },
      },
    );
  }
  const absolute = resolve(ctx.baseDir ?? process.cwd(), params.path);
  const layout = fileLayout(absolute);
  return createVersionedPersister({
    storage: fsStorage({ pathFor: layout.pathFor, lockPath: layout.lock, description: absolute }),
  });
}
