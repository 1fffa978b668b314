import { PldError } from '../errors.js';
import type { ActivationInfo, ModelPersister } from '../persistence/types.js';
import { parseTrafficPolicy, policyToJson, type TrafficPolicy } from './policy.js';

/** The store property holding a model's runtime traffic policy (JSON), next to `active-model`. */
export const TRAFFIC_PROPERTY = 'traffic-policy';

/** A traffic policy as the store keeps it: the policy plus when, by whom and from where it was set. */
export interface StoredTrafficPolicy {
  readonly policy: TrafficPolicy;
  /** ISO 8601 UTC. */
  readonly updated_at?: string;
  readonly by?: string;
  readonly via?: string;
}

const _AUDIT = ['updated_at', 'by', 'via'] as const;

/**
 * The policy stored in `persister`, or `undefined` when none is. A stored value that no longer parses
 * (a hand edit) is `PLD_ERR_TRAFFIC_BAD_POLICY` naming the property.
 * @example
 * const stored = await readStoredPolicy(persister); // { policy: { mode: 'canary', ... }, updated_at: '…' }
 */
export async function readStoredPolicy(persister: ModelPersister): Promise<StoredTrafficPolicy | undefined> {
  const text = (await persister.listProperties())[TRAFFIC_PROPERTY];
  if (text === undefined) return undefined;
  let record: Record<string, unknown>;
  try {
    record = JSON.parse(text) as Record<string, unknown>;
  } catch {
    throw new PldError('PLD_ERR_TRAFFIC_BAD_POLICY', `The store property '${TRAFFIC_PROPERTY}' is not JSON: ${text.slice(0, 60)}`, { details: { field: TRAFFIC_PROPERTY } });
  }
  const rest = typeof record === 'object' && record !== null ? { ...record } : record;
  const audit: Record<string, string> = {};
  if (typeof rest === 'object' && rest !== null) {
    for (const field of _AUDIT) {
      if (typeof rest[field] === 'string') audit[field] = rest[field] as string;
      delete rest[field];
    }
  }
  return { policy: parseTrafficPolicy(rest, { path: `property '${TRAFFIC_PROPERTY}'` }), ...audit };
}

/**
 * Stores `policy` as the model's runtime policy (every server of the store picks it up on its next
 * check). The challenger must be a stored version: `PLD_ERR_TRAFFIC_VERSION_NOT_FOUND` otherwise.
 * A persister without `setProperty` is `PLD_ERR_TRAFFIC_STORE_UNSUPPORTED`.
 * @example
 * await writeStoredPolicy(persister, { mode: 'shadow', challenger: 2 }, { by: 'alice@host', via: 'cli' });
 */
export async function writeStoredPolicy(persister: ModelPersister, policy: TrafficPolicy, info: ActivationInfo = {}): Promise<StoredTrafficPolicy> {
  const setProperty = _setter(persister);
  await checkChallenger(persister, policy);
  const stored: StoredTrafficPolicy = { policy, updated_at: new Date().toISOString(), ...info };
  await setProperty(TRAFFIC_PROPERTY, JSON.stringify({ ...policyToJson(policy), ..._auditOf(stored) }));
  return stored;
}

/**
 * Removes the stored policy, so servers go back to the config's `traffic` (or none).
 * @example
 * await clearStoredPolicy(persister);
 */
export async function clearStoredPolicy(persister: ModelPersister): Promise<void> {
  await _setter(persister)(TRAFFIC_PROPERTY, undefined);
}

/**
 * Checks that the policy's challenger is a version of the store: `PLD_ERR_TRAFFIC_VERSION_NOT_FOUND`
 * (404) naming the field `challenger` otherwise.
 * @example
 * await checkChallenger(persister, { mode: 'shadow', challenger: 9 }); // throws when version 9 is not stored
 */
export async function checkChallenger(persister: ModelPersister, policy: TrafficPolicy): Promise<void> {
  if (policy.mode === 'none') return;
  const versions = (await persister.listModels()).map((model) => model.version);
  if (!versions.includes(policy.challenger)) {
    const known = versions.length === 0 ? 'the store has none' : `stored: ${versions.join(', ')}`;
    throw new PldError('PLD_ERR_TRAFFIC_VERSION_NOT_FOUND', `challenger names version ${policy.challenger}, which is not in the model store (${known})`, {
      details: { field: 'challenger', version: policy.challenger },
    });
  }
}

function _setter(persister: ModelPersister): NonNullable<ModelPersister['setProperty']> {
  const setProperty = persister.setProperty;
  if (setProperty === undefined) {
    throw new PldError(
      'PLD_ERR_TRAFFIC_STORE_UNSUPPORTED',
      'This model persister cannot store properties, so its traffic policy cannot change at runtime; set `traffic` in the config instead',
    );
  }
  return setProperty.bind(persister);
}

function _auditOf(stored: StoredTrafficPolicy): Record<string, string> {
  const audit: Record<string, string> = {};
  for (const field of _AUDIT) if (stored[field] !== undefined) audit[field] = stored[field];
  return audit;
}
