import { describe, expect, it } from 'vitest';
import { PldError } from '../../errors.js';
import { Frame } from '../frame.js';
import type { Dataset, DatasetLoader } from '../types.js';
import { ScheduledDatasetLoader } from './scheduled.js';

/** A real loader whose answers the test scripts: each load() takes the next entry (data or an error). */
class ScriptedLoader implements DatasetLoader {
  calls = 0;
  constructor(private readonly script: (number | Error)[]) {}
  async load(): Promise<Dataset> {
    const next = this.script[Math.min(this.calls++, this.script.length - 1)];
    if (next instanceof Error) throw next;
    return { X: new Frame({ x: new Float64Array(next) }) };
  }
}

/** Resolves once `predicate` holds, checking after each macrotask (no fixed waits). */
async function until(predicate: () => boolean): Promise<void> {
  while (!predicate()) await new Promise((resolve) => setImmediate(resolve));
}

describe('ScheduledDatasetLoader', () => {
  it('loads once on first use and answers from the cache', async () => {
    const impl = new ScriptedLoader([3, 5]);
    const loader = new ScheduledDatasetLoader({ impl, update_cache_interval: 3600 });
    expect(loader.describe()).toMatchObject({ rows: 0, updated: null, last_error: null, schedule: 'every 3600 s', next_run: null });
    const [a, b] = await Promise.all([loader.load(), loader.load()]);
    expect(a).toBe(b);
    expect((await loader.load()).X.nRows).toBe(3);
    expect(impl.calls).toBe(1);
    expect(loader.describe()).toMatchObject({ rows: 3, last_error: null });
    expect(typeof loader.describe().next_run).toBe('string');
    loader.close();
    expect(loader.describe().next_run).toBeNull();
  });

  it('refreshes on its schedule, keeps the last good data when a refresh fails, and records the error', async () => {
    const impl = new ScriptedLoader([2, new PldError('PLD_ERR_DATA_SOURCE_UNREACHABLE', 'db down'), 7]);
    const loader = new ScheduledDatasetLoader({ impl, update_cache_interval: 0.001 });
    expect((await loader.load()).X.nRows).toBe(2);
    await until(() => impl.calls >= 2 && loader.lastFailure !== undefined);
    expect((await loader.load()).X.nRows).toBe(2);
    expect(loader.describe()).toMatchObject({ rows: 2, last_error: { error_type: 'PLD_ERR_DATA_SOURCE_UNREACHABLE', error_message: 'db down' } });
    await until(() => impl.calls >= 3 && loader.lastFailure === undefined);
    expect((await loader.load()).X.nRows).toBe(7);
    expect(loader.describe()).toMatchObject({ rows: 7, last_error: null });
    loader.close();
    const calls = impl.calls;
    await new Promise((resolve) => setImmediate(resolve));
    expect(impl.calls).toBeLessThanOrEqual(calls + 1);
  });

  it('throws a failed first load and retries on the next call; start() records it instead', async () => {
    const impl = new ScriptedLoader([new Error('first fails'), 4]);
    const loader = new ScheduledDatasetLoader({ impl, update_cache_cron: '0 0 1 1 *' });
    await expect(loader.load()).rejects.toThrow('first fails');
    expect(loader.describe()).toMatchObject({ rows: 0, last_error: { error_type: 'PLD_ERR_INTERNAL' } });
    expect((await loader.load()).X.nRows).toBe(4);
    loader.close();

    const started = new ScheduledDatasetLoader({ impl: new ScriptedLoader([new Error('down')]), update_cache_rrule: { freq: 'DAILY' } });
    await started.start();
    expect(started.describe()).toMatchObject({ rows: 0, last_error: { error_message: 'Error: down' }, schedule: 'rrule FREQ=DAILY' });
    expect(typeof started.describe().next_run).toBe('string');
    started.close();
  });

  it('needs a loader and exactly one schedule', () => {
    const impl = new ScriptedLoader([1]);
    expect(() => new ScheduledDatasetLoader({ impl } as never)).toThrow(/needs update_cache_rrule/);
    expect(() => new ScheduledDatasetLoader({ impl, update_cache_interval: 1, update_cache_cron: '* * * * *' })).toThrow(/give only one/);
    expect(() => new ScheduledDatasetLoader({ impl: {} as never, update_cache_interval: 1 }, { keyPath: 'dataset_loader_train' })).toThrow(/dataset_loader_train\.impl/);
  });
});
