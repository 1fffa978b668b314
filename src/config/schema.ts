import { z } from 'zod';
import { batchingSchema } from './batching-schema.js';
import { TRAFFIC_MODES } from '../traffic/policy.js';

/** Letters, digits, `_`, `-` and `.`: a model name is a URL path segment and a metric label. */
export const MODEL_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

/** Keys that configure the process, not one model: an entry of `models` that sets one is refused. */
export const SERVER_WIDE_KEYS = ['models', 'server', 'metrics', 'logging', 'alive'] as const;

/**
 * One entry of `models`: `model_persister` is required (each model has its own store; several models can
 * share a database through `table_postfix`, or a folder through distinct File `path`s); `model`,
 * `dataset_loader_*`, `predict_service` and other services, `service_metadata` and
 * `max_loaded_versions` are optional. Components are checked when created, as at the top level.
 */
export const modelEntrySchema = z
  .object({
    model_persister: z.record(z.string(), z.unknown(), {
      error: 'required: this model\'s store, e.g. {"__factory__": "File", "path": "models/NAME-{version}.pld"}',
    }),
    service_metadata: z.record(z.string(), z.unknown()).optional(),
    /** How many inactive versions stay loaded (LRU); default `server.max_loaded_versions`. */
    max_loaded_versions: z.number().int().min(1).optional(),
    ...Object.fromEntries(SERVER_WIDE_KEYS.map((key) => [key, z.undefined({ error: `'${key}' is server-wide; set it at the top level, not in a model entry` }).optional()])),
  })
  .passthrough();

/** `models`: entry name → entry. */
export const modelsSchema = z.record(z.string(), modelEntrySchema).superRefine((models, ctx) => {
  // A refinement rather than a key schema: zod reports a bad record key without its message.
  for (const name of Object.keys(models)) {
    if (!MODEL_NAME_PATTERN.test(name)) {
      ctx.addIssue({ code: 'custom', path: [name], message: `'${name}' is not a model name: use 1 to 64 letters, digits, "_", "-" or "." (it is part of URLs and metric labels)` });
    }
  }
});

/**
 * Plain (non-component) top-level keys and their shapes; components (`model`, `dataset_loader_*`,
 * `model_persister`, `predict_service`...) are validated by their registry entry when created.
 */
export const topLevelSchema = z
  .object({
    service_metadata: z.record(z.string(), z.unknown()).optional(),
    /** Several models behind one server (see `config/models.ts`). */
    models: modelsSchema.optional(),
    /** Inactive versions a top-level model keeps loaded (LRU); default `server.max_loaded_versions`. */
    max_loaded_versions: z.number().int().min(1).optional(),
    alive: z
      .object({ process_store_required: z.array(z.string()).optional() })
      .strict()
      .optional(),
    /** The served model's traffic policy at start (canary, sticky A/B, shadow); `pld admin traffic` and `/admin/traffic` override it at runtime. */
    traffic: z
      .object({
        mode: z.enum(TRAFFIC_MODES),
        challenger: z.union([z.number().int().positive(), z.string()]).optional(),
        weight: z.number().min(0).max(1).optional(),
        shadow: z.boolean().optional(),
        key: z.union([z.object({ header: z.string().min(1) }).strict(), z.object({ query: z.string().min(1) }).strict()]).optional(),
      })
      .strict()
      .optional(),
    /** `false` turns `/metrics` and the request metrics off. */
    metrics: z.boolean().optional(),
    /** Adaptive micro-batching of predict calls (off by default). */
    batching: batchingSchema.optional(),
    server: z
      .object({
        host: z.string().optional(),
        port: z.number().int().min(0).max(65535).optional(),
        log_requests: z.boolean().optional(),
        body_limit: z.number().int().positive().optional(),
        /** Most rows in one POST batch (413 above). */
        max_batch_rows: z.number().int().positive().optional(),
        /** Milliseconds; 0 turns a timeout off. */
        request_timeout: z.number().int().min(0).optional(),
        connection_timeout: z.number().int().min(0).optional(),
        keep_alive_timeout: z.number().int().positive().optional(),
        shutdown_timeout: z.number().int().min(0).optional(),
        log_format: z.enum(['text', 'json']).optional(),
        workers: z.union([z.number().int().min(0), z.literal('auto')]).optional(),
        /** `false` turns `/metrics` off (as the top-level `metrics: false` does). */
        metrics: z.boolean().optional(),
        /** Opt-in routes to mount: `fit` (with `GET /jobs/{id}`), `activate`, `update-model-cache`, `traffic` (`/admin/traffic`). */
        routes: z.array(z.enum(['fit', 'activate', 'update-model-cache', 'traffic'])).optional(),
        /** `false` turns off `/openapi.json` and Swagger UI at `/docs`. */
        openapi: z.boolean().optional(),
        /** `false` removes the web dashboard at `/ui`. */
        ui: z.boolean().optional(),
        /** Inactive (pinned) versions each model keeps loaded, least recently used evicted first; default 4. */
        max_loaded_versions: z.number().int().min(1).optional(),
      })
      .strict()
      .optional(),
  })
  .passthrough();

/** The config keys each component kind lives under by convention; used to check kinds. */
export const COMPONENT_KEYS = {
  dataset_loader_train: 'loader',
  dataset_loader_test: 'loader',
  model: 'estimator',
  model_persister: 'persister',
  predict_service: 'service',
} as const;
