import { createHash } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import { PldError } from '../errors.js';
import { ARTIFACT_FORMAT, type ModelArtifact } from './types.js';

/**
 * The artifact codec: gzip'd JSON, never an executable format (no pickle, no eval). Typed arrays
 * anywhere in `params`, `state` or `metadata` become `{"$typed":"Float64Array","base64":"..."}`
 * holding their raw bytes, so floats round-trip bit-exactly (NaN payloads, -0, Infinity included).
 * Bytes are the host's order, which is little-endian on every platform Node ships for.
 */

/** The typed array kinds the codec stores; BigInt arrays are left out on purpose (JSON has no bigint). */
export const TYPED_ARRAY_KINDS = ['Float64Array', 'Float32Array', 'Int32Array', 'Uint32Array', 'Uint8Array', 'Int8Array', 'Int16Array', 'Uint16Array'] as const;

/** One of {@link TYPED_ARRAY_KINDS}. */
export type TypedArrayKind = (typeof TYPED_ARRAY_KINDS)[number];

/** Options of {@link decodeArtifact}. */
export interface DecodeOptions {
  /** sha256 (hex) the bytes must have; usually the `checksum` kept in the metadata index. */
  readonly expectedChecksum?: string;
  /** Names the artifact in error messages, e.g. `version 3 in /models/model-3.json.gz`. */
  readonly source?: string;
}

/**
 * sha256 (hex) of some bytes: the checksum the store keeps for every artifact.
 * @example
 * checksum(encodeArtifact(artifact)); // '9f86d0…'
 */
export function checksum(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * Encodes an artifact as gzip'd JSON bytes, ready for any storage driver.
 * @example
 * const bytes = encodeArtifact({ format: ARTIFACT_FORMAT, factory: 'DecisionTreeClassifier', params: {}, state: { w: new Float64Array([1, 2]) }, metadata: { version: 1 } });
 */
export function encodeArtifact(artifact: ModelArtifact): Buffer {
  const envelope: Record<string, unknown> = {
    format: artifact.format,
    factory: artifact.factory,
    params: artifact.params,
    state: artifact.state,
    metadata: artifact.metadata,
  };
  if (artifact.blobs !== undefined) {
    envelope.blobs = Object.fromEntries(Object.entries(artifact.blobs).map(([name, bytes]) => [name, _bytesToBase64(bytes)]));
  }
  let json: string;
  try {
    json = JSON.stringify(envelope, _replacer);
  } catch (error) {
    if (error instanceof PldError) throw error;
    throw new PldError('PLD_ERR_INTERNAL', `Cannot encode model artifact '${artifact.factory}': ${(error as Error).message}`, { cause: error });
  }
  return gzipSync(Buffer.from(json, 'utf8'), { level: 6 });
}

/**
 * Decodes bytes written by {@link encodeArtifact}. A checksum mismatch, bad gzip, bad JSON or a
 * foreign `format` is `PLD_ERR_PERSIST_CORRUPT`; nothing in the bytes is ever executed.
 * @example
 * const artifact = decodeArtifact(bytes, { expectedChecksum: metadata.checksum });
 */
export function decodeArtifact(bytes: Uint8Array, options: DecodeOptions = {}): ModelArtifact {
  const source = options.source ?? 'model artifact';
  if (options.expectedChecksum !== undefined) {
    const actual = checksum(bytes);
    if (actual !== options.expectedChecksum) {
      throw _corrupt(`Checksum mismatch for ${source}: expected sha256 ${options.expectedChecksum}, got ${actual}; the file was changed or truncated`, {
        expected: options.expectedChecksum,
        actual,
      });
    }
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(gunzipSync(bytes).toString('utf8'), _reviver);
  } catch (error) {
    if (error instanceof PldError) throw error;
    throw _corrupt(`Cannot decode ${source}: ${(error as Error).message}`, {}, error);
  }
  return _validateEnvelope(parsed, source);
}

/** Marker key of an encoded typed array; protocol string, so a named constant. */
const _TYPED_KEY = '$typed';

function _replacer(this: unknown, key: string, replaced: unknown): unknown {
  // Read the holder, not `replaced`: Buffer's toJSON has already turned it into {type, data} by now.
  const value = (this as Record<string, unknown>)[key];
  if (!ArrayBuffer.isView(value) || value instanceof DataView) return replaced;
  const kind = _kindOf(value);
  if (kind === undefined) {
    throw new PldError('PLD_ERR_INTERNAL', `Model artifacts cannot store a ${value.constructor.name}; use one of ${TYPED_ARRAY_KINDS.join(', ')}`);
  }
  return { [_TYPED_KEY]: kind, base64: _bytesToBase64(new Uint8Array(value.buffer, value.byteOffset, value.byteLength)) };
}

function _reviver(_key: string, value: unknown): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  const record = value as Record<string, unknown>;
  const kind = record[_TYPED_KEY];
  // Only the exact two-key shape is a typed array, so user state that merely has a `$typed` key survives.
  if (typeof kind !== 'string' || typeof record.base64 !== 'string' || Object.keys(record).length !== 2) return value;
  if (!(TYPED_ARRAY_KINDS as readonly string[]).includes(kind)) throw _corrupt(`Unknown typed array kind '${kind}' in model artifact`, { kind });
  const Ctor = globalThis[kind as TypedArrayKind];
  const bytes = Buffer.from(record.base64, 'base64');
  if (bytes.length % Ctor.BYTES_PER_ELEMENT !== 0)
    throw _corrupt(`A ${kind} in the model artifact has ${bytes.length} bytes, not a multiple of ${Ctor.BYTES_PER_ELEMENT}`, { kind });
  // Copy into a fresh buffer: Buffer.from may hand out an unaligned slice of its pool.
  const aligned = new ArrayBuffer(bytes.length);
  new Uint8Array(aligned).set(bytes);
  return new Ctor(aligned);
}

