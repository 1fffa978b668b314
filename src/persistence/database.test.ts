import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { dropSchema, freshSchema, PG_URL, pgQuery } from '../../test/contracts/pg-helpers.js';
import { sampleArtifact } from '../../test/contracts/persister.js';
import { isPldError } from '../errors.js';
import { checksum, encodeArtifact } from './artifact.js';
import { createDatabasePersister, databasePersisterParams } from './database.js';
import type { ModelPersister, Version } from './types.js';

/** Runs SQL against the store's database behind the persister's back (hand-made layouts, row counts). */
interface Backend {
  readonly name: string;
  make(params?: Record<string, unknown>): ModelPersister;
  exec(statement: string, values?: unknown[]): Promise<unknown[]>;
  /** `table` qualified for this backend. */
  table(name: string): string;
  readonly blob: string;
}

const dir = mkdtempSync(join(tmpdir(), 'pld-db-unit-'));
const schemas: string[] = [];
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  for (const schema of schemas) await dropSchema(schema);
});

function sqliteBackend(): Backend {
  const file = join(dir, `${Math.random().toString(36).slice(2)}.db`);
  return {
    name: 'SQLite',
    make: (params = {}) => createDatabasePersister(databasePersisterParams.parse({ url: file, chunk_size: 128, ...params })),
    exec: async (statement, values = []) => {
      const db = new Database(file);
      try {
        const prepared = db.prepare(statement);
        return prepared.reader ? prepared.all(...values) : (prepared.run(...values), []);
      } finally {
        db.close();
      }
    },
    table: (name) => name,
    blob: 'BLOB',
  };
}

function postgresBackend(): Backend {
  const schema = freshSchema('pld_unit');
  schemas.push(schema);
  return {
    name: 'PostgreSQL',
    make: (params = {}) => createDatabasePersister(databasePersisterParams.parse({ url: PG_URL, schema, chunk_size: 128, ...params })),
    exec: async (statement, values = []) => (await pgQuery(statement, values)).rows,
    table: (name) => `"${schema}".${name}`,
    blob: 'BYTEA',
  };
}

