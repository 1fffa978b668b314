import { cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createContext } from '../../commands/context.js';
import { fit } from '../../commands/fit.js';
import { createRegistry } from '../../config/builtins.js';
import { configFromObject } from '../../config/config.js';
import { silentLogger } from '../../logging.js';
import { createServer } from '../app.js';

const EXAMPLE = fileURLToPath(new URL('../../../examples/iris/', import.meta.url));
const QUERY = 'sepal%20length=5.2&sepal%20width=3.5&petal%20length=1.5&petal%20width=0.2';
const SAMPLE = { 'sepal length': 6.3, 'sepal width': 3.3, 'petal length': 6, 'petal width': 2.5 };
const mapping = [
  ['sepal length', 'float'],
  ['sepal width', 'float'],
  ['petal length', 'float'],
  ['petal width', 'float'],
];

/** The iris example with a fitted version 1 and `extra` config keys, in a temp folder. */
async function irisContext(extra: Record<string, unknown>) {
  const dir = mkdtempSync(path.join(tmpdir(), 'pld-predlog-server-'));
  cpSync(path.join(EXAMPLE, 'iris.data'), path.join(dir, 'iris.data'));
  const base = JSON.parse(readFileSync(path.join(EXAMPLE, 'config.json'), 'utf8')) as Record<string, unknown>;
  const config = configFromObject({ ...base, model_persister: { __factory__: 'File', path: path.join(dir, 'iris-model-{version}') }, ...extra }, createRegistry(), dir);
  const ctx = createContext(config, silentLogger);
  await fit(ctx, {});
  return { ctx, dir };
}

const lines = (file: string) =>
  readFileSync(file, 'utf8')
    .trimEnd()
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line));

