import { connect } from 'node:net';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyExample, pld, startServer, type RunningServer } from './helpers.js';

/** Response bodies, checked field by field. */
type Json = any;

const ROW = { 'sepal length': 5.2, 'sepal width': 3.5, 'petal length': 1.5, 'petal width': 0.2 };
const REQUEST_TIMEOUT_MS = 1000;

/**
 * Bad and hostile input against a real `pld serve`: each case must get a 4xx JSON in Palladium's error
 * shape whose `error_message` names the problem, or a bounded answer; the process must survive all of
 * them with bounded memory.
 */
describe('pld serve under malformed, hostile and oversized requests', () => {
  let server: RunningServer;
  let rssBefore: number;

  beforeAll(async () => {
    const dir = copyExample();
    writeFileSync(path.join(dir, 'ops.json'), JSON.stringify({ server: { request_timeout: REQUEST_TIMEOUT_MS } }));
    expect(pld(dir, ['fit']).status).toBe(0);
    server = await startServer(dir, [], { PALLADIUM_CONFIG: 'config.json,ops.json' });
    rssBefore = ((await (await fetch(`${server.url}/alive`)).json()) as Json).memory_usage;
  });
  afterAll(async () => {
    expect(await server?.stop()).toBe(0);
  });

  const post = (body: string | Buffer, type = 'application/json') => fetch(`${server.url}/predict`, { method: 'POST', body, headers: { 'content-type': type } });

  async function expectError(response: Response, status: number, type: string, message: RegExp): Promise<void> {
    expect(response.status).toBe(status);
    expect(response.headers.get('content-type')).toMatch(/application\/json/);
    const body = (await response.json()) as Json;
    expect(body.metadata).toMatchObject({ status: 'ERROR', error_type: type });
    expect(body.metadata.error_code).toBeGreaterThan(0);
    expect(body.metadata.error_message).toMatch(message);
  }

  const cases: [string, () => Promise<Response>, number, string, RegExp][] = [
    ['malformed JSON', () => post('[{"sepal length": 5.2,'), 400, 'PLD_ERR_PREDICT_BAD_INPUT', /not valid JSON/],
    ['a JSON object instead of a list', () => post(JSON.stringify(ROW)), 400, 'PLD_ERR_PREDICT_BAD_INPUT', /list of objects/],
    ['a list of numbers', () => post('[1, 2]'), 400, 'PLD_ERR_PREDICT_BAD_INPUT', /item 0 must be an object/],
    ['an empty list', () => post('[]'), 400, 'PLD_ERR_PREDICT_BAD_INPUT', /empty list/],
    ['a string where a float goes', () => post(JSON.stringify([{ ...ROW, 'sepal width': 'wide' }])), 400, 'PLD_ERR_PREDICT_BAD_INPUT', /sepal width/],
    ['an object where a float goes', () => post(JSON.stringify([{ ...ROW, 'petal width': { x: 1 } }])), 400, 'PLD_ERR_PREDICT_BAD_INPUT', /petal width/],
    ['null for a float', () => post(JSON.stringify([{ ...ROW, 'petal width': null }])), 400, 'PLD_ERR_PREDICT_BAD_INPUT', /petal width/],
    ['"NaN" as a string', () => post(JSON.stringify([{ ...ROW, 'sepal length': 'NaN' }])), 400, 'PLD_ERR_PREDICT_BAD_INPUT', /sepal length.*finite/],
    ['"Infinity" as a string', () => post(JSON.stringify([{ ...ROW, 'sepal length': 'Infinity' }])), 400, 'PLD_ERR_PREDICT_BAD_INPUT', /sepal length.*finite/],
    ['NaN as a JSON token', () => post('[{"sepal length": NaN, "sepal width": 1, "petal length": 1, "petal width": 1}]'), 400, 'PLD_ERR_PREDICT_BAD_INPUT', /not valid JSON/],
    [
      'Infinity as a JSON token',
      () => post('[{"sepal length": Infinity, "sepal width": 1, "petal length": 1, "petal width": 1}]'),
      400,
      'PLD_ERR_PREDICT_BAD_INPUT',
      /not valid JSON/,
    ],
    [
      '1e400 (overflows to Infinity)',
      () => post('[{"sepal length": 1e400, "sepal width": 1, "petal length": 1, "petal width": 1}]'),
      400,
      'PLD_ERR_PREDICT_BAD_INPUT',
      /sepal length.*finite/,
    ],
    [
      '-1e400 in the query string',
      () => fetch(`${server.url}/predict?sepal%20length=-1e400&sepal%20width=1&petal%20length=1&petal%20width=1`),
      400,
      'PLD_ERR_PREDICT_BAD_INPUT',
      /sepal length/,
    ],
    ['a missing field', () => post(JSON.stringify([{ 'sepal length': 1, 'sepal width': 1, 'petal length': 1 }])), 400, 'PLD_ERR_PREDICT_MISSING_FIELD', /petal width/],
    ['a missing field in the 3rd item', () => post(JSON.stringify([ROW, ROW, { 'sepal length': 1 }])), 400, 'PLD_ERR_PREDICT_MISSING_FIELD', /item 2: missing field 'sepal width'/],
    ['a unicode value in a float field', () => post(JSON.stringify([{ ...ROW, 'petal length': '五🌸' }])), 400, 'PLD_ERR_PREDICT_BAD_INPUT', /petal length/],
    ['an empty body', () => post(''), 400, 'PLD_ERR_PREDICT_BAD_INPUT', /empty/],
    ['a text/plain body', () => post(JSON.stringify([ROW]), 'text/plain'), 400, 'PLD_ERR_PREDICT_BAD_INPUT', /JSON list of objects, got string/],
    ['an unknown content type', () => post('a=1', 'application/x-unknown'), 400, 'PLD_ERR_PREDICT_BAD_INPUT', /Content-Type/],
    [
      'a batch over server.max_batch_rows (100 001 rows)',
      () => post(`[${new Array(100_001).fill('{}').join(',')}]`),
      413,
      'PLD_ERR_SERVER_TOO_MANY_ROWS',
      /100001 rows, more than server\.max_batch_rows \(100000\)/,
    ],
    ['an unknown route', () => fetch(`${server.url}/predict/../../etc/passwd`), 404, 'PLD_ERR_SERVER_ROUTE_NOT_FOUND', /No route/],
    ['a wrong method', () => fetch(`${server.url}/predict`, { method: 'DELETE' }), 405, 'PLD_ERR_SERVER_METHOD_NOT_ALLOWED', /DELETE is not allowed/],
  ];

  for (const [name, request, status, type, message] of cases) {
    it(`answers ${status} ${type} for ${name}`, async () => {
      await expectError(await request(), status, type, message);
    });
  }

  it('answers 413 PLD_ERR_SERVER_BODY_TOO_LARGE naming server.body_limit for an 11 MiB body', async () => {
    // The server answers as soon as Content-Length exceeds the limit, before reading the body, and closes
    // the connection; a client still uploading may see that as a reset (fetch: EPIPE), so this one sends
    // only the headers, which makes the exchange deterministic.
    const answer = await rawExchange(server.url, 'POST /predict HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 11534336\r\n\r\n', '');
    expect(answer).toMatch(/^HTTP\/1\.1 413 /);
    const body = JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4)) as Json;
    expect(body.metadata).toMatchObject({ status: 'ERROR', error_type: 'PLD_ERR_SERVER_BODY_TOO_LARGE' });
    expect(body.metadata.error_message).toContain('server.body_limit (10485760 bytes)');
  });

  it('ignores extra and unicode-named fields and answers unicode values in them', async () => {
    const response = await post(JSON.stringify([{ ...ROW, extra: 1, 'ünïcødé 🌸': 'värde ✓', nested: { deep: [1, 2] } }]));
    expect(response.status).toBe(200);
    expect(((await response.json()) as Json).result).toEqual(['Iris-setosa']);
  });

  it('answers a 100 000-row batch (the default server.max_batch_rows) in full', async () => {
    const response = await post(JSON.stringify(new Array(100_000).fill(ROW)));
    expect(response.status).toBe(200);
    const body = (await response.json()) as Json;
    expect(body.result).toHaveLength(100_000);
    expect(body.result[99_999]).toBe('Iris-setosa');
  });

  it('answers a 10 MB body under the 10 MiB limit', async () => {
    // Rows padded with an ignored field, to about 10 000 000 bytes.
    const row = { ...ROW, note: 'x'.repeat(900) };
    const rows = Math.floor(10_000_000 / JSON.stringify(row).length);
    const body = JSON.stringify(new Array(rows).fill(row));
    expect(body.length).toBeGreaterThan(9_900_000);
    expect(body.length).toBeLessThan(10 * 1024 * 1024);
    const response = await post(body);
    expect(response.status).toBe(200);
    expect(((await response.json()) as Json).result).toHaveLength(rows);
  });

  it('times out a client that sends headers and stalls, while answering others', async () => {
    const stalled = rawExchange(server.url, 'POST /predict HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n', '[{"sepal length":');
    // While that connection stalls, the server keeps answering.
    const other = await fetch(`${server.url}/predict?sepal%20length=5.2&sepal%20width=3.5&petal%20length=1.5&petal%20width=0.2`);
    expect(other.status).toBe(200);
    const answer = await stalled;
    expect(answer).toMatch(/^HTTP\/1\.1 408 /);
    const body = JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4)) as Json;
    expect(body.metadata).toMatchObject({ status: 'ERROR', error_type: 'PLD_ERR_SERVER_REQUEST_TIMEOUT' });
    expect(body.metadata.error_message).toContain(`server.request_timeout (${REQUEST_TIMEOUT_MS} ms)`);
  });

  it('answers a request with oversized headers with 431 JSON', async () => {
    const response = await fetch(`${server.url}/alive`, { headers: { 'x-big': 'y'.repeat(20_000) } });
    expect(response.status).toBe(431);
    expect(((await response.json()) as Json).metadata.error_message).toMatch(/headers are larger/);
  });

  it('is still alive afterwards, with bounded memory', async () => {
    const response = await fetch(`${server.url}/alive`);
    expect(response.status).toBe(200);
    const after = ((await response.json()) as Json).memory_usage;
    expect(rssBefore).toBeGreaterThan(0);
    expect(after).toBeLessThan(500);
    expect(server.process.exitCode).toBeNull();
  });
});

/** Writes `head` and `body` on a raw connection (ignoring write errors) and resolves with all it read once the server closed it. */
function rawExchange(url: string, head: string, body: string | Buffer): Promise<string> {
  const socket = connect(Number(new URL(url).port), '127.0.0.1');
  let answer = '';
  socket.on('data', (chunk) => {
    answer += chunk.toString();
  });
  socket.on('error', () => {});
  socket.write(head);
  socket.write(body);
  return new Promise((resolve) => socket.on('close', () => resolve(answer)));
}
