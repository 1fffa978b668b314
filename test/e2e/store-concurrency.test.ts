import { afterAll, describe, expect, it } from 'vitest';
import { dropStoreSchemas, STORE_BACKENDS } from './store-backends.js';
import { copyExample, pld } from './helpers.js';
import { pldAsync, usePersister } from './store-helpers.js';

afterAll(dropStoreSchemas);

describe.each(STORE_BACKENDS)('model store concurrency: $name', ({ persister }) => {
  it('gives 4 concurrent `pld fit` processes 4 distinct versions, all readable', async () => {
    const dir = copyExample();
    usePersister(dir, persister());
    const fits = await Promise.all(Array.from({ length: 4 }, () => pldAsync(dir, ['fit', '--no-activate'])));
    for (const fitted of fits) expect(fitted.status, fitted.stderr).toBe(0);
    const written = fits.map((fitted) => Number(/Wrote model with version (\d+)\./.exec(fitted.stderr)?.[1]));
    expect([...written].sort()).toEqual([1, 2, 3, 4]);
    const { models } = JSON.parse(pld(dir, ['list', '--json']).stdout);
    expect(models.map((model: { version: number }) => model.version)).toEqual([1, 2, 3, 4]);
    const tests = await Promise.all(written.map((version) => pldAsync(dir, ['test', '--json', '--model-version', String(version)])));
    for (const [i, tested] of tests.entries()) {
      expect(tested.status, tested.stderr).toBe(0);
      expect(JSON.parse(tested.stdout).version).toBe(written[i]);
    }
  });
});
