import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from '../../logging.js';

/** What a hook learns about where it runs, beyond the request. */
export interface HookContext {
  /** The server's logger (Palladium-style lines on stderr under the CLI). */
  readonly log: Logger;
  /** The config list the hook came from, e.g. `predict_decorators`. */
  readonly listName: string;
}

/**
 * A hook (Palladium's decorator): runs before a route's handler. Throw a PldError (e.g.
 * `PLD_ERR_AUTH_INVALID_CREDENTIALS`) to refuse the request, or send a reply yourself; either way the
 * handler, and so the model, is never called. Return normally to let the request through.
 * @example
 * export const requireTeam: Hook = (request) => {
 *   if (request.headers['x-team'] !== 'ml') throw new PldError('PLD_ERR_AUTH_FORBIDDEN', 'x-team must be ml');
 * };
 */
export type Hook = (request: FastifyRequest, reply: FastifyReply, context: HookContext) => void | Promise<void>;

/** What an authenticating hook found out, for later hooks and handlers (`request.pldAuth`). */
export interface AuthInfo {
  readonly scheme: 'api-key' | 'basic' | 'bearer';
  /** The user name, JWT `sub`, or the index of the matching API key (`key-0`). */
  readonly subject: string;
  /** Verified JWT claims (bearer only). */
  readonly claims?: Readonly<Record<string, unknown>>;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the built-in auth hooks once the request's credentials check out. */
    pldAuth?: AuthInfo;
  }
}

/**
 * Type guard for a {@link Hook}: any function (its shape is checked when it runs).
 * @example
 * if (!isHook(value)) throw new Error('not a hook');
 */
export function isHook(value: unknown): value is Hook {
  return typeof value === 'function';
}
