// What the serving benchmarks (serve/*.mjs, batching/run.mjs) share: wrk's presence and output, free
// ports, a work folder with the iris example, waiting for a spawned `pld serve` to say it is serving,
// and one-off HTTP requests.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const BIN = join(ROOT, 'dist/cli/bin.js');

/**
 * A temp folder with the iris example (config.json, iris.data) and the env that points PALLADIUM_CONFIG
 * at it; at exit every process pushed on `children` is killed and the folder removed. `fit` stores and
 * activates version 1 first.
 */
export function irisWorkdir(prefix, { fit = true } = {}) {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const children = [];
  process.on('exit', () => {
    for (const child of children) child.kill();
    rmSync(dir, { recursive: true, force: true });
  });
  process.on('SIGINT', () => process.exit(130));
  for (const file of ['config.json', 'iris.data']) copyFileSync(join(ROOT, 'examples/iris', file), join(dir, file));
  const env = { ...process.env, PALLADIUM_CONFIG: 'config.json' };
  if (fit) execFileSync(process.execPath, [BIN, 'fit'], { cwd: dir, env, stdio: 'ignore' });
  return { dir, env, children };
}

/**
 * One request on a fresh connection. fetch would keep the connection for later checks, but the
 * synchronous wrk runs block this event loop, so its keep-alive bookkeeping goes stale and a later
 * fetch can pick a connection the server has long closed.
 */
export function httpText(target, { method = 'GET', body, headers = body === undefined ? {} : { 'content-type': 'application/json' } } = {}) {
  return new Promise((done, fail) => {
    const req = request(target, { method, headers, agent: false }, (res) => {
      let text = '';
      res.on('data', (chunk) => {
        text += chunk;
      });
      res.on('end', () => done(text));
    });
    req.on('error', fail);
    req.end(body);
  });
}

/** Exits with the install hint when wrk is missing. `wrk -v` exits 1, so only a failure to spawn counts. */
export function requireWrk() {
  try {
    execFileSync('wrk', ['-v'], { stdio: 'ignore' });
  } catch (error) {
    if (error.code === 'ENOENT') {
      console.error('wrk is not installed; install it with: apt-get install -y wrk (taskset comes with util-linux)');
      process.exit(1);
    }
  }
}

/**
 * Req/s, p50, p99 and errors (non-2xx answers plus socket errors) from `wrk --latency` output. Errors
 * answer faster than predictions, so callers must not take a run with errors at face value.
 */
export function parseWrk(out) {
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1]);
  const latency = (pct) => new RegExp(`^\\s+${pct}%\\s+(\\S+)`, 'm').exec(out)?.[1];
  const non2xx = Number(/Non-2xx or 3xx responses: (\d+)/.exec(out)?.[1] ?? 0);
  const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out);
  const errors = non2xx + (socket ? socket.slice(1).reduce((sum, n) => sum + Number(n), 0) : 0);
  return { rps, p50: latency('50'), p99: latency('99'), errors };
}

/** A TCP port that was free a moment ago. */
export function freePort() {
  return new Promise((done) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => done(port));
    });
  });
}

/** Resolves once `child` (a `pld serve`) logs `Serving on`; rejects if it exits first. */
export function servingOf(child, name = 'the') {
  return new Promise((done, fail) => {
    let output = '';
    const onData = (chunk) => {
      output += chunk;
      if (output.includes('Serving on')) done();
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => fail(new Error(`${name} server exited with ${code} before it was ready:\n${output}`)));
  });
}
