import type { Version } from '../persistence/types.js';
import { activationInfo } from './activation.js';
import { persisterOf, type CommandContext } from './context.js';

/**
 * Makes `version` the active model (`pld admin activate <version>`); unknown versions are an error.
 * @example
 * await activate(ctx, parseVersion('1'));
 */
export async function activate(ctx: CommandContext, version: Version): Promise<void> {
  const persister = await persisterOf(ctx);
  await persister.activate(version, activationInfo(ctx)).finally(() => persister.close?.());
  ctx.log.info(`Activated model with version ${version}.`);
}

/**
 * Deletes a stored version (`pld admin delete <version>`); the active version only with `force`
 * (`--force`), which leaves the store without an active model.
 * @example
 * await remove(ctx, parseVersion('2'));
 */
export async function remove(ctx: CommandContext, version: Version, options: { force?: boolean } = {}): Promise<void> {
  const persister = await persisterOf(ctx);
  await persister.delete(version, options).finally(() => persister.close?.());
  ctx.log.info(`Deleted model with version ${version}.`);
}
