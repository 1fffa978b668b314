import { describe, expect, it } from 'vitest';
import { createVersionedPersister } from '../persistence/versioned.js';
import { memoryStorage } from '../persistence/storage/memory.js';
import { ARTIFACT_FORMAT } from '../persistence/types.js';
import { parseTrafficPolicy } from './policy.js';
import { selectVersion, stickyFraction } from './select.js';
import { clearStoredPolicy, readStoredPolicy, TRAFFIC_PROPERTY, writeStoredPolicy } from './store.js';

/** A deterministic source of "random" numbers: the given values in turn. */
function sequence(...values: number[]): () => number {
  let i = 0;
  return () => values[i++ % values.length];
}

describe('parseTrafficPolicy', () => {
  it('fills in defaults for each mode', () => {
    expect(parseTrafficPolicy({ mode: 'none' })).toEqual({ mode: 'none' });
    expect(parseTrafficPolicy({ mode: 'canary', challenger: 2, weight: 0.2 })).toEqual({ mode: 'canary', challenger: 2, weight: 0.2, shadow: false });
    expect(parseTrafficPolicy({ mode: 'sticky', challenger: '3' })).toEqual({ mode: 'sticky', challenger: 3, weight: 0.5, key: { header: 'x-pld-key' }, shadow: false });
    expect(parseTrafficPolicy({ mode: 'sticky', challenger: 3, key: { header: 'X-User' } })).toMatchObject({ key: { header: 'x-user' } });
    expect(parseTrafficPolicy({ mode: 'sticky', challenger: 3, key: { query: 'userId' } })).toMatchObject({ key: { query: 'userId' } });
    expect(parseTrafficPolicy({ mode: 'shadow', challenger: 4 })).toEqual({ mode: 'shadow', challenger: 4 });
  });

  it.each([
    [{ mode: 'canary', challenger: 2, weight: 1.5 }, 'weight', /weight must be a number from 0 to 1.*got 1.5/],
    [{ mode: 'canary', challenger: 2, weight: -0.1 }, 'weight', /weight must be a number from 0 to 1/],
    [{ mode: 'canary', challenger: 2 }, 'weight', /weight is required for mode 'canary'/],
    [{ mode: 'canary', challenger: 0, weight: 0.1 }, 'challenger', /challenger must be a model version/],
    [{ mode: 'shadow' }, 'challenger', /challenger must be a model version.*got nothing/],
    [{ mode: 'shadow', challenger: 2, weight: 0.5 }, 'weight', /weight is not a field of mode 'shadow'/],
    [{ mode: 'blue-green' }, 'mode', /mode must be one of 'none', 'canary', 'sticky', 'shadow'/],
    [{ mode: 'sticky', challenger: 2, key: { cookie: 'x' } }, 'key', /key must be \{"header"/],
    [{ mode: 'canary', challenger: 2, weight: 0.1, shadow: 'yes' }, 'shadow', /shadow must be true or false/],
  ])('refuses %j naming the field', (raw, field, message) => {
    expect(() => parseTrafficPolicy(raw)).toThrow(expect.objectContaining({ code: 'PLD_ERR_TRAFFIC_BAD_POLICY', message: expect.stringMatching(message), details: { field } }));
  });

  it('names the config key and uses the config code for a config value', () => {
    expect(() => parseTrafficPolicy({ mode: 'canary', challenger: 2, weight: 2 }, { path: 'traffic', code: 'PLD_ERR_CONFIG_INVALID_PARAM' })).toThrow(
      expect.objectContaining({ code: 'PLD_ERR_CONFIG_INVALID_PARAM', message: expect.stringMatching(/^traffic\.weight must be/) }),
    );
    expect(() => parseTrafficPolicy([1])).toThrow(expect.objectContaining({ code: 'PLD_ERR_TRAFFIC_BAD_POLICY', message: expect.stringMatching(/must be an object/) }));
  });
});

describe('selectVersion', () => {
  const canary = parseTrafficPolicy({ mode: 'canary', challenger: 2, weight: 0.2 });

  it('sends a canary request to the challenger exactly when the draw is below the weight', () => {
    const random = sequence(0.1, 0.19999, 0.2, 0.9);
    const answers = Array.from({ length: 4 }, () => selectVersion(canary, undefined, random).answer);
    expect(answers).toEqual(['challenger', 'challenger', 'active', 'active']);
  });

  it('gives the challenger its weight of 10,000 uniform draws', () => {
    let seed = 42;
    // A small LCG: deterministic, so this test cannot flake.
    const random = () => {
      seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
      return seed / 2 ** 32;
    };
    let hits = 0;
    for (let i = 0; i < 10_000; i++) if (selectVersion(canary, undefined, random).answer === 'challenger') hits++;
    expect(hits / 10_000).toBeCloseTo(0.2, 1);
  });

  it('never draws at weight 0 and always picks the challenger at weight 1', () => {
    const never = () => {
      throw new Error('drew');
    };
    expect(selectVersion(parseTrafficPolicy({ mode: 'canary', challenger: 2, weight: 0 }), undefined, never).answer).toBe('active');
    expect(selectVersion(parseTrafficPolicy({ mode: 'canary', challenger: 2, weight: 1 }), undefined, () => 0.999999).answer).toBe('challenger');
  });

  it('shadows the requests the active version answers when asked, and every request in shadow mode', () => {
    const both = parseTrafficPolicy({ mode: 'canary', challenger: 2, weight: 0.5, shadow: true });
    expect(selectVersion(both, undefined, () => 0.7)).toEqual({ answer: 'active', shadow: true });
    expect(selectVersion(both, undefined, () => 0.3)).toEqual({ answer: 'challenger', shadow: false });
    expect(selectVersion(parseTrafficPolicy({ mode: 'shadow', challenger: 2 }), undefined, () => 0)).toEqual({ answer: 'active', shadow: true });
    expect(selectVersion(parseTrafficPolicy({ mode: 'none' }), 'k', () => 0)).toEqual({ answer: 'active', shadow: false });
  });

  it('sticky: the same key always gets the same version, without drawing; no key gets the active version', () => {
    const sticky = parseTrafficPolicy({ mode: 'sticky', challenger: 2, weight: 0.3 });
    const never = () => {
      throw new Error('sticky must not draw');
    };
    let challenger = 0;
    for (let user = 0; user < 2000; user++) {
      const first = selectVersion(sticky, `user-${user}`, never).answer;
      for (let again = 0; again < 3; again++) expect(selectVersion(sticky, `user-${user}`, never).answer).toBe(first);
      if (first === 'challenger') challenger++;
    }
    expect(challenger / 2000).toBeGreaterThan(0.25);
    expect(challenger / 2000).toBeLessThan(0.35);
    expect(selectVersion(sticky, undefined, never).answer).toBe('active');
  });

  it('sticky: raising the weight only moves keys to the challenger', () => {
    const low = parseTrafficPolicy({ mode: 'sticky', challenger: 2, weight: 0.2 });
    const high = parseTrafficPolicy({ mode: 'sticky', challenger: 2, weight: 0.6 });
    for (let user = 0; user < 500; user++) {
      if (selectVersion(low, `u${user}`).answer === 'challenger') expect(selectVersion(high, `u${user}`).answer).toBe('challenger');
    }
  });

  it('hashes keys to a stable fraction in [0, 1)', () => {
    expect(stickyFraction('user-42')).toBe(stickyFraction('user-42'));
    expect(stickyFraction('user-42')).not.toBe(stickyFraction('user-43'));
    for (const key of ['', 'a', 'ü', 'x'.repeat(1000)]) {
      expect(stickyFraction(key)).toBeGreaterThanOrEqual(0);
      expect(stickyFraction(key)).toBeLessThan(1);
    }
  });
});

describe('the stored traffic policy', () => {
  async function store() {
    const persister = createVersionedPersister({ storage: memoryStorage() });
    for (let i = 0; i < 2; i++) await persister.write({ format: ARTIFACT_FORMAT, factory: 'X', params: {}, state: {}, metadata: {} });
    return persister;
  }

  it('round-trips through the store property with who and when', async () => {
    const persister = await store();
    expect(await readStoredPolicy(persister)).toBeUndefined();
    const policy = parseTrafficPolicy({ mode: 'canary', challenger: 2, weight: 0.25 });
    await writeStoredPolicy(persister, policy, { by: 'alice@host', via: 'cli' });
    const stored = await readStoredPolicy(persister);
    expect(stored).toMatchObject({ policy, by: 'alice@host', via: 'cli', updated_at: expect.stringMatching(/^\d{4}-/) });
    expect(JSON.parse((await persister.listProperties())[TRAFFIC_PROPERTY])).toMatchObject({ mode: 'canary', challenger: 2, weight: 0.25 });
    await clearStoredPolicy(persister);
    expect(await readStoredPolicy(persister)).toBeUndefined();
  });

  it('refuses a challenger the store does not have, naming the field', async () => {
    const persister = await store();
    await expect(writeStoredPolicy(persister, parseTrafficPolicy({ mode: 'shadow', challenger: 7 }))).rejects.toMatchObject({
      code: 'PLD_ERR_TRAFFIC_VERSION_NOT_FOUND',
      status: 404,
      details: { field: 'challenger', version: 7 },
    });
    expect(await readStoredPolicy(persister)).toBeUndefined();
  });

  it('refuses a persister without setProperty', async () => {
    const persister = await store();
    const { setProperty: _, ...readOnly } = persister;
    await expect(writeStoredPolicy(readOnly, parseTrafficPolicy({ mode: 'none' }))).rejects.toMatchObject({ code: 'PLD_ERR_TRAFFIC_STORE_UNSUPPORTED', status: 501 });
  });

  it('reports a hand-edited stored value naming the property', async () => {
    const persister = await store();
    await persister.setProperty?.(TRAFFIC_PROPERTY, '{"mode":"canary","challenger":2,"weight":7}');
    await expect(readStoredPolicy(persister)).rejects.toMatchObject({ code: 'PLD_ERR_TRAFFIC_BAD_POLICY', message: expect.stringMatching(/property 'traffic-policy'\.weight/) });
  });
});
