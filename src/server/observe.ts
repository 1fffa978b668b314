import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { FastifyInstance, FastifyReply, FastifyRequest, onResponseHookHandler } from 'fastify';
import type { Logger } from '../logging.js';
import type { ModelHolder } from '../service/model-holder.js';
import type { ServerMetrics } from './metrics.js';
import { answeredVersion } from './traffic/answered.js';

/** The header a request id is read from and echoed in. */
export const REQUEST_ID_HEADER = 'x-request-id';
/** The header naming the worker process that answered (`--workers` mode). */
export const WORKER_HEADER = 'x-pld-worker';

// A client's id is echoed into a header and the logs, so only plain tokens of sane length are taken.
const _SAFE_ID = /^[\w.:@/+=-]{1,128}$/;

/**
 * Fastify's `genReqId`: the client's `x-request-id` when it is a plain token, otherwise
 * `<random per process>-<counter>`, unique across workers and restarts without a UUID per request.
 * @example
 * Fastify({ genReqId: requestIdGenerator(), requestIdHeader: false });
 */
export function requestIdGenerator(): (request: IncomingMessage) => string {
  const prefix = randomBytes(4).toString('hex');
  let count = 0;
  return (request) => {
    const given = request.headers[REQUEST_ID_HEADER];
    if (typeof given === 'string' && _SAFE_ID.test(given)) return given;
    count += 1;
    return `${prefix}-${count.toString(36)}`;
  };
}

/** What {@link observeRequests} records. */
export interface ObserveOptions {
  readonly metrics?: ServerMetrics;
  /** Log one line per request (`server.log_requests`, `--log-requests`). */
  readonly log?: Logger;
  readonly holder: ModelHolder;
  /** Answer with `x-pld-worker: <pid>`. */
  readonly workerHeader?: boolean;
}

/**
 * Echoes the request id (and the worker pid in `--workers` mode) on every response, and records each
 * answered request in the metrics and the request log. The route pattern comes from a hook added to
 * each route as it is declared (`onRoute`), so the hot path neither builds `request.routeOptions` (a
 * fresh object per access) nor labels by raw URL. Must run before any route is added.
 * @example
 * observeRequests(app, { metrics, holder });
 */
export function observeRequests(app: FastifyInstance, options: ObserveOptions): void {
  const { metrics, log } = options;
  const worker = String(process.pid);
  app.addHook(
    'onRequest',
    options.workerHeader
      ? (request, reply, done) => {
          reply.header(REQUEST_ID_HEADER, request.id);
          reply.header(WORKER_HEADER, worker);
          done();
        }
      : (request, reply, done) => {
          reply.header(REQUEST_ID_HEADER, request.id);
          done();
        },
  );
  if (metrics === undefined && log === undefined) return;
  app.addHook('onRoute', (route) => {
    const url = route.url;
    const hook: onResponseHookHandler = (request, reply, done) => {
      recordRequest(options, url, request, reply);
      done();
    };
    const existing = route.onResponse;
    route.onResponse = existing === undefined ? [hook] : Array.isArray(existing) ? [...existing, hook] : [existing, hook];
  });
}

/**
 * Records one answered request. Requests no route matched (404, 405) are recorded from the not-found
 * handler, which per-route hooks do not see and for which fastify keeps no start time, so it passes
 * `elapsedMs` itself.
 * @example
 * recordRequest(options, undefined, request, reply, performance.now() - start);
 */
export function recordRequest(options: ObserveOptions, route: string | undefined, request: FastifyRequest, reply: FastifyReply, elapsedMs?: number): void {
  const status = reply.statusCode;
  const elapsed = elapsedMs ?? reply.elapsedTime;
  const answered = answeredVersion(request);
  options.metrics?.request(route, request.method, status, elapsed / 1000, answered);
  const log = options.log;
  if (log === undefined) return;
  const version = answered ?? options.holder.current?.metadata.version ?? null;
  if (log.fields !== undefined) {
    log.fields('INFO', 'request', {
      req_id: request.id,
      method: request.method,
      url: request.url,
      route: route ?? null,
      status,
      duration_ms: Math.round(elapsed * 1000) / 1000,
      model_version: version,
      ...(options.workerHeader ? { pid: process.pid } : {}),
    });
  } else {
    log.info(`${request.method} ${request.url} ${status} ${elapsed.toFixed(1)} ms req_id=${request.id}`);
  }
}
