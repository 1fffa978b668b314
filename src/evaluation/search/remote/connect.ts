import { Redis } from 'ioredis';
import { PldError } from '../../../errors.js';
import { checkBackendUrl, redactUrl } from './protocol.js';

/** How long `--backend` may take to answer before the command gives up. */
export const CONNECT_TIMEOUT_MS = 5_000;

/**
 * Opens a Redis connection and proves it with a PING within `timeoutMs`; otherwise fails with
 * PLD_ERR_EVAL_BACKEND_UNREACHABLE naming the URL (ioredis alone would retry forever). The connection
 * returned reconnects on its own later, with BullMQ's required `maxRetriesPerRequest: null`.
 * @example
 * const redis = await connectBackend('redis://127.0.0.1:6379');
 */
export async function connectBackend(url: string, timeoutMs = CONNECT_TIMEOUT_MS): Promise<Redis> {
  checkBackendUrl(url);
  let failed = false;
  let ready = false;
  const client = new Redis(url, {
    lazyConnect: true,
    connectTimeout: timeoutMs,
    maxRetriesPerRequest: null,
    // Give up at once while the first connection is being proven; reconnect with backoff afterwards.
    retryStrategy: (times) => (failed || !ready ? null : Math.min(times * 200, 2_000)),
  });
  // ioredis reports the socket's cause (ECONNREFUSED, ENOTFOUND) here and only "Connection is closed" from connect().
  let lastError: Error | undefined;
  client.on('error', (error: Error) => {
    lastError = error;
  });
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      client.connect().then(() => client.ping()),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs / 1000} s`)), timeoutMs);
      }),
    ]);
    ready = true;
    return client;
  } catch (error) {
    failed = true;
    client.disconnect();
    throw new PldError('PLD_ERR_EVAL_BACKEND_UNREACHABLE', `Cannot reach the search backend ${redactUrl(url)}: ${_reason(lastError ?? error)}`, {
      details: { backend: redactUrl(url) },
      cause: error,
    });
  } finally {
    clearTimeout(timer);
  }
}

function _reason(error: unknown): string {
  const { code, message } = error as { code?: string; message?: string };
  const text = message || String(error);
  return code !== undefined && !text.includes(code) ? `${code} ${text}` : text;
}
