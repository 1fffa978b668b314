import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, realpath, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sampleArtifact } from '../../test/contracts/persister.js';
import { createFilePersister } from './file.js';
import { fsStorage } from './storage/fs.js';
import type { Version } from './types.js';

const run = promisify(execFile);
const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pld-file-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('File persister layout', () => {
  it('writes Palladium-style file names and an indented JSON index', async () => {
    const persister = createFilePersister({ path: 'models/iris-{version}' }, { baseDir: dir });
    await persister.write(sampleArtifact());
    await persister.write(sampleArtifact());
    await persister.activate(1 as Version);
    expect((await readdir(join(dir, 'models'))).sort()).toEqual(['iris-1.json.gz', 'iris-2.json.gz', 'iris-metadata.json']);
    const text = await readFile(join(dir, 'models/iris-metadata.json'), 'utf8');
    expect(text).toContain('\n    "models": [\n');
    const index = JSON.parse(text);
    expect(Object.keys(index)).toEqual(['models', 'properties', 'history']);
    expect(index.properties).toEqual({ 'db-version': '1', 'last-version': '2', 'active-model': '1' });
    expect(index.models[0]).toMatchObject({ version: 1, score_train: 0.93, checksum: expect.stringMatching(/^[0-9a-f]{64}$/), size: expect.any(Number) });
    expect(index.history).toEqual([{ version: 1, previous: null, at: expect.any(String) }]);
  });

  it('requires a {version} placeholder with Palladium hint', () => {
    expect(() => createFilePersister({ path: 'model.json' }, { baseDir: dir, keyPath: 'model_persister' })).toThrow(
      expect.objectContaining({
        code: 'PLD_ERR_PERSIST_BAD_PATH',
        message: expect.stringContaining('model_persister.path: Your file persister path must have a {version} placeholder, e.g. model-{version}'),
      }),
    );
  });

  it('leaves no temp or lock files behind and removes deleted versions', async () => {
    const persister = createFilePersister({ path: join(dir, 'm-{version}') });
    await Promise.all([persister.write(sampleArtifact()), persister.write(sampleArtifact()), persister.write(sampleArtifact())]);
    await persister.delete(2 as Version);
    expect((await readdir(dir)).sort()).toEqual(['m-1.json.gz', 'm-3.json.gz', 'm-metadata.json']);
  });

  it('reports a corrupt index and a listed version whose file is gone', async () => {
    const persister = createFilePersister({ path: 'm-{version}' }, { baseDir: dir });
    const version = await persister.write(sampleArtifact());
    await rm(join(dir, 'm-1.json.gz'));
    await expect(persister.read(version)).rejects.toMatchObject({ code: 'PLD_ERR_PERSIST_VERSION_NOT_FOUND' });
    await persister.activate(version);
    await expect(persister.read()).rejects.toMatchObject({ message: 'Activated model not available. Maybe it was deleted.' });
    await writeFile(join(dir, 'm-metadata.json'), '{"models": [');
    await expect(persister.listModels()).rejects.toMatchObject({ code: 'PLD_ERR_PERSIST_CORRUPT', message: expect.stringContaining(join(dir, 'm-{version}')) });
  });

  it('upgrades a legacy list-only index and activates its last model', async () => {
    await writeFile(join(dir, 'm-metadata.json'), JSON.stringify([{ version: 1 }, { version: 2, score_train: 0.9 }]));
    const persister = createFilePersister({ path: 'm-{version}' }, { baseDir: dir });
    await expect(persister.listModels()).rejects.toMatchObject({ code: 'PLD_ERR_PERSIST_CORRUPT', message: expect.stringContaining('pld upgrade') });
    expect(await persister.upgrade()).toEqual(['legacy-list-to-object']);
    expect(await persister.listProperties()).toMatchObject({ 'active-model': '2', 'db-version': '1' });
    expect(await persister.upgrade()).toEqual([]);
    expect(await persister.write(sampleArtifact())).toBe(3);
  });
});

describe('fsStorage lock', () => {
  it('times out with PLD_ERR_PERSIST_LOCKED while a live process holds the lock', async () => {
    const lockPath = join(dir, 'x.lock');
    await writeFile(lockPath, `${process.pid}\nsomeone-else\n`);
    const storage = fsStorage({ pathFor: (key) => join(dir, key), lockPath, lockTimeoutMs: 200 });
    await expect(storage.withLock(async () => 1)).rejects.toMatchObject({ code: 'PLD_ERR_PERSIST_LOCKED', message: expect.stringContaining(`pid ${process.pid}`) });
  });

  it('recovers a lock left by a dead process', async () => {
    const lockPath = join(dir, 'x.lock');
    const { stdout } = await run(process.execPath, ['-e', 'console.log(process.pid)']);
    await writeFile(lockPath, `${stdout.trim()}\nleftover\n`);
    const storage = fsStorage({ pathFor: (key) => join(dir, key), lockPath, lockTimeoutMs: 1000 });
    expect(await storage.withLock(async () => 'ran')).toBe('ran');
    expect(await readdir(dir)).toEqual([]);
  });
});

describe('File persister across processes', () => {
  let build: string | undefined;
  afterAll(async () => {
    if (build) await rm(build, { recursive: true, force: true });
  });

  it('gives concurrent writers in 3 processes distinct versions', { timeout: 120_000 }, async () => {
    // Children need plain JS: compile the real sources once, and let them resolve zod via a symlink.
    build = await mkdtemp(join(tmpdir(), 'pld-build-'));
    await run(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(root, 'tsconfig.build.json'), '--outDir', join(build, 'dist')], { cwd: root }).catch(
      (error) => {
        // Type errors elsewhere in src still emit; only a missing output is fatal.
        if (!String(error.stdout).includes('error TS')) throw error;
      },
    );
    await symlink(await realpath(join(root, 'node_modules')), join(build, 'node_modules'), 'dir');
    const script = join(build, 'writer.mjs');
    await writeFile(
      script,
      `import { createFilePersister } from './dist/persistence/file.js';
const persister = createFilePersister({ path: process.argv[2] });
const versions = [];
for (let i = 0; i < 5; i += 1) versions.push(await persister.write({ format: 'palladium-ts/model@1', factory: 'X', params: {}, state: { pid: process.pid, w: new Float64Array([i]) }, metadata: { writer: process.pid } }));
console.log(JSON.stringify(versions));
`,
    );
    const path = join(dir, 'model-{version}');
    const outputs = await Promise.all([1, 2, 3].map(() => run(process.execPath, [script, path], { cwd: build })));
    const versions = outputs.flatMap(({ stdout }) => JSON.parse(stdout) as number[]).sort((a, b) => a - b);
    expect(versions).toEqual(Array.from({ length: 15 }, (_, i) => i + 1));
    const persister = createFilePersister({ path });
    expect((await persister.listModels()).map((model) => model.version)).toEqual(versions);
    for (const version of versions) expect((await persister.read(version as Version)).metadata.version).toBe(version);
    expect((await readdir(dir)).filter((name) => name.includes('.tmp-') || name.endsWith('.lock'))).toEqual([]);
  });
});
