import { describe, expect, it } from 'vitest';
import { uninitializedF64 } from './uninitialized.js';

describe('uninitializedF64', () => {
  it('is a Float64Array over a buffer of its own, of exactly its length', () => {
    for (const length of [0, 1, 7, 100_000]) {
      const a = uninitializedF64(length);
      expect(a).toBeInstanceOf(Float64Array);
      expect(a.length).toBe(length);
      expect(a.byteOffset).toBe(0);
      expect(a.buffer.byteLength).toBe(length * 8);
    }
    expect(uninitializedF64(4).buffer).not.toBe(uninitializedF64(4).buffer);
  });
});
