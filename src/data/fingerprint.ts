import { createHash } from 'node:crypto';
import type { DataFingerprint } from '../persistence/types.js';
import { isNumericColumn, type Frame, type Labels } from './frame.js';

/**
 * A fingerprint of training data (rows, columns, sha256 over names and values), stored with each model
 * version so one can tell which data a model saw.
 * @example
 * fingerprint(X, y).hash; // '3f2a...'
 */
export function fingerprint(X: Frame, y?: Labels): DataFingerprint {
  const hash = createHash('sha256');
  for (const [name, column] of X.entries()) {
    hash.update(`\0${name}\0`);
    _hashColumn(hash, column);
  }
  if (y !== undefined) {
    hash.update('\0<target>\0');
    _hashColumn(hash, y);
  }
  return { rows: X.nRows, columns: [...X.columns], hash: hash.digest('hex') };
}

function _hashColumn(hash: ReturnType<typeof createHash>, column: Float64Array | readonly (string | null)[]): void {
  if (isNumericColumn(column as Float64Array)) {
    const numbers = column as Float64Array;
    hash.update(new Uint8Array(numbers.buffer, numbers.byteOffset, numbers.byteLength));
  } else {
    for (const value of column as readonly (string | null)[]) hash.update(value === null ? '\u0001' : `${value}\u0000`);
  }
}
