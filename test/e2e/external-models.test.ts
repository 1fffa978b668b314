import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { pythonMissing } from '../contracts/external-case.js';
import { pld, startServer } from './helpers.js';

const IRIS = fileURLToPath(new URL('../fixtures/iris.data', import.meta.url));
const EXAMPLES = fileURLToPath(new URL('../../examples/', import.meta.url));
const SETOSA: Record<string, number> = { 'sepal length': 5.2, 'sepal width': 3.5, 'petal length': 1.5, 'petal width': 0.2 };
const VIRGINICA: Record<string, number> = { 'sepal length': 6.9, 'sepal width': 3.1, 'petal length': 5.4, 'petal width': 2.1 };
const query = (row: Record<string, number>) => new URLSearchParams(Object.entries(row).map(([k, v]): [string, string] => [k, String(v)])).toString();
const post = (url: string, body: unknown) => fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
const json = async (response: Response) => (await response.json()) as { metadata: Record<string, unknown>; result: unknown };

/** A copy of examples/<name> next to examples/iris/iris.data, as the example's config expects. */
function exampleCopy(name: string): string {
  const root = mkdtempSync(path.join(tmpdir(), `pld-${name}-`));
  cpSync(path.join(EXAMPLES, name), path.join(root, name), { recursive: true });
  mkdirSync(path.join(root, 'iris'));
  cpSync(IRIS, path.join(root, 'iris', 'iris.data'));
  return path.join(root, name);
}

/** The pids of a process's children (Linux /proc), to kill the model process by its id. */
function childrenOf(pid: number): number[] {
  const out = spawnSync('ps', ['-o', 'pid=', '--ppid', String(pid)], { encoding: 'utf8' });
  return out.stdout
    .split('\n')
    .map((s) => Number(s.trim()))
    .filter((n) => n > 0);
}

function externalExample(name: string, skipReason: string | undefined): void {
  const run = skipReason === undefined ? it : it.skip;
  run(
    `${name}: pld fit, pld test, served over HTTP, and a killed model process is restarted${skipReason ? ` — skipped: ${skipReason}` : ''}`,
    async () => {
      const dir = exampleCopy(name);
      const env = { PALLADIUM_CONFIG: 'config.yaml' };
      const fit = pld(dir, ['fit', '--evaluate'], { env });
      expect(fit.status, fit.stderr).toBe(0);
      expect(fit.stdout).toMatch(/Test score: accuracy: 0\.9/);
      const server = await startServer(dir, [], env);
      try {
        expect((await json(await fetch(`${server.url}/predict?${query(SETOSA)}`))).result).toBe('Iris-setosa');
        expect((await json(await post(`${server.url}/predict`, [SETOSA, VIRGINICA]))).result).toEqual(['Iris-setosa', 'Iris-virginica']);
        const children = childrenOf(server.process.pid as number);
        expect(children.length).toBeGreaterThan(0);
        for (const pid of children) process.kill(pid, 'SIGKILL');
        // The dead process is noticed on the next request at the latest; each request then either fails
        // clearly (PLD_ERR_ESTIMATOR_EXTERNAL, 502) or is answered by a restarted process.
        const after = await fetch(`${server.url}/predict?${query(VIRGINICA)}`);
        if (after.status !== 200) expect((await json(after)).metadata.error_type).toBe('PLD_ERR_ESTIMATOR_EXTERNAL');
        expect((await json(await fetch(`${server.url}/predict?${query(VIRGINICA)}`))).result).toBe('Iris-virginica');
        expect(childrenOf(server.process.pid as number).some((pid) => !children.includes(pid))).toBe(true);
      } finally {
        await server.stop();
      }
    },
    120_000,
  );
}

describe('ExternalModel examples end to end', () => {
  externalExample('python-model', pythonMissing());
  const rscript = spawnSync('Rscript', ['--version']);
  externalExample('r-model', rscript.error === undefined ? undefined : 'Rscript is not installed (apt r-base-core took 78 s here, over the 1-minute budget for .ci/run)');
});
