import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { copyExample, pld } from './helpers.js';

const HAS_PYTHON = spawnSync('python3', ['--version']).status === 0;

describe('pld CLI on the iris example', () => {
  it('fits with evaluation, tests, lists, activates and deletes, like Palladium', () => {
    const dir = copyExample();
    const fitted = pld(dir, ['fit', '--evaluate']);
    expect(fitted.status, fitted.stderr).toBe(0);
    expect(fitted.stderr).toMatch(/INFO:palladium:Loading data\.\.\.\nINFO:palladium:Loading data done in \d+\.\d{3} sec\./);
    expect(fitted.stderr).toMatch(/Fitting model done in/);
    expect(fitted.stderr).toMatch(/Train score: 1\b/);
    expect(fitted.stderr).toMatch(/Test score: 0\.9\d*/);
    expect(fitted.stderr).toContain('Wrote model with version 1.');
    expect(existsSync(path.join(dir, 'iris-model-1.json.gz'))).toBe(true);
    const index = JSON.parse(readFileSync(path.join(dir, 'iris-model-metadata.json'), 'utf8'));
    expect(index.properties['active-model']).toBe('1');
    expect(index.models[0]).toMatchObject({ version: 1, score_train: 1, factory: 'DecisionTreeClassifier', data: { rows: 100 } });

    const tested = pld(dir, ['test']);
    expect(tested.status, tested.stderr).toBe(0);
    expect(tested.stderr).toContain('Loaded model version 1');
    expect(tested.stdout).toMatch(/^Score: accuracy: 0\.9\d*\n$/);

    expect(pld(dir, ['fit', '--no-activate']).status).toBe(0);
    const listed = pld(dir, ['list', '--json']);
    const { models, properties } = JSON.parse(listed.stdout);
    expect(models.map((model: { version: number }) => model.version)).toEqual([1, 2]);
    expect(properties['active-model']).toBe('1');
    expect(pld(dir, ['list']).stdout).toMatch(/^Models:\n[\s\S]*\nProperties:\n[\s\S]*"active-model": "1"/);

    const activated = pld(dir, ['admin', 'activate', '2']);
    expect(activated.status, activated.stderr).toBe(0);
    expect(activated.stderr).toContain('Activated model with version 2.');
    expect(pld(dir, ['admin', 'activate', '1']).status).toBe(0);
    const deleted = pld(dir, ['admin', 'delete', '2']);
    expect(deleted.status, deleted.stderr).toBe(0);
    expect(deleted.stderr).toContain('Deleted model with version 2.');
    expect(existsSync(path.join(dir, 'iris-model-2.json.gz'))).toBe(false);
    expect(JSON.parse(pld(dir, ['test', '--json', '--model-version', '1']).stdout)).toMatchObject({ version: 1, scores: [{ name: 'accuracy' }] });
  });

  it("installs Palladium's command names: pld-fit, pld-test, pld-list, pld-admin, pld-version", () => {
    const dir = copyExample();
    expect(pld(dir, [], { bin: 'pld-fit' }).status).toBe(0);
    expect(pld(dir, [], { bin: 'pld-test' }).stdout).toMatch(/^Score: accuracy/);
    expect(pld(dir, [], { bin: 'pld-list' }).stdout).toMatch(/^Models:/);
    expect(pld(dir, ['activate', '1'], { bin: 'pld-admin' }).status).toBe(0);
    const version = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')).version;
    expect(pld(dir, [], { bin: 'pld-version' }).stdout).toBe(`${version}\n`);
    expect(pld(dir, ['version']).stdout).toBe(`${version}\n`);
  });

  it('stores nothing with --no-save, and nothing below --save-if-better-than', () => {
    const dir = copyExample();
    expect(pld(dir, ['fit', '--no-save']).status).toBe(0);
    expect(existsSync(path.join(dir, 'iris-model-metadata.json'))).toBe(false);
    const picky = pld(dir, ['fit', '--save-if-better-than', '0.9999']);
    expect(picky.status, picky.stderr).toBe(0);
    expect(picky.stderr).toMatch(/Not persisting model that has a test score 0\.9\d* < 0\.9999/);
    expect(existsSync(path.join(dir, 'iris-model-1.json.gz'))).toBe(false);
  });

  it.each([
    ['config.yaml', false],
    ['config.py', true],
  ])('loads %s to the same model as config.json', (file, needsPython) => {
    if (needsPython && !HAS_PYTHON) return; // Palladium config.py needs python3; this machine has none
    const dir = copyExample();
    const fitted = pld(dir, ['fit', '--evaluate', '--json'], { env: { PALLADIUM_CONFIG: file } });
    expect(fitted.status, fitted.stderr).toBe(0);
    const viaJson = pld(copyExample(), ['fit', '--evaluate', '--json']);
    const a = JSON.parse(fitted.stdout);
    const b = JSON.parse(viaJson.stdout);
    expect(a.metadata.data.hash).toBe(b.metadata.data.hash);
    expect(a.metadata.params).toEqual(b.metadata.params);
    expect(a.scoresTest).toEqual(b.scoresTest);
  });

  it('loads the TypeScript config (defineConfig from the package) to the same config as config.json', async () => {
    const { loadConfig, createRegistry } = await import('../../dist/index.js');
    const dir = new URL('../../examples/iris/', import.meta.url).pathname;
    const viaTs = await loadConfig({ config: 'config.ts', cwd: dir, registry: createRegistry(), env: {} });
    const viaJson = await loadConfig({ config: 'config.json', cwd: dir, registry: createRegistry(), env: {} });
    expect(viaTs.data).toEqual(viaJson.data);
  });
});

