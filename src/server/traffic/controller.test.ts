import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createRegistry } from '../../config/builtins.js';
import { Frame } from '../../data/frame.js';
import { createEstimatorCodec } from '../../estimators/codec.js';
import { DummyClassifier } from '../../estimators/dummy/dummy-classifier.js';
import type { Logger } from '../../logging.js';
import { toArtifact } from '../../persistence/model.js';
import { memoryStorage } from '../../persistence/storage/memory.js';
import type { ModelPersister, Version } from '../../persistence/types.js';
import { createVersionedPersister } from '../../persistence/versioned.js';
import { ModelHolder } from '../../service/model-holder.js';
import { parseTrafficPolicy } from '../../traffic/policy.js';
import { TRAFFIC_PROPERTY, writeStoredPolicy } from '../../traffic/store.js';
import { PinnedVersions } from '../oip/versions.js';
import { TrafficController } from './controller.js';
import { MAX_SHADOWS_IN_FLIGHT } from './shadow.js';

const X = new Frame({ a: Float64Array.of(1, 2, 3) });
const codec = createEstimatorCodec(createRegistry());
let persister: ModelPersister;
let holder: ModelHolder;
let lines: string[];
const log: Logger = {
  debug: (m) => lines.push(`DEBUG ${m}`),
  info: (m) => lines.push(`INFO ${m}`),
  warn: (m) => lines.push(`WARNING ${m}`),
  error: (m) => lines.push(`ERROR ${m}`),
};

// Three versions in a memory store; version k always predicts `c<k>`.
beforeEach(async () => {
  lines = [];
  persister = createVersionedPersister({ storage: memoryStorage() });
  for (let k = 1; k <= 3; k++) {
    const model = await new DummyClassifier({ strategy: 'most_frequent' }).fit(X, [`c${k}`, `c${k}`, 'z']);
    await persister.write(toArtifact(model, {}, codec) as never);
  }
  await persister.activate(1 as Version);
  holder = new ModelHolder('default', persister, codec);
  await holder.load();
});
afterEach(() => {
  lines = [];
});

function controller(options: { configured?: unknown; random?: () => number } = {}): TrafficController {
  const configured = options.configured === undefined ? undefined : parseTrafficPolicy(options.configured);
  return new TrafficController({ holder, versions: new PinnedVersions(holder), configured, log, random: options.random });
}

async function answerOf(traffic: TrafficController): Promise<string> {
  const routed = traffic.route({}, {});
  const model = routed?.answer === 'challenger' ? await routed.challenger : (holder.current as NonNullable<typeof holder.current>);
  return (await model.estimator.predict(X))[0] as string;
}

