import type { TrafficPolicy } from './policy.js';

/** Which version answers a request, and whether the challenger also predicts it off the response path. */
export interface TrafficChoice {
  readonly answer: 'active' | 'challenger';
  /** The challenger predicts too and is compared with the answer (only when the active version answers). */
  readonly shadow: boolean;
}

const _ACTIVE: TrafficChoice = Object.freeze({ answer: 'active', shadow: false });
const _ACTIVE_SHADOWED: TrafficChoice = Object.freeze({ answer: 'active', shadow: true });
const _CHALLENGER: TrafficChoice = Object.freeze({ answer: 'challenger', shadow: false });

/**
 * The pure traffic decision for one request: `random` gives a number in [0, 1) (injected, so tests
 * are deterministic), `key` is the request's sticky key when the policy is `sticky`. A canary sends a
 * request to the challenger when `random() < weight`; sticky A/B when the key's hash, as a fraction
 * of 2^32, is below `weight`, so one key always lands on the same side and raising the weight only
 * moves keys from the active version to the challenger. No key under sticky: the active version.
 * @example
 * selectVersion({ mode: 'canary', challenger: 2, weight: 0.2, shadow: false }, undefined, () => 0.1); // { answer: 'challenger', shadow: false }
 */
export function selectVersion(policy: TrafficPolicy, key: string | undefined, random: () => number = Math.random): TrafficChoice {
  switch (policy.mode) {
    case 'none':
      return _ACTIVE;
    case 'shadow':
      return _ACTIVE_SHADOWED;
    case 'canary':
      // weight 0 never draws, weight 1 always wins: the ends are exact, not "almost".
      return policy.weight > 0 && random() < policy.weight ? _CHALLENGER : policy.shadow ? _ACTIVE_SHADOWED : _ACTIVE;
    case 'sticky':
      if (key !== undefined && stickyFraction(key) < policy.weight) return _CHALLENGER;
      return policy.shadow ? _ACTIVE_SHADOWED : _ACTIVE;
  }
}

/**
 * Where a sticky key falls in [0, 1): its 32-bit FNV-1a hash over the UTF-16 code units, divided by
 * 2^32. Stable across processes, restarts and machines (no seed), so every worker agrees.
 * @example
 * stickyFraction('user-42'); // always the same number in [0, 1)
 */
export function stickyFraction(key: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    hash ^= key.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  // A final avalanche (murmur3's fmix32), so keys differing in the last character spread over [0, 1).
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  hash ^= hash >>> 16;
  return (hash >>> 0) / 0x1_0000_0000;
}
