import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Options of {@link startRestServer}. */
export interface RestServerOptions {
  /** Accept only these Basic credentials or this Bearer token; none = no auth. */
  readonly auth?: { username: string; password: string } | { token: string };
  /** Send ETags and honour If-Match / If-None-Match (default true). */
  readonly etags?: boolean;
}

/** A running test server: its base URL, the stored bodies, a request log and a switch to fail with 500. */
export interface RestServer {
  readonly url: string;
  readonly files: Map<string, Uint8Array>;
  readonly requests: string[];
  failWith: number | undefined;
  close(): Promise<void>;
}

/**
 * A small artifact repository for tests: GET/HEAD/PUT/DELETE on any path, bodies in a Map, Basic or
 * Bearer auth, and ETags with If-Match / If-None-Match preconditions (412), like Artifactory or nginx WebDAV.
 * @example
 * const server = await startRestServer({ auth: { token: 't' } });
 */
export async function startRestServer(options: RestServerOptions = {}): Promise<RestServer> {
  const files = new Map<string, Uint8Array>();
  const requests: string[] = [];
  const etags = options.etags ?? true;
  const state = { failWith: undefined as number | undefined };
  const expected = _expectedAuthorization(options.auth);
  const server: Server = createServer(async (request, response) => {
    const path = new URL(request.url ?? '/', 'http://x').pathname;
    requests.push(`${request.method} ${path}`);
    const body = await _body(request);
    if (expected !== undefined && request.headers.authorization !== expected) {
      response.writeHead(401, { 'www-authenticate': 'Basic realm="models"' }).end('unauthorized');
      return;
    }
    if (state.failWith !== undefined) {
      response.writeHead(state.failWith).end('repository is down');
      return;
    }
    const stored = files.get(path);
    const tag = stored === undefined ? undefined : `"${createHash('sha1').update(stored).digest('hex')}"`;
    const tagHeader: Record<string, string> = etags && tag ? { etag: tag } : {};
    switch (request.method) {
      case 'GET':
      case 'HEAD':
        if (stored === undefined) response.writeHead(404).end();
        else response.writeHead(200, { 'content-length': stored.byteLength, ...tagHeader }).end(request.method === 'GET' ? stored : undefined);
        return;
      case 'PUT': {
        const ifMatch = request.headers['if-match'];
        const ifNoneMatch = request.headers['if-none-match'];
        if (etags && ((ifMatch !== undefined && ifMatch !== tag) || (ifNoneMatch === '*' && stored !== undefined))) {
          response.writeHead(412).end();
          return;
        }
        files.set(path, body);
        response.writeHead(stored === undefined ? 201 : 204).end();
        return;
      }
      case 'DELETE':
        response.writeHead(files.delete(path) ? 204 : 404).end();
        return;
      default:
        response.writeHead(405).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    files,
    requests,
    get failWith() {
      return state.failWith;
    },
    set failWith(value) {
      state.failWith = value;
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

function _expectedAuthorization(auth: RestServerOptions['auth']): string | undefined {
  if (auth === undefined) return undefined;
  return 'token' in auth ? `Bearer ${auth.token}` : `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}`;
}

async function _body(request: IncomingMessage): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return new Uint8Array(Buffer.concat(chunks));
}
