import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRegistry } from '../../src/config/builtins.js';
import { configFromObject } from '../../src/config/config.js';
import { createRestPersister } from '../../src/persistence/rest.js';
import { isModelPersister, type ModelPersister, type Version } from '../../src/persistence/types.js';
import { startRestServer, type RestServer } from '../support/rest-server.js';
import { sampleArtifact, testPersister } from './persister.js';

const BASIC = { username: 'deploy', password: 's3cret' };
let server: RestServer;
let store = 0;
beforeAll(async () => {
  server = await startRestServer({ auth: BASIC });
});
afterAll(async () => {
  await server.close();
});

testPersister('Rest (Basic auth, ETags)', async () => {
  const base = `${server.url}/store-${++store}/model-{version}`;
  return {
    persister: createRestPersister({ url: base, auth: BASIC, timeout: 5 }),
    corrupt: async (version) => {
      const bytes = server.files.get(`/store-${store}/model-${version}.json.gz`)!;
      bytes[bytes.length >> 1] ^= 0xff;
    },
  };
});

describe('Rest persister', () => {
  it('gives two independent writers (two processes) 10 distinct, readable versions through If-Match', async () => {
    const url = `${server.url}/shared/model-{version}`;
    const a = createRestPersister({ url, auth: BASIC, timeout: 5 });
    const b = createRestPersister({ url, auth: BASIC, timeout: 5 });
    const versions = await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 === 0 ? a : b).write(sampleArtifact({ score_train: i }))));
    expect([...versions].sort((x, y) => x - y)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect((await a.listModels()).map((model) => model.version)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    for (const [i, version] of versions.entries()) expect((await b.read(version)).metadata.score_train).toBe(i);
    expect(server.requests.some((line) => line.startsWith('PUT /shared/model-metadata.json'))).toBe(true);
  });

  it('writes over an artifact a crashed writer left behind', async () => {
    const url = `${server.url}/orphan/model-{version}`;
    server.files.set('/orphan/model-1.json.gz', new Uint8Array([1, 2, 3]));
    const persister = createRestPersister({ url, auth: BASIC, timeout: 5 });
    const version = await persister.write(sampleArtifact());
    expect(version).toBe(1);
    expect((await persister.read(version)).metadata.version).toBe(1);
  });

  it.each([
    ['wrong Basic credentials', { username: 'deploy', password: 'nope' }],
    ['a Bearer token where Basic is needed', { token: 'abc' }],
    ['no credentials', undefined],
  ])('names the URL and the status on %s', async (_name, auth) => {
    const persister = createRestPersister({ url: `${server.url}/auth/model-{version}`, auth, timeout: 5 });
    const error = await persister.listModels().catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'PLD_ERR_PERSIST_HTTP_AUTH', message: expect.stringContaining(`${server.url}/auth/model-metadata.json`) });
    expect((error as Error).message).toContain('HTTP 401');
  });

  it('accepts a Bearer token', async () => {
    const bearer = await startRestServer({ auth: { token: 'tok-1' } });
    try {
      const persister = createRestPersister({ url: `${bearer.url}/m/model-{version}`, auth: { token: 'tok-1' }, timeout: 5 });
      await persister.activate(await persister.write(sampleArtifact()));
      expect((await persister.read()).metadata.version).toBe(1);
    } finally {
      await bearer.close();
    }
  });

  it('reports 5xx and an unreachable server with the URL', async () => {
    const persister = createRestPersister({ url: `${server.url}/down/model-{version}`, auth: BASIC, timeout: 5 });
    server.failWith = 503;
    try {
      await expect(persister.write(sampleArtifact())).rejects.toMatchObject({ code: 'PLD_ERR_PERSIST_HTTP_STATUS', message: /HTTP 503: repository is down/ });
    } finally {
      server.failWith = undefined;
    }
    const gone = createRestPersister({ url: 'http://127.0.0.1:1/x/model-{version}', timeout: 2 });
    await expect(gone.read(1 as Version)).rejects.toMatchObject({
      code: 'PLD_ERR_PERSIST_HTTP_UNREACHABLE',
      message: /GET http:\/\/127\.0\.0\.1:1\/x\/model-metadata\.json failed/,
    });
  });

  it('works against a server without ETags (in-process locking only)', async () => {
    const plain = await startRestServer({ etags: false });
    try {
      const persister = createRestPersister({ url: `${plain.url}/m/model-{version}`, timeout: 5 });
      const versions = await Promise.all(Array.from({ length: 5 }, () => persister.write(sampleArtifact())));
      expect([...versions].sort()).toEqual([1, 2, 3, 4, 5]);
    } finally {
      await plain.close();
    }
  });

  it('is built from the config with ${ENV} credentials and Palladium auth tuples', async () => {
    const make = (auth: unknown) =>
      configFromObject(
        { model_persister: { __factory__: 'palladium.persistence.Rest', url: `${server.url}/cfg/model-{version}`, auth } },
        createRegistry(),
      ).component<ModelPersister>('model_persister', 'persister', isModelPersister);
    expect(await (await make(['deploy', 's3cret'])).listModels()).toEqual([]);
    await expect(make({ user: 'x' })).rejects.toMatchObject({ code: 'PLD_ERR_CONFIG_INVALID_PARAM', message: /model_persister\.auth/ });
    await expect(
      configFromObject({ model_persister: { __factory__: 'Rest', url: `${server.url}/no-placeholder` } }, createRegistry()).component(
        'model_persister',
        'persister',
        isModelPersister,
      ),
    ).rejects.toMatchObject({ code: 'PLD_ERR_PERSIST_BAD_PATH', message: /model_persister\.url/ });
  });
});
