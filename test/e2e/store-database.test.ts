import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { copyExample, pld } from './helpers.js';
import { pldGuarded, usePersister } from './store-helpers.js';

describe('Database persister from the CLI', () => {
  it('refuses to delete the active version unless --force (SQLite)', () => {
    const dir = copyExample();
    usePersister(dir, { __factory__: 'Database', url: 'sqlite:models.db' });
    expect(pld(dir, ['fit']).status).toBe(0);
    const refused = pld(dir, ['admin', 'delete', '1']);
    expect(refused.status).toBe(6);
    expect(refused.stderr).toContain('PLD_ERR_PERSIST_ACTIVE_DELETE');
    const forced = pld(dir, ['admin', 'delete', '--force', '1']);
    expect(forced.status, forced.stderr).toBe(0);
    const { models, properties } = JSON.parse(pld(dir, ['list', '--json']).stdout);
    expect(models).toEqual([]);
    expect(properties['active-model']).toBeUndefined();
  });
  it('fails fast with a clear error, password masked, when PostgreSQL is unreachable', () => {
    const dir = copyExample();
    usePersister(dir, { __factory__: 'Database', url: 'postgres://me:secret@127.0.0.1:1/test', connect_timeout: 2 });
    const listed = pldGuarded(dir, ['list']);
    expect(listed.status).toBe(6);
    expect(listed.stderr).toContain('PLD_ERR_PERSIST_UNREACHABLE');
    expect(listed.stderr).toContain('postgres://me:***@127.0.0.1:1/test');
    expect(listed.stderr).not.toContain('secret');
  });

  it('migrates a hand-made layout 1 SQLite store with `pld upgrade`', () => {
    const dir = copyExample();
    usePersister(dir, { __factory__: 'Database', url: 'models.db' });
    const db = new Database(path.join(dir, 'models.db'));
    db.exec(`CREATE TABLE properties (name VARCHAR(1000) PRIMARY KEY, value TEXT NOT NULL);
      CREATE TABLE models (version INTEGER PRIMARY KEY, metadata TEXT NOT NULL);
      CREATE TABLE model_chunks (model_version INTEGER NOT NULL, chunk_no INTEGER NOT NULL, bytes BLOB NOT NULL, PRIMARY KEY (model_version, chunk_no));
      INSERT INTO properties (name, value) VALUES ('db-version', '1');`);
    db.close();

    const refused = pld(dir, ['fit']);
    expect(refused.status).toBe(6);
    expect(refused.stderr).toMatch(/PLD_ERR_PERSIST_SCHEMA_OUTDATED: .*db-version 1; run `pld upgrade`/);
    const upgraded = pld(dir, ['upgrade']);
    expect(upgraded.status, upgraded.stderr).toBe(0);
    expect(upgraded.stdout).toBe('Ran upgrade step sql-model-activations\nStore db-version: 2\n');
    expect(pld(dir, ['fit']).status).toBe(0);
    expect(pld(dir, ['upgrade', '--json']).stdout).toContain('"steps": []');
    const tables = new Database(path.join(dir, 'models.db'), { readonly: true }).prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all();
    expect(tables).toEqual([{ name: 'model_activations' }, { name: 'model_chunks' }, { name: 'models' }, { name: 'properties' }]);
  });

  it('explains that a Palladium (Python) Database store cannot be converted', () => {
    const dir = copyExample();
    usePersister(dir, { __factory__: 'palladium.persistence.Database', url: 'sqlite:///palladium.db' });
    const db = new Database(path.join(dir, 'palladium.db'));
    db.exec(`CREATE TABLE properties (id INTEGER PRIMARY KEY, name VARCHAR(1000), value VARCHAR(1000) NOT NULL);
      CREATE TABLE models (version INTEGER PRIMARY KEY, metadata VARCHAR(1000000) NOT NULL);
      CREATE TABLE model_chunks (id INTEGER PRIMARY KEY, model_version INTEGER REFERENCES models(version), blob BLOB NOT NULL);`);
    db.close();
    const upgraded = pld(dir, ['upgrade']);
    expect(upgraded.status).toBe(6);
    expect(upgraded.stderr).toMatch(/PLD_ERR_PERSIST_FOREIGN_LAYOUT: .*Palladium \(Python\) Database store .*pickle/);
  });
});
