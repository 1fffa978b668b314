import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { createRegistry } from '../../config/builtins.js';
import { configFromObject } from '../../config/config.js';
import { PldError } from '../../errors.js';
import { createLogger } from '../../logging.js';
import { errorBody } from '../responses.js';
import { apiKeyAuth } from './api-key.js';
import { basicAuth } from './basic-auth.js';
import { jwtAuth } from './jwt-auth.js';
import { requestLogger } from './request-logger.js';
import { chainHooks, resolveHookList } from './resolve.js';
import type { Hook } from './types.js';

const lines: string[] = [];
const log = createLogger((line) => lines.push(line), 'DEBUG');

/** An app whose one route counts its calls, behind the hooks; `calls()` proves the handler never ran. */
function appWith(hooks: Hook[]): { app: FastifyInstance; calls: () => number } {
  let count = 0;
  const app = Fastify();
  const preHandler = chainHooks(hooks, { log, listName: 'predict_decorators' }, (error) => ({ status: error.status, body: errorBody(error, { service_name: 'test' }) }));
  app.get('/x', { preHandler }, async (request) => {
    count++;
    return { ok: true, auth: request.pldAuth ?? null };
  });
  return { app, calls: () => count };
}

const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

describe('ApiKeyAuth', () => {
  const { app, calls } = appWith([apiKeyAuth({ keys: ['k-one', 'k-two'] })]);

  it('refuses a request without a key or with a wrong one with a 401 JSON body, never calling the handler', async () => {
    const missing = await app.inject({ url: '/x' });
    expect(missing.statusCode).toBe(401);
    expect(missing.json().metadata).toMatchObject({ status: 'ERROR', error_code: 1801, error_type: 'PLD_ERR_AUTH_MISSING_CREDENTIALS', service_name: 'test' });
    expect(missing.json().metadata.error_message).toMatch(/x-api-key/);
    const wrong = await app.inject({ url: '/x', headers: { 'x-api-key': 'k-three' } });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json().metadata.error_type).toBe('PLD_ERR_AUTH_INVALID_CREDENTIALS');
    expect(calls()).toBe(0);
  });

  it('lets a valid key through and records which one', async () => {
    const ok = await app.inject({ url: '/x', headers: { 'x-api-key': 'k-two' } });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().auth).toEqual({ scheme: 'api-key', subject: 'key-1' });
  });

  it('reads another header when configured and rejects an empty key list', async () => {
    const { app: custom } = appWith([apiKeyAuth({ keys: ['s'], header: 'X-Token' })]);
    expect((await custom.inject({ url: '/x', headers: { 'x-token': 's' } })).statusCode).toBe(200);
    expect(() => apiKeyAuth({ keys: [] })).toThrow();
  });
});

describe('BasicAuth', () => {
  const { app, calls } = appWith([basicAuth({ users: { alice: 's3cret' }, realm: 'iris' })]);

  it.each([
    ['no header', undefined, 'PLD_ERR_AUTH_MISSING_CREDENTIALS'],
    ['another scheme', 'Bearer abc', 'PLD_ERR_AUTH_MISSING_CREDENTIALS'],
    ['a wrong password', basic('alice', 'nope'), 'PLD_ERR_AUTH_INVALID_CREDENTIALS'],
    ['an unknown user', basic('bob', 's3cret'), 'PLD_ERR_AUTH_INVALID_CREDENTIALS'],
    ['no colon', `Basic ${Buffer.from('alice').toString('base64')}`, 'PLD_ERR_AUTH_INVALID_CREDENTIALS'],
  ])('answers %s with a 401 and a Basic challenge', async (_name, authorization, code) => {
    const response = await app.inject({ url: '/x', headers: authorization === undefined ? {} : { authorization } });
    expect(response.statusCode).toBe(401);
    expect(response.headers['www-authenticate']).toBe('Basic realm="iris", charset="UTF-8"');
    expect(response.json().metadata.error_type).toBe(code);
    expect(calls()).toBe(0);
  });

  it('lets the right user and password through, the scheme in any case', async () => {
    const ok = await app.inject({ url: '/x', headers: { authorization: basic('alice', 's3cret').replace('Basic', 'basic') } });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().auth).toEqual({ scheme: 'basic', subject: 'alice' });
  });
});

