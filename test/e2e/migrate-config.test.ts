import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { pld } from './helpers.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const IRIS = fileURLToPath(new URL('../../examples/iris/iris.data', import.meta.url));
const python = process.env.PALLADIUM_PYTHON ?? 'python3';
const hasPython = spawnSync(python, ['--version']).status === 0;
const needsPython = hasPython ? '' : ` (skipped: ${python} is not installed, and config.py needs it)`;

// Everything Palladium users write: `!` and dotted names, tuples, `here` paths, `environ[...]` and
// `environ.get(...)` (with a `{version}` template as default), `__copy__` with overrides, computed values.
const PALLADIUM_CONFIG = `# A Palladium config.py
{
    'dataset_loader_train': {
        '!': 'palladium.dataset.Table',
        'path': '{}/iris.data'.format(here),
        'names': ('sepal length', 'sepal width', 'petal length', 'petal width', 'species'),
        'target_column': 'species',
        'sep': ',',
        'nrows': 100,
    },
    'dataset_loader_test': {'__copy__': 'dataset_loader_train', 'nrows': None, 'skiprows': 100},
    'model': {'__factory__': 'sklearn.tree.DecisionTreeClassifier', 'min_samples_leaf': int('2') + 1},
    'model_persister': {
        '__factory__': 'palladium.persistence.File',
        'path': environ.get('IRIS_MODEL_PATH', here + '/model-{version}'),
    },
    'predict_service': {
        '__factory__': 'palladium.server.PredictService',
        'mapping': [('sepal length', 'float'), ('sepal width', 'float'), ('petal length', 'float'), ('petal width', 'float')],
    },
    'service_metadata': {'service_name': environ['SERVICE_NAME'], 'service_version': '0.1'},
}
`;

