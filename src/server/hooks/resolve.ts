import path from 'node:path';
import type { FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import type { Config } from '../../config/config.js';
import type { CreateContext } from '../../config/registry.js';
import { importUserExport, isUserModuleReference } from '../../config/user-module.js';
import { PldError, toPldError } from '../../errors.js';
import type { Logger } from '../../logging.js';
import type { ServerParts } from '../parts.js';
import { errorBody } from '../responses.js';
import { challengeOf } from './credentials.js';
import { type Hook, type HookContext, isHook } from './types.js';

/** Turns a hook's refusal into the response to send (status and JSON body). */
export type RefusalResponder = (error: PldError) => { readonly status: number; readonly body: unknown };

/**
 * Resolves a config hook list (`predict_decorators`, a service's `decorator_list_name`...) into hooks,
 * in listed order. Each entry is one of:
 * - a registry name (`"RequestLogger"`), created with its default parameters;
 * - `"./file.ts#fn"`: the exported function is the hook itself (or, if the export is a component
 *   definition with `params` and `create`, that component with default parameters);
 * - a component dict (`{"__factory__": "ApiKeyAuth", "keys": [...]}` or
 *   `{"__factory__": "./file.ts#makeHook", ...}`), whose factory is called with the other keys and must
 *   return a hook.
 * A missing list is empty. Anything else is `PLD_ERR_SERVER_BAD_HOOK` naming the key and index.
 * @example
 * const hooks = await resolveHookList(ctx.config, 'predict_decorators');
 */
export async function resolveHookList(config: Config, listName: string): Promise<Hook[]> {
  if (!config.has(listName)) return [];
  const file = config.fileOf(listName);
  const raw = config.value(listName);
  if (!Array.isArray(raw)) throw _badHook(file, listName, `expected a list of hooks, got ${_describe(raw)}`);
  const created = await config.component<unknown[]>(listName, 'hook', Array.isArray);
  const create: Omit<CreateContext, 'keyPath'> = { registry: config.registry, file, baseDir: file === '<inline>' ? process.cwd() : path.dirname(file) };
  const hooks: Hook[] = [];
  for (let i = 0; i < created.length; i++) hooks.push(await _resolveEntry(created[i], { ...create, keyPath: `${listName}.${i}` }));
  return hooks;
}

/**
 * Chains hooks into one fastify `preHandler`: they run in listed order and the first that throws or
 * sends a reply stops the request, so the route's handler (and the model) never runs. A thrown error
 * becomes `respond(error)` with the error's `WWW-Authenticate` challenge, if any. An empty list gives
 * no preHandler at all, so unprotected routes pay nothing.
 * @example
 * app.get('/list', { preHandler: chainHooks(hooks, { log, listName: 'list_decorators' }, respond) }, handler);
 */
export function chainHooks(hooks: readonly Hook[], context: HookContext, respond: RefusalResponder): preHandlerAsyncHookHandler[] {
  if (hooks.length === 0) return [];
  const handler = async (request: FastifyRequest, reply: FastifyReply) => {
    for (const hook of hooks) {
      try {
        await hook(request, reply, context);
      } catch (error) {
        return _refuse(reply, toPldError(error), respond, context.log);
      }
      if (reply.sent) return reply;
    }
  };
  return [handler];
}

/**
 * The preHandlers for a config hook list on a server: resolves `listName` (once per config) and chains
 * it. Refusals answer in Palladium's `{"metadata":{...}}` error shape with the service metadata,
 * unless `respond` shapes them (predict routes pass their service's `responseFromError`).
 * @example
 * app.post('/update-model-cache', { preHandler: await hooksFor(parts, 'update_model_cache_decorators') }, handler);
 */
export async function hooksFor(parts: ServerParts, listName: string, respond?: RefusalResponder): Promise<preHandlerAsyncHookHandler[]> {
  const hooks = await resolveHookList(parts.ctx.config, listName);
  const fallback: RefusalResponder = (error) => ({ status: error.status, body: errorBody(error, parts.serviceMetadata) });
  return chainHooks(hooks, { log: parts.ctx.log, listName }, respond ?? fallback);
}

async function _resolveEntry(entry: unknown, ctx: CreateContext): Promise<Hook> {
  if (typeof entry === 'string') return _resolveName(entry, ctx);
  if (isHook(entry)) return entry;
  throw _badHook(ctx.file, ctx.keyPath, `expected a hook name, './file.ts#fn' or a {"__factory__": ...} dict creating a hook, got ${_describe(entry)}`);
}

async function _resolveName(name: string, ctx: CreateContext): Promise<Hook> {
  let definition: unknown;
  if (isUserModuleReference(name)) {
    definition = await importUserExport(name, ctx.baseDir, ctx.keyPath, ctx.file);
    if (isHook(definition)) return definition;
  } else {
    definition = ctx.registry.get(name);
    if (definition === undefined) {
      const hooks = ctx.registry.list('hook').map((d) => d.name);
      throw _badHook(ctx.file, ctx.keyPath, `unknown hook '${name}'; built-in hooks are ${hooks.join(', ')}, user hooks are './file.ts#fn'`);
    }
  }
  const component = definition as { kind?: string; params?: { safeParse?: unknown }; create?: unknown };
  if (typeof component?.create !== 'function' || typeof component.params?.safeParse !== 'function' || (component.kind !== undefined && component.kind !== 'hook')) {
    throw _badHook(ctx.file, ctx.keyPath, `'${name}' is not a hook (${component?.kind === undefined ? _describe(definition) : `a component of kind '${component.kind}'`})`);
  }
  const parsed = (component.params as import('zod').ZodType).safeParse({});
  if (!parsed.success) throw _badHook(ctx.file, ctx.keyPath, `'${name}' needs parameters; write it as {"__factory__": "${name}", ...}`);
  const hook = await (component.create as (p: unknown, c: CreateContext) => unknown)(parsed.data, ctx);
  if (!isHook(hook)) throw _badHook(ctx.file, ctx.keyPath, `'${name}' did not create a hook function`);
  return hook;
}

function _refuse(reply: FastifyReply, error: PldError, respond: RefusalResponder, log: Logger): FastifyReply {
  if (error.status >= 500) log.error(`A hook failed: ${error.message}`);
  const challenge = challengeOf(error);
  if (challenge !== undefined) reply.header('www-authenticate', challenge);
  const { status, body } = respond(error);
  return reply.code(status).send(body);
}

function _badHook(file: string, keyPath: string, message: string): PldError {
  return new PldError('PLD_ERR_SERVER_BAD_HOOK', `${file}: ${keyPath}: ${message}`, { details: { file, keyPath } });
}

function _describe(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (typeof value === 'object') return Array.isArray(value) ? 'a list' : value.constructor === Object ? 'an object' : `a ${value.constructor?.name ?? 'object'}`;
  return `${typeof value} ${JSON.stringify(value)}`;
}
