import type { IncomingHttpHeaders } from 'node:http';
import { type PldError, toPldError } from '../../errors.js';
import type { Logger } from '../../logging.js';
import type { LoadedModel } from '../../persistence/model.js';
import type { ModelPersister } from '../../persistence/types.js';
import type { ModelHolder } from '../../service/model-holder.js';
import { challengerOf, describePolicy, NO_TRAFFIC_POLICY, policyToJson, type TrafficPolicy } from '../../traffic/policy.js';
import { selectVersion, type TrafficChoice } from '../../traffic/select.js';
import { readStoredPolicy, type StoredTrafficPolicy } from '../../traffic/store.js';
import { ShadowRunner, type ShadowCounter, type ShadowCounts } from './shadow.js';

/** A way to load any stored version of the model (the OIP `PinnedVersions` LRU, or a multi-model registry's). */
export interface VersionSource {
  get(version: number): Promise<LoadedModel>;
}

/** Where the policy in force came from. */
export type PolicyOrigin = 'store' | 'config' | 'default';

/** A request the policy routes: who answers and, for the challenger, its model. */
export interface Routed extends TrafficChoice {
  /** The challenger's version. */
  readonly version: number;
  /** The challenger's model, loaded before the policy was put in force. */
  readonly challenger: LoadedModel;
}

/** What `GET /admin/traffic` and `pld admin traffic show` report about one model. */
export interface TrafficStatus {
  readonly model: string;
  readonly policy: Record<string, unknown>;
  readonly description: string;
  readonly source: PolicyOrigin;
  readonly updated_at?: string;
  readonly by?: string;
  readonly via?: string;
  readonly active_version: number | null;
  /** Shadow comparisons in this process since it started (`/metrics` has them summed over workers). */
  readonly shadow: ShadowCounts;
  /** Why the last refresh from the store failed (the previous policy stays in force). */
  readonly last_error: { readonly error_type: string; readonly error_message: string } | null;
}

/** Options of {@link TrafficController}. */
export interface TrafficControllerOptions {
  readonly holder: ModelHolder;
  readonly versions: VersionSource;
  /** The config's `traffic` (parsed); in force while the store holds none. */
  readonly configured?: TrafficPolicy;
  readonly log: Logger;
  readonly counter?: ShadowCounter;
  /** Numbers in [0, 1) for canary draws; default `Math.random`. */
  readonly random?: () => number;
}

/**
 * The traffic policy of one model in one server process: which policy is in force (the store's, else
 * the config's, else none), the challenger's loaded model, and the per-request choice. Routes call
 * {@link route} on the hot path (no allocation while the policy is `none`) and {@link shadow} after
 * answering. Every change goes through {@link apply}, which loads the challenger before the policy
 * takes effect, so a request is never routed to a version that cannot be loaded.
 * @example
 * const traffic = new TrafficController({ holder, versions: new PinnedVersions(holder), log });
 * await traffic.refresh(); // picks up the store's policy
 * const routed = traffic.route(request.headers, query);
 */
export class TrafficController {
  readonly #holder: ModelHolder;
  readonly #versions: VersionSource;
  readonly #configured: TrafficPolicy;
  readonly #log: Logger;
  readonly #random: () => number;
  readonly #shadow: ShadowRunner;
  #policy: TrafficPolicy = NO_TRAFFIC_POLICY;
  #origin: PolicyOrigin = 'default';
  #stored: StoredTrafficPolicy | undefined;
  // The two answers route() gives, built once per policy, so routing a request allocates nothing.
  #toChallenger: Routed | undefined;
  #shadowed: Routed | undefined;
  #lastError: PldError | undefined;
  // Applies run one at a time, so a slow challenger load cannot land after a later change.
  #queue: Promise<unknown> = Promise.resolve();

  constructor(options: TrafficControllerOptions) {
    this.#holder = options.holder;
    this.#versions = options.versions;
    this.#configured = options.configured ?? NO_TRAFFIC_POLICY;
    this.#log = options.log;
    this.#random = options.random ?? Math.random;
    this.#shadow = new ShadowRunner({ model: options.holder.name, log: options.log, counter: options.counter });
  }

  /** The model this controller routes for. */
  get name(): string {
    return this.#holder.name;
  }

  /** The persister of the model's store (where runtime policies are kept). */
  get persister(): ModelPersister {
    return this.#holder.persister;
  }

  /** The policy in force. */
  get policy(): TrafficPolicy {
    return this.#policy;
  }

