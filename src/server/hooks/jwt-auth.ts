import { createPublicKey, type KeyObject } from 'node:crypto';
import { z } from 'zod';
import type { ComponentDefinition } from '../../config/registry.js';
import { PldError } from '../../errors.js';
import { authorization, invalidCredentials, missingCredentials } from './credentials.js';
import type { Hook } from './types.js';

const _HMAC = ['HS256', 'HS384', 'HS512'] as const;
const _PUBLIC = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'] as const;

/** `JwtAuth` parameters: exactly one of `secret` (HMAC) or `public_key` (PEM). */
export const jwtAuthParams = z
  .object({
    /** Shared secret for HS256/384/512 tokens. */
    secret: z.string().min(1).optional(),
    /** PEM public key (SPKI or certificate) for RS256 and other asymmetric tokens. */
    public_key: z.string().min(1).optional(),
    /** Accepted `alg` values; default `["HS256"]` with `secret`, `["RS256"]` with `public_key`. */
    algorithms: z
      .array(z.enum([..._HMAC, ..._PUBLIC]))
      .min(1)
      .optional(),
    audience: z.union([z.string(), z.array(z.string())]).optional(),
    issuer: z.union([z.string(), z.array(z.string())]).optional(),
    /** Claims a valid token must carry (names), or must equal (name → value); else 403. */
    required_claims: z.union([z.array(z.string().min(1)), z.record(z.string(), z.unknown())]).optional(),
    /** Scopes the token's `scope` (space-separated) or `scp` (list) claim must all include; else 403. */
    scope: z.union([z.string(), z.array(z.string())]).optional(),
    /** Seconds of clock skew tolerated for `exp` and `nbf`. */
    clock_tolerance: z.number().min(0).default(0),
    realm: z.string().default('palladium'),
  })
  .strict()
  .refine((p) => (p.secret === undefined) !== (p.public_key === undefined), { message: 'set exactly one of secret (HS256) or public_key (RS256)', path: ['secret'] })
  .refine((p) => p.algorithms === undefined || p.algorithms.every((alg) => (p.secret !== undefined) === (_HMAC as readonly string[]).includes(alg)), {
    message: 'HS* algorithms need secret, the others need public_key',
    path: ['algorithms'],
  });

/**
 * A hook for `Authorization: Bearer <JWT>` (verified with jose). No token, a bad signature, a wrong
 * `alg`, `aud` or `iss`, or an expired token → 401 with a `WWW-Authenticate: Bearer` challenge; a valid
 * token without a required claim or scope → 403. The verified claims land in `request.pldAuth`.
 * @example
 * const hook = await jwtAuth({ secret: process.env.JWT_SECRET!, audience: 'iris', scope: 'predict' });
 */
export async function jwtAuth(options: z.input<typeof jwtAuthParams>): Promise<Hook> {
  const params = jwtAuthParams.parse(options);
  // Loaded here rather than at the top so commands that never serve do not pay for jose.
  const { jwtVerify } = await import('jose');
  const key: Uint8Array | KeyObject = params.secret !== undefined ? new TextEncoder().encode(params.secret) : _publicKey(params.public_key!);
  const algorithms = params.algorithms ?? [params.secret !== undefined ? 'HS256' : 'RS256'];
  const realm = params.realm.replaceAll('"', '\\"');
  const scopes = params.scope === undefined ? [] : typeof params.scope === 'string' ? params.scope.split(/\s+/).filter(Boolean) : params.scope;
  return async (request) => {
    const token = authorization(request.headers.authorization, 'Bearer');
    if (token === undefined || token === '') throw missingCredentials('Missing token: send an Authorization: Bearer <JWT> header', `Bearer realm="${realm}"`);
    let claims: Record<string, unknown>;
    try {
      ({ payload: claims } = await jwtVerify(token, key, {
        algorithms,
        audience: params.audience,
        issuer: params.issuer,
        clockTolerance: params.clock_tolerance,
      }));
    } catch (error) {
      const reason = (error as Error).message.replaceAll('"', "'");
      throw invalidCredentials(`Invalid token: ${reason}`, `Bearer realm="${realm}", error="invalid_token", error_description="${reason}"`);
    }
    _checkClaims(claims, params.required_claims, realm);
    _checkScopes(claims, scopes, realm);
    request.pldAuth = { scheme: 'bearer', subject: typeof claims.sub === 'string' ? claims.sub : '', claims };
  };
}

/** Registry entry for {@link jwtAuth}. */
export const jwtAuthDefinition: ComponentDefinition = {
  name: 'JwtAuth',
  kind: 'hook',
  params: jwtAuthParams,
  create: (params) => jwtAuth(params),
  summary: 'Bearer JWT authentication (HS256 secret or RS256 public key, audience, issuer, claims, scope)',
};

function _publicKey(pem: string): KeyObject {
  try {
    return createPublicKey(pem);
  } catch (cause) {
    throw new PldError('PLD_ERR_CONFIG_INVALID_PARAM', `JwtAuth: public_key must be a PEM public key or certificate (${(cause as Error).message})`, { cause });
  }
}

function _checkClaims(claims: Record<string, unknown>, required: string[] | Record<string, unknown> | undefined, realm: string): void {
  if (required === undefined) return;
  const entries: [string, unknown][] = Array.isArray(required) ? required.map((name) => [name, undefined]) : Object.entries(required);
  for (const [name, expected] of entries) {
    const actual = claims[name];
    const ok = expected === undefined ? actual !== undefined : JSON.stringify(actual) === JSON.stringify(expected);
    if (!ok) {
      const what =
        expected === undefined ? `lacks the required claim '${name}'` : `claim '${name}' must be ${JSON.stringify(expected)}, got ${JSON.stringify(actual) ?? 'nothing'}`;
      throw _forbidden(`The token ${what}`, realm, 'invalid_token');
    }
  }
}

function _checkScopes(claims: Record<string, unknown>, scopes: readonly string[], realm: string): void {
  if (scopes.length === 0) return;
  const granted = new Set<string>();
  if (typeof claims.scope === 'string') for (const scope of claims.scope.split(/\s+/)) granted.add(scope);
  if (Array.isArray(claims.scp)) for (const scope of claims.scp) granted.add(String(scope));
  const missing = scopes.filter((scope) => !granted.has(scope));
  if (missing.length > 0) throw _forbidden(`The token lacks the scope ${missing.map((s) => `'${s}'`).join(', ')}`, realm, 'insufficient_scope', scopes.join(' '));
}

function _forbidden(message: string, realm: string, error: string, scope?: string): PldError {
  const challenge = `Bearer realm="${realm}", error="${error}"${scope === undefined ? '' : `, scope="${scope}"`}`;
  return new PldError('PLD_ERR_AUTH_FORBIDDEN', message, { details: { wwwAuthenticate: challenge } });
}
