import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { configFromObject, loadConfig } from './config.js';
import { Registry } from './registry.js';

class Thing {
  constructor(readonly params: Record<string, unknown>) {}
}
const isThing = (value: unknown) => value instanceof Thing;

function registry(): Registry {
  return new Registry()
    .register({
      name: 'Thing',
      aliases: ['pkg.mod.Thing'],
      kind: 'other',
      params: z.object({ size: z.number().int().min(1).default(1), child: z.unknown().optional() }).strict(),
      ctor: Thing,
      create: (p) => new Thing(p),
    })
    .register({ name: 'ThingHolder', kind: 'other', params: z.object({ items: z.array(z.instanceof(Thing)) }).strict(), create: (p) => new Thing(p) });
}

describe('Config', () => {
  it('creates components by short name or alias, validating and defaulting params', async () => {
    const config = configFromObject({ a: { __factory__: 'pkg.mod.Thing' }, b: { __factory__: 'Thing', size: 3 } }, registry());
    expect(((await config.component('a', 'other', isThing)) as Thing).params).toEqual({ size: 1 });
    expect(((await config.component('b', 'other', isThing)) as Thing).params).toEqual({ size: 3 });
  });

  it('creates a component once per key', async () => {
    const config = configFromObject({ a: { __factory__: 'Thing' } }, registry());
    expect(await config.component('a', 'other', isThing)).toBe(await config.component('a', 'other', isThing));
  });

  it('builds nested components first, in dicts and lists', async () => {
    const config = configFromObject({ h: { __factory__: 'ThingHolder', items: [{ __factory__: 'Thing', size: 2 }] } }, registry());
    const holder = (await config.component('h', 'other', isThing)) as Thing;
    expect((holder.params.items as Thing[])[0].params.size).toBe(2);
  });

  it('rejects an unknown factory when loading, before creating anything, naming file and key path, with a suggestion', () => {
    expect(() => configFromObject({ ok: { __factory__: 'Thing' }, deep: { x: [{ __factory__: 'sklearn.tree.Thingy' }] } }, registry(), '/proj')).toThrow(
      expect.objectContaining({ code: 'PLD_ERR_CONFIG_UNKNOWN_FACTORY', message: expect.stringMatching(/deep\.x\.0\.__factory__: unknown component 'sklearn\.tree\.Thingy'/) }),
    );
  });

  it('names the key path, expectation and received value of a wrong parameter', async () => {
    const config = configFromObject({ a: { __factory__: 'Thing', size: 'big' } }, registry());
    await expect(config.component('a', 'other', isThing)).rejects.toMatchObject({
      code: 'PLD_ERR_CONFIG_INVALID_PARAM',
      message: expect.stringMatching(/a\.size: .*expected number.*got "big"/),
    });
    const unknown = configFromObject({ a: { __factory__: 'Thing', sise: 2 } }, registry());
    await expect(unknown.component('a', 'other', isThing)).rejects.toMatchObject({ message: expect.stringMatching(/sise/) });
  });

  it('reports a missing required key, and a component of the wrong kind', async () => {
    const config = configFromObject({ a: { plain: 1 } }, registry());
    await expect(config.component('model', 'estimator', isThing)).rejects.toMatchObject({ code: 'PLD_ERR_CONFIG_MISSING_KEY', message: expect.stringMatching(/'model'/) });
    await expect(config.component('a', 'other', isThing)).rejects.toMatchObject({ code: 'PLD_ERR_CONFIG_WRONG_KIND' });
  });

  it('validates plain top-level keys such as service_metadata', () => {
    expect(() => configFromObject({ service_metadata: 'x' }, registry())).toThrow(
      expect.objectContaining({ code: 'PLD_ERR_CONFIG_INVALID_PARAM', message: expect.stringMatching(/service_metadata/) }),
    );
  });

  it('loads user code from ./file.ts#Export relative to the config file: classes, functions and definitions', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'pld-user-'));
    writeFileSync(
      path.join(dir, 'mine.ts'),
      [
        'export class Mine { constructor(readonly params: { k: number }) {} }',
        'export function makeMine(params: { k: number }) { return { made: params.k }; }',
        'export const notCallable = 3;',
      ].join('\n'),
    );
    writeFileSync(
      path.join(dir, 'config.json'),
      JSON.stringify({
        a: { __factory__: './mine.ts#Mine', k: 1 },
        b: { __factory__: './mine.ts#makeMine', k: 2 },
        c: { __factory__: './mine.ts#nope' },
        d: { __factory__: './mine.ts#notCallable' },
      }),
    );
    const config = await loadConfig({ config: 'config.json', cwd: dir, registry: registry(), env: {} });
    const any = () => true;
    expect(((await config.component('a', 'other', any)) as { params: unknown }).params).toEqual({ k: 1 });
    expect(await config.component('b', 'other', any)).toEqual({ made: 2 });
    await expect(config.component('c', 'other', any)).rejects.toMatchObject({ code: 'PLD_ERR_CONFIG_USER_MODULE', message: expect.stringMatching(/has no export 'nope'/) });
    await expect(config.component('d', 'other', any)).rejects.toMatchObject({ code: 'PLD_ERR_CONFIG_USER_MODULE' });
  });

  it('merges several files and substitutes environment variables', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'pld-multi-'));
    writeFileSync(path.join(dir, 'base.json'), JSON.stringify({ a: { __factory__: 'Thing', size: 1 }, meta: { v: '${VERSION:-dev}' } }));
    writeFileSync(path.join(dir, 'prod.yaml'), 'a:\n  __copy__: a\n  size: 5\n');
    const config = await loadConfig({ cwd: dir, registry: registry(), env: { PALLADIUM_CONFIG: 'base.json,prod.yaml', VERSION: '7' } });
    expect(((await config.component('a', 'other', isThing)) as Thing).params.size).toBe(5);
    expect(config.value('meta')).toEqual({ v: '7' });
    expect(config.fileOf('a')).toBe(path.join(dir, 'prod.yaml'));
  });
});
