import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freshSchema, PG_URL, pgQuery } from '../../../test/contracts/pg-helpers.js';
import { JsonLinesSink, readJsonLines } from './jsonl-sink.js';
import type { PredictionRecord } from './record.js';
import type { PredictionSink } from './sink.js';
import { SqlSink } from './sql-sink.js';

function record(i: number, version = 1): PredictionRecord {
  return {
    ts: new Date(1_700_000_000_000 + i).toISOString(),
    request_id: `req-${i}`,
    model: 'default',
    version,
    entry_point: '/predict',
    latency_ms: 0.5,
    output: 'predict',
    inputs: [{ 'sepal length': 5.1, flag: true, kind: 'a' }],
    params: { threshold: 0.5 },
    outputs: [`class-${i}`],
  };
}

async function collect(records: AsyncIterable<PredictionRecord>): Promise<PredictionRecord[]> {
  const out: PredictionRecord[] = [];
  for await (const r of records) out.push(r);
  return out;
}

const tmp = () => mkdtempSync(path.join(tmpdir(), 'pld-predlog-'));

describe('JsonLinesSink', () => {
  it('appends one JSON record per line, across sink instances, and reads them back in order', async () => {
    const dir = tmp();
    const first = new JsonLinesSink({ path: 'logs/p.jsonl' }, { baseDir: dir });
    await first.write([record(0), record(1)]);
    await first.close();
    const second = new JsonLinesSink({ path: 'logs/p.jsonl' }, { baseDir: dir });
    await second.write([record(2)]);
    await second.close();
    const lines = readFileSync(path.join(dir, 'logs/p.jsonl'), 'utf8').trimEnd().split('\n');
    expect(lines.map((line) => JSON.parse(line).request_id)).toEqual(['req-0', 'req-1', 'req-2']);
    expect(await collect(second.read())).toEqual([record(0), record(1), record(2)]);
    expect((await collect(readJsonLines(path.join(dir, 'logs/p.jsonl'), { limit: 2 }))).map((r) => r.request_id)).toEqual(['req-0', 'req-1']);
  });

  it('rotates past max_bytes, keeps max_files old files, and reads them oldest first', async () => {
    const dir = tmp();
    const size = Buffer.byteLength(`${JSON.stringify(record(0))}\n`);
    const sink = new JsonLinesSink({ path: 'p.jsonl', max_bytes: size * 2, max_files: 2 }, { baseDir: dir });
    for (let i = 0; i < 8; i++) await sink.write([record(i)]);
    await sink.close();
    expect(readdirSync(dir).sort()).toEqual(['p.jsonl', 'p.jsonl.1', 'p.jsonl.2']);
    // 8 records, 2 per file, 3 files kept: the oldest 2 are gone.
    expect((await collect(sink.read())).map((r) => r.request_id)).toEqual(['req-2', 'req-3', 'req-4', 'req-5', 'req-6', 'req-7']);
  });

  it('puts the process id into {pid}', () => {
    const sink = new JsonLinesSink({ path: '/tmp/p-{pid}.jsonl' });
    expect(sink.path).toBe(`/tmp/p-${process.pid}.jsonl`);
  });

  it('reports a missing file as PLD_ERR_PREDLOG_UNREADABLE and a bad line as PLD_ERR_PREDLOG_BAD_RECORD with file:line', async () => {
    const dir = tmp();
    await expect(collect(readJsonLines(path.join(dir, 'none.jsonl')))).rejects.toMatchObject({ code: 'PLD_ERR_PREDLOG_UNREADABLE' });
    await expect(collect(readJsonLines(dir))).rejects.toMatchObject({ code: 'PLD_ERR_PREDLOG_UNREADABLE' });
    const file = path.join(dir, 'bad.jsonl');
    writeFileSync(file, `${JSON.stringify(record(0))}\n\n{not json\n`);
    await expect(collect(readJsonLines(file))).rejects.toMatchObject({ code: 'PLD_ERR_PREDLOG_BAD_RECORD', message: expect.stringContaining('bad.jsonl:3') });
    writeFileSync(file, `${JSON.stringify({ ...record(0), version: 'x' })}\n`);
    await expect(collect(readJsonLines(file))).rejects.toMatchObject({ code: 'PLD_ERR_PREDLOG_BAD_RECORD', message: expect.stringMatching(/bad\.jsonl:1.*version/) });
    writeFileSync(file, `${JSON.stringify({ ...record(0), outputs: [] })}\n`);
    await expect(collect(readJsonLines(file))).rejects.toThrow(/1 inputs but 0 outputs/);
  });

  it('fails a write to a path it cannot create with PLD_ERR_PREDLOG_SINK_FAILED', async () => {
    const dir = tmp();
    writeFileSync(path.join(dir, 'file'), 'x');
    const sink = new JsonLinesSink({ path: path.join(dir, 'file', 'p.jsonl') });
    await expect(sink.write([record(0)])).rejects.toMatchObject({ code: 'PLD_ERR_PREDLOG_SINK_FAILED' });
  });
});

const tables: string[] = [];
afterAll(async () => {
  for (const table of tables) await pgQuery(`DROP TABLE IF EXISTS "${table}"`).catch(() => undefined);
});

describe.each([
  { name: 'SQLite', make: () => ({ url: `sqlite:${path.join(tmp(), 'log.db')}`, table: 'prediction_log' }) },
  {
    name: 'PostgreSQL',
    make: () => {
      const table = freshSchema('pld_predlog');
      tables.push(table);
      return { url: PG_URL, table };
    },
  },
])('SqlSink on $name', ({ make }) => {
  it('creates its table on first write, appends batches and reads them back in order (with a limit)', async () => {
    const params = make();
    const sink: PredictionSink = new SqlSink(params);
    await sink.write([record(0), record(1, 2)]);
    await sink.write([record(2)]);
    await sink.close();
    const reader = new SqlSink(params);
    expect(await collect(reader.read())).toEqual([record(0), record(1, 2), record(2)]);
    expect((await collect(reader.read({ limit: 2 }))).map((r) => r.request_id)).toEqual(['req-0', 'req-1']);
    await reader.close();
  });

  it('takes a batch larger than one INSERT may carry', async () => {
    const params = make();
    const sink = new SqlSink(params);
    const batch = Array.from({ length: 2500 }, (_, i) => record(i));
    await sink.write(batch);
    expect((await collect(sink.read())).map((r) => r.request_id)).toEqual(batch.map((r) => r.request_id));
    await sink.close();
  });

  it('reading a table that does not exist is PLD_ERR_PREDLOG_UNREADABLE and creates nothing', async () => {
    const params = make();
    const sink = new SqlSink({ ...params, table: `${params.table}_absent` });
    await expect(collect(sink.read())).rejects.toMatchObject({ code: 'PLD_ERR_PREDLOG_UNREADABLE' });
    await sink.close();
  });
});

describe('SqlSink', () => {
  it('does not create an SQLite file just to read it', async () => {
    const file = path.join(tmp(), 'none.db');
    await expect(collect(new SqlSink({ url: `sqlite:${file}` }).read())).rejects.toMatchObject({
      code: 'PLD_ERR_PREDLOG_UNREADABLE',
      message: expect.stringContaining('does not exist'),
    });
    expect(readdirSync(path.dirname(file))).toEqual([]);
  });

  it('refuses a table name that is not an identifier', () => {
    expect(() => new SqlSink({ url: 'sqlite::memory:', table: 'x; DROP TABLE y' })).toThrow(/SQL identifier/);
  });
});
