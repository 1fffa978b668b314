import { fingerprint } from '../data/fingerprint.js';
import { PldError } from '../errors.js';
import type { SearchWorkerSummary } from '../evaluation/search/remote/worker.js';
import { timed } from '../logging.js';
import { loaderOf, type CommandContext } from './context.js';

/** `pld worker` options. */
export interface WorkerOptions {
  /** `redis://host:port`, the same URL `pld grid-search --backend` was given. */
  readonly backend?: string;
  /** BullMQ lock duration in ms (default 30 000). */
  readonly lockDuration?: number;
  /** Aborting (SIGINT/SIGTERM in the CLI) stops the worker. */
  readonly signal?: AbortSignal;
}

/**
 * A distributed-search worker: loads `dataset_loader_train` from its own config once, then runs the
 * fits of every `pld grid-search --backend` run it finds on the backend until stopped.
 * @example
 * await worker(ctx, { backend: 'redis://127.0.0.1:6379', signal });
 */
export async function worker(ctx: CommandContext, options: WorkerOptions): Promise<SearchWorkerSummary> {
  if (options.backend === undefined) throw new PldError('PLD_ERR_CLI_USAGE', 'pld worker needs --backend <url> (the Redis of pld grid-search --backend)');
  if (options.lockDuration !== undefined && !(options.lockDuration >= 100)) {
    throw new PldError('PLD_ERR_CLI_USAGE', `--lock-duration must be at least 100 (ms), got ${options.lockDuration}`);
  }
  const loader = await loaderOf(ctx, 'dataset_loader_train');
  const data = await timed(ctx.log, 'Loading data', () => loader.load());
  const { runSearchWorker } = await import('../evaluation/search/remote/worker.js');
  return runSearchWorker({
    url: options.backend,
    X: data.X,
    y: data.y,
    fingerprint: fingerprint(data.X, data.y),
    lockDuration: options.lockDuration,
    log: ctx.log,
    signal: options.signal,
  });
}