describe('prediction logging in the server', () => {
  it('logs GET, POST batches, predict_proba services and OIP inference with inputs, outputs, version and request id; flushes on close', async () => {
    const { ctx, dir } = await irisContext({
      prediction_log: { sink: { __factory__: 'JsonLinesSink', path: 'logs/predictions.jsonl' }, sample_rate: 1 },
      proba_service: { __factory__: 'PredictService', mapping, entry_point: '/proba', predict_proba: true },
    });
    const { app } = await createServer(ctx);
    const get = await app.inject({ url: `/predict?${QUERY}`, headers: { 'x-request-id': 'client-1' } });
    const post = await app.inject({ method: 'POST', url: '/predict', payload: [SAMPLE, { ...SAMPLE, 'petal length': '1.4', 'petal width': 0.2 }] });
    const proba = await app.inject({ method: 'POST', url: '/proba', payload: [SAMPLE] });
    const oip = await app.inject({
      method: 'POST',
      url: '/v2/models/iris/infer',
      payload: { inputs: Object.entries(SAMPLE).map(([name, value]) => ({ name, shape: [1], datatype: 'FP64', data: [value] })) },
    });
    // Not logged: an error, and a request marked as a replay.
    expect((await app.inject({ url: '/predict?sepal%20length=1' })).statusCode).toBe(400);
    expect((await app.inject({ url: `/predict?${QUERY}`, headers: { 'x-pld-replay': '1' } })).statusCode).toBe(200);
    const metrics = (await app.inject({ url: '/metrics' })).body;
    await app.close();

    const records = lines(path.join(dir, 'logs/predictions.jsonl'));
    expect(records).toHaveLength(4);
    const [r1, r2, r3, r4] = records;
    expect(r1).toMatchObject({
      request_id: 'client-1',
      model: 'default',
      version: 1,
      entry_point: '/predict',
      output: 'predict',
      inputs: [{ 'sepal length': 5.2, 'sepal width': 3.5, 'petal length': 1.5, 'petal width': 0.2 }],
      outputs: [get.json().result],
    });
    expect(r1.latency_ms).toBeGreaterThanOrEqual(0);
    expect(Date.parse(r1.ts)).toBeGreaterThan(Date.now() - 60_000);
    expect(r2.inputs[1]['petal length']).toBe(1.4);
    expect(r2.outputs).toEqual(post.json().result);
    expect(r3).toMatchObject({ entry_point: '/proba', output: 'predict_proba', outputs: proba.json().result });
    expect(r3.outputs[0]).toHaveLength(3);
    expect(r4).toMatchObject({ entry_point: '/v2/models/{name}/infer', output: 'predict', inputs: [SAMPLE], outputs: oip.json().outputs[0].data });
    expect(new Set(records.map((r) => r.request_id)).size).toBe(4);
    expect(metrics).toMatch(/pld_prediction_log_records_total\{outcome="dropped"\} 0/);
  });

  it('logs nothing at sample_rate 0, and counts what a failing sink loses in /metrics', async () => {
    const { ctx, dir } = await irisContext({ prediction_log: { sink: { __factory__: 'JsonLinesSink', path: 'none.jsonl' }, sample_rate: 0 } });
    const { app } = await createServer(ctx);
    for (let i = 0; i < 20; i++) await app.inject({ url: `/predict?${QUERY}` });
    await app.close();
    expect(existsSync(path.join(dir, 'none.jsonl'))).toBe(false);

    // A path under a regular file cannot be created: every record fails, the answers do not.
    const broken = await irisContext({ prediction_log: { sink: { __factory__: 'JsonLinesSink', path: 'iris.data/p.jsonl' } } });
    const server = await createServer(broken.ctx);
    for (let i = 0; i < 3; i++) expect((await server.app.inject({ url: `/predict?${QUERY}` })).statusCode).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect((await server.app.inject({ url: '/metrics' })).body).toMatch(/pld_prediction_log_records_total\{outcome="failed"\} 3/);
    await server.app.close();
  });

  it('answers while the sink is stuck, drops what the bounded queue cannot take and counts it in /metrics', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'pld-predlog-slow-'));
    // A user sink whose writes wait until the test releases them: a sink that fell behind.
    writeFileSync(
      path.join(dir, 'stuck-sink.ts'),
      `const gate = new Promise((resolve) => { globalThis.__pldReleaseSink = resolve; });
      export class StuckSink {
        constructor() { this.describe = 'stuck'; }
        async write(records) { await gate; globalThis.__pldSinkWritten = (globalThis.__pldSinkWritten ?? 0) + records.length; }
        async close() {}
      }\n`,
    );
    const { ctx } = await irisContext({ prediction_log: { sink: { __factory__: `${dir}/stuck-sink.ts#StuckSink` }, queue_size: 5, batch_size: 100 } });
    const { app } = await createServer(ctx);
    await app.inject({ url: `/predict?${QUERY}` });
    // Let the first record go to the (stuck) sink; the next 20 find a queue of 5.
    await new Promise((resolve) => setImmediate(resolve));
    for (let i = 0; i < 20; i++) expect((await app.inject({ url: `/predict?${QUERY}` })).statusCode).toBe(200);
    const metrics = (await app.inject({ url: '/metrics' })).body;
    expect(metrics).toMatch(/pld_prediction_log_records_total\{outcome="dropped"\} 15/);
    expect(metrics).toMatch(/pld_prediction_log_records_total\{outcome="written"\} 0/);
    const global = globalThis as { __pldReleaseSink?: () => void; __pldSinkWritten?: number };
    global.__pldReleaseSink?.();
    await app.close();
    expect(global.__pldSinkWritten).toBe(6);
  });

  it('rejects a bad prediction_log when the server starts, naming the key', async () => {
    const cases: [unknown, RegExp, string][] = [
      [{ sink: { __factory__: 'JsonLineSink', path: 'p.jsonl' } }, /JsonLineSink/, 'PLD_ERR_CONFIG_UNKNOWN_FACTORY'],
      [{ sink: { __factory__: 'File', path: 'p-{version}' } }, /prediction_log\.sink: 'File' is a persister, not a prediction sink/, 'PLD_ERR_CONFIG_INVALID_PARAM'],
      [{ sink: { path: 'p.jsonl' } }, /prediction_log\.sink: expected a prediction sink/, 'PLD_ERR_CONFIG_INVALID_PARAM'],
      [{ sink: { __factory__: 'JsonLinesSink', path: 'p.jsonl' }, sample_rate: 2 }, /prediction_log\.sample_rate/, 'PLD_ERR_CONFIG_INVALID_PARAM'],
      [{ sample_rate: 0.5 }, /prediction_log\.sink/, 'PLD_ERR_CONFIG_INVALID_PARAM'],
      [{ sink: { __factory__: 'SqlSink', url: 'sqlite:p.db', table: 'bad name' } }, /table must be an SQL identifier/, 'PLD_ERR_CONFIG_INVALID_PARAM'],
      ['yes', /prediction_log: expected an object/, 'PLD_ERR_CONFIG_INVALID_PARAM'],
    ];
    const { dir } = await irisContext({});
    for (const [value, message, code] of cases) {
      // An unknown factory is refused as the config loads, the rest when the server is built.
      const start = async () => {
        const data = {
          ...JSON.parse(readFileSync(path.join(EXAMPLE, 'config.json'), 'utf8')),
          model_persister: { __factory__: 'File', path: path.join(dir, 'm-{version}') },
          prediction_log: value,
        };
        return createServer(createContext(configFromObject(data, createRegistry(), dir), silentLogger));
      };
      await expect(start()).rejects.toMatchObject({ code, message: expect.stringMatching(message) });
    }
  });
});