describe.each([{ make: sqliteBackend }, { make: postgresBackend }])('Database persister', ({ make }) => {
  it('stores an artifact in chunk_size rows and keeps no chunks of a deleted version', async () => {
    const backend = make();
    const store = backend.make();
    const version = await store.write(sampleArtifact());
    const size = (await store.listModels())[0].size as number;
    const rows = await backend.exec(`SELECT chunk_no FROM ${backend.table('model_chunks')} WHERE model_version = $1 ORDER BY chunk_no`.replace('$1', String(version)));
    expect(rows).toHaveLength(Math.ceil(size / 128));
    await store.write(sampleArtifact());
    await store.delete(version);
    expect(await backend.exec(`SELECT chunk_no FROM ${backend.table('model_chunks')} WHERE model_version = ${version}`)).toEqual([]);
    await store.close?.();
  });

  it('keeps stores with different table_postfix apart in one database', async () => {
    const backend = make();
    const a = backend.make({ table_postfix: 'a' });
    const b = backend.make({ table_postfix: 'b' });
    await a.write(sampleArtifact());
    await a.write(sampleArtifact());
    expect(await b.write(sampleArtifact())).toBe(1);
    expect((await a.listModels()).length).toBe(2);
    expect((await b.listModels()).length).toBe(1);
    await Promise.all([a.close?.(), b.close?.()]);
  });

  it('works again after close(): the connection reopens on the next call', async () => {
    const store = make().make();
    await store.write(sampleArtifact());
    await store.close?.();
    expect((await store.listModels()).map((model) => model.version)).toEqual([1]);
    await store.close?.();
  });

  it('migrates a hand-made layout 1 to 2 with upgrade(), refusing writes before it', async () => {
    const backend = make();
    const { table, blob } = backend;
    if (backend.name === 'PostgreSQL') await backend.exec(`CREATE SCHEMA ${table('x').split('.')[0]}`);
    await backend.exec(`CREATE TABLE ${table('properties')} (name VARCHAR(1000) PRIMARY KEY, value TEXT NOT NULL)`);
    await backend.exec(`CREATE TABLE ${table('models')} (version INTEGER PRIMARY KEY, metadata TEXT NOT NULL)`);
    await backend.exec(
      `CREATE TABLE ${table('model_chunks')} (model_version INTEGER NOT NULL, chunk_no INTEGER NOT NULL, bytes ${blob} NOT NULL, PRIMARY KEY (model_version, chunk_no))`,
    );
    const bytes = encodeArtifact({ ...sampleArtifact(), metadata: { version: 1, score_train: 0.5 } });
    const metadata = JSON.stringify({ version: 1, score_train: 0.5, checksum: checksum(bytes), size: bytes.byteLength });
    await backend.exec(`INSERT INTO ${table('properties')} (name, value) VALUES ('db-version', '1'), ('active-model', '1'), ('last-version', '1')`);
    await backend.exec(`INSERT INTO ${table('models')} (version, metadata) VALUES (1, '${metadata}')`);
    await backend.exec(`INSERT INTO ${table('model_chunks')} (model_version, chunk_no, bytes) VALUES (1, 0, $1)`.replace('$1', backend.name === 'SQLite' ? '?' : '$1'), [bytes]);

    const store = backend.make();
    expect((await store.read()).metadata.score_train).toBe(0.5);
    const refused = await store.write(sampleArtifact()).catch((error: unknown) => error);
    expect(isPldError(refused) && refused.code).toBe('PLD_ERR_PERSIST_SCHEMA_OUTDATED');
    expect((refused as Error).message).toContain('pld upgrade');

    expect(await store.upgrade()).toEqual(['sql-model-activations']);
    expect((await store.listProperties())['db-version']).toBe('2');
    expect((await store.history?.())?.map((record) => record.version)).toEqual([1]);
    expect(await store.write(sampleArtifact())).toBe(2);
    await store.activate(2 as Version);
    expect((await store.history?.())?.map((record) => [record.version, record.previous])).toEqual([
      [1, null],
      [2, 1],
    ]);
    expect(await store.upgrade()).toEqual([]);
    await store.close?.();
  });

  it("refuses Palladium (Python)'s layout of pickled chunks with a clear error, also in upgrade()", async () => {
    const backend = make();
    const { table, blob } = backend;
    if (backend.name === 'PostgreSQL') await backend.exec(`CREATE SCHEMA ${table('x').split('.')[0]}`);
    await backend.exec(`CREATE TABLE ${table('properties')} (id INTEGER PRIMARY KEY, name VARCHAR(1000), value VARCHAR(1000) NOT NULL)`);
    await backend.exec(`CREATE TABLE ${table('models')} (version INTEGER PRIMARY KEY, metadata VARCHAR(1000000) NOT NULL)`);
    await backend.exec(`CREATE TABLE ${table('model_chunks')} (id INTEGER PRIMARY KEY, model_version INTEGER REFERENCES ${table('models')}(version), blob ${blob} NOT NULL)`);
    const store = backend.make();
    for (const call of [() => store.listModels(), () => store.upgrade()]) {
      const error = await call().catch((caught: unknown) => caught);
      expect(isPldError(error) && error.code).toBe('PLD_ERR_PERSIST_FOREIGN_LAYOUT');
      expect((error as Error).message).toMatch(/Palladium \(Python\).*pickle/);
    }
    await store.close?.();
  });

  it('refuses a store written by a newer layout', async () => {
    const backend = make();
    const store = backend.make();
    await store.write(sampleArtifact());
    await store.close?.();
    await backend.exec(`UPDATE ${backend.table('properties')} SET value = '99' WHERE name = 'db-version'`);
    const error = await backend
      .make()
      .listModels()
      .catch((caught: unknown) => caught);
    expect(isPldError(error) && error.code).toBe('PLD_ERR_PERSIST_FOREIGN_LAYOUT');
    expect((error as Error).message).toContain('newer Palladium-TS (db-version 99');
  });
});

describe('Database persister connection errors', () => {
  it('names the URL with its password masked when PostgreSQL is unreachable', async () => {
    const store = createDatabasePersister(databasePersisterParams.parse({ url: 'postgres://me:secret@127.0.0.1:1/test', connect_timeout: 2 }));
    const error = await store.listModels().catch((caught: unknown) => caught);
    expect(isPldError(error) && error.code).toBe('PLD_ERR_PERSIST_UNREACHABLE');
    expect((error as Error).message).toContain('postgres://me:***@127.0.0.1:1/test');
    expect((error as Error).message).not.toContain('secret');
  });

  it('says when the database does not exist', async () => {
    const url = PG_URL.replace(/\/[^/]*$/, '/pld_no_such_database');
    const error = await createDatabasePersister(databasePersisterParams.parse({ url }))
      .listModels()
      .catch((caught: unknown) => caught);
    expect(isPldError(error) && error.code).toBe('PLD_ERR_PERSIST_UNREACHABLE');
    expect((error as Error).message).toContain('pld_no_such_database');
  });

  it('says when an SQLite file cannot be created', async () => {
    const error = await createDatabasePersister(databasePersisterParams.parse({ url: 'sqlite:/dev/null/models.db' }))
      .listModels()
      .catch((caught: unknown) => caught);
    expect(isPldError(error) && error.code).toBe('PLD_ERR_PERSIST_UNREACHABLE');
    expect((error as Error).message).toContain('sqlite:/dev/null/models.db');
  });

  it('rejects other URL schemes and a schema on SQLite at creation', () => {
    expect(() => createDatabasePersister(databasePersisterParams.parse({ url: 'mysql://h/db' }))).toThrow(/supports SQLite .* and PostgreSQL/);
    expect(() => createDatabasePersister(databasePersisterParams.parse({ url: 'models.db', schema: 'x' }), { keyPath: 'model_persister' })).toThrow(
      /model_persister\.schema: a schema applies to PostgreSQL only/,
    );
  });
});
