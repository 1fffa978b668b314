import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PG_URL, pgQuery } from '../contracts/pg-helpers.js';
import { copyExample, pld, startServer, type RunningServer } from './helpers.js';

/** Config files and JSON reports, checked field by field. */
type Json = any;

const ROW = { 'sepal length': 6.3, 'sepal width': 3.3, 'petal length': 6, 'petal width': 2.5 };
const QUERY = 'sepal%20length=5.2&sepal%20width=3.5&petal%20length=1.5&petal%20width=0.2';

function editConfig(dir: string, file: string, change: (config: Json) => void): void {
  const config = JSON.parse(readFileSync(path.join(dir, 'config.json'), 'utf8'));
  change(config);
  writeFileSync(path.join(dir, file), JSON.stringify(config, null, 2));
}

const logLines = (dir: string): Json[] =>
  readFileSync(path.join(dir, 'logs', 'predictions.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line));

describe('pld serve with prediction_log, then pld replay', () => {
  let dir: string;
  let server: RunningServer | undefined;
  let rows: Json[];

  beforeAll(async () => {
    dir = copyExample();
    editConfig(dir, 'config.json', (config) => {
      config.prediction_log = { sink: { __factory__: 'JsonLinesSink', path: 'logs/predictions.jsonl' }, sample_rate: 1, queue_size: 1000 };
    });
    // The challenger: the same data and features, a much shallower tree.
    editConfig(dir, 'shallow.json', (config) => {
      config.model = { __factory__: 'DecisionTreeClassifier', max_depth: 1 };
    });
    expect(pld(dir, ['fit']).status).toBe(0);
    rows = readFileSync(path.join(dir, 'iris.data'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => line.split(',').map(Number))
      .map(([a, b, c, d]) => ({ 'sepal length': a, 'sepal width': b, 'petal length': c, 'petal width': d }));
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('logs every answered request and writes what is queued when stopped with SIGTERM', async () => {
    server = await startServer(dir);
    expect(server.logs()).toMatch(/Logging 100 % of predictions to .*predictions\.jsonl/);
    const single: Json = await (await fetch(`${server.url}/predict?${QUERY}`, { headers: { 'x-request-id': 'e2e-1' } })).json();
    // 150 rows as 30 concurrent batches of 5, then SIGTERM at once: the drain writes them all.
    const batches = Array.from({ length: 30 }, (_, i) => rows.slice(i * 5, i * 5 + 5));
    const answers: Json[] = await Promise.all(
      batches.map(async (batch) =>
        (await fetch(`${server?.url}/predict`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(batch) })).json(),
      ),
    );
    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    expect(metrics).toContain('# TYPE pld_prediction_log_records_total counter');
    expect(await server.stop()).toBe(0);
    server = undefined;

    const records = logLines(dir);
    expect(records).toHaveLength(31);
    expect(records[0]).toMatchObject({ request_id: 'e2e-1', model: 'default', version: 1, entry_point: '/predict', output: 'predict', outputs: [single.result] });
    expect(records[0].inputs).toEqual([{ 'sepal length': 5.2, 'sepal width': 3.5, 'petal length': 1.5, 'petal width': 0.2 }]);
    const byInput = new Map(records.slice(1).map((record) => [JSON.stringify(record.inputs), record.outputs]));
    for (const [i, batch] of batches.entries()) expect(byInput.get(JSON.stringify(batch))).toEqual(answers[i].result);
    for (const record of records) expect(typeof record.latency_ms).toBe('number');
  });

  it('replays the log against the version that answered with no difference', () => {
    const text = pld(dir, ['replay', 'logs/predictions.jsonl']);
    expect(text.status).toBe(0);
    expect(text.stdout).toContain('Replayed 31 records (151 predictions)');
    expect(text.stdout).toContain('Agreement: 100 % (151 of 151 the same, 0 differ, 0 failed');
    const json = pld(dir, ['replay', 'logs/predictions.jsonl', '--version', '1', '--json', '--fail-on-diff']);
    expect(json.status).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({ records: 31, compared: 151, differing: 0, agreement: 1, logged_versions: { 1: 151 }, replayed_versions: { 1: 151 } });
  });

  it('reports the differences of another fitted version, with --fail-on-diff as a non-zero exit', () => {
    const fitted = pld(dir, ['fit', '--no-activate', '--config', 'shallow.json']);
    expect(fitted.stderr).toContain('Wrote model with version 2');
    const report = pld(dir, ['replay', 'logs/predictions.jsonl', '--model-version', '2', '--json', '--examples', '3']);
    expect(report.status).toBe(0);
    const json = JSON.parse(report.stdout);
    // A one-split tree cannot tell versicolor from virginica: about a third of the rows change.
    expect(json.differing).toBeGreaterThan(30);
    expect(json.differing).toBeLessThan(151);
    expect(json.agreement).toBeCloseTo(1 - json.differing / 151, 6);
    expect(json.replayed_versions).toEqual({ 2: 151 });
    expect(json.examples).toHaveLength(3);
    expect(json.examples[0].logged).not.toEqual(json.examples[0].replayed);

    const failing = pld(dir, ['replay', 'logs/predictions.jsonl', '--version', '2', '--fail-on-diff', '--limit', '10']);
    expect(failing.status).toBe(1);
    expect(failing.stdout).toMatch(/Replayed 10 records/);
    expect(failing.stdout).toMatch(/Examples:\n {2}\S+ row \d+ \(version 1\): logged "Iris-\w+", now "Iris-\w+"/);
    expect(failing.stderr).toMatch(/PLD_ERR_REPLAY_DIFFERENCES: \d+ of \d+ replayed predictions differ/);
  });

  it('replays through a running server with --url, which leaves the replay out of its own log', async () => {
    server = await startServer(dir);
    const before = logLines(dir).length;
    const same = pld(dir, ['replay', 'logs/predictions.jsonl', '--url', server.url, '--json']);
    expect(same.status).toBe(0);
    expect(JSON.parse(same.stdout)).toMatchObject({ compared: 151, differing: 0, replayed_versions: { 1: 151 } });
    const pinned = pld(dir, ['replay', 'logs/predictions.jsonl', '--url', server.url, '--version', '2', '--json']);
    expect(JSON.parse(pinned.stdout).differing).toBeGreaterThan(30);
    expect(JSON.parse(pinned.stdout).replayed_versions).toEqual({ 2: 151 });
    // OIP inference is logged too.
    const inputs = Object.entries(ROW).map(([name, value]) => ({ name, shape: [1], datatype: 'FP64', data: [value] }));
    expect((await fetch(`${server.url}/v2/models/iris/infer`, { method: 'POST', body: JSON.stringify({ inputs }), headers: { 'content-type': 'application/json' } })).status).toBe(
      200,
    );
    expect(await server.stop()).toBe(0);
    server = undefined;
    const after = logLines(dir);
    expect(after).toHaveLength(before + 1);
    expect(after[after.length - 1]).toMatchObject({ entry_point: '/v2/models/{name}/infer', inputs: [ROW] });
    expect(pld(dir, ['replay', 'logs/predictions.jsonl', '--json']).stdout).toContain('"differing": 0');
  });

  it('fails with a code and an exit status on bad input', async () => {
    const missing = pld(dir, ['replay', 'logs/none.jsonl']);
    expect(missing.status).toBe(4);
    expect(missing.stderr).toMatch(/PLD_ERR_PREDLOG_UNREADABLE: Cannot read the prediction log .*none\.jsonl/);
    writeFileSync(path.join(dir, 'broken.jsonl'), '{"ts": 1}\n');
    const broken = pld(dir, ['replay', 'broken.jsonl']);
    expect(broken.status).toBe(4);
    expect(broken.stderr).toMatch(/PLD_ERR_PREDLOG_BAD_RECORD: .*broken\.jsonl:1/);
    const version = pld(dir, ['replay', 'logs/predictions.jsonl', '--version', '9']);
    expect(version.status).toBe(6);
    expect(version.stderr).toContain('PLD_ERR_PERSIST_VERSION_NOT_FOUND');
    const limit = pld(dir, ['replay', 'logs/predictions.jsonl', '--limit', '0']);
    expect(limit.status).toBe(2);
    expect(limit.stderr).toContain('--limit must be a positive integer');
    const unreachable = pld(dir, ['replay', 'logs/predictions.jsonl', '--url', 'http://127.0.0.1:9']);
    expect(unreachable.status).toBe(1);
    expect(unreachable.stderr).toContain('PLD_ERR_REPLAY_REQUEST_FAILED');

    editConfig(dir, 'bad-sink.json', (config) => {
      config.prediction_log = { sink: { __factory__: 'KafkaSink', topic: 'x' } };
    });
    const serve = pld(dir, ['serve', '--port', '0', '--config', 'bad-sink.json']);
    expect(serve.status).toBe(3);
    expect(serve.stderr).toMatch(/PLD_ERR_CONFIG_UNKNOWN_FACTORY: .*prediction_log\.sink\.__factory__: unknown component 'KafkaSink'/);
    editConfig(dir, 'bad-rate.json', (config) => {
      config.prediction_log.sample_rate = 1.5;
    });
    const validate = pld(dir, ['config', '--validate', '--config', 'bad-rate.json']);
    expect(validate.status).toBe(3);
    expect(validate.stderr).toMatch(/PLD_ERR_CONFIG_INVALID_PARAM: .*prediction_log\.sample_rate/);
    const valid = pld(dir, ['config', '--validate', '--json']);
    expect(JSON.parse(valid.stdout).components).toContainEqual({ key: 'prediction_log.sink', factory: 'JsonLinesSink', kind: 'other' });
  });
});

describe('pld serve with an SqlSink on PostgreSQL, then pld replay from the table', () => {
  const table = `pld_e2e_predlog_${randomBytes(4).toString('hex')}`;
  afterAll(async () => {
    await pgQuery(`DROP TABLE IF EXISTS "${table}"`);
  });

  it('writes one row per request into a table created on first use, and replays it from the URL', async () => {
    const dir = copyExample();
    editConfig(dir, 'config.json', (config) => {
      config.prediction_log = { sink: { __factory__: 'SqlSink', url: PG_URL, table } };
    });
    expect(pld(dir, ['fit']).status).toBe(0);
    const server = await startServer(dir);
    for (let i = 0; i < 5; i++) expect((await fetch(`${server.url}/predict?${QUERY}`)).status).toBe(200);
    expect(await server.stop()).toBe(0);
    const rows = await pgQuery(`SELECT request_id, model, version, entry_point, record FROM "${table}" ORDER BY id`);
    expect(rows.rows).toHaveLength(5);
    expect(rows.rows[0]).toMatchObject({ model: 'default', version: 1, entry_point: '/predict' });
    expect(JSON.parse(rows.rows[0].record).request_id).toBe(rows.rows[0].request_id);
    const replayed = pld(dir, ['replay', PG_URL, '--table', table, '--json']);
    expect(replayed.status).toBe(0);
    expect(JSON.parse(replayed.stdout)).toMatchObject({ records: 5, compared: 5, differing: 0, agreement: 1 });
    // The config's own sink, without naming it.
    expect(JSON.parse(pld(dir, ['replay', '--json']).stdout)).toMatchObject({ records: 5, differing: 0 });
    const absent = pld(dir, ['replay', PG_URL, '--table', `${table}_absent`]);
    expect(absent.status).toBe(4);
    expect(absent.stderr).toContain('PLD_ERR_PREDLOG_UNREADABLE');
  });
});
