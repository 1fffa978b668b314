import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyExample, pld, startServer, type RunningServer } from './helpers.js';

/** Response and file bodies, checked field by field. */
type Json = any;
const alive = async (url: string): Promise<Json> => (await fetch(`${url}/alive`)).json();

/** Polls `/alive` until `check` passes or `ms` ran out; returns the last body. */
async function aliveUntil(url: string, ms: number, check: (body: Json) => boolean): Promise<Json> {
  const deadline = Date.now() + ms;
  let body = await alive(url);
  while (!check(body) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    body = await alive(url);
  }
  return body;
}

function withConfig(dir: string, change: (config: Json) => void): void {
  const file = path.join(dir, 'config.json');
  const config = JSON.parse(readFileSync(file, 'utf8'));
  change(config);
  writeFileSync(file, JSON.stringify(config, null, 2));
}

describe('pld serve with a CachedUpdatePersister (interval 1 s) over a File store', () => {
  let dir: string;
  let server: RunningServer;

  beforeAll(async () => {
    dir = copyExample();
    withConfig(dir, (config) => {
      config.model_persister = { __factory__: 'palladium.persistence.CachedUpdatePersister', impl: config.model_persister, update_cache_interval: 1 };
    });
    expect(pld(dir, ['fit']).status).toBe(0);
    server = await startServer(dir);
  });
  afterAll(async () => {
    expect(await server?.stop()).toBe(0);
  });

  it('shows the schedule in /alive and answers with version 1', async () => {
    const body = await alive(server.url);
    expect(body.model.metadata.version).toBe(1);
    expect(body.model_cache).toMatchObject({ schedule: 'every 1 s', version: 1, last_error: null });
    expect(server.logs()).toContain('Checking the active model version every 1 s');
  });

  it('swaps in a version fitted and activated by another process within interval + 1 s', async () => {
    expect(pld(dir, ['fit', '--no-activate']).status).toBe(0);
    expect(pld(dir, ['admin', 'activate', '2']).status).toBe(0);
    const activated = Date.now();
    const body = await aliveUntil(server.url, 2000, (b) => b.model?.metadata?.version === 2);
    expect(body.model.metadata.version).toBe(2);
    expect(Date.now() - activated).toBeLessThanOrEqual(2000);
    expect(server.logs()).toContain('Loaded model version 2 (was 1)');
    const predict = await fetch(`${server.url}/predict?sepal%20length=5.2&sepal%20width=3.5&petal%20length=1.5&petal%20width=0.2`);
    expect(((await predict.json()) as Json).result).toBe('Iris-setosa');
  });

  it('keeps serving the old version when the new artifact is corrupt, and shows the error in /alive', async () => {
    expect(pld(dir, ['fit', '--no-activate']).status).toBe(0);
    const file = path.join(dir, 'iris-model-3.json.gz');
    const bytes = readFileSync(file);
    bytes[bytes.length >> 1] ^= 0xff;
    writeFileSync(file, bytes);
    expect(pld(dir, ['admin', 'activate', '3']).status).toBe(0);
    const body = await aliveUntil(server.url, 2500, (b) => b.model_error !== undefined);
    expect(body.model.metadata.version).toBe(2);
    expect(body.model_error).toMatchObject({ error_type: 'PLD_ERR_PERSIST_CORRUPT' });
    expect(body.model_cache.last_error.error_message).toMatch(/Checksum mismatch for version 3/);
    expect(server.logs()).toMatch(/Cannot load model version 3: .*still serving version 2/);
    const forced = await fetch(`${server.url}/update-model-cache`, { method: 'POST' });
    expect(forced.status).toBe(503);
    expect(await forced.json()).toMatchObject({ status: 'error', version: 2, active: 3, metadata: { error_type: 'PLD_ERR_SERVER_MODEL_UPDATE_FAILED' } });
  });

  it('rolls back to the version before, which clears the error', async () => {
    const rollback = pld(dir, ['admin', 'rollback']);
    expect(rollback.status).toBe(0);
    expect(rollback.stdout).toContain('Active version: 2 (was 3).');
    const body = await aliveUntil(server.url, 2500, (b) => b.model_error === undefined);
    expect(body.model.metadata.version).toBe(2);
    const list = pld(dir, ['list', '--json']);
    const history = JSON.parse(list.stdout).history as Json[];
    expect(history.map((entry) => [entry.version, entry.previous, entry.via])).toEqual([
      [1, null, 'cli'],
      [2, 1, 'cli'],
      [3, 2, 'cli'],
      [2, 3, 'cli'],
    ]);
    expect(history[3].by).toMatch(/.+@.+/);
    expect(pld(dir, ['list']).stdout).toMatch(/History:\n.*version 1 by .* via cli\n.*version 2 \(was 1\)/);
  });
});

