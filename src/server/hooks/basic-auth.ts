import { z } from 'zod';
import type { ComponentDefinition } from '../../config/registry.js';
import { authorization, invalidCredentials, missingCredentials, safeEqual } from './credentials.js';
import type { Hook } from './types.js';

/** `BasicAuth` parameters. */
export const basicAuthParams = z
  .object({
    /** User name → password; reference secrets from the environment as `${PASSWORD}`. */
    users: z.record(z.string().min(1), z.string().min(1)).refine((users) => Object.keys(users).length > 0, { message: 'needs at least one user' }),
    /** The realm in the `WWW-Authenticate` challenge. */
    realm: z.string().default('palladium'),
  })
  .strict();

/**
 * A hook for HTTP Basic authentication (RFC 7617). A missing or malformed header, or a wrong user or
 * password, is a 401 with `WWW-Authenticate: Basic realm="…"`. Passwords are compared in constant time,
 * and an unknown user takes as long as a wrong password.
 * @example
 * const hook = basicAuth({ users: { alice: 's3cret' } });
 */
export function basicAuth(options: z.input<typeof basicAuthParams>): Hook {
  const { users, realm } = basicAuthParams.parse(options);
  const challenge = `Basic realm="${realm.replaceAll('"', '\\"')}", charset="UTF-8"`;
  const table = new Map(Object.entries(users));
  return (request) => {
    const encoded = authorization(request.headers.authorization, 'Basic');
    if (encoded === undefined) throw missingCredentials('Missing credentials: send an Authorization: Basic header', challenge);
    const decoded = Buffer.from(encoded, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) throw invalidCredentials('Malformed Basic credentials: expected base64 of user:password', challenge);
    const user = decoded.slice(0, colon);
    const expected = table.get(user);
    const ok = safeEqual(decoded.slice(colon + 1), expected ?? '\u0000never');
    if (expected === undefined || !ok) throw invalidCredentials('Unknown user or wrong password', challenge);
    request.pldAuth = { scheme: 'basic', subject: user };
  };
}

/** Registry entry for {@link basicAuth}. */
export const basicAuthDefinition: ComponentDefinition = {
  name: 'BasicAuth',
  kind: 'hook',
  params: basicAuthParams,
  create: (params) => basicAuth(params),
  summary: 'HTTP Basic authentication against `users` (name → password); 401 with a challenge otherwise',
};
