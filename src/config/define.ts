/** A component spec: a registry name or `./file.ts#Export` under `__factory__` (or `!`), plus its parameters. */
export type ComponentSpec = { __factory__: string; [param: string]: unknown } | { '!': string; [param: string]: unknown };

/** A `__copy__` reference to another dotted path, with other keys merged over the copy. */
export type CopySpec = { __copy__: string; __default__?: unknown; [key: string]: unknown };

/**
 * The config file's shape: Palladium's top-level keys, plus ours. Any other key may hold a component
 * (e.g. a second PredictService) or plain data.
 */
export interface PalladiumConfig {
  dataset_loader_train?: ComponentSpec | CopySpec;
  dataset_loader_test?: ComponentSpec | CopySpec;
  model?: ComponentSpec | CopySpec;
  grid_search?: Record<string, unknown> | ComponentSpec;
  model_persister?: ComponentSpec | CopySpec;
  predict_service?: ComponentSpec | CopySpec;
  scoring?: string | string[] | Record<string, string>;
  service_metadata?: Record<string, unknown>;
  alive?: { process_store_required?: string[] };
  server?: {
    host?: string;
    port?: number;
    log_requests?: boolean;
    body_limit?: number;
    max_batch_rows?: number;
    request_timeout?: number;
    connection_timeout?: number;
    keep_alive_timeout?: number;
    shutdown_timeout?: number;
    log_format?: 'text' | 'json';
    workers?: number | 'auto';
    metrics?: boolean;
    /** `false` turns off `/openapi.json` and Swagger UI at `/docs`. */
    openapi?: boolean;
    /** Opt-in routes: `fit`, `activate`, `update-model-cache`, `traffic`. */
    routes?: ('fit' | 'activate' | 'update-model-cache' | 'traffic')[];
  };
  metrics?: boolean;
  /** The served model's traffic policy at start; see docs/reference/web-service.md, "Traffic policies". */
  traffic?:
    | { mode: 'none' }
    | { mode: 'canary'; challenger: number; weight: number; shadow?: boolean }
    | { mode: 'sticky'; challenger: number; weight?: number; key?: { header: string } | { query: string }; shadow?: boolean }
    | { mode: 'shadow'; challenger: number };
  [key: string]: unknown;
}

/**
 * Types a `.ts`/`.js` config; returns it unchanged.
 * @example
 * export default defineConfig({ model: { __factory__: 'DecisionTreeClassifier', min_samples_leaf: 1 } });
 */
export function defineConfig<const C extends PalladiumConfig>(config: C): C {
  return config;
}
