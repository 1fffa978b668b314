import type { ComponentDefinition } from '../config/registry.js';
import { cachedPersisterDefinition } from './cached.js';
import { restPersisterDefinition } from './rest.js';
import { createDatabasePersister, type DatabasePersisterParams, databasePersisterParams } from './database.js';
import { createFilePersister, type FilePersisterParams, filePersisterParams } from './file.js';
import type { ModelPersister } from './types.js';

/**
 * The built-in persisters for the registry; a new backend is one file plus one entry here.
 * @example
 * for (const definition of builtinPersisters) registry.register(definition);
 */
export const builtinPersisters: ComponentDefinition[] = [
  {
    name: 'File',
    aliases: ['palladium.persistence.File'],
    kind: 'persister',
    params: filePersisterParams,
    summary: 'Model versions as files beside a metadata JSON index (`path` with a {version} placeholder).',
    create: (params: FilePersisterParams, ctx) => createFilePersister(params, ctx),
  } satisfies ComponentDefinition<ModelPersister, FilePersisterParams>,
  cachedPersisterDefinition as ComponentDefinition,
  restPersisterDefinition as ComponentDefinition,
  {
    name: 'Database',
    aliases: ['palladium.persistence.Database'],
    kind: 'persister',
    params: databasePersisterParams,
    summary: 'Model versions in SQL tables: SQLite (a file path or sqlite: URL) or PostgreSQL (postgres:// URL).',
    create: (params: DatabasePersisterParams, ctx) => createDatabasePersister(params, ctx),
  } satisfies ComponentDefinition<ModelPersister, DatabasePersisterParams>,
];
