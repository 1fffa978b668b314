import { describe, expect, it } from 'vitest';
import { mergeConfigs } from './merge.js';

const merge = (...datas: Record<string, unknown>[]) => mergeConfigs(datas.map((data, i) => ({ file: `f${i}.json`, data })));

describe('mergeConfigs', () => {
  it('replaces whole top-level keys, later files winning, and remembers where each key came from', () => {
    const merged = merge({ a: { x: 1, y: 2 }, b: 1 }, { a: { z: 3 } });
    expect(merged.data).toEqual({ a: { z: 3 }, b: 1 });
    expect(merged.sources.get('a')).toBe('f1.json');
    expect(merged.sources.get('b')).toBe('f0.json');
  });

  it("renames Palladium's '!' to __factory__ at any depth, in lists too", () => {
    const merged = merge({ m: { '!': 'Pipeline', steps: [['clf', { '!': 'DecisionTreeClassifier' }]] } });
    expect(merged.data).toEqual({ m: { __factory__: 'Pipeline', steps: [['clf', { __factory__: 'DecisionTreeClassifier' }]] } });
  });

  it('deep-copies a dotted path and merges the other keys over the copy', () => {
    const merged = merge({ train: { __factory__: 'Table', path: 'a', nrows: 100 }, test: { __copy__: 'train', nrows: null, skiprows: 100 } });
    expect(merged.data.test).toEqual({ __factory__: 'Table', path: 'a', nrows: null, skiprows: 100 });
    (merged.data.test as Record<string, unknown>).path = 'changed';
    expect((merged.data.train as Record<string, unknown>).path).toBe('a');
  });

  it('resolves a self-reference against the earlier files, so a later file extends an entry', () => {
    const merged = merge({ model: { __factory__: 'T', a: 1 } }, { model: { __copy__: 'model', b: 2 } });
    expect(merged.data.model).toEqual({ __factory__: 'T', a: 1, b: 2 });
  });

  it('reads the newest file first for other paths', () => {
    const merged = merge({ base: { v: 'old' } }, { base: { v: 'new' }, use: { __copy__: 'base.v' } });
    expect(merged.data.use).toBe('new');
  });

  it('copies nested paths and list items, and copies of copies', () => {
    const merged = merge({ a: { b: [{ c: 1 }] }, d: { __copy__: 'a.b.0' }, e: { __copy__: 'd', f: 2 } });
    expect(merged.data.d).toEqual({ c: 1 });
    expect(merged.data.e).toEqual({ c: 1, f: 2 });
  });

  it('uses __default__ when the target is missing, and fails naming file and key without one', () => {
    expect(merge({ x: { __copy__: 'nope', __default__: 5 } }).data.x).toBe(5);
    expect(() => merge({ a: 1 }, { x: { y: { __copy__: 'nope' } } })).toThrow(/f1\.json: x\.y: __copy__ target 'nope' does not exist/);
    try {
      merge({ x: { __copy__: 'nope' } });
    } catch (error) {
      expect(error).toMatchObject({ code: 'PLD_ERR_CONFIG_COPY_TARGET' });
    }
  });

  it('refuses to merge keys over a copied non-object', () => {
    expect(() => merge({ a: 1, b: { __copy__: 'a', c: 2 } })).toThrow(/is not an object/);
  });
});
