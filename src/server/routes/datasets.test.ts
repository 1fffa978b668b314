import { cpSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { createContext } from '../../commands/context.js';
import { fit } from '../../commands/fit.js';
import { createRegistry } from '../../config/builtins.js';
import { configFromObject } from '../../config/config.js';
import type { ScheduledDatasetLoader } from '../../data/loaders/scheduled.js';
import { isDatasetLoader } from '../../data/types.js';
import { silentLogger } from '../../logging.js';
import { createServer } from '../app.js';

const EXAMPLE = fileURLToPath(new URL('../../../examples/iris/', import.meta.url));

/** A temp folder holding the iris example's data as a SQLite table `iris`. */
function irisDatabase(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'pld-datasets-'));
  cpSync(path.join(EXAMPLE, 'iris.data'), path.join(dir, 'iris.data'));
  const db = new Database(path.join(dir, 'iris.db'));
  db.exec('CREATE TABLE iris ("sepal length" REAL, "sepal width" REAL, "petal length" REAL, "petal width" REAL, species TEXT)');
  const insert = db.prepare('INSERT INTO iris VALUES (?, ?, ?, ?, ?)');
  for (const line of readFileSync(path.join(dir, 'iris.data'), 'utf8').split('\n')) {
    const cells = line.split(',');
    if (cells.length === 5) insert.run(...cells.slice(0, 4).map(Number), cells[4]);
  }
  db.close();
  return dir;
}

async function serverFor(dir: string, train: Record<string, unknown>) {
  const base = JSON.parse(readFileSync(path.join(EXAMPLE, 'config.json'), 'utf8')) as Record<string, unknown>;
  const config = configFromObject(
    { ...base, dataset_loader_train: train, model_persister: { __factory__: 'File', path: path.join(dir, 'iris-model-{version}') } },
    createRegistry(),
    dir,
  );
  const ctx = createContext(config, silentLogger);
  return { ctx, config };
}

describe('scheduled dataset loaders in pld serve', () => {
  it('fits from a scheduled SQL loader and shows it in /alive; closing the server stops its schedule', async () => {
    const dir = irisDatabase();
    const train = {
      __factory__: 'palladium.dataset.ScheduledDatasetLoader',
      impl: { __factory__: 'palladium.dataset.SQL', url: 'sqlite:///iris.db', sql: 'iris', target_column: 'species' },
      update_cache_interval: 3600,
    };
    const { ctx, config } = await serverFor(dir, train);
    const result = await fit(ctx, {});
    expect(result).toBeDefined();
    const { app } = await createServer(ctx);
    const alive = await app.inject({ url: '/alive' });
    expect(alive.statusCode).toBe(200);
    expect(alive.json().datasets).toEqual({
      dataset_loader_train: { rows: 150, updated: expect.any(String), last_error: null, schedule: 'every 3600 s', next_run: expect.any(String) },
    });
    const loader = (await config.component('dataset_loader_train', 'loader', isDatasetLoader)) as ScheduledDatasetLoader;
    await app.close();
    expect(loader.describe().next_run).toBeNull();
  });

  it('starts even when the first load fails, and reports the error', async () => {
    const dir = irisDatabase();
    const { ctx } = await serverFor(dir, { __factory__: 'palladium.dataset.CSV', path: 'iris.data', names: ['a', 'b', 'c', 'd', 'species'], target_column: 'species' });
    await fit(ctx, {});
    const broken = {
      __factory__: 'ScheduledDatasetLoader',
      impl: { __factory__: 'SQL', url: 'postgres://root:pw@127.0.0.1:1/test', sql: 'iris', connect_timeout: 1 },
      update_cache_rrule: { freq: 'HOURLY' },
    };
    const base = JSON.parse(readFileSync(path.join(EXAMPLE, 'config.json'), 'utf8')) as Record<string, unknown>;
    const config = configFromObject(
      { ...base, dataset_loader_test: broken, model_persister: { __factory__: 'File', path: path.join(dir, 'iris-model-{version}') } },
      createRegistry(),
      dir,
    );
    const { app } = await createServer(createContext(config, silentLogger));
    const body = (await app.inject({ url: '/alive' })).json();
    expect(body.datasets.dataset_loader_test).toMatchObject({
      rows: 0,
      updated: null,
      last_error: { error_type: 'PLD_ERR_DATA_SOURCE_UNREACHABLE', error_message: expect.stringContaining('postgres://root:***@127.0.0.1:1/test') },
    });
    expect(body.datasets.dataset_loader_train).toBeUndefined();
    await app.close();
  });
});
