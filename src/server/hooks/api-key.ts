import { z } from 'zod';
import type { ComponentDefinition } from '../../config/registry.js';
import { invalidCredentials, missingCredentials, safeEqual } from './credentials.js';
import type { Hook } from './types.js';

/** `ApiKeyAuth` parameters. */
export const apiKeyAuthParams = z
  .object({
    /** Accepted keys; put them in the environment and reference them as `${API_KEY}`. */
    keys: z.array(z.string().min(1)).min(1),
    /** The request header carrying the key. */
    header: z.string().min(1).default('x-api-key'),
  })
  .strict();

/**
 * A hook that lets a request through only with one of `keys` in the `header` (default `x-api-key`).
 * No header → 401 `PLD_ERR_AUTH_MISSING_CREDENTIALS`; an unknown key → 401
 * `PLD_ERR_AUTH_INVALID_CREDENTIALS`. Keys are compared in constant time.
 * @example
 * const hook = apiKeyAuth({ keys: [process.env.API_KEY!] });
 */
export function apiKeyAuth(options: z.input<typeof apiKeyAuthParams>): Hook {
  const { keys, header } = apiKeyAuthParams.parse(options);
  const name = header.toLowerCase();
  return (request) => {
    const raw = request.headers[name];
    const given = Array.isArray(raw) ? raw[0] : raw;
    if (given === undefined || given === '') throw missingCredentials(`Missing API key: send it in the '${header}' header`);
    // Check every key so the time taken does not reveal which one matched.
    let match = -1;
    for (let i = 0; i < keys.length; i++) if (safeEqual(given, keys[i]) && match < 0) match = i;
    if (match < 0) throw invalidCredentials(`Invalid API key in the '${header}' header`);
    request.pldAuth = { scheme: 'api-key', subject: `key-${match}` };
  };
}

/** Registry entry for {@link apiKeyAuth}. */
export const apiKeyAuthDefinition: ComponentDefinition = {
  name: 'ApiKeyAuth',
  kind: 'hook',
  params: apiKeyAuthParams,
  create: (params) => apiKeyAuth(params),
  summary: 'Requires one of `keys` in a header (default x-api-key); 401 otherwise',
};
