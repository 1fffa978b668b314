import { FACTORY_KEY } from '../../config/merge.js';
import { isScheduledDatasetLoader, ScheduledDatasetLoader } from '../../data/loaders/scheduled.js';
import { isDatasetLoader } from '../../data/types.js';
import type { ServerParts } from '../parts.js';

/**
 * Palladium's `ScheduledDatasetLoader.initialize_component` for `pld serve`: builds every top-level
 * `ScheduledDatasetLoader` of the config, loads it and starts its schedule (a failed first load is logged
 * and retried by the schedule, not fatal), and stops the schedules when the server closes. Other loaders
 * are not built. Returns what `/alive` shows under `datasets`, keyed by config key.
 * @example
 * const datasets = await startScheduledDatasets(parts);
 * datasets(); // { dataset_loader_train: { rows: 150, updated: '...', last_error: null, schedule: 'every 60 s', next_run: '...' } }
 */
export async function startScheduledDatasets(parts: ServerParts): Promise<() => Record<string, unknown>> {
  const { config, log } = parts.ctx;
  const loaders = new Map<string, ScheduledDatasetLoader>();
  for (const key of config.keysOfKind('loader')) {
    const factory = config.value<Record<string, unknown>>(key)?.[FACTORY_KEY];
    if (config.registry.get(factory as string)?.ctor !== ScheduledDatasetLoader) continue;
    const loader = await config.component(key, 'loader', isDatasetLoader);
    if (isScheduledDatasetLoader(loader)) loaders.set(key, loader);
  }
  for (const [key, loader] of loaders) {
    await loader.start();
    const { rows, last_error: error, schedule } = loader.describe() as { rows: number; last_error: { error_message: string } | null; schedule: string };
    if (error) log.warn(`${key}: first load failed (${error.error_message}); keeps trying ${schedule}`);
    else log.info(`${key}: loaded ${rows} rows; reloads ${schedule}`);
  }
  if (loaders.size > 0) {
    parts.app.addHook('onClose', async () => {
      for (const loader of loaders.values()) loader.close();
    });
  }
  return () => Object.fromEntries([...loaders].map(([key, loader]) => [key, loader.describe()]));
}
