import { type ErrorCode, PldError } from '../errors.js';

/** The traffic policy modes (protocol strings of the config, the admin route and `pld admin traffic`). */
export const TRAFFIC_MODES = ['none', 'canary', 'sticky', 'shadow'] as const;
export type TrafficMode = (typeof TRAFFIC_MODES)[number];

/** The header sticky A/B reads its key from unless the policy names another header or a query parameter. */
export const DEFAULT_STICKY_HEADER = 'x-pld-key';
/** The challenger's share under sticky A/B when the policy gives no `weight`. */
export const DEFAULT_STICKY_WEIGHT = 0.5;

/** Where sticky A/B reads the request key: a header (lower-cased) or a query parameter. */
export type StickyKey = { readonly header: string } | { readonly query: string };

/**
 * How one model's requests are split between its active version and a `challenger` version:
 * - `none`: the active version answers every request.
 * - `canary`: a random `weight` share of requests is answered by the challenger.
 * - `sticky`: like canary, but the choice is a stable hash of a request key (`key`), so one key always
 *   gets the same version; requests without the key are answered by the active version.
 * - `shadow`: the active version answers; the challenger also predicts, off the response path, and its
 *   answer is compared and counted, never returned.
 * `canary` and `sticky` take `shadow: true` to shadow the requests the active version answers, too.
 * @example
 * const policy: TrafficPolicy = { mode: 'canary', challenger: 3, weight: 0.2, shadow: false };
 */
export type TrafficPolicy =
  | { readonly mode: 'none' }
  | { readonly mode: 'canary'; readonly challenger: number; readonly weight: number; readonly shadow: boolean }
  | { readonly mode: 'sticky'; readonly challenger: number; readonly weight: number; readonly key: StickyKey; readonly shadow: boolean }
  | { readonly mode: 'shadow'; readonly challenger: number };

/** The policy with no challenger. */
export const NO_TRAFFIC_POLICY: TrafficPolicy = Object.freeze({ mode: 'none' });

/** Where a policy being parsed came from: names the fields in messages and picks the error code. */
export interface PolicySource {
  /** Prefix of field names in messages, e.g. `traffic` for the config key; default none. */
  readonly path?: string;
  /** Default `PLD_ERR_TRAFFIC_BAD_POLICY`; the config uses `PLD_ERR_CONFIG_INVALID_PARAM`. */
  readonly code?: ErrorCode;
}

const _FIELDS: Record<TrafficMode, readonly string[]> = {
  none: ['mode'],
  canary: ['mode', 'challenger', 'weight', 'shadow'],
  sticky: ['mode', 'challenger', 'weight', 'key', 'shadow'],
  shadow: ['mode', 'challenger'],
};

/**
 * Checks a policy as JSON gives it (config value, request body, stored record) and fills in defaults.
 * Every problem is one error naming the field and what was expected, with `details.field`.
 * @example
 * parseTrafficPolicy({ mode: 'canary', challenger: 3, weight: 0.2 }); // { mode: 'canary', challenger: 3, weight: 0.2, shadow: false }
 */
export function parseTrafficPolicy(raw: unknown, source: PolicySource = {}): TrafficPolicy {
  const fail = (field: string, message: string): PldError => {
    const name = source.path ? `${source.path}.${field}` : field;
    return new PldError(source.code ?? 'PLD_ERR_TRAFFIC_BAD_POLICY', `${name} ${message}`, { details: { field: name } });
  };
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    const name = source.path ?? 'the traffic policy';
    throw new PldError(source.code ?? 'PLD_ERR_TRAFFIC_BAD_POLICY', `${name} must be an object such as {"mode": "canary", "challenger": 2, "weight": 0.1}, got ${_describe(raw)}`, {
      details: { field: source.path ?? '' },
    });
  }
  const record = raw as Record<string, unknown>;
  const mode = record.mode;
  if (typeof mode !== 'string' || !(TRAFFIC_MODES as readonly string[]).includes(mode)) {
    throw fail('mode', `must be one of ${TRAFFIC_MODES.map((m) => `'${m}'`).join(', ')}, got ${_describe(mode)}`);
  }
  const allowed = _FIELDS[mode as TrafficMode];
  for (const field of Object.keys(record)) {
    if (!allowed.includes(field)) throw fail(field, `is not a field of mode '${mode}' (its fields: ${allowed.join(', ')})`);
  }
  if (mode === 'none') return NO_TRAFFIC_POLICY;
  const challenger = _challenger(record.challenger, fail);
  if (mode === 'shadow') return { mode, challenger };
  const shadow = _boolean(record.shadow, 'shadow', fail);
  if (mode === 'canary') {
    if (record.weight === undefined) throw fail('weight', "is required for mode 'canary': the challenger's share of requests, a number from 0 to 1");
    return { mode, challenger, weight: _weight(record.weight, fail), shadow };
  }
  const weight = record.weight === undefined ? DEFAULT_STICKY_WEIGHT : _weight(record.weight, fail);
  return { mode: 'sticky', challenger, weight, key: _key(record.key, fail), shadow };
}

