import { createHash, timingSafeEqual } from 'node:crypto';
import { PldError } from '../../errors.js';

/**
 * Compares two secrets in constant time: both are hashed first, so neither their contents nor their
 * lengths leak through timing.
 * @example
 * safeEqual(given, expected); // true or false
 */
export function safeEqual(given: string, expected: string): boolean {
  return timingSafeEqual(_digest(given), _digest(expected));
}

/**
 * A 401 for a request without credentials; `challenge` becomes its `WWW-Authenticate` header.
 * @example
 * throw missingCredentials('No Authorization header', 'Basic realm="palladium"');
 */
export function missingCredentials(message: string, challenge?: string): PldError {
  return new PldError('PLD_ERR_AUTH_MISSING_CREDENTIALS', message, { details: challenge ? { wwwAuthenticate: challenge } : {} });
}

/**
 * A 401 for wrong credentials; `challenge` becomes its `WWW-Authenticate` header.
 * @example
 * throw invalidCredentials('Unknown user or wrong password', 'Basic realm="palladium"');
 */
export function invalidCredentials(message: string, challenge?: string): PldError {
  return new PldError('PLD_ERR_AUTH_INVALID_CREDENTIALS', message, { details: challenge ? { wwwAuthenticate: challenge } : {} });
}

/**
 * The `WWW-Authenticate` challenge an auth error carries, if any.
 * @example
 * const challenge = challengeOf(error); // 'Bearer realm="palladium", error="invalid_token"'
 */
export function challengeOf(error: PldError): string | undefined {
  const value = error.details.wwwAuthenticate;
  return typeof value === 'string' ? value : undefined;
}

/**
 * The credentials of an `Authorization: <scheme> <value>` header, or `undefined` when the header is
 * absent or uses another scheme (compared case-insensitively, as RFC 7235 says).
 * @example
 * authorization(request.headers.authorization, 'Bearer'); // 'eyJhbGciOi...'
 */
export function authorization(header: string | undefined, scheme: 'Basic' | 'Bearer'): string | undefined {
  if (header === undefined) return undefined;
  const space = header.indexOf(' ');
  if (space < 0 || header.slice(0, space).toLowerCase() !== scheme.toLowerCase()) return undefined;
  return header.slice(space + 1).trim();
}

function _digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}
