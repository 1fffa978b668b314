import type { Properties } from '../persistence/types.js';
import { persisterOf, type CommandContext } from './context.js';

/** `pld upgrade` options (Palladium's `--from`/`--to`, store layout versions as in `db-version`). */
export interface UpgradeOptions {
  /** The layout the store has now; default its `db-version`. */
  readonly from?: string;
  /** The layout to go to; default the newest this program knows. */
  readonly to?: string;
}

/** What an upgrade did. */
export interface UpgradeResult {
  /** Names of the steps run, in order; empty when the store was current. */
  readonly steps: string[];
  /** `db-version` after the upgrade. */
  readonly dbVersion: string | undefined;
}

/**
 * Migrates the model store's layout (`pld upgrade`): runs the persister's named upgrade steps between
 * `from` and `to` (a Database store's schema migrations, a File store's legacy-index conversion).
 * @example
 * const { steps } = await upgrade(ctx, {}); // ['sql-model-activations']
 */
export async function upgrade(ctx: CommandContext, options: UpgradeOptions = {}): Promise<UpgradeResult> {
  const persister = await persisterOf(ctx);
  try {
    const steps = await persister.upgrade(options.from, options.to);
    for (const step of steps) ctx.log.info(`Ran upgrade step ${step}.`);
    const properties: Properties = await persister.listProperties();
    return { steps, dbVersion: properties['db-version'] };
  } finally {
    await persister.close?.();
  }
}