/**
 * The policy as JSON (what the admin route answers and the store keeps): defaults written out.
 * @example
 * policyToJson({ mode: 'shadow', challenger: 2 }); // { mode: 'shadow', challenger: 2 }
 */
export function policyToJson(policy: TrafficPolicy): Record<string, unknown> {
  return { ...policy };
}

/**
 * One line for logs and the CLI.
 * @example
 * describePolicy({ mode: 'canary', challenger: 3, weight: 0.2, shadow: false }); // 'canary: 20% of requests to version 3'
 */
export function describePolicy(policy: TrafficPolicy): string {
  switch (policy.mode) {
    case 'none':
      return 'none: the active version answers every request';
    case 'shadow':
      return `shadow: version ${policy.challenger} also predicts every request, never answers`;
    case 'canary':
      return `canary: ${_percent(policy.weight)} of requests to version ${policy.challenger}${policy.shadow ? ', the rest shadowed by it' : ''}`;
    case 'sticky': {
      const where = 'header' in policy.key ? `header ${policy.key.header}` : `query parameter ${policy.key.query}`;
      return `sticky: ${_percent(policy.weight)} of keys (${where}) to version ${policy.challenger}${policy.shadow ? ', the rest shadowed by it' : ''}`;
    }
  }
}

/** The challenger version of a policy, if it has one. */
export function challengerOf(policy: TrafficPolicy): number | undefined {
  return policy.mode === 'none' ? undefined : policy.challenger;
}

function _challenger(value: unknown, fail: (field: string, message: string) => PldError): number {
  const number = typeof value === 'string' && /^[1-9]\d*$/.test(value) ? Number(value) : value;
  if (typeof number !== 'number' || !Number.isSafeInteger(number) || number < 1) {
    throw fail('challenger', `must be a model version (a positive integer), got ${_describe(value)}`);
  }
  return number;
}

function _weight(value: unknown, fail: (field: string, message: string) => PldError): number {
  const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof number !== 'number' || !Number.isFinite(number) || number < 0 || number > 1) {
    throw fail('weight', `must be a number from 0 to 1 (the challenger's share), got ${_describe(value)}`);
  }
  return number;
}

function _boolean(value: unknown, field: string, fail: (field: string, message: string) => PldError): boolean {
  if (value === undefined) return false;
  if (typeof value !== 'boolean') throw fail(field, `must be true or false, got ${_describe(value)}`);
  return value;
}

function _key(value: unknown, fail: (field: string, message: string) => PldError): StickyKey {
  if (value === undefined) return { header: DEFAULT_STICKY_HEADER };
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const entries = Object.entries(value);
    if (entries.length === 1) {
      const [where, name] = entries[0];
      if ((where === 'header' || where === 'query') && typeof name === 'string' && name.trim() !== '') {
        // Node gives header names lower-cased; query parameters keep their case.
        return where === 'header' ? { header: name.trim().toLowerCase() } : { query: name };
      }
    }
  }
  throw fail('key', `must be {"header": "<name>"} or {"query": "<name>"}, got ${_describe(value)}`);
}

function _percent(weight: number): string {
  return `${Math.round(weight * 1000) / 10}%`;
}

function _describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