describe('pld CLI errors', () => {
  function withConfig(mutate: (config: Record<string, any>) => void): string {
    const dir = copyExample();
    const file = path.join(dir, 'config.json');
    const config = JSON.parse(readFileSync(file, 'utf8'));
    mutate(config);
    writeFileSync(file, JSON.stringify(config));
    return dir;
  }

  it.each([
    [
      'an unknown __factory__',
      (c: Record<string, any>) => (c.model.__factory__ = 'sklearn.tree.DecisionTreeClassifer'),
      'PLD_ERR_CONFIG_UNKNOWN_FACTORY',
      /config\.json: model\.__factory__: unknown component 'sklearn\.tree\.DecisionTreeClassifer'\. Did you mean/,
      3,
    ],
    ['a missing required key', (c: Record<string, any>) => delete c.dataset_loader_train, 'PLD_ERR_CONFIG_MISSING_KEY', /'dataset_loader_train' was not found/, 3],
    [
      'a wrong parameter type',
      (c: Record<string, any>) => (c.model.min_samples_leaf = 'one'),
      'PLD_ERR_CONFIG_INVALID_PARAM',
      /config\.json: DecisionTreeClassifier: model\.min_samples_leaf: .*got "one"/,
      3,
    ],
    ['a missing data file', (c: Record<string, any>) => (c.dataset_loader_train.path = 'nope.data'), 'PLD_ERR_DATA_FILE_NOT_FOUND', /dataset_loader_train\.path: .*nope\.data/, 4],
    ['a persister path without {version}', (c: Record<string, any>) => (c.model_persister.path = 'iris-model'), 'PLD_ERR_PERSIST_BAD_PATH', /\{version\}/, 6],
  ])('fails on %s before any work, naming file and key, with a non-zero exit', (_name, mutate, code, message, exit) => {
    const dir = withConfig(mutate);
    const result = pld(dir, ['fit']);
    expect(result.status).toBe(exit);
    expect(result.stderr).toContain(`ERROR ${code}:`);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).not.toContain('Loading data');
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('reports malformed config files, a missing config, unknown versions and bad arguments', () => {
    const dir = copyExample();
    writeFileSync(path.join(dir, 'broken.json'), '{"model": }');
    expect(pld(dir, ['fit'], { env: { PALLADIUM_CONFIG: 'broken.json' } }).stderr).toMatch(/PLD_ERR_CONFIG_PARSE: .*broken\.json: invalid JSON/);
    expect(pld(dir, ['list'], { env: { PALLADIUM_CONFIG: 'missing.json' } })).toMatchObject({
      status: 3,
      stderr: expect.stringMatching(/PLD_ERR_CONFIG_NOT_FOUND.*missing\.json/),
    });
    expect(pld(dir, ['admin', 'activate', '9'])).toMatchObject({ status: 6, stderr: expect.stringMatching(/PLD_ERR_PERSIST_VERSION_NOT_FOUND/) });
    expect(pld(dir, ['admin', 'activate', 'x'])).toMatchObject({
      status: 2,
      stderr: expect.stringMatching(/PLD_ERR_PERSIST_BAD_VERSION: version must be a positive integer, got "x"/),
    });
    expect(pld(dir, ['test'])).toMatchObject({ status: 6, stderr: expect.stringMatching(/PLD_ERR_PERSIST_NO_ACTIVE_MODEL/) });
    expect(pld(dir, ['fit', '--bogus'])).toMatchObject({ status: 2, stderr: expect.stringMatching(/PLD_ERR_CLI_USAGE: unknown option '--bogus'/) });
    expect(pld(dir, ['frobnicate'])).toMatchObject({ status: 2 });
    expect(pld(dir, ['fit', '--save-if-better-than', 'high'])).toMatchObject({ status: 2, stderr: expect.stringMatching(/must be a number/) });
    const json = pld(dir, ['test', '--json']);
    expect(JSON.parse(json.stdout)).toMatchObject({ error: { code: 'PLD_ERR_PERSIST_NO_ACTIVE_MODEL' } });
  });
});
