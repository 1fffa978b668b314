import { readFileSync } from 'node:fs';
import type { FastifyInstance, preHandlerAsyncHookHandler } from 'fastify';
import type { ModelHolder } from '../../service/model-holder.js';
import { PACKAGE_VERSION } from '../../version.js';

/** What `/alive` reports, beyond the model. */
export interface AliveOptions {
  readonly serviceMetadata: Readonly<Record<string, unknown>>;
  /** Palladium's `alive.process_store_required`; default `['model']`. */
  readonly required: readonly string[];
  /** Jobs and other process facts (`process_metadata`). */
  readonly processMetadata: () => Record<string, unknown>;
  /** The `alive_decorators` hooks. */
  readonly preHandler?: preHandlerAsyncHookHandler[];
  /** Scheduled dataset loaders by config key (`rows`, `updated`, `last_error`...), shown as `datasets` when any. */
  readonly datasets?: () => Record<string, unknown>;
  /** Where to mount it; default `/alive` (`/models/{name}/alive` for one model of several). */
  readonly path?: string;
  /** More fields (after the model's): the `models` summary at the root, a model's `loaded_versions`. */
  readonly extra?: () => Record<string, unknown>;
}

// Palladium's iris example required 'model' while the cache stored 'model_persister', so it always
// answered 503; both names mean the served model here.
const _MODEL_KEYS = new Set(['model', 'model_persister']);

/**
 * `GET /alive`: Palladium's fields (`memory_usage`, `memory_usage_vms` in MiB, `palladium_version`,
 * `service_metadata`, `process_metadata`, each required key as `{updated, metadata}` or `"N/A"`);
 * 503 while a required key, such as the model, is missing.
 */
export function registerAliveRoute(app: FastifyInstance, holder: ModelHolder, options: AliveOptions): void {
  app.get(options.path ?? '/alive', { preHandler: options.preHandler ?? [] }, async (_request, reply) => {
    const memory = process.memoryUsage();
    const body: Record<string, unknown> = {
      memory_usage: _mib(memory.rss),
      memory_usage_vms: _mib(_virtualMemory() ?? memory.rss),
      palladium_version: PACKAGE_VERSION,
      service_metadata: options.serviceMetadata,
    };
    let missing = false;
    const loaded = await holder.tryGet();
    for (const key of options.required) {
      const model = _MODEL_KEYS.has(key) ? loaded : undefined;
      if (model === undefined || holder.loadedAt === undefined) {
        body[key] = 'N/A';
        missing = true;
      } else {
        body[key] = { updated: holder.loadedAt.toISOString(), metadata: model.metadata };
      }
    }
    if (holder.lastError !== undefined) body.model_error = { error_type: holder.lastError.code, error_message: holder.lastError.message };
    // Scheduled updates (CachedUpdatePersister): schedule, last check, last successful update, last error.
    if (holder.refreshStatus !== undefined) body.model_cache = holder.refreshStatus;
    const datasets = options.datasets?.();
    if (datasets !== undefined && Object.keys(datasets).length > 0) body.datasets = datasets;
    if (options.extra !== undefined) Object.assign(body, options.extra());
    body.process_metadata = options.processMetadata();
    return reply.code(missing ? 503 : 200).send(body);
  });
}

function _mib(bytes: number): number {
  return Math.round((bytes / 1024 / 1024) * 1000) / 1000;
}

function _virtualMemory(): number | undefined {
  try {
    const match = /VmSize:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
    return match ? Number(match[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}
