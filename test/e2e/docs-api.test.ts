import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

// `npm run docs:api` writes the API reference (Markdown, from the TSDoc of src/index.ts's exports) to
// docs/api/, which is not committed (it is ~400 KB); this builds it in a temp folder to keep it building.
describe('npm run docs:api', () => {
  it('generates the API reference from the public exports with TypeDoc', { timeout: 240_000 }, () => {
    const out = mkdtempSync(path.join(tmpdir(), 'pld-api-'));
    const run = spawnSync(process.execPath, [path.join(ROOT, 'node_modules', 'typedoc', 'bin', 'typedoc'), '--out', out], { cwd: ROOT, encoding: 'utf8' });
    expect(run.status, `${run.stdout}\n${run.stderr}`).toBe(0);
    const text = readdirSync(out, { recursive: true, encoding: 'utf8' })
      .filter((file) => file.endsWith('.md'))
      .map((file) => readFileSync(path.join(out, file), 'utf8'))
      .join('\n');
    for (const symbol of ['defineConfig', 'migrateConfig', 'BaseEstimator', 'createVersionedPersister', 'StorageDriver', 'DatasetLoader', 'Hook', 'PldError'])
      expect(text).toContain(symbol);
    // TSDoc examples come through.
    expect(text).toMatch(/createVersionedPersister\(\{ storage: memoryStorage\(\) \}\)/);
  });
});
