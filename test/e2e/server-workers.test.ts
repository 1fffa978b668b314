import { get } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyExample, pld, startServer, type RunningServer } from './helpers.js';
import { slowRequest } from './server-helpers.js';

/** The pid in `x-pld-worker` of a `/alive` answer, over a fresh connection (so round-robin picks a worker). */
function workerOf(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = get(`${url}/alive`, { agent: false, timeout: 2000 }, (response) => {
      response.resume();
      response.on('end', () => resolve(Number(response.headers['x-pld-worker'])));
    });
    request.on('timeout', () => request.destroy(new Error('timeout')));
    request.on('error', reject);
  });
}

/** Distinct worker pids seen over up to `tries` fresh connections, stopping once `enough` are seen. */
async function workersSeen(url: string, enough: number, tries = 60, exclude: readonly number[] = []): Promise<Set<number>> {
  const seen = new Set<number>();
  for (let i = 0; i < tries && seen.size < enough; i++) {
    try {
      const pid = await workerOf(url);
      if (!exclude.includes(pid)) seen.add(pid);
    } catch {
      // A worker being restarted may drop a connection.
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return seen;
}

function sample(text: string, name: string, labels: Record<string, string>): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${name}{`) && Object.entries(labels).every(([k, v]) => l.includes(`${k}="${v}"`)));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
}

describe('pld serve --workers 2', () => {
  let server: RunningServer;

  beforeAll(async () => {
    const dir = copyExample();
    expect(pld(dir, ['fit']).status).toBe(0);
    server = await startServer(dir, ['--workers', '2']);
  });
  afterAll(() => {
    if (server.process.exitCode === null) server.process.kill('SIGKILL');
  });

  it('answers from two worker processes, neither of them the primary', async () => {
    const pids = await workersSeen(server.url, 2);
    expect(pids.size).toBe(2);
    expect(pids.has(server.process.pid ?? -1)).toBe(false);
    expect(server.logs()).toMatch(/Serving on http:\/\/127\.0\.0\.1:\d+ with 2 workers/);
  });

  it('aggregates /metrics over the workers, whichever answers', async () => {
    for (let i = 0; i < 6; i++) await workerOf(server.url);
    const text = await (await fetch(`${server.url}/metrics`)).text();
    expect(sample(text, 'pld_model_version_processes', { model: 'default', version: '1' })).toBe(2);
    expect(sample(text, 'pld_model_loads_total', { model: 'default' })).toBe(2);
    expect(sample(text, 'pld_http_requests_total', { route: '/alive', method: 'GET', status_class: '2xx' })).toBeGreaterThanOrEqual(6);
  });

  it('restarts a worker that dies', async () => {
    const before = [...(await workersSeen(server.url, 2))];
    const victim = before[0];
    process.kill(victim, 'SIGKILL');
    const deadline = Date.now() + 15_000;
    let fresh = new Set<number>();
    while (fresh.size === 0 && Date.now() < deadline) fresh = await workersSeen(server.url, 1, 20, before);
    expect(fresh.size).toBe(1);
    expect(server.logs()).toContain(`Worker ${victim} exited with signal SIGKILL; starting a new one in`);
    const after = await workersSeen(server.url, 2);
    expect(after.has(victim)).toBe(false);
    expect(after.size).toBe(2);
  });

  it('on SIGTERM to the primary, lets a request in flight finish and exits 0', async () => {
    const { answer, finish } = slowRequest(server.url);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const exited = new Promise<number | null>((resolve) => server.process.once('exit', (code) => resolve(code)));
    server.process.kill('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 300));
    finish();
    const response = await answer;
    expect(response).toMatch(/^HTTP\/1\.1 200 /);
    expect(response).toContain('"result":["Iris-setosa"]');
    expect(await exited).toBe(0);
    expect(server.logs()).toContain('All workers stopped');
  });
});
