import { AsyncLocalStorage } from 'node:async_hooks';
import { PldError } from '../../errors.js';
import { INDEX_KEY, type StorageDriver } from './types.js';

/** Basic (`username`/`password`) or Bearer (`token`) credentials for a Rest store. */
export type HttpAuth = { readonly username: string; readonly password: string } | { readonly token: string };

/** Options of {@link httpStorage}. */
export interface HttpStorageOptions {
  /** The URL of each key; the layout belongs to the caller, e.g. the Rest persister. */
  readonly urlFor: (key: string) => string;
  readonly auth?: HttpAuth;
  /** Per request, default 30 s; a slower answer is `PLD_ERR_PERSIST_HTTP_UNREACHABLE`. */
  readonly timeoutMs?: number;
  /** How often a locked operation is retried after a `412 Precondition Failed`; default 10. */
  readonly maxRetries?: number;
  /** Names the store in messages; default the metadata URL. */
  readonly description?: string;
}

/**
 * A storage driver over plain HTTP: `GET` (404 = missing), `PUT`, `HEAD`, `DELETE`, with Basic or
 * Bearer auth, e.g. an artifact repository (Artifactory, Nexus, a WebDAV folder).
 *
 * HTTP has no locks, so `withLock` is an in-process mutex plus optimistic concurrency where the server
 * supports it: inside a locked operation, the metadata index is written with `If-Match: <ETag of the
 * read>` (`If-None-Match: *` when it did not exist) and new artifacts with `If-None-Match: *`; a
 * `412` re-runs the whole operation on fresh data (bounded, then `PLD_ERR_PERSIST_CONFLICT`). An
 * artifact that keeps conflicting while the index stays the same is taken as left behind by a crashed
 * writer and overwritten. Servers without ETags get no cross-process protection (see the docs).
 * @example
 * const storage = httpStorage({ urlFor: (key) => `https://repo/models/model-${key}.json.gz`, auth: { token: process.env.TOKEN! } });
 */
