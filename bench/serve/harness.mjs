// What the serve benchmarks (run.mjs, oip.mjs) share: wrk's presence and output, free ports, and
// waiting for a spawned `pld serve` to say it is serving.
import { execFileSync } from 'node:child_process';
import { createServer } from 'node:net';

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
