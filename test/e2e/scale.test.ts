// Scale-out: three `pld serve` processes on one PostgreSQL store behind nginx round-robin, under load.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dropSchema, freshSchema, PG_URL } from '../contracts/pg-helpers.js';
import { copyExample, pld, type RunningServer, startServer } from './helpers.js';
import { type Child, freePort, startChild, startPld } from './process-helpers.js';

const NGINX = ['nginx', '/usr/sbin/nginx'].find((bin) => spawnSync(bin, ['-v']).status === 0);
const INTERVAL_S = 1;
const QUERY = '/predict?sepal%20length=5.2&sepal%20width=3.5&petal%20length=1.5&petal%20width=0.2';
const CLIENTS = 4;
// The load stops by itself after this long, whatever happens to the test.
const LOAD_CAP_MS = 90_000;
// Starting three servers, nginx and a fit takes a while on a busy shared machine.
const SLOW = 90_000;

type Json = any;

/** Keep-alive clients looping on GET /predict through nginx, counting outcomes and versions. */
class Load {
  requests = 0;
  failures: string[] = [];
  versions = new Map<number, number>();
  #stop = false;
  #loops: Promise<void>[] = [];

  constructor(readonly url: string) {
    const until = Date.now() + LOAD_CAP_MS;
    for (let i = 0; i < CLIENTS; i++) this.#loops.push(this.#loop(until));
  }

  async #loop(until: number): Promise<void> {
    while (!this.#stop && Date.now() < until) {
      try {
        const response = await fetch(`${this.url}${QUERY}`);
        const body = (await response.json()) as Json;
        if (response.status !== 200) this.failures.push(`${response.status} ${JSON.stringify(body)}`);
        else this.versions.set(body.metadata.model_version, (this.versions.get(body.metadata.model_version) ?? 0) + 1);
      } catch (error) {
        this.failures.push(String(error));
      }
      this.requests++;
    }
  }

  async stop(): Promise<void> {
    this.#stop = true;
    await Promise.all(this.#loops);
  }
}

async function versionOf(url: string): Promise<number | undefined> {
  try {
    const body = (await (await fetch(`${url}${QUERY}`)).json()) as Json;
    return body.metadata.model_version;
  } catch {
    return undefined;
  }
}

function nginxConfig(dir: string, port: number, upstreams: number[]): string {
  const root = process.getuid?.() === 0 ? 'user root;\n' : '';
  return `${root}daemon off;
worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 256; }
http {
  access_log off;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  upstream pld {
${upstreams.map((p) => `    server 127.0.0.1:${p} max_fails=0;`).join('\n')}
    keepalive 16;
  }
  server {
    listen 127.0.0.1:${port};
    location / {
      proxy_pass http://pld;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_connect_timeout 1s;
      proxy_next_upstream error timeout http_502 http_503;
      proxy_next_upstream_tries 3;
    }
  }
}
`;
}

describe('three pld serve instances on one PostgreSQL store behind nginx round-robin', () => {
  if (NGINX === undefined) {
    // .ci/run installs nginx; elsewhere the test says why it did not run.
    it('needs nginx', (ctx) => ctx.skip('nginx is not installed (apt-get install -y nginx-light)'));
    return;
  }
  const dir = copyExample();
  const schema = freshSchema('pld_scale');
  const ports: number[] = [];
  const servers: RunningServer[] = [];
  let nginx: Child;
  let lb: string;

  beforeAll(async () => {
    const file = path.join(dir, 'config.json');
    const config = JSON.parse(readFileSync(file, 'utf8'));
    config.model_persister = {
      __factory__: 'palladium.persistence.CachedUpdatePersister',
      impl: { __factory__: 'palladium.persistence.Database', url: PG_URL, schema, table_postfix: 'scale' },
      update_cache_interval: INTERVAL_S,
    };
    writeFileSync(file, JSON.stringify(config, null, 2));
    const fitted = pld(dir, ['fit']);
    expect(fitted.status, fitted.stderr).toBe(0);
    for (let i = 0; i < 3; i++) ports.push(await freePort());
    servers.push(...(await Promise.all(ports.map((port) => startServer(dir, ['--port', String(port)])))));
    const nginxDir = path.join(dir, 'nginx');
    mkdirSync(nginxDir);
    const port = await freePort();
    writeFileSync(path.join(nginxDir, 'nginx.conf'), nginxConfig(nginxDir, port, ports));
    nginx = startChild(NGINX!, ['-p', nginxDir, '-c', path.join(nginxDir, 'nginx.conf')], dir);
    lb = `http://127.0.0.1:${port}`;
    const deadline = Date.now() + 20_000;
    while ((await versionOf(lb)) !== 1 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await versionOf(lb), nginx.output()).toBe(1);
  }, SLOW);

  afterAll(async () => {
    await nginx?.stop('SIGQUIT');
    await Promise.all(servers.map((server) => server.stop()));
    await dropSchema(schema);
  }, SLOW);

  it(
    'every instance serves a newly fitted version within the poll interval + 1 s, with no failed request',
    async () => {
      const load = new Load(lb);
      const fit = startPld(dir, ['fit']);
      expect(await fit.exited(), fit.output()).toBe(0);
      const activated = Date.now();
      const swapMs = await Promise.all(
        servers.map(async (server) => {
          while ((await versionOf(server.url)) !== 2 && Date.now() - activated < 10_000) await new Promise((resolve) => setTimeout(resolve, 20));
          return Date.now() - activated;
        }),
      );
      // Everything after the swap goes to version 2 on every instance.
      const before = load.versions.get(2) ?? 0;
      await new Promise((resolve) => setTimeout(resolve, 500));
      await load.stop();
      console.log(`scale: swap ${JSON.stringify({ requests: load.requests, failures: load.failures.length, swapMs, versions: Object.fromEntries(load.versions) })}`);
      expect(load.failures).toEqual([]);
      for (const ms of swapMs) expect(ms).toBeLessThanOrEqual((INTERVAL_S + 1) * 1000);
      expect(load.versions.get(2)! - before).toBeGreaterThan(0);
      for (const server of servers) expect(await versionOf(server.url)).toBe(2);
    },
    SLOW,
  );

  it(
    'an instance killed and restarted under load fails at most the requests in flight on it',
    async () => {
      const load = new Load(lb);
      await new Promise((resolve) => setTimeout(resolve, 500));
      const victim = servers[1];
      victim.process.kill('SIGKILL');
      await new Promise((resolve) => victim.process.once('exit', resolve));
      const requestsAtKill = load.requests;
      await new Promise((resolve) => setTimeout(resolve, 1000));
      servers[1] = await startServer(dir, ['--port', String(ports[1])]);
      expect(await versionOf(servers[1].url)).toBe(2);
      await new Promise((resolve) => setTimeout(resolve, 1000));
      await load.stop();
      console.log(`scale: kill ${JSON.stringify({ requests: load.requests, requestsAtKill, failures: load.failures.length, versions: Object.fromEntries(load.versions) })}`);
      // Only requests in flight on the killed instance may fail: at most one per client.
      expect(load.failures.length, load.failures.join('\n')).toBeLessThanOrEqual(CLIENTS);
      expect(load.requests).toBeGreaterThan(requestsAtKill);
      expect([...load.versions.keys()]).toEqual([2]);
    },
    SLOW,
  );
});
