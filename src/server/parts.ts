import type { FastifyInstance } from 'fastify';
import type { CommandContext } from '../commands/context.js';
import type { ModelPersister } from '../persistence/types.js';
import type { ModelHolder } from '../service/model-holder.js';
import type { PredictService } from '../service/predict-service.js';
import type { JobRegistry } from './jobs.js';
import type { ModelRegistry } from './models/registry.js';
import type { ServerMetrics } from './metrics.js';
import type { PredictionLog } from './prediction-log/prediction-log.js';
import type { ServerSettings } from './settings.js';
import type { TrafficController } from './traffic/controller.js';

/**
 * What every route group sees: the app, the config context, every served model, and the primary one's
 * store, holder, services and metadata (what Palladium's root routes serve; see `models.primary`).
 */
export interface ServerParts {
  readonly app: FastifyInstance;
  readonly ctx: CommandContext;
  readonly persister: ModelPersister;
  readonly holder: ModelHolder;
  readonly services: readonly PredictService[];
  readonly serviceMetadata: Readonly<Record<string, unknown>>;
  /** Every model the server serves, the primary one first. */
  readonly models: ModelRegistry;
  /** Background jobs (`POST /fit`), shown in `/alive`'s `process_metadata`. */
  readonly jobs: JobRegistry;
  /** The Prometheus metrics (`/metrics`), unless the config turned them off. */
  readonly metrics?: ServerMetrics;
  /** The `server` config keys with defaults (limits, timeouts). */
  readonly settings: ServerSettings;
  /** Opt-in, sampled prediction logging (`prediction_log`); the predict and OIP infer routes feed it. */
  readonly predictionLog?: PredictionLog;
  /** Each served model's traffic policy, by model name (today one: `default`). */
  readonly traffic: ReadonlyMap<string, TrafficController>;
  /** Records a route's path and methods, so other methods on it answer 405 with an `Allow` header. */
  declareRoute(path: string, methods: readonly string[]): void;
}

/** A group of routes (predict, alive/list, OpenAPI, metrics...): one file in `server/routes/`, one line in its index. */
export type RouteGroup = (parts: ServerParts) => void | Promise<void>;
