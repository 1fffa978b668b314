import { randomInt } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { dropStoreSchemas, STORE_BACKENDS } from './store-backends.js';
import { copyExample, pld } from './helpers.js';
import { killDuringWrite, usePersister } from './store-helpers.js';

afterAll(dropStoreSchemas);

describe.each(STORE_BACKENDS)('model store crash safety: $name', ({ persister }) => {
  it('keeps the store readable with previous versions intact when a large write is SIGKILLed', async () => {
    const dir = copyExample();
    const params = persister();
    usePersister(dir, params);
    expect(pld(dir, ['fit']).status).toBe(0);
    const outcomes = [];
    // Random delays inside the write (encoding plus chunk inserts take about a second here).
    for (const delay of [randomInt(0, 150), randomInt(150, 500), randomInt(500, 900)]) outcomes.push(await killDuringWrite(dir, params, delay));
    expect(outcomes.some((outcome) => outcome.killedMidWrite)).toBe(true);

    const listed = pld(dir, ['list', '--json']);
    expect(listed.status, listed.stderr).toBe(0);
    const { models, properties } = JSON.parse(listed.stdout);
    expect(models[0]).toMatchObject({ version: 1 });
    expect(properties['active-model']).toBe('1');
    const tested = pld(dir, ['test', '--model-version', '1']);
    expect(tested.status, tested.stderr).toBe(0);
    // A later fit still works and gets a number no killed writer can have been given.
    const fitted = pld(dir, ['fit']);
    expect(fitted.status, fitted.stderr).toBe(0);
    const version = Number(/Wrote model with version (\d+)\./.exec(fitted.stderr)?.[1]);
    expect(version).toBe(Math.max(...models.map((model: { version: number }) => model.version)) + 1);
  });
});
