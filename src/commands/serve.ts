import { createServer, type PldServer } from '../server/app.js';
import type { CommandContext } from './context.js';

/** `pld serve` options (Palladium's devserver flags). */
export interface ServeOptions {
  readonly host?: string;
  readonly port?: number;
  readonly logRequests?: boolean;
}

/** A listening server. */
export interface ServeHandle extends PldServer {
  /** Base URL, e.g. `http://127.0.0.1:5000`. */
  readonly url: string;
  close(): Promise<void>;
}

/**
 * Builds the server for the config and listens (host 0.0.0.0, port 5000 by default, as Palladium).
 * @example
 * const server = await serve(ctx, { port: 0 }); // server.url
 */
export async function serve(ctx: CommandContext, options: ServeOptions = {}): Promise<ServeHandle> {
  const settings = ctx.config.value<{ host?: string; port?: number }>('server') ?? {};
  const built = await createServer(ctx, { logRequests: options.logRequests });
  const host = options.host ?? settings.host ?? '0.0.0.0';
  const port = options.port ?? settings.port ?? 5000;
  await built.app.listen({ host, port });
  const address = built.app.server.address();
  const boundPort = typeof address === 'object' && address !== null ? address.port : port;
  const url = `http://${host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host}:${boundPort}`;
  return { ...built, url, close: () => built.app.close() };
}
