// What travels through Redis between `pld grid-search --backend` and `pld worker`. Jobs are
// self-contained (estimator spec, candidate params, the fold's row indices), so a worker needs only
// its own copy of the data, checked against the fingerprint.
import { hostname } from 'node:os';
import { PldError } from '../../../errors.js';
import type { Params } from '../../../estimators/types.js';
import type { DataFingerprint } from '../../../persistence/types.js';
import type { SearchTask, TaskResult } from '../run-task.js';

/** BullMQ key prefix of every search queue. */
export const QUEUE_PREFIX = 'pld';
/** Sorted set of live search runs (queue names), scored by the time their heartbeat expires. */
export const RUNS_KEY = `${QUEUE_PREFIX}:search-runs`;
/** A run is live while its coordinator refreshes it at least this often. */
export const RUN_TTL_MS = 15_000;
export const PROTOCOL_VERSION = 1;

/** One (candidate, fold) fit as a BullMQ job's data. */
export interface RemoteJobData {
  readonly protocol: number;
  readonly run: string;
  readonly fingerprint: DataFingerprint;
  /** The column the search split off as groups (`grid_search.groups`); the worker drops it too. */
  readonly groups?: string;
  readonly spec: { readonly factory: string; readonly params: Params };
  readonly scorers: readonly { readonly name: string; readonly builtinName: string }[];
  readonly returnTrainScore: boolean;
  readonly task: SearchTask;
  /** The fold's row indices, Int32 little-endian in base64 (a fraction of JSON's size). */
  readonly train: string;
  readonly test: string;
}

/** A job's return value: the TaskResult with non-finite scores spelled out (JSON has no NaN). */
export interface RemoteJobResult {
  readonly worker: string;
  readonly index: number;
  readonly testScores?: (number | string)[];
  readonly trainScores?: (number | string)[];
  readonly fitTime: number;
  readonly scoreTime: number;
  readonly error?: { readonly code?: string; readonly message: string };
}

/** `host:pid`, how logs and results name a worker. */
export const WORKER_ID = `${hostname()}:${process.pid}`;

export function encodeRows(rows: Int32Array): string {
  return Buffer.from(rows.buffer, rows.byteOffset, rows.byteLength).toString('base64');
}

export function decodeRows(text: string): Int32Array {
  const bytes = Buffer.from(text, 'base64');
  const rows = new Int32Array(bytes.length / 4);
  new Uint8Array(rows.buffer).set(bytes);
  return rows;
}

export function encodeResult(result: TaskResult): RemoteJobResult {
  return { ...result, worker: WORKER_ID, testScores: result.testScores?.map(_encodeNumber), trainScores: result.trainScores?.map(_encodeNumber) };
}

export function decodeResult(value: unknown): { result: TaskResult; worker: string } {
  const raw = (typeof value === 'string' ? JSON.parse(value) : value) as RemoteJobResult;
  const { worker, ...rest } = raw;
  return { worker, result: { ...rest, testScores: raw.testScores?.map(Number), trainScores: raw.trainScores?.map(Number) } };
}

/** The URL without its password, for messages and logs. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = '***';
    return parsed.toString().replace(/\/$/, '');
  } catch {
    return url;
  }
}

function _encodeNumber(value: number): number | string {
  return Number.isFinite(value) ? value : String(value);
}

/**
 * Checks `url` names Redis (`redis://` or `rediss://`).
 * @example
 * checkBackendUrl('redis://127.0.0.1:6379');
 */
export function checkBackendUrl(url: string): void {
  let protocol: string;
  try {
    protocol = new URL(url).protocol;
  } catch {
    protocol = '';
  }
  if (protocol !== 'redis:' && protocol !== 'rediss:') {
    throw new PldError('PLD_ERR_EVAL_BACKEND_URL', `--backend must be a redis:// or rediss:// URL (e.g. redis://127.0.0.1:6379), got '${url}'`, { details: { backend: url } });
  }
}
