import { hostname, userInfo } from 'node:os';
import type { ActivationInfo } from '../persistence/types.js';
import type { CommandContext } from './context.js';

/**
 * Who is activating and from where, for the activation history: `user@host` of this process and the
 * context's `via` (`'cli'` from `pld`, `'api'` when a program calls the commands).
 * @example
 * await persister.activate(version, activationInfo(ctx)); // { by: 'alice@build-1', via: 'cli' }
 */
export function activationInfo(ctx: CommandContext): ActivationInfo {
  return { by: `${_user()}@${hostname()}`, via: ctx.via ?? 'api' };
}

function _user(): string {
  try {
    return userInfo().username;
  } catch {
    // Containers often run under a uid without a passwd entry.
    return process.env.USER ?? process.env.USERNAME ?? String(process.getuid?.() ?? 'unknown');
  }
}