describe('POST /update-model-cache without a schedule', () => {
  it('picks up an activation at once and answers like Palladium with a job_id', async () => {
    const dir = copyExample();
    withConfig(dir, (config) => {
      config.model_persister = { __factory__: 'CachedUpdatePersister', impl: config.model_persister };
    });
    expect(pld(dir, ['fit']).status).toBe(0);
    expect(pld(dir, ['fit', '--no-activate']).status).toBe(0);
    const server = await startServer(dir);
    try {
      const unchanged = await fetch(`${server.url}/update-model-cache`, { method: 'POST' });
      expect(await unchanged.json()).toMatchObject({ job_id: expect.stringMatching(/^[0-9a-f-]{36}$/), status: 'finished', info: 'None', changed: false, version: 1 });
      expect(pld(dir, ['admin', 'activate', '2']).status).toBe(0);
      expect((await alive(server.url)).model.metadata.version).toBe(1);
      const update = await fetch(`${server.url}/update-model-cache`, { method: 'POST' });
      expect(update.status).toBe(200);
      expect(await update.json()).toMatchObject({ status: 'finished', changed: true, version: 2, previous: 1, info: 'DecisionTreeClassifier version 2' });
      expect((await alive(server.url)).model.metadata.version).toBe(2);
    } finally {
      expect(await server.stop()).toBe(0);
    }
  });

  it('is not mounted for a plain persister', async () => {
    const dir = copyExample();
    expect(pld(dir, ['fit']).status).toBe(0);
    const server = await startServer(dir);
    try {
      expect((await fetch(`${server.url}/update-model-cache`, { method: 'POST' })).status).toBe(404);
      expect((await alive(server.url)).model_cache).toBeUndefined();
    } finally {
      expect(await server.stop()).toBe(0);
    }
  });
});

describe('pld export and pld admin rollback', () => {
  it('copies the version given by --version between two File stores, activating unless --no-activate', () => {
    const dir = copyExample();
    withConfig(dir, (config) => {
      config.model_persister = { __factory__: 'CachedUpdatePersister', impl: config.model_persister, update_cache_interval: 60 };
      config.model_persister_export = { __factory__: 'File', path: 'exported/iris-{version}' };
    });
    expect(pld(dir, ['fit']).status).toBe(0);
    expect(pld(dir, ['fit', '--evaluate']).status).toBe(0);
    const first = pld(dir, ['export', '--version', '1', '--no-activate', '--json']);
    expect(first.status).toBe(0);
    expect(JSON.parse(first.stdout)).toEqual({ source: 1, version: 1, activated: false });
    expect(first.stderr).toContain('Exported model. New version number: 1');
    const second = pld(dir, ['export']);
    expect(second.status).toBe(0);
    expect(second.stderr).toContain('Exported model. New version number: 2');
    const exported = JSON.parse(readFileSync(path.join(dir, 'exported', 'iris-metadata.json'), 'utf8'));
    expect(exported.properties['active-model']).toBe('2');
    expect(exported.models.map((model: Json) => model.score_test === undefined)).toEqual([true, false]);
    expect(pld(dir, ['export', '--version', '9']).stderr).toContain('PLD_ERR_PERSIST_VERSION_NOT_FOUND');
  });

  it('refuses to roll back past the first activation', () => {
    const dir = copyExample();
    expect(pld(dir, ['fit']).status).toBe(0);
    const result = pld(dir, ['admin', 'rollback']);
    expect(result.status).toBe(6);
    expect(result.stderr).toContain('PLD_ERR_PERSIST_NO_ROLLBACK: Nothing to roll back to: no version was active before version 1');
  });
});
