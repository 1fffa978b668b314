import type { FastifyRequest } from 'fastify';

// Only requests a challenger answered are marked; every other request was answered by the active version.
const _answered = new WeakMap<FastifyRequest, number>();

/**
 * Records that `version` (a challenger) answered `request`, so the request metrics and the request
 * log name the version that answered instead of the active one.
 * @example
 * markAnswered(request, 2);
 */
export function markAnswered(request: FastifyRequest, version: number): void {
  _answered.set(request, version);
}

/**
 * The version a traffic policy routed `request` to, or `undefined` when the active version answered.
 * @example
 * const version = answeredVersion(request) ?? holder.current?.metadata.version;
 */
export function answeredVersion(request: FastifyRequest): number | undefined {
  return _answered.get(request);
}
