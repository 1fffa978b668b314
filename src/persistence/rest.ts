import { z } from 'zod';
import type { ComponentDefinition, CreateContext } from '../config/registry.js';
import { PldError } from '../errors.js';
import { fileLayout, VERSION_PLACEHOLDER } from './file.js';
import { httpStorage } from './storage/http.js';
import type { ModelPersister } from './types.js';
import { createVersionedPersister } from './versioned.js';

const _credentials = z.union([
  z.strictObject({ username: z.string(), password: z.string() }),
  z.strictObject({ token: z.string().min(1) }),
  // Palladium passes requests' `auth` tuple: ["user", "password"].
  z.tuple([z.string(), z.string()]).transform(([username, password]) => ({ username, password })),
]);

/**
 * Parameters of the `Rest` persister (`palladium.persistence.Rest`): `url` with a `{version}`
 * placeholder, optional `auth` (`{username, password}` for Basic, `{token}` for Bearer, or Palladium's
 * `["user", "password"]`; `${ENV}` references keep secrets out of the file) and `timeout` in seconds.
 * @example
 * restPersisterParams.parse({ url: 'https://repo/models/iris-{version}', auth: { token: '${REPO_TOKEN}' } });
 */
export const restPersisterParams = z.strictObject({
  url: z.string().regex(/^https?:\/\//, 'must be an http:// or https:// URL'),
  auth: _credentials.optional(),
  timeout: z.number().positive().default(30),
});

/** Parsed parameters of the `Rest` persister. */
export type RestPersisterParams = z.infer<typeof restPersisterParams>;

/**
 * The `Rest` persister: the versioned core over HTTP in the File layout (`<url>.json.gz` per version
 * with `{version}` replaced, `<url with metadata>.json` for the index).
 * @example
 * const persister = createRestPersister({ url: 'http://127.0.0.1:8081/models/iris-{version}', timeout: 30 });
 */
export function createRestPersister(params: RestPersisterParams, ctx: Partial<Pick<CreateContext, 'keyPath'>> = {}): ModelPersister {
  if (!params.url.includes(VERSION_PLACEHOLDER)) {
    throw new PldError(
      'PLD_ERR_PERSIST_BAD_PATH',
      `${ctx.keyPath ? `${ctx.keyPath}.url` : 'url'}: Your Rest persister url must have a {version} placeholder, e.g. https://repo/models/model-{version}; got ${JSON.stringify(params.url)}`,
      { details: { url: params.url, keyPath: ctx.keyPath } },
    );
  }
  const layout = fileLayout(params.url);
  return createVersionedPersister({ storage: httpStorage({ urlFor: layout.pathFor, auth: params.auth, timeoutMs: params.timeout * 1000 }) });
}

/**
 * The registry entry (one line in `persistence/builtins.ts` adds it).
 * @example
 * registry.register(restPersisterDefinition);
 */
export const restPersisterDefinition: ComponentDefinition<ModelPersister, RestPersisterParams> = {
  name: 'Rest',
  aliases: ['palladium.persistence.Rest'],
  kind: 'persister',
  params: restPersisterParams,
  summary: 'Model versions over HTTP GET/PUT/HEAD/DELETE (e.g. an artifact repository), Basic or Bearer auth.',
  create: (params, ctx) => createRestPersister(params, ctx),
};