function _validateEnvelope(parsed: unknown, source: string): ModelArtifact {
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw _corrupt(`${source} is not a JSON object`);
  const envelope = parsed as Record<string, unknown>;
  if (envelope.format !== ARTIFACT_FORMAT) {
    throw _corrupt(`${source} has format ${JSON.stringify(envelope.format)}, expected '${ARTIFACT_FORMAT}' (written by another program or a newer palladium-ts?)`, {
      format: envelope.format,
    });
  }
  if (typeof envelope.factory !== 'string') throw _corrupt(`${source} has no 'factory' string`);
  if (typeof envelope.metadata !== 'object' || envelope.metadata === null) throw _corrupt(`${source} has no 'metadata' object`);
  const artifact: Record<string, unknown> = {
    format: ARTIFACT_FORMAT,
    factory: envelope.factory,
    params: envelope.params ?? {},
    state: envelope.state,
    metadata: envelope.metadata,
  };
  if (envelope.blobs !== undefined) {
    if (typeof envelope.blobs !== 'object' || envelope.blobs === null) throw _corrupt(`${source} has a malformed 'blobs' entry`);
    artifact.blobs = Object.fromEntries(
      Object.entries(envelope.blobs as Record<string, unknown>).map(([name, text]) => {
        if (typeof text !== 'string') throw _corrupt(`Blob '${name}' in ${source} is not base64 text`);
        return [name, new Uint8Array(Buffer.from(text, 'base64'))];
      }),
    );
  }
  return artifact as unknown as ModelArtifact;
}

function _kindOf(view: ArrayBufferView): TypedArrayKind | undefined {
  // Buffer is a Uint8Array subclass; store it as the plain kind so it decodes without Node types.
  if (view instanceof Uint8Array) return 'Uint8Array';
  return TYPED_ARRAY_KINDS.find((kind) => view instanceof globalThis[kind]);
}

function _bytesToBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

function _corrupt(message: string, details: Record<string, unknown> = {}, cause?: unknown): PldError {
  return new PldError('PLD_ERR_PERSIST_CORRUPT', message, { details, cause });
}
