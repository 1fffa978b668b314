import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createRegistry } from '../config/builtins.js';
import { configFromObject } from '../config/config.js';
import { silentLogger } from '../logging.js';
import { createServer } from '../server/app.js';
import { createContext } from './context.js';
import { fit } from './fit.js';
import { numericDifference, sameOutput } from './replay-compare.js';
import { replay } from './replay.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const QUERY = 'sepal%20length=6.3&sepal%20width=3.3&petal%20length=6&petal%20width=2.5';

function project(template: 'examples/iris' | 'templates/regression', files: string[], extra: Record<string, unknown> = {}) {
  const dir = mkdtempSync(path.join(tmpdir(), 'pld-replay-'));
  for (const file of files) cpSync(path.join(ROOT, template, file), path.join(dir, file));
  const base = JSON.parse(readFileSync(path.join(ROOT, template, 'config.json'), 'utf8')) as Record<string, unknown>;
  const data = { ...base, model_persister: { __factory__: 'File', path: path.join(dir, 'model-{version}') }, ...extra };
  const context = (overrides: Record<string, unknown> = {}) => createContext(configFromObject({ ...data, ...overrides }, createRegistry(), dir), silentLogger);
  return { dir, context };
}

describe('sameOutput / numericDifference', () => {
  it('compares numbers within the tolerance, lists element-wise, labels exactly', () => {
    expect(sameOutput(1, 1 + 1e-10, 1e-9)).toBe(true);
    expect(sameOutput(1, 1 + 1e-6, 1e-9)).toBe(false);
    expect(sameOutput([0.2, 0.8], [0.2, 0.8 + 1e-12], 1e-9)).toBe(true);
    expect(sameOutput([0.2, 0.8], [0.2], 1)).toBe(false);
    expect(sameOutput('setosa', 'setosa', 0)).toBe(true);
    expect(sameOutput('1', 1, 1)).toBe(false);
    expect(numericDifference([0.1, 0.9], [0.3, 0.7])).toBeCloseTo(0.2);
    expect(numericDifference('a', 'b')).toBeUndefined();
  });
});

describe('replay', () => {
  it('finds no difference against the version that answered and reports the differences of another version', async () => {
    const { dir, context } = project('examples/iris', ['iris.data'], {
      prediction_log: { sink: { __factory__: 'SqlSink', url: 'sqlite:predictions.db' } },
    });
    await fit(context(), {});
    const { app } = await createServer(context());
    await app.inject({ url: `/predict?${QUERY}` });
    const rows = readFileSync(path.join(dir, 'iris.data'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => line.split(','))
      .map(([a, b, c, d]) => ({ 'sepal length': Number(a), 'sepal width': Number(b), 'petal length': Number(c), 'petal width': Number(d) }));
    for (let i = 0; i < rows.length; i += 10) await app.inject({ method: 'POST', url: '/predict', payload: rows.slice(i, i + 10) });
    await app.close();

    // No log named: the config's SqlSink is read back.
    const same = await replay(context(), {});
    expect(same).toMatchObject({ records: 16, compared: 151, differing: 0, failed: 0, agreement: 1, logged_versions: { 1: 151 }, replayed_versions: { 1: 151 }, examples: [] });

    await fit(context({ model: { __factory__: 'DecisionTreeClassifier', max_depth: 1 } }), { activate: false });
    const other = await replay(context(), { log: 'sqlite:predictions.db', cwd: dir, version: 2 as never, examples: 2 });
    expect(other.differing).toBeGreaterThan(10);
    expect(other.agreement).toBeCloseTo((151 - other.differing) / 151);
    expect(other.examples).toHaveLength(2);
    expect(other.examples[0]).toMatchObject({ logged_version: 1, entry_point: '/predict' });
    expect(other.examples[0].logged).not.toEqual(other.examples[0].replayed);
    expect(other.replayed_versions).toEqual({ 2: 151 });

    const limited = await replay(context(), { log: `sqlite:${path.join(dir, 'predictions.db')}`, limit: 1 });
    expect(limited).toMatchObject({ records: 1, compared: 1 });
    await expect(replay(context(), { model: 'other' })).rejects.toMatchObject({ code: 'PLD_ERR_PREDLOG_EMPTY' });
    await expect(replay(context(), { version: 7 as never })).rejects.toMatchObject({ code: 'PLD_ERR_PERSIST_VERSION_NOT_FOUND' });
  });

  it('compares regression values within --tolerance and reports the numeric difference', async () => {
    const { dir, context } = project('templates/regression', ['diabetes-train.csv', 'diabetes-test.csv']);
    const result = await fit(context(), {});
    const { app } = await createServer(context({ prediction_log: { sink: { __factory__: 'JsonLinesSink', path: 'p.jsonl' } } }));
    const sample = { age: 0.03, sex: 0.05, bmi: 0.06, bp: 0.02, s1: -0.04, s2: -0.03, s3: -0.04, s4: 0, s5: 0.02, s6: 0 };
    await app.inject({ method: 'POST', url: '/predict', payload: [sample, { ...sample, bmi: -0.05 }] });
    await app.close();
    const [line] = readFileSync(path.join(dir, 'p.jsonl'), 'utf8').trim().split('\n');
    const record = JSON.parse(line);
    expect(record.version).toBe(result.version);
    // The same record as if an older model had answered 1e-7 higher.
    writeFileSync(path.join(dir, 'shifted.jsonl'), `${JSON.stringify({ ...record, outputs: record.outputs.map((v: number) => v + 1e-7) })}\n`);
    const strict = await replay(context(), { log: 'shifted.jsonl', cwd: dir });
    expect(strict).toMatchObject({ compared: 2, differing: 2 });
    expect(strict.max_abs_diff).toBeCloseTo(1e-7, 12);
    const tolerant = await replay(context(), { log: path.join(dir, 'shifted.jsonl'), tolerance: 1e-6 });
    expect(tolerant).toMatchObject({ compared: 2, differing: 0, agreement: 1 });
  });

  it('names a record whose entry point this config does not serve', async () => {
    const { dir, context } = project('examples/iris', ['iris.data']);
    await fit(context(), {});
    const record = { ts: 't', request_id: 'r', model: 'default', version: 1, entry_point: '/gone', latency_ms: 1, output: 'predict', inputs: [{ x: 1 }], outputs: ['a'] };
    writeFileSync(path.join(dir, 'log.jsonl'), `${JSON.stringify(record)}\n`);
    await expect(replay(context(), { log: path.join(dir, 'log.jsonl') })).rejects.toMatchObject({
      code: 'PLD_ERR_REPLAY_UNKNOWN_ENTRY_POINT',
      message: expect.stringContaining('/gone'),
    });
    writeFileSync(path.join(dir, 'empty.jsonl'), '\n');
    await expect(replay(context(), { log: path.join(dir, 'empty.jsonl') })).rejects.toMatchObject({ code: 'PLD_ERR_PREDLOG_EMPTY' });
    await expect(replay(context(), {})).rejects.toMatchObject({ code: 'PLD_ERR_CONFIG_MISSING_KEY', message: expect.stringContaining('prediction_log') });
  });
});