describe('TrafficController', () => {
  it('puts the config policy in force while the store holds none, and the stored one over it', async () => {
    const traffic = controller({ configured: { mode: 'canary', challenger: 2, weight: 1 } });
    expect(traffic.route({}, {})).toBeUndefined();
    await traffic.refresh();
    expect(traffic.status()).toMatchObject({ source: 'config', policy: { mode: 'canary', challenger: 2 }, active_version: 1 });
    expect(await answerOf(traffic)).toBe('c2');
    await writeStoredPolicy(persister, parseTrafficPolicy({ mode: 'canary', challenger: 3, weight: 1 }), { by: 'test', via: 'api' });
    await traffic.refresh();
    expect(traffic.status()).toMatchObject({ source: 'store', by: 'test', policy: { challenger: 3 } });
    expect(await answerOf(traffic)).toBe('c3');
    await persister.setProperty?.(TRAFFIC_PROPERTY, undefined);
    await traffic.refresh();
    expect(traffic.status().source).toBe('config');
    expect(await answerOf(traffic)).toBe('c2');
  });

  it('routes nothing (no allocation) under none, and a canary draw to the active version without shadow', async () => {
    const traffic = controller({ configured: { mode: 'canary', challenger: 2, weight: 0.5 }, random: () => 0.9 });
    await traffic.refresh();
    expect(traffic.route({}, {})).toBeUndefined();
    await traffic.apply(parseTrafficPolicy({ mode: 'none' }), 'default');
    expect(traffic.route({}, {})).toBeUndefined();
  });

  it('reads the sticky key from the configured header or query parameter', async () => {
    const traffic = controller({ configured: { mode: 'sticky', challenger: 2, weight: 1, key: { query: 'user' } } });
    await traffic.refresh();
    expect(traffic.route({}, { user: 'u1' })?.answer).toBe('challenger');
    expect(traffic.route({}, { user: ['u1', 'u2'] })?.answer).toBe('challenger');
    expect(traffic.route({ user: 'u1' }, {})).toBeUndefined();
    expect(traffic.route({}, { user: '' })).toBeUndefined();
  });

  it('keeps the policy in force when the stored one is bad or its challenger cannot be loaded, and says why', async () => {
    const traffic = controller({ configured: { mode: 'canary', challenger: 2, weight: 1 } });
    await traffic.refresh();
    await persister.setProperty?.(TRAFFIC_PROPERTY, '{"mode":"canary","challenger":2,"weight":9}');
    await traffic.refresh();
    expect(traffic.status()).toMatchObject({ source: 'config', last_error: { error_type: 'PLD_ERR_TRAFFIC_BAD_POLICY' } });
    expect(lines.join('\n')).toMatch(/ERROR Cannot update the traffic policy of model 'default': .*weight.*; keeping canary: 100% of requests to version 2/);
    await persister.setProperty?.(TRAFFIC_PROPERTY, '{"mode":"shadow","challenger":8}');
    await traffic.refresh();
    expect(traffic.status()).toMatchObject({ policy: { mode: 'canary', challenger: 2 }, last_error: { error_type: 'PLD_ERR_PERSIST_VERSION_NOT_FOUND' } });
    expect(await answerOf(traffic)).toBe('c2');
    await persister.setProperty?.(TRAFFIC_PROPERTY, undefined);
    await traffic.refresh();
    expect(traffic.status().last_error).toBeNull();
  });

  it('counts shadow outcomes, and a failing shadow prediction is an error outcome, never thrown', async () => {
    const counted: string[] = [];
    const traffic = new TrafficController({
      holder,
      versions: new PinnedVersions(holder),
      configured: parseTrafficPolicy({ mode: 'shadow', challenger: 2 }),
      log,
      counter: (model, version, outcome) => counted.push(`${model}/${version}/${outcome}`),
    });
    await traffic.refresh();
    const routed = traffic.route({}, {});
    expect(routed).toMatchObject({ answer: 'active', shadow: true, version: 2 });
    if (routed === undefined) return;
    const predict = async (model: { estimator: { predict(x: Frame): unknown } }) => Array.from((await model.estimator.predict(X)) as string[]);
    traffic.shadow(routed, { version: 1, answer: ['c1', 'c1', 'c1'], requestId: 'r1' }, predict);
    traffic.shadow(routed, { version: 1, answer: ['c2', 'c2', 'c2'] }, predict);
    traffic.shadow(routed, { version: 1, answer: [] }, () => {
      throw new Error('challenger broke');
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(counted.sort()).toEqual(['default/2/agree', 'default/2/disagree', 'default/2/error']);
    expect(traffic.status().shadow).toEqual({ agree: 1, disagree: 1, error: 1, skipped: 0 });
    const text = lines.join('\n');
    expect(text).toContain(`INFO Shadow version 2 of model 'default' disagrees with version 1 (req_id=r1): ["c1","c1","c1"] vs ["c2","c2","c2"]`);
    expect(text).toContain("DEBUG Shadow version 2 of model 'default' agrees with version 1");
    expect(text).toContain("WARNING Shadow prediction of model 'default' failed (the answer of version 1 was sent): challenger broke");
  });

  it('skips shadow predictions beyond MAX_SHADOWS_IN_FLIGHT while a slow challenger is still busy', async () => {
    const traffic = controller({ configured: { mode: 'shadow', challenger: 2 } });
    await traffic.refresh();
    const routed = traffic.route({}, {});
    if (routed === undefined) throw new Error('shadow mode must route');
    let release = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    for (let i = 0; i < MAX_SHADOWS_IN_FLIGHT + 5; i++) traffic.shadow(routed, { version: 1, answer: 'x' }, () => gate.then(() => 'x'));
    expect(traffic.status().shadow.skipped).toBe(5);
    release();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(traffic.status().shadow).toEqual({ agree: MAX_SHADOWS_IN_FLIGHT, disagree: 0, error: 0, skipped: 5 });
    // Once they finished, new shadows run again.
    traffic.shadow(routed, { version: 1, answer: 'x' }, () => 'x');
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(traffic.status().shadow.agree).toBe(MAX_SHADOWS_IN_FLIGHT + 1);
  });
});
