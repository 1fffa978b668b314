// Fits, tests and serves this project with the installed `pld`, the way you would by hand.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const cwd = fileURLToPath(new URL('..', import.meta.url));
const pld = process.env.PLD_BIN ? [process.execPath, process.env.PLD_BIN] : ['npx', 'pld'];
const run = (...args) => spawnSync(pld[0], [...pld.slice(1), ...args], { cwd, encoding: 'utf8' });

test('fit, test and serve', async () => {
  const fitted = run('fit', '--evaluate');
  assert.equal(fitted.status, 0, fitted.stderr);
  assert.match(fitted.stderr, /Wrote model with version \d+\./);
  const tested = run('test');
  assert.equal(tested.status, 0, tested.stderr);
  assert.match(tested.stdout, /^Score: /);

  const server = spawn(pld[0], [...pld.slice(1), 'serve', '--host', '127.0.0.1', '--port', '0'], { cwd });
  try {
    const url = await new Promise((resolve, reject) => {
      let logs = '';
      server.stderr.on('data', (chunk) => {
        logs += chunk;
        const match = /Try: curl '([^']+)'/.exec(logs);
        if (match) resolve(match[1]);
      });
      server.on('exit', () => reject(new Error(logs)));
    });
    const response = await fetch(url);
    assert.equal(response.status, 200);
    const body = await response.json();
    assert.equal(body.metadata.status, 'OK');
    assert.notEqual(body.result, undefined);
  } finally {
    server.kill();
  }
});