  /**
   * The choice for one request, or `undefined` when the active version answers without a shadow (the
   * policy is `none`, or a canary/sticky draw went to the active version without `shadow`).
   */
  route(headers: IncomingHttpHeaders, query: Readonly<Record<string, unknown>>): Routed | undefined {
    const policy = this.#policy;
    if (policy.mode === 'none') return undefined;
    const key = policy.mode === 'sticky' ? _keyOf(policy.key, headers, query) : undefined;
    const choice = selectVersion(policy, key, this.#random);
    if (choice.answer === 'challenger') return this.#toChallenger;
    return choice.shadow ? this.#shadowed : undefined;
  }

  /**
   * Runs the challenger on the same input after the answer was sent, compares and counts; see
   * {@link ShadowRunner.run}. Never throws and never delays the caller.
   */
  shadow(routed: Routed, primary: { readonly version: number; readonly answer: unknown; readonly requestId?: string }, run: (model: LoadedModel) => unknown): void {
    this.#shadow.run(routed.version, routed.challenger, primary, run);
  }

  /**
   * Re-reads the store's policy and applies it when it changed (or the config's when the store holds
   * none). A failure (store unreachable, bad stored value, challenger not loadable) is logged and kept
   * in {@link status}; the previous policy stays in force.
   */
  async refresh(): Promise<void> {
    try {
      const stored = await readStoredPolicy(this.#holder.persister);
      if (stored === undefined) await this.apply(this.#configured, this.#configured.mode === 'none' ? 'default' : 'config');
      else await this.apply(stored.policy, 'store', stored);
      this.#lastError = undefined;
    } catch (error) {
      this.#lastError = toPldError(error);
      this.#log.error(`Cannot update the traffic policy of model '${this.name}': ${this.#lastError.message}; keeping ${describePolicy(this.#policy)}`);
    }
  }

  /**
   * Puts `policy` in force in this process after loading its challenger (rejects, leaving the old
   * policy, when that fails). A no-op when the same policy from the same origin is in force.
   */
  apply(policy: TrafficPolicy, origin: PolicyOrigin, stored?: StoredTrafficPolicy): Promise<void> {
    const next = this.#queue.then(() => this.#apply(policy, origin, stored));
    this.#queue = next.catch(() => undefined);
    return next;
  }

  /** Loads the policy's challenger without putting the policy in force (rejects when it cannot be loaded). */
  async preload(policy: TrafficPolicy): Promise<void> {
    const version = challengerOf(policy);
    if (version !== undefined) await this.#versions.get(version);
  }

  /** The policy in force and its origin, for the admin route and the CLI. */
  status(): TrafficStatus {
    const stored = this.#origin === 'store' ? this.#stored : undefined;
    return {
      model: this.name,
      policy: policyToJson(this.#policy),
      description: describePolicy(this.#policy),
      source: this.#origin,
      ...(stored?.updated_at === undefined ? {} : { updated_at: stored.updated_at }),
      ...(stored?.by === undefined ? {} : { by: stored.by }),
      ...(stored?.via === undefined ? {} : { via: stored.via }),
      active_version: this.#holder.current?.metadata.version ?? null,
      shadow: this.#shadow.counts(),
      last_error: this.#lastError === undefined ? null : { error_type: this.#lastError.code, error_message: this.#lastError.message },
    };
  }

  async #apply(policy: TrafficPolicy, origin: PolicyOrigin, stored: StoredTrafficPolicy | undefined): Promise<void> {
    const same = origin === this.#origin && JSON.stringify(policy) === JSON.stringify(this.#policy);
    this.#stored = stored;
    if (same) return;
    const version = challengerOf(policy);
    const challenger = version === undefined ? undefined : await this.#versions.get(version);
    // Routes before the policy: route() never sees a policy without its routes.
    this.#toChallenger = challenger && { answer: 'challenger', shadow: false, version: challenger.metadata.version, challenger };
    this.#shadowed = challenger && { answer: 'active', shadow: true, version: challenger.metadata.version, challenger };
    this.#policy = policy;
    this.#origin = origin;
    this.#log.info(`Traffic policy of model '${this.name}' (${origin}): ${describePolicy(policy)}`);
  }
}

function _keyOf(key: { readonly header: string } | { readonly query: string }, headers: IncomingHttpHeaders, query: Readonly<Record<string, unknown>>): string | undefined {
  const raw = 'header' in key ? headers[key.header] : query[key.query];
  const value = Array.isArray(raw) ? raw[0] : raw;
  return typeof value === 'string' && value !== '' ? value : undefined;
}
