import type { CommandContext } from '../../commands/context.js';
import type { ServeOptions } from '../../commands/serve.js';
import { createJsonLogger, type LogLevel } from '../../logging.js';
import type { CliCommand, CliEnv } from '../define.js';
import { addFlags } from '../define.js';
import { SERVE_FLAGS } from '../options.js';

/**
 * `pld serve`, alias `pld devserver` (Palladium's `pld-devserver`). SIGTERM or SIGINT stops it
 * gracefully: no new connections, in-flight requests finish within `server.shutdown_timeout`, exit 0.
 * With `--workers N` this process is the primary of N worker processes (node:cluster).
 */
export const serveCommand: CliCommand = (program, env) => {
  const command = program.command('serve').alias('devserver').description('serve /predict, /alive, /list and /metrics over HTTP');
  const options = addFlags(command, SERVE_FLAGS);
  command.action(async () => {
    const opts = options();
    await env.run(async () => {
      // Loaded here, not at start-up: fastify and prom-client are a large share of every other command's start time.
      const { isServeWorker, serve, workerCount } = await import('../../commands/serve.js');
      const { serverSettings } = await import('../../server/settings.js');
      const loaded = await env.context({ allModels: true });
      const ctx = _withLogFormat(loaded, opts.logFormat ?? serverSettings(loaded.config).logFormat, program.opts<{ logLevel: string }>().logLevel, env);
      if (isServeWorker()) return _worker(ctx, opts);
      const workers = workerCount(ctx, opts);
      if (workers > 1) return _primary(ctx, opts, workers);
      const server = await serve(ctx, opts);
      const service = server.services[0];
      ctx.log.info(`Serving on ${server.url}`);
      // The hint is for people at a terminal; with JSON logs every stderr line stays one JSON object.
      if (service && ctx.log === loaded.log) env.out.stderr(`Try: curl '${server.url}${service.entryPoint}?${_exampleQuery(service.options.mapping)}'\n`);
      const signal = await _untilSignal();
      ctx.log.info(`${signal}: shutting down; waiting for requests in flight`);
      await server.close();
      ctx.log.info('Server stopped');
      return 0;
    }, false);
  });
};

async function _primary(ctx: CommandContext, opts: ServeOptions, workers: number): Promise<number> {
  const { serveCluster } = await import('../../commands/serve.js');
  const cluster = await serveCluster(ctx, { ...opts, workers });
  ctx.log.info(`Serving on ${cluster.url} with ${workers} workers (pids ${cluster.pids().join(', ')})`);
  const signal = await _untilSignal();
  ctx.log.info(`${signal}: asking the workers to shut down gracefully`);
  await cluster.close();
  ctx.log.info('All workers stopped');
  return 0;
}

async function _worker(ctx: CommandContext, opts: ServeOptions): Promise<number> {
  const { leaveWorkerCluster, serve, whenPrimaryStops } = await import('../../commands/serve.js');
  const server = await serve(ctx, opts);
  await new Promise<void>((resolve) => {
    whenPrimaryStops(resolve);
    void _untilSignal().then(() => resolve());
  });
  await server.close();
  leaveWorkerCluster();
  return 0;
}

function _withLogFormat(ctx: CommandContext, format: 'text' | 'json', level: string, env: CliEnv): CommandContext {
  if (format !== 'json') return ctx;
  return { ...ctx, log: createJsonLogger((line) => env.out.stderr(`${line}\n`), level.toUpperCase() as LogLevel) };
}

function _exampleQuery(mapping: readonly (readonly [string, string])[]): string {
  return mapping.map(([name, type]) => `${encodeURIComponent(name)}=${type === 'str' ? 'x' : type === 'bool' ? 'true' : '1'}`).join('&');
}

function _untilSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const stop = (signal: NodeJS.Signals) => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve(signal);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
