import type { Config } from '../config/config.js';
import { NO_TRAFFIC_POLICY, parseTrafficPolicy, type TrafficPolicy } from './policy.js';

/** The top-level config key of the (default) model's start-up traffic policy. */
export const TRAFFIC_CONFIG_KEY = 'traffic';

/**
 * The traffic policy a config sets at `key` (default `traffic`; a multi-model config passes
 * `models.<name>.traffic`'s value through {@link parseTrafficPolicy} the same way). Missing: `none`.
 * A bad value is `PLD_ERR_CONFIG_INVALID_PARAM` naming `traffic.<field>`.
 * @example
 * configuredTrafficPolicy(config); // { mode: 'canary', challenger: 2, weight: 0.1, shadow: false }
 */
export function configuredTrafficPolicy(config: Config, key = TRAFFIC_CONFIG_KEY): TrafficPolicy {
  if (!config.has(key)) return NO_TRAFFIC_POLICY;
  return parseTrafficPolicy(config.value(key), { path: key, code: 'PLD_ERR_CONFIG_INVALID_PARAM' });
}
