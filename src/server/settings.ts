import { STATUS_CODES, createServer as createHttpServer, type RequestListener, type Server } from 'node:http';
import type { Socket } from 'node:net';
import type { Config } from '../config/config.js';
import { PldError } from '../errors.js';
import { errorBody } from './responses.js';

/** The `server` config keys that shape the HTTP server, with their defaults applied. */
export interface ServerSettings {
  /** Largest request body, in bytes (default 10 MiB). */
  readonly bodyLimit: number;
  /** Most rows one predict batch may have (default 100 000). */
  readonly maxBatchRows: number;
  /** Time allowed to receive a whole request, headers and body, in ms (default 30 000; 0: none). */
  readonly requestTimeout: number;
  /** Socket inactivity limit in ms (default 0: none; `request_timeout` already bounds slow clients). */
  readonly connectionTimeout: number;
  /** How long an idle keep-alive connection stays open, in ms (default 72 000, above common load balancers' 60 s). */
  readonly keepAliveTimeout: number;
  /** Grace period for in-flight requests on SIGTERM/SIGINT, in ms (default 10 000). */
  readonly shutdownTimeout: number;
  /** Log lines as text (Palladium's `INFO:palladium:...`) or one JSON object per line. */
  readonly logFormat: 'text' | 'json';
  /** `pld serve --workers` from the config: a count, or `auto` (one per CPU). Default 1 (no cluster). */
  readonly workers: number | 'auto';
}

/** The raw `server` config value (see `config/schema.ts`). */
export interface ServerConfig {
  readonly host?: string;
  readonly port?: number;
  readonly log_requests?: boolean;
  readonly body_limit?: number;
  readonly max_batch_rows?: number;
  readonly request_timeout?: number;
  readonly connection_timeout?: number;
  readonly keep_alive_timeout?: number;
  readonly shutdown_timeout?: number;
  readonly log_format?: 'text' | 'json';
  readonly workers?: number | 'auto';
  readonly metrics?: boolean;
  readonly ui?: boolean;
}

/**
 * The config's `server` settings with defaults.
 * @example
 * serverSettings(config).maxBatchRows; // 100000
 */
export function serverSettings(config: Config): ServerSettings {
  const raw = config.value<ServerConfig>('server') ?? {};
  return {
    bodyLimit: raw.body_limit ?? 10 * 1024 * 1024,
    maxBatchRows: raw.max_batch_rows ?? 100_000,
    requestTimeout: raw.request_timeout ?? 30_000,
    connectionTimeout: raw.connection_timeout ?? 0,
    keepAliveTimeout: raw.keep_alive_timeout ?? 72_000,
    shutdownTimeout: raw.shutdown_timeout ?? 10_000,
    logFormat: raw.log_format ?? 'text',
    workers: raw.workers ?? 1,
  };
}

/**
 * A fastify `serverFactory` applying the timeouts. Fastify's own options cannot set how often Node
 * checks `requestTimeout` (every 30 s by default), so a stalled client would hold its connection up to
 * 30 s past the limit; checking at a quarter of the limit (at most once a second) keeps the bound tight.
 * @example
 * Fastify({ serverFactory: httpServerFactory(settings) });
 */
export function httpServerFactory(settings: ServerSettings): (handler: RequestListener) => Server {
  const { requestTimeout } = settings;
  return (handler) => {
    const server = createHttpServer(
      {
        requestTimeout,
        // Node requires headersTimeout <= requestTimeout.
        headersTimeout: requestTimeout > 0 ? Math.min(requestTimeout, 60_000) : 60_000,
        connectionsCheckingInterval: requestTimeout > 0 ? Math.max(50, Math.min(1000, Math.floor(requestTimeout / 4))) : 30_000,
        keepAliveTimeout: settings.keepAliveTimeout,
      },
      handler,
    );
    server.setTimeout(settings.connectionTimeout);
    return server;
  };
}

/**
 * Answers errors Node raises before fastify sees a request (a client too slow to send its request,
 * oversized headers, unparsable HTTP) with Palladium's error JSON instead of fastify's own shape.
 * @example
 * Fastify({ clientErrorHandler: clientErrorHandler(settings, serviceMetadata) });
 */
export function clientErrorHandler(settings: ServerSettings, serviceMetadata: Readonly<Record<string, unknown>>): (error: Error & { code?: string }, socket: Socket) => void {
  return (error, socket) => {
    // A reset connection has nobody left to answer.
    if (error.code === 'ECONNRESET' || socket.destroyed) return;
    const pld =
      error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? new PldError('PLD_ERR_SERVER_REQUEST_TIMEOUT', `The request was not received in full within server.request_timeout (${settings.requestTimeout} ms)`)
        : error.code === 'HPE_HEADER_OVERFLOW'
          ? new PldError('PLD_ERR_PREDICT_BAD_INPUT', 'The request headers are larger than the server accepts (16 KiB)')
          : new PldError('PLD_ERR_PREDICT_BAD_INPUT', `The request is not valid HTTP (${error.code ?? error.message})`);
    const status = error.code === 'HPE_HEADER_OVERFLOW' ? 431 : pld.status;
    const body = JSON.stringify(errorBody(pld, serviceMetadata));
    if (socket.writable) {
      socket.write(
        `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
      );
    }
    socket.destroy();
  };
}