describe('JwtAuth', () => {
  const secret = 'a-long-enough-shared-secret-for-hs256';
  const sign = (claims: Record<string, unknown>, options: { expires?: string; key?: string } = {}) => {
    const jwt = new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setIssuedAt().setAudience('iris').setIssuer('tests');
    if (options.expires) jwt.setExpirationTime(options.expires);
    return jwt.sign(new TextEncoder().encode(options.key ?? secret));
  };

  it('checks an HS256 token: signature, audience, issuer, expiry (401), claims and scope (403)', async () => {
    const hook = await jwtAuth({ secret, audience: 'iris', issuer: 'tests', scope: 'predict', required_claims: { team: 'ml' } });
    const { app, calls } = appWith([hook]);
    const call = async (token?: string) => app.inject({ url: '/x', headers: token === undefined ? {} : { authorization: `Bearer ${await token}` } });

    const missing = await call();
    expect([missing.statusCode, missing.json().metadata.error_type, missing.headers['www-authenticate']]).toEqual([
      401,
      'PLD_ERR_AUTH_MISSING_CREDENTIALS',
      'Bearer realm="palladium"',
    ]);
    for (const token of [
      await sign({ scope: 'predict', team: 'ml' }, { key: 'another-secret-of-enough-length-xx' }),
      await sign({ scope: 'predict', team: 'ml' }, { expires: '1s ago' }),
      'not.a.jwt',
    ]) {
      const response = await call(token);
      expect(response.statusCode).toBe(401);
      expect(response.json().metadata.error_type).toBe('PLD_ERR_AUTH_INVALID_CREDENTIALS');
      expect(response.headers['www-authenticate']).toMatch(/^Bearer realm="palladium", error="invalid_token"/);
    }
    const noScope = await call(await sign({ scope: 'list', team: 'ml' }));
    expect(noScope.statusCode).toBe(403);
    expect(noScope.json().metadata).toMatchObject({ error_type: 'PLD_ERR_AUTH_FORBIDDEN', error_message: "The token lacks the scope 'predict'" });
    expect(noScope.headers['www-authenticate']).toContain('error="insufficient_scope"');
    const wrongTeam = await call(await sign({ scope: 'predict', team: 'web' }));
    expect(wrongTeam.statusCode).toBe(403);
    expect(wrongTeam.json().metadata.error_message).toMatch(/claim 'team' must be "ml", got "web"/);
    expect(calls()).toBe(0);

    const ok = await call(await sign({ sub: 'alice', scope: 'list predict', team: 'ml' }, { expires: '1h' }));
    expect(ok.statusCode).toBe(200);
    expect(ok.json().auth).toMatchObject({ scheme: 'bearer', subject: 'alice', claims: { team: 'ml' } });
  });

  it('verifies RS256 tokens with a PEM public key and refuses HS256 ones', async () => {
    const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const hook = await jwtAuth({ public_key: publicKey.export({ type: 'spki', format: 'pem' }).toString(), required_claims: ['sub'] });
    const { app } = appWith([hook]);
    const rs = await new SignJWT({ sub: 'svc' }).setProtectedHeader({ alg: 'RS256' }).sign(privateKey);
    expect((await app.inject({ url: '/x', headers: { authorization: `Bearer ${rs}` } })).statusCode).toBe(200);
    const noSub = await new SignJWT({}).setProtectedHeader({ alg: 'RS256' }).sign(privateKey);
    expect((await app.inject({ url: '/x', headers: { authorization: `Bearer ${noSub}` } })).statusCode).toBe(403);
    const hs = await sign({ sub: 'svc' });
    expect((await app.inject({ url: '/x', headers: { authorization: `Bearer ${hs}` } })).statusCode).toBe(401);
  });

  it('needs exactly one of secret and public_key, and algorithms matching it', async () => {
    await expect(jwtAuth({})).rejects.toThrow(/exactly one of secret/);
    await expect(jwtAuth({ secret, algorithms: ['RS256'] })).rejects.toThrow(/HS\* algorithms need secret/);
    await expect(jwtAuth({ public_key: 'not a pem' })).rejects.toThrow(PldError);
  });
});

