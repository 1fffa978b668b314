import { describePolicy, parseTrafficPolicy, policyToJson, type TrafficPolicy } from '../traffic/policy.js';
import { configuredTrafficPolicy } from '../traffic/config.js';
import { clearStoredPolicy, readStoredPolicy, writeStoredPolicy } from '../traffic/store.js';
import { activationInfo } from './activation.js';
import { persisterOf, type CommandContext } from './context.js';

/** A model's traffic policy as the store and the config set it (what `pld admin traffic show` prints). */
export interface TrafficShowResult {
  /** The policy servers put in force: the stored one, else the config's `traffic`, else `none`. */
  readonly policy: Record<string, unknown>;
  readonly description: string;
  readonly source: 'store' | 'config' | 'default';
  readonly updated_at?: string;
  readonly by?: string;
  readonly via?: string;
  /** The config's `traffic` (in force again after `pld admin traffic clear`). */
  readonly configured: Record<string, unknown>;
}

/**
 * The traffic policy in the model store and the config (`pld admin traffic show`).
 * @example
 * const { policy, source } = await showTraffic(ctx); // { mode: 'canary', ... }, 'store'
 */
export async function showTraffic(ctx: CommandContext): Promise<TrafficShowResult> {
  const configured = configuredTrafficPolicy(ctx.config);
  const persister = await persisterOf(ctx);
  const stored = await readStoredPolicy(persister).finally(() => persister.close?.());
  const policy = stored?.policy ?? configured;
  const source = stored !== undefined ? 'store' : configured.mode === 'none' ? 'default' : 'config';
  const audit = stored === undefined ? {} : { updated_at: stored.updated_at, by: stored.by, via: stored.via };
  return { policy: policyToJson(policy), description: describePolicy(policy), source, ...audit, configured: policyToJson(configured) };
}

/**
 * Stores a traffic policy (`pld admin traffic set`): `raw` as JSON gives it (`{"mode": "canary",
 * "challenger": 3, "weight": 0.2}`), checked like the admin route's body, and the challenger must be
 * a stored version. Servers of the store put it in force at their next check.
 * @example
 * await setTraffic(ctx, { mode: 'shadow', challenger: 3 });
 */
export async function setTraffic(ctx: CommandContext, raw: unknown): Promise<TrafficShowResult> {
  const policy: TrafficPolicy = parseTrafficPolicy(raw);
  const persister = await persisterOf(ctx);
  await writeStoredPolicy(persister, policy, activationInfo(ctx)).finally(() => persister.close?.());
  ctx.log.info(`Traffic policy set: ${describePolicy(policy)}.`);
  return showTraffic(ctx);
}

/**
 * Removes the stored traffic policy (`pld admin traffic clear`): servers go back to the config's
 * `traffic`, or to `none`.
 * @example
 * await clearTraffic(ctx);
 */
export async function clearTraffic(ctx: CommandContext): Promise<TrafficShowResult> {
  const persister = await persisterOf(ctx);
  await clearStoredPolicy(persister).finally(() => persister.close?.());
  ctx.log.info('Traffic policy cleared.');
  return showTraffic(ctx);
}
