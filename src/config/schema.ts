import { z } from 'zod';
import { batchingSchema } from './batching-schema.js';
import { TRAFFIC_MODES } from '../traffic/policy.js';

/**
 * Plain (non-component) top-level keys and their shapes; components (`model`, `dataset_loader_*`,
 * `model_persister`, `predict_service`...) are validated by their registry entry when created.
 */
export const topLevelSchema = z
  .object({
    service_metadata: z.record(z.string(), z.unknown()).optional(),
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
