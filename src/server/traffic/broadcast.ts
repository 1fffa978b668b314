import cluster from 'node:cluster';

/** The IPC message a `--workers` worker sends after a traffic policy changed through it. */
export const TRAFFIC_CHANGED_MESSAGE = 'pld:traffic-changed';

type _Message = { readonly type?: unknown; readonly model?: unknown };

/**
 * In a `--workers` worker: tells the primary that `model`'s policy changed in the store, and the
 * primary tells every other worker (see `startClusterPrimary`), which re-reads it at once. A no-op in
 * a single process.
 * @example
 * announceTrafficChange('default');
 */
export function announceTrafficChange(model: string): void {
  if (cluster.isWorker) process.send?.({ type: TRAFFIC_CHANGED_MESSAGE, model });
}

/**
 * In a `--workers` worker: calls `listener` with the model name when another worker announced a
 * change. Returns a function that stops listening.
 * @example
 * const stop = onTrafficChange((model) => controllers.get(model)?.refresh());
 */
export function onTrafficChange(listener: (model: string) => void): () => void {
  if (!cluster.isWorker) return () => {};
  const handler = (message: _Message) => {
    if (message?.type === TRAFFIC_CHANGED_MESSAGE && typeof message.model === 'string') listener(message.model);
  };
  process.on('message', handler);
  return () => process.off('message', handler);
}

/**
 * In the primary: whether an IPC message is a traffic change to relay to the other workers.
 * @example
 * if (isTrafficChange(message)) for (const other of workers) other.send(message);
 */
export function isTrafficChange(message: unknown): message is { type: typeof TRAFFIC_CHANGED_MESSAGE; model: string } {
  const candidate = message as _Message | null;
  return typeof candidate === 'object' && candidate !== null && candidate.type === TRAFFIC_CHANGED_MESSAGE && typeof candidate.model === 'string';
}
