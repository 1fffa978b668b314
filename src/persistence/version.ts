import { PldError } from '../errors.js';
import type { Version } from './types.js';

/**
 * Parses a version from a CLI argument, HTTP field or stored string; anything but a positive integer
 * is `PLD_ERR_PERSIST_BAD_VERSION` naming what was received.
 * @example
 * parseVersion('3'); // 3
 */
export function parseVersion(value: unknown, field = 'version'): Version {
  const text = typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : undefined;
  if (text === undefined || !/^[0-9]+$/.test(text) || Number(text) < 1 || !Number.isSafeInteger(Number(text))) {
    throw new PldError('PLD_ERR_PERSIST_BAD_VERSION', `${field} must be a positive integer, got ${JSON.stringify(value)}`, { details: { field } });
  }
  return Number(text) as Version;
}