describe('hook chains', () => {
  it('runs hooks in listed order and stops at the first refusal or reply', async () => {
    const order: string[] = [];
    const mark =
      (name: string): Hook =>
      () => {
        order.push(name);
      };
    const refuse: Hook = () => {
      order.push('refuse');
      throw new PldError('PLD_ERR_AUTH_FORBIDDEN', 'no');
    };
    const { app, calls } = appWith([mark('a'), mark('b'), refuse, mark('c')]);
    expect((await app.inject({ url: '/x' })).statusCode).toBe(403);
    expect(order).toEqual(['a', 'b', 'refuse']);
    expect(calls()).toBe(0);

    const replying: Hook = async (_request, reply) => {
      await reply.code(429).send({ slow: 'down' });
    };
    const second = appWith([replying, mark('after')]);
    const response = await second.app.inject({ url: '/x' });
    expect([response.statusCode, response.json()]).toEqual([429, { slow: 'down' }]);
    expect(order).toEqual(['a', 'b', 'refuse']);
    expect(second.calls()).toBe(0);
  });

  it('turns an unexpected hook error into a logged 500 JSON body', async () => {
    const { app } = appWith([
      () => {
        throw new TypeError('boom');
      },
    ]);
    const response = await app.inject({ url: '/x' });
    expect(response.statusCode).toBe(500);
    expect(response.json().metadata).toMatchObject({ error_type: 'PLD_ERR_INTERNAL', error_message: 'TypeError: boom' });
    expect(lines.some((line) => line.includes('A hook failed: TypeError: boom'))).toBe(true);
  });

  it('logs each request with RequestLogger, with the user an earlier auth hook found', async () => {
    const { app } = appWith([basicAuth({ users: { alice: 'pw' } }), requestLogger()]);
    await app.inject({ url: '/x?a=1', headers: { authorization: basic('alice', 'pw') } });
    expect(lines.some((line) => /^INFO:palladium:GET \/x\?a=1 200 \d+\.\d ms list=predict_decorators user=alice$/.test(line))).toBe(true);
  });
});

describe('resolveHookList', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'pld-hooks-'));
  writeFileSync(
    path.join(dir, 'hooks.ts'),
    [
      "export const deny = () => { throw Object.assign(new Error('denied'), {}); };",
      'export function makeHeaderCheck(params: { header: string }) {',
      '  return (request: { headers: Record<string, unknown> }) => { if (!request.headers[params.header]) throw new Error(`missing ${params.header}`); };',
      '}',
      'export const notAHook = 42;',
    ].join('\n'),
  );
  const resolve = (value: unknown) => resolveHookList(configFromObject({ predict_decorators: value }, createRegistry(), dir), 'predict_decorators');

  it('resolves registry names, user functions and factory dicts, in order', async () => {
    const hooks = await resolve(['RequestLogger', './hooks.ts#deny', { __factory__: './hooks.ts#makeHeaderCheck', header: 'x-team' }, { __factory__: 'ApiKeyAuth', keys: ['k'] }]);
    expect(hooks).toHaveLength(4);
    expect(hooks.every((hook) => typeof hook === 'function')).toBe(true);
    expect(await resolve(undefined)).toEqual([]);
  });

  it.each([
    ['a non-list', { RequestLogger: {} }, /predict_decorators: expected a list of hooks, got an object/],
    ['an unknown name', ['RequestLoger'], /predict_decorators\.0: unknown hook 'RequestLoger'; built-in hooks are ApiKeyAuth, BasicAuth, JwtAuth, RequestLogger/],
    ['a component of another kind', ['File'], /predict_decorators\.0: 'File' is not a hook \(a component of kind 'persister'\)/],
    ['a hook needing parameters by name', ['ApiKeyAuth'], /'ApiKeyAuth' needs parameters; write it as \{"__factory__": "ApiKeyAuth", \.\.\.\}/],
    ['a user export that is no function', ['./hooks.ts#notAHook'], /is not a hook/],
    ['a number', [3], /predict_decorators\.0: expected a hook name/],
  ])('refuses %s with PLD_ERR_SERVER_BAD_HOOK naming the entry', async (_name, value, message) => {
    const error = await resolve(value).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PldError);
    expect((error as PldError).code).toBe('PLD_ERR_SERVER_BAD_HOOK');
    expect((error as PldError).message).toMatch(message);
  });
});
