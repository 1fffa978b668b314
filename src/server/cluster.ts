import cluster, { type Worker } from 'node:cluster';
import { AggregatorRegistry, type Registry } from 'prom-client';
import { PldError } from '../errors.js';
import type { Logger } from '../logging.js';
import { isTrafficChange } from './traffic/broadcast.js';

// Messages between the primary and its workers (prom-client adds its own for metrics collection).
const _SHUTDOWN = 'pld:shutdown';
const _METRICS_REQUEST = 'pld:metrics-request';
const _METRICS_RESPONSE = 'pld:metrics-response';

/** A worker that lived this long before dying is restarted at once; faster crashes back off. */
const _HEALTHY_AFTER_MS = 10_000;
const _FIRST_DELAY_MS = 100;
const _MAX_DELAY_MS = 10_000;
/** How long a worker waits for the primary's aggregated metrics. */
const _METRICS_TIMEOUT_MS = 5_000;

type Message = { readonly type?: unknown; readonly id?: unknown; readonly text?: unknown; readonly error?: unknown };

/** `pld serve --workers N` as a primary process sees it. */
export interface ClusterPrimaryOptions {
  readonly workers: number;
  readonly log: Logger;
  /** Each worker's grace period for in-flight requests (`server.shutdown_timeout`); the primary waits a little longer. */
  readonly shutdownTimeout: number;
}

/** A running set of workers. */
export interface ClusterPrimary {
  /** Resolves with the port once every first worker listens; rejects when one exits before it did. */
  readonly ready: Promise<{ readonly port: number; readonly address: string }>;
  /** The pids of the live workers. */
  pids(): number[];
  /** Asks every worker to shut down gracefully and resolves once all exited (stragglers are killed). */
  close(): Promise<void>;
}

/**
 * True in a process forked by {@link startClusterPrimary}.
 * @example
 * if (isClusterWorker()) await serve(ctx, options);
 */
export function isClusterWorker(): boolean {
  return cluster.isWorker;
}

/**
 * Forks `workers` copies of this process (same argv), which each build the server and listen on the
 * same port (Node's cluster hands connections out round-robin). A worker that dies is restarted, after
 * a delay that doubles while workers keep dying young; `/metrics` requests from workers are answered
 * with every worker's metrics aggregated.
 * @example
 * const primary = startClusterPrimary({ workers: 2, log, shutdownTimeout: 10_000 });
 * const { port } = await primary.ready;
 */
export function startClusterPrimary(options: ClusterPrimaryOptions): ClusterPrimary {
  const { log } = options;
  const aggregator = new AggregatorRegistry();
  const started = new Map<Worker, number>();
  const timers = new Set<NodeJS.Timeout>();
  let delay = _FIRST_DELAY_MS;
  let stopping = false;
  let listening = 0;
  let settle: { resolve: (value: { port: number; address: string }) => void; reject: (error: Error) => void } | undefined;
  const ready = new Promise<{ port: number; address: string }>((resolve, reject) => {
    settle = { resolve, reject };
  });

  const fork = (): void => {
    const worker = cluster.fork();
    started.set(worker, Date.now());
  };

  cluster.on('listening', (worker, address) => {
    log.info(`Worker ${worker.process.pid} is listening`);
    if (settle === undefined) return;
    listening += 1;
    if (listening === options.workers) {
      settle.resolve({ port: address.port, address: address.address ?? '' });
      settle = undefined;
    }
  });
  cluster.on('message', (worker, message: Message) => {
    if (isTrafficChange(message)) {
      // A traffic policy changed through one worker: the others re-read it from the store now.
      for (const other of started.keys()) if (other !== worker && other.isConnected()) other.send(message);
      return;
    }
    if (message?.type !== _METRICS_REQUEST) return;
    aggregator.clusterMetrics().then(
      (text) => worker.isConnected() && worker.send({ type: _METRICS_RESPONSE, id: message.id, text }),
      (error: Error) => worker.isConnected() && worker.send({ type: _METRICS_RESPONSE, id: message.id, error: error.message }),
    );
  });
  cluster.on('exit', (worker, code, signal) => {
    const born = started.get(worker) ?? Date.now();
    started.delete(worker);
    if (stopping) return;
    const how = signal ? `signal ${signal}` : `code ${code}`;
    if (settle !== undefined) {
      // A worker that cannot even start (bad config, port taken) would only fail again.
      stopping = true;
      settle.reject(new Error(`Worker ${worker.process.pid} exited with ${how} before listening`));
      settle = undefined;
      for (const other of started.keys()) other.process.kill('SIGTERM');
      return;
    }
    delay = Date.now() - born >= _HEALTHY_AFTER_MS ? _FIRST_DELAY_MS : Math.min(delay * 2, _MAX_DELAY_MS);
    log.warn(`Worker ${worker.process.pid} exited with ${how}; starting a new one in ${delay} ms`);
    const timer = setTimeout(() => {
      timers.delete(timer);
      if (!stopping) fork();
    }, delay);
    timers.add(timer);
  });

  for (let i = 0; i < options.workers; i++) fork();

  return {
    ready,
    pids: () => [...started.keys()].map((worker) => worker.process.pid ?? 0).filter((pid) => pid > 0),
    close: async () => {
      stopping = true;
      for (const timer of timers) clearTimeout(timer);
      const workers = [...started.keys()];
      const exited = workers.map((worker) => new Promise<void>((resolve) => (worker.isDead() ? resolve() : worker.once('exit', () => resolve()))));
      for (const worker of workers) if (worker.isConnected()) worker.send({ type: _SHUTDOWN });
      const deadline = setTimeout(() => {
        for (const worker of workers) {
          if (worker.isDead()) continue;
          log.warn(`Worker ${worker.process.pid} did not stop within server.shutdown_timeout; killing it`);
          worker.process.kill('SIGKILL');
        }
      }, options.shutdownTimeout + 2000);
      await Promise.all(exited);
      clearTimeout(deadline);
    },
  };
}

