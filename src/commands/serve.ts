import { availableParallelism } from 'node:os';
import { PldError } from '../errors.js';
import { createServer, type PldServer } from '../server/app.js';
import { isClusterWorker, leaveCluster, onPrimaryShutdown, startClusterPrimary } from '../server/cluster.js';
import { serverSettings } from '../server/settings.js';
import type { CommandContext } from './context.js';

/** `pld serve` options (Palladium's devserver flags, plus ours). */
export interface ServeOptions {
  readonly host?: string;
  readonly port?: number;
  readonly logRequests?: boolean;
  /** Worker processes: a count, `0` or `'auto'` for one per CPU; 1 (default) serves in this process. */
  readonly workers?: number | 'auto';
  /** `text` (default) or `json` log lines; the CLI picks the logger, commands only read it. */
  readonly logFormat?: 'text' | 'json';
}

/** A listening server. */
export interface ServeHandle extends PldServer {
  /** Base URL, e.g. `http://127.0.0.1:5000`. */
  readonly url: string;
  /**
   * Stops accepting connections, lets in-flight requests finish within `server.shutdown_timeout`, then
   * closes whatever is left. Resolves `true` when everything drained in time.
   */
  close(): Promise<boolean>;
}

/** A listening set of worker processes (`--workers N`). */
export interface ClusterHandle {
  readonly url: string;
  readonly workers: number;
  pids(): number[];
  /** Asks every worker to shut down gracefully and waits for them. */
  close(): Promise<void>;
}

/**
 * Builds the server for the config and listens (host 0.0.0.0, port 5000 by default, as Palladium).
 * @example
 * const server = await serve(ctx, { port: 0 }); // server.url
 */
export async function serve(ctx: CommandContext, options: ServeOptions = {}): Promise<ServeHandle> {
  const settings = ctx.config.value<{ host?: string; port?: number }>('server') ?? {};
  const { shutdownTimeout } = serverSettings(ctx.config);
  const built = await createServer(ctx, { logRequests: options.logRequests, workerHeader: isClusterWorker() });
  const host = options.host ?? settings.host ?? '0.0.0.0';
  const port = options.port ?? settings.port ?? 5000;
  await built.app.listen({ host, port });
  const address = built.app.server.address();
  const boundPort = typeof address === 'object' && address !== null ? address.port : port;
  const url = _url(host, boundPort);
  return { ...built, url, close: () => _closeGracefully(built, shutdownTimeout, ctx) };
}

/**
 * How many worker processes `options.workers` (or the config's `server.workers`) asks for: 0 and
 * `auto` mean one per CPU.
 * @example
 * workerCount(ctx, { workers: 'auto' }); // 2 on a two-core machine
 */
export function workerCount(ctx: CommandContext, options: ServeOptions = {}): number {
  const wanted = options.workers ?? serverSettings(ctx.config).workers;
  if (wanted === 'auto' || wanted === 0) return availableParallelism();
  if (!Number.isInteger(wanted) || wanted < 0) throw new PldError('PLD_ERR_CLI_USAGE', `--workers must be a whole number >= 0 or 'auto', got '${wanted}'`);
  return wanted;
}

/**
 * `pld serve --workers N` in the primary process: forks N workers running the same command line, which
 * each build the server, load the model (and follow a CachedUpdatePersister's schedule) on their own
 * and listen on the same port; restarts workers that die. Resolves once all listen.
 * @example
 * const cluster = await serveCluster(ctx, { workers: 2, port: 5000 }); // cluster.url
 */
export async function serveCluster(ctx: CommandContext, options: ServeOptions & { readonly workers: number }): Promise<ClusterHandle> {
  const settings = ctx.config.value<{ host?: string }>('server') ?? {};
  const { shutdownTimeout } = serverSettings(ctx.config);
  const primary = startClusterPrimary({ workers: options.workers, log: ctx.log, shutdownTimeout });
  try {
    const { port } = await primary.ready;
    return { url: _url(options.host ?? settings.host ?? '0.0.0.0', port), workers: options.workers, pids: primary.pids, close: primary.close };
  } catch (error) {
    await primary.close();
    throw new PldError('PLD_ERR_INTERNAL', `pld serve --workers ${options.workers} could not start: ${(error as Error).message}`, { cause: error });
  }
}

/**
 * True in a worker forked by {@link serveCluster}: it serves in-process and stops when the primary asks.
 * @example
 * if (isServeWorker()) { const server = await serve(ctx, options); whenPrimaryStops(() => server.close()); }
 */
export function isServeWorker(): boolean {
  return isClusterWorker();
}

/**
 * In a worker: calls `stop` when the primary asks for a graceful shutdown (or exits).
 * @example
 * whenPrimaryStops(resolve);
 */
export function whenPrimaryStops(stop: () => void): void {
  onPrimaryShutdown(stop);
}

/**
 * In a worker, once its server closed: leaves the cluster so the process can exit.
 * @example
 * await server.close(); leaveWorkerCluster();
 */
export function leaveWorkerCluster(): void {
  leaveCluster();
}

async function _closeGracefully(built: PldServer, timeout: number, ctx: CommandContext): Promise<boolean> {
  const closing = built.app.close();
  // A keep-alive connection whose request finished would otherwise stay open (and hold the close)
  // until its keep-alive timeout; closing idle ones as they appear lets the close end with the last request.
  const sweep = setInterval(() => built.app.server.closeIdleConnections(), 50);
  const drained = await _within(closing, timeout);
  clearInterval(sweep);
  if (drained) return true;
  ctx.log.warn(`Requests still running after server.shutdown_timeout (${timeout} ms); closing their connections`);
  built.app.server.closeAllConnections();
  // With the connections gone the close completes (and runs the onClose hooks) promptly.
  await _within(closing, 1000);
  return false;
}

async function _within(work: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  const done = await Promise.race([work.then(() => true), late]);
  clearTimeout(timer);
  return done;
}

function _url(host: string, port: number): string {
  return `http://${host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host}:${port}`;
}