describe('pld migrate-config', () => {
  it(`turns a Palladium config.py into JSON and TypeScript configs that fit the same model${needsPython}`, { skip: !hasPython, timeout: 120_000 }, () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'pld-migrate-'));
    mkdirSync(path.join(dir, 'legacy'));
    mkdirSync(path.join(dir, 'etc'));
    cpSync(IRIS, path.join(dir, 'legacy', 'iris.data'));
    writeFileSync(path.join(dir, 'legacy', 'config.py'), PALLADIUM_CONFIG);
    mkdirSync(path.join(dir, 'node_modules'));
    symlinkSync(ROOT, path.join(dir, 'node_modules', 'palladium-ts'));
    const env = { SERVICE_NAME: 'iris-svc' };

    const json = pld(dir, ['migrate-config', 'legacy/config.py', '--out', 'palladium-config.json', '--json'], { env });
    expect(json.status, json.stderr).toBe(0);
    const report = JSON.parse(json.stdout);
    expect(report.unsupported).toEqual([]);
    const migrated = JSON.parse(readFileSync(path.join(dir, 'palladium-config.json'), 'utf8'));
    expect(migrated.dataset_loader_train).toMatchObject({
      __factory__: 'Table',
      path: 'legacy/iris.data',
      names: ['sepal length', 'sepal width', 'petal length', 'petal width', 'species'],
    });
    expect(migrated.dataset_loader_test).toEqual({ __copy__: 'dataset_loader_train', nrows: null, skiprows: 100 });
    expect(migrated.model).toEqual({ __factory__: 'DecisionTreeClassifier', min_samples_leaf: 3 });
    expect(migrated.model_persister.path).toBe('${IRIS_MODEL_PATH:-legacy/model-{version}}');
    expect(migrated.service_metadata.service_name).toBe('${SERVICE_NAME}');
    expect(migrated.predict_service.mapping[0]).toEqual(['sepal length', 'float']);
    const kinds = new Set(report.changes.map((change: { kind: string }) => change.kind));
    expect([...kinds].sort()).toEqual(['bang', 'copy', 'env', 'factory', 'here', 'tuple']);
    expect(report.changes).toContainEqual({ path: 'service_metadata.service_name', kind: 'env', detail: "environ['SERVICE_NAME'] -> ${SERVICE_NAME}" });
    expect(report.changes).toContainEqual({ path: 'dataset_loader_train.__factory__', kind: 'factory', detail: "'palladium.dataset.Table' -> 'Table'" });

    // Human output; the TypeScript file lives in etc/, so its paths climb one folder.
    const ts = pld(dir, ['migrate-config', 'legacy/config.py', '-o', 'etc/palladium-config.ts'], { env });
    expect(ts.status, ts.stderr).toBe(0);
    expect(ts.stdout).toMatch(/factory +model\.__factory__: 'sklearn\.tree\.DecisionTreeClassifier' -> 'DecisionTreeClassifier'/);
    expect(ts.stdout).toContain('0 unsupported entries');
    const tsText = readFileSync(path.join(dir, 'etc', 'palladium-config.ts'), 'utf8');
    expect(tsText).toContain("import { defineConfig } from 'palladium-ts';");
    expect(tsText).toContain('"path": "../legacy/iris.data"');

    // Fit with each: all three write into legacy/model-{version} (versions 1, 2, 3 of one store), and
    // store the same metadata apart from times and the artifact checksum (which covers the timestamp).
    const fits = ['legacy/config.py', 'palladium-config.json', 'etc/palladium-config.ts'].map((config) => {
      const fitted = pld(dir, ['fit', '--evaluate', '--json', '--config', config], { env });
      expect(fitted.status, `${config}: ${fitted.stdout}${fitted.stderr}`).toBe(0);
      return JSON.parse(fitted.stdout) as { version: number; metadata: Record<string, unknown> };
    });
    expect(fits.map((fit) => fit.version)).toEqual([1, 2, 3]);
    expect(fits[0].metadata.score_test).toBeTypeOf('number');
    expect(fits[0].metadata.params).toMatchObject({ min_samples_leaf: 3 });
    for (const fit of fits.slice(1)) expect(_comparable(fit.metadata)).toEqual(_comparable(fits[0].metadata));

    // The same predictions through each config's predict service.
    const input =
      '{"sepal length": 5.2, "sepal width": 3.5, "petal length": 1.5, "petal width": 0.2}\n{"sepal length": 6.7, "sepal width": 3.0, "petal length": 5.2, "petal width": 2.3}\n';
    const predictions = ['legacy/config.py', 'etc/palladium-config.ts'].map((config) => {
      const run = spawnSync(process.execPath, [path.join(ROOT, 'dist/cli/bin.js'), 'stream', '--config', config], {
        cwd: dir,
        input,
        encoding: 'utf8',
        env: { ...process.env, ...env, NO_COLOR: '1' },
      });
      expect(run.status, run.stderr).toBe(0);
      return run.stdout;
    });
    expect(predictions[0]).toMatch(/setosa[\s\S]*virginica/);
    expect(predictions[1]).toBe(predictions[0]);
  });

  it(`lists what cannot be migrated with its key path, and keeps aliases on request${needsPython}`, { skip: !hasPython, timeout: 120_000 }, () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'pld-migrate-'));
    writeFileSync(
      path.join(dir, 'config.py'),
      `{
    'model': {'__factory__': 'mycompany.models.MagicClassifier', 'alpha': 1},
    'scoring': lambda model, X, y: 1.0,
    'grid_search': {'param_grid': {'C': [1, float('nan')]}, 'cv': (3 if 'X' in environ else 5)},
    'model_persister': {'__factory__': 'palladium.persistence.Database', 'url': 'sqlite:///{}/models.db'.format(here)},
    'server': {'port': environ.get('PORT', 5000), 'banner': 'costs \${price}'},
    '__python__': "C['x'] = 1",
}
`,
    );
    const run = pld(dir, ['migrate-config', 'config.py', '--json', '--keep-aliases']);
    expect(run.status, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout);
    const unsupported = Object.fromEntries(report.unsupported.map((entry: { path: string; reason: string; source?: string }) => [entry.path, entry]));
    expect(Object.keys(unsupported).sort()).toEqual(['__python__', 'grid_search.cv', 'grid_search.param_grid.C.1', 'model.__factory__', 'scoring']);
    expect(unsupported['model.__factory__'].reason).toContain("unknown factory 'mycompany.models.MagicClassifier'");
    expect(unsupported.scoring.reason).toMatch(/function value .* is not a literal/);
    expect(unsupported.scoring.source).toBe('lambda model, X, y: 1.0');
    expect(unsupported['grid_search.cv'].reason).toContain("'in environ' cannot be translated");
    expect(report.config.scoring).toBeUndefined();
    expect(report.config.grid_search.param_grid.C).toEqual([1, null]);
    expect(report.config.model_persister.__factory__).toBe('palladium.persistence.Database');
    expect(report.config.model_persister.url).toBe(`sqlite:///${dir}/models.db`);
    expect(report.config.server).toEqual({ port: '${PORT:-5000}', banner: 'costs $${price}' });
    const kinds = report.changes.map((change: { path: string; kind: string }) => `${change.path} ${change.kind}`);
    expect(kinds).toEqual(expect.arrayContaining(['server.port env-default-type', 'server.banner dollar', 'model_persister.__factory__ alias-kept', 'model_persister.url here']));

    // Without --out: the config on stdout (usable as a file), the report on stderr.
    const plain = pld(dir, ['migrate-config', 'config.py']);
    expect(JSON.parse(plain.stdout).model.alpha).toBe(1);
    expect(plain.stderr).toMatch(/UNSUPPORTED +scoring: .*\n +lambda model, X, y: 1\.0/);
    expect(plain.stderr).toContain('5 unsupported entries (fix them by hand)');
  });

  it(`never overwrites --out without --force; rejects other extensions${needsPython}`, { skip: !hasPython, timeout: 120_000 }, () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'pld-migrate-'));
    writeFileSync(path.join(dir, 'config.py'), "{'model': {'__factory__': 'sklearn.linear_model.LogisticRegression'}}\n");
    writeFileSync(path.join(dir, 'out.json'), '{"mine": true}');
    const refused = pld(dir, ['migrate-config', 'config.py', '-o', 'out.json']);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain('PLD_ERR_MIGRATE_OUT_EXISTS');
    expect(readFileSync(path.join(dir, 'out.json'), 'utf8')).toBe('{"mine": true}');
    expect(pld(dir, ['migrate-config', 'config.py', '-o', 'out.json', '--force']).status).toBe(0);
    expect(JSON.parse(readFileSync(path.join(dir, 'out.json'), 'utf8')).model.__factory__).toBe('LogisticRegression');
    expect(pld(dir, ['migrate-config', 'config.py', '-o', 'out.yaml']).stderr).toContain('--out must end in .json or .ts, got');
  });
});

function _comparable(metadata: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(metadata).filter(([key]) => key !== 'checksum' && !/time|duration|seconds/.test(key)));
}
