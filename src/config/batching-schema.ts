import { z } from 'zod';

/**
 * The `batching` config value, at the top level (every model) or in a model entry (that model; its keys
 * win over the top level's): `true`, `false`, or `{ enabled, max_batch_size, max_batch_wait_ms }`.
 * An object without `enabled` turns batching on.
 * @example
 * batchingSchema.parse({ enabled: true, max_batch_size: 32 });
 */
export const batchingSchema = z.union([
  z.boolean(),
  z
    .object({
      enabled: z.boolean().optional(),
      /** Most rows in one model call (default 64). */
      max_batch_size: z.number().int().min(1).max(100_000).optional(),
      /** Longest a request waits for others to share its model call, in ms (default 5; 0: never waits). */
      max_batch_wait_ms: z.number().min(0).max(60_000).optional(),
    })
    .strict(),
]);

/** A `batching` config value as written. */
export type BatchingConfig = z.input<typeof batchingSchema>;
