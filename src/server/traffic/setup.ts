import type { Registry } from 'prom-client';
import type { Logger } from '../../logging.js';
import type { ModelHolder } from '../../service/model-holder.js';
import type { TrafficPolicy } from '../../traffic/policy.js';
import { PinnedVersions } from '../oip/versions.js';
import { TrafficController } from './controller.js';
import { shadowCounter } from './shadow.js';

/** How many versions besides the active one a model's traffic controller keeps loaded (the challenger, and one being switched to). */
const _CHALLENGER_VERSIONS = 2;

/**
 * The traffic controller of one served model: its challenger versions come from the model's store
 * through a small {@link PinnedVersions} LRU, shadow outcomes are counted in `registry` (the server's
 * `/metrics`) when given. The policy starts as `none`; the `traffic` route group's first `refresh()`
 * puts the store's (or `configured`) policy in force.
 * @example
 * const traffic = createTrafficController({ holder, configured: configuredTrafficPolicy(config), log, registry: metrics?.registry });
 */
export function createTrafficController(options: { holder: ModelHolder; configured?: TrafficPolicy; log: Logger; registry?: Registry }): TrafficController {
  return new TrafficController({
    holder: options.holder,
    versions: new PinnedVersions(options.holder, _CHALLENGER_VERSIONS),
    configured: options.configured,
    log: options.log,
    counter: options.registry === undefined ? undefined : shadowCounter(options.registry),
  });
}