export function httpStorage(options: HttpStorageOptions): StorageDriver {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const maxRetries = options.maxRetries ?? 10;
  const authorization = _authorization(options.auth);
  const session = new AsyncLocalStorage<_Session>();
  let tail: Promise<unknown> = Promise.resolve();

  const request = async (method: string, key: string, init: { body?: Uint8Array; headers?: Record<string, string> } = {}): Promise<Response> => {
    const url = options.urlFor(key);
    let response: Response;
    try {
      response = await fetch(url, {
        method,
        headers: { ...(authorization ? { authorization } : {}), ...(init.body ? { 'content-type': 'application/octet-stream' } : {}), ...init.headers },
        body: init.body,
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      const cause = (error as Error & { cause?: Error }).cause?.message ?? (error as Error).message;
      const timedOut = (error as Error).name === 'TimeoutError';
      throw new PldError('PLD_ERR_PERSIST_HTTP_UNREACHABLE', `${method} ${url} failed: ${timedOut ? `no answer within ${timeoutMs / 1000} s` : cause}`, {
        cause: error,
        details: { url, method },
      });
    }
    if (response.status === 401 || response.status === 403) {
      await response.body?.cancel();
      const hint = options.auth === undefined ? 'no credentials were given; set `auth`' : 'check `auth` (username/password or token)';
      throw new PldError('PLD_ERR_PERSIST_HTTP_AUTH', `${method} ${url} was refused with HTTP ${response.status}: ${hint}`, { details: { url, method, status: response.status } });
    }
    return response;
  };

  const unexpected = async (method: string, key: string, response: Response): Promise<PldError> => {
    const url = options.urlFor(key);
    const text = (await response.text().catch(() => '')).slice(0, 200);
    return new PldError('PLD_ERR_PERSIST_HTTP_STATUS', `${method} ${url} answered HTTP ${response.status}${text ? `: ${text}` : ''}`, {
      details: { url, method, status: response.status },
    });
  };

  const runLocked = async <T>(fn: () => Promise<T>): Promise<T> => {
    let lastConflict: { key: string; indexTag: string | null | undefined } | undefined;
    let sameArtifactConflicts = 0;
    for (let attempt = 0; ; attempt++) {
      const state: _Session = { tags: new Map(), forceCreate: sameArtifactConflicts >= 4 };
      try {
        return await session.run(state, fn);
      } catch (error) {
        if (!(error instanceof _Conflict)) throw error;
        const indexTag = state.tags.get(INDEX_KEY);
        sameArtifactConflicts = error.key !== INDEX_KEY && lastConflict?.key === error.key && lastConflict.indexTag === indexTag ? sameArtifactConflicts + 1 : 0;
        lastConflict = { key: error.key, indexTag };
        if (attempt >= maxRetries) {
          throw new PldError(
            'PLD_ERR_PERSIST_CONFLICT',
            `${options.urlFor(error.key)} kept changing under ${attempt + 1} conditional writes (HTTP 412); another writer is busy, retry later`,
            { details: { url: options.urlFor(error.key) } },
          );
        }
        await new Promise((resolve) => setTimeout(resolve, Math.min(500, 20 * 2 ** attempt) * (0.5 + Math.random())));
      }
    }
  };

  return {
    async get(key) {
      const response = await request('GET', key);
      const state = session.getStore();
      if (response.status === 404) {
        await response.body?.cancel();
        state?.tags.set(key, null);
        return null;
      }
      if (!response.ok) throw await unexpected('GET', key, response);
      state?.tags.set(key, response.headers.get('etag') ?? undefined);
      return new Uint8Array(await response.arrayBuffer());
    },
    async put(key, bytes) {
      const state = session.getStore();
      const headers: Record<string, string> = {};
      // Conditions only inside a locked operation, and only where the server showed it speaks ETags.
      const indexTag = state?.tags.get(INDEX_KEY);
      if (state !== undefined && key === INDEX_KEY && typeof indexTag === 'string') headers['if-match'] = indexTag;
      else if (state !== undefined && key === INDEX_KEY && indexTag === null) headers['if-none-match'] = '*';
      else if (state !== undefined && key !== INDEX_KEY && indexTag !== undefined && !state.forceCreate) headers['if-none-match'] = '*';
      const response = await request('PUT', key, { body: bytes, headers });
      if (response.status === 412) {
        await response.body?.cancel();
        throw new _Conflict(key);
      }
      if (!response.ok) throw await unexpected('PUT', key, response);
      await response.body?.cancel();
    },
    async remove(key) {
      const response = await request('DELETE', key);
      await response.body?.cancel();
      if (!response.ok && response.status !== 404) throw await unexpected('DELETE', key, response);
    },
    async has(key) {
      const response = await request('HEAD', key);
      if (response.status === 404) return false;
      if (!response.ok) throw await unexpected('HEAD', key, response);
      return true;
    },
    withLock<T>(fn: () => Promise<T>): Promise<T> {
      const run = tail.then(
        () => runLocked(fn),
        () => runLocked(fn),
      );
      tail = run.catch(() => undefined);
      return run;
    },
    describe() {
      return options.description ?? options.urlFor(INDEX_KEY);
    },
  };
}

/** ETags seen by GETs of the current locked operation: a string, `null` for 404, absent if not read. */
interface _Session {
  readonly tags: Map<string, string | null | undefined>;
  /** Overwrite artifacts unconditionally: one kept conflicting while nobody changed the index (an orphan). */
  readonly forceCreate: boolean;
}

class _Conflict extends Error {
  constructor(readonly key: string) {
    super(`HTTP 412 on ${key}`);
  }
}

function _authorization(auth: HttpAuth | undefined): string | undefined {
  if (auth === undefined) return undefined;
  if ('token' in auth) return `Bearer ${auth.token}`;
  return `Basic ${Buffer.from(`${auth.username}:${auth.password}`, 'utf8').toString('base64')}`;
}
