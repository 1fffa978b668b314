import { PldError } from '../errors.js';
import type { Version } from '../persistence/types.js';
import { parseVersion } from '../persistence/version.js';
import { activationInfo } from './activation.js';
import { persisterOf, type CommandContext } from './context.js';

/** What a rollback did. */
export interface RollbackResult {
  /** The version active now. */
  readonly version: Version;
  /** The version that was active before the rollback. */
  readonly from: Version;
}

/**
 * Re-activates the version that was active before the current one (`pld admin rollback`), read from
 * the activation history: the newest record that activated the current version names it. Rolling
 * back twice therefore toggles between the two versions; it is not a multi-step undo.
 * `PLD_ERR_PERSIST_NO_ROLLBACK` when nothing is active, the store keeps no history, or the current
 * version was the first one activated.
 * @example
 * const { version, from } = await rollback(ctx); // version 1, from 2
 */
export async function rollback(ctx: CommandContext): Promise<RollbackResult> {
  const persister = await persisterOf(ctx);
  const active = (await persister.listProperties())['active-model'];
  if (active === undefined) throw _none('the store has no active model');
  const from = parseVersion(active, 'active-model');
  if (!persister.history) throw _none('this model store keeps no activation history');
  const history = await persister.history();
  const record = history.findLast((entry) => entry.version === from);
  if (record === undefined || record.previous === null) throw _none(`no version was active before version ${from}`);
  const version = parseVersion(record.previous, 'history.previous');
  await persister.activate(version, activationInfo(ctx));
  ctx.log.info(`Rolled back from version ${from} to version ${version}.`);
  return { version, from };
}

function _none(why: string): PldError {
  return new PldError('PLD_ERR_PERSIST_NO_ROLLBACK', `Nothing to roll back to: ${why}. Activate a version with \`pld admin activate <version>\`; \`pld list\` shows the history.`);
}
