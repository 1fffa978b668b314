import { gunzipSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { checksum, decodeArtifact, encodeArtifact } from './artifact.js';
import { ARTIFACT_FORMAT, type ModelArtifact } from './types.js';

const bytesOf = (view: ArrayBufferView): number[] => [...new Uint8Array(view.buffer, view.byteOffset, view.byteLength)];

function artifact(state: unknown, extra: Partial<ModelArtifact> = {}): ModelArtifact {
  return { format: ARTIFACT_FORMAT, factory: 'LogisticRegression', params: { C: 1 }, state, metadata: { version: 1, score_train: 0.5 }, ...extra };
}

describe('encodeArtifact / decodeArtifact', () => {
  it('round-trips every typed array kind bit-exactly, nested anywhere', () => {
    const nan = new Float64Array(1);
    new DataView(nan.buffer).setBigUint64(0, 0x7ff8_dead_beef_0001n, true); // a NaN with a payload
    const state = {
      f64: new Float64Array([Number.NaN, -0, Number.NEGATIVE_INFINITY, Number.MIN_VALUE, Math.PI]),
      payloadNaN: nan,
      f32: new Float32Array([Math.fround(0.1), Number.NaN]),
      i32: new Int32Array([-2147483648, 7]),
      u32: new Uint32Array([4294967295]),
      u8: new Uint8Array([0, 255]),
      i8: new Int8Array([-128, 127]),
      i16: new Int16Array([-32768, 1]),
      u16: new Uint16Array([65535]),
      nested: { trees: [{ values: new Float64Array([1.5]) }] },
      sliced: new Float64Array([9, 8, 7, 6]).subarray(1, 3),
    };
    const decoded = decodeArtifact(encodeArtifact(artifact(state))).state as typeof state;
    for (const key of ['f64', 'payloadNaN', 'f32', 'i32', 'u32', 'u8', 'i8', 'i16', 'u16', 'sliced'] as const) {
      expect(decoded[key].constructor).toBe(state[key].constructor);
      expect(bytesOf(decoded[key])).toEqual(bytesOf(state[key]));
    }
    expect(decoded.nested.trees[0].values).toEqual(new Float64Array([1.5]));
  });

  it('keeps params, metadata and blobs, and stores Buffers as Uint8Array', () => {
    const decoded = decodeArtifact(encodeArtifact(artifact({ raw: Buffer.from([1, 2]) }, { blobs: { 'model.onnx': new Uint8Array([9, 0, 9]) } })));
    expect(decoded.params).toEqual({ C: 1 });
    expect(decoded.metadata).toEqual({ version: 1, score_train: 0.5 });
    expect(decoded.blobs?.['model.onnx']).toEqual(new Uint8Array([9, 0, 9]));
    expect((decoded.state as { raw: Uint8Array }).raw.constructor).toBe(Uint8Array);
  });

  it('writes gzip-compressed JSON with base64 typed arrays (no executable content)', () => {
    const json = JSON.parse(gunzipSync(encodeArtifact(artifact({ w: new Float64Array([1]) }))).toString('utf8'));
    expect(json.format).toBe(ARTIFACT_FORMAT);
    expect(json.state.w).toEqual({ $typed: 'Float64Array', base64: Buffer.from(new Float64Array([1]).buffer).toString('base64') });
  });

  it('leaves user objects that merely have a $typed key alone', () => {
    const state = { tag: { $typed: 'mine', base64: 'x', other: 1 } };
    expect(decodeArtifact(encodeArtifact(artifact(state))).state).toEqual(state);
  });

  it('refuses BigInt arrays with a clear message', () => {
    expect(() => encodeArtifact(artifact({ b: new BigInt64Array(1) }))).toThrow(/cannot store a BigInt64Array/);
  });
});

describe('corruption detection', () => {
  const bytes = encodeArtifact(artifact({ w: new Float64Array([1, 2, 3]) }));

  it('accepts the right checksum', () => {
    expect(decodeArtifact(bytes, { expectedChecksum: checksum(bytes) }).factory).toBe('LogisticRegression');
    expect(checksum(bytes)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('rejects a checksum mismatch naming the source', () => {
    const damaged = Buffer.from(bytes);
    damaged[damaged.length >> 1] ^= 1;
    expect(() => decodeArtifact(damaged, { expectedChecksum: checksum(bytes), source: 'version 3 in /m' })).toThrow(
      expect.objectContaining({ code: 'PLD_ERR_PERSIST_CORRUPT', message: expect.stringContaining('Checksum mismatch for version 3 in /m') }),
    );
  });

  it.each([
    ['not gzip', Buffer.from('hello')],
    ['truncated gzip', bytes.subarray(0, bytes.length - 10)],
    ['gzip of bad JSON', gzipSync('{"format":')],
    ['a foreign format', gzipSync(JSON.stringify({ format: 'pickle', factory: 'x', metadata: {} }))],
    ['a JSON array', gzipSync('[]')],
    ['a typed array of the wrong length', gzipSync(JSON.stringify({ format: ARTIFACT_FORMAT, factory: 'x', metadata: {}, state: { $typed: 'Float64Array', base64: 'AAA=' } }))],
  ])('rejects %s as PLD_ERR_PERSIST_CORRUPT', (_label, input) => {
    expect(() => decodeArtifact(input)).toThrow(expect.objectContaining({ code: 'PLD_ERR_PERSIST_CORRUPT' }));
  });
});