/**
 * In a worker: calls `stop` once when the primary asks for a graceful shutdown or goes away (so a
 * killed primary leaves no orphans behind).
 * @example
 * onPrimaryShutdown(() => server.close());
 */
export function onPrimaryShutdown(stop: () => void): void {
  let called = false;
  const once = () => {
    if (called) return;
    called = true;
    stop();
  };
  process.on('message', (message: Message) => {
    if (message?.type === _SHUTDOWN) once();
  });
  process.on('disconnect', once);
}

/**
 * In a worker, after the server closed: leaves the cluster, so the IPC channel no longer keeps the
 * process alive and the primary sees an orderly exit.
 * @example
 * await server.close(); leaveCluster();
 */
export function leaveCluster(): void {
  if (cluster.worker?.isConnected()) cluster.worker.disconnect();
}

/**
 * In a worker: lets the primary collect `registry` for aggregation (prom-client answers its requests).
 * @example
 * shareWorkerMetrics(metrics.registry);
 */
export function shareWorkerMetrics(registry: Registry): void {
  // Constructing one installs prom-client's worker-side listener.
  new AggregatorRegistry();
  AggregatorRegistry.setRegistries([registry]);
}

const _pending = new Map<number, { resolve: (text: string) => void; reject: (error: Error) => void; timer: NodeJS.Timeout }>();
let _nextId = 0;
let _listening = false;

/**
 * In a worker: every worker's metrics, aggregated by the primary, in Prometheus' text format.
 * Rejects with PLD_ERR_SERVER_METRICS_UNAVAILABLE when the primary does not answer in time.
 * @example
 * const text = await clusterMetrics();
 */
export function clusterMetrics(): Promise<string> {
  if (!_listening) {
    _listening = true;
    process.on('message', (message: Message) => {
      if (message?.type !== _METRICS_RESPONSE || typeof message.id !== 'number') return;
      const request = _pending.get(message.id);
      if (request === undefined) return;
      _pending.delete(message.id);
      clearTimeout(request.timer);
      if (typeof message.text === 'string') request.resolve(message.text);
      else request.reject(new PldError('PLD_ERR_SERVER_METRICS_UNAVAILABLE', `Collecting the workers' metrics failed: ${String(message.error)}`));
    });
  }
  return new Promise((resolve, reject) => {
    const id = _nextId++;
    const timer = setTimeout(() => {
      _pending.delete(id);
      reject(new PldError('PLD_ERR_SERVER_METRICS_UNAVAILABLE', `The primary process did not send the workers' metrics within ${_METRICS_TIMEOUT_MS} ms`));
    }, _METRICS_TIMEOUT_MS);
    _pending.set(id, { resolve, reject, timer });
    process.send?.({ type: _METRICS_REQUEST, id });
  });
}
