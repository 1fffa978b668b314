import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyExample, pld, type RunningServer, startServer } from './helpers.js';

// The dashboard's other states: an empty store, read-only (no `activate` route), metrics off, `server.ui: false`.
let browser: Browser;
const servers: RunningServer[] = [];

function configure(extra: Record<string, unknown>): string {
  const dir = copyExample();
  const config = JSON.parse(readFileSync(path.join(dir, 'config.json'), 'utf8'));
  writeFileSync(path.join(dir, 'config.json'), JSON.stringify({ ...config, ...extra }));
  return dir;
}

beforeAll(async () => {
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-quic', '--no-first-run', '--disable-component-update', '--disable-sync'],
  });
}, 30_000);

afterAll(async () => {
  await browser?.close();
  await Promise.all(servers.map((server) => server.stop()));
});

describe('dashboard modes', () => {
  it('with no model, no admin routes and metrics off: empty states, read-only, and 403 on admin routes', async () => {
    const server = await startServer(configure({ metrics: false }));
    servers.push(server);
    // bypassCSP: string predicates for waitForFunction are evaluated in the page, which the CSP forbids.
    const page = await browser.newPage({ bypassCSP: true });
    await page.goto(`${server.url}/ui#models`);
    await page.waitForFunction("document.body.dataset.ready === 'models'");
    expect(await page.textContent('#models-body')).toContain('pld fit');
    expect(await page.textContent('#models-mode')).toContain('Read-only');
    expect(await page.locator('button[data-activate]').count()).toBe(0);

    await page.goto(`${server.url}/ui#live`);
    await page.waitForFunction("document.body.dataset.ready === 'live'");
    expect(await page.textContent('#live-body')).toContain('Metrics are off');
    expect(await page.textContent('#live-version')).toContain('none');
    await page.close();

    for (const [method, route] of [
      ['POST', '/ui/api/rollback'],
      ['DELETE', '/ui/api/models/1'],
    ]) {
      const response = await fetch(`${server.url}${route}`, { method });
      expect(response.status).toBe(403);
      const body = (await response.json()) as { metadata: { error_type: string; error_message: string } };
      expect(body.metadata.error_type).toBe('PLD_ERR_SERVER_UI_READ_ONLY');
      expect(body.metadata.error_message).toContain('server.routes');
    }
    const info = (await (await fetch(`${server.url}/ui/api/services`)).json()) as { admin: boolean; metrics: boolean };
    expect(info).toMatchObject({ admin: false, metrics: false });
  });

  it('admin actions go through activate_decorators: refused without the key, done with it', async () => {
    const dir = configure({ server: { routes: ['activate'] }, activate_decorators: [{ __factory__: 'ApiKeyAuth', keys: ['s3cret'] }] });
    expect(pld(dir, ['fit']).status).toBe(0);
    expect(pld(dir, ['fit']).status).toBe(0);
    const server = await startServer(dir);
    servers.push(server);
    const page = await browser.newPage({ bypassCSP: true });
    await page.goto(`${server.url}/ui#models`);
    await page.waitForSelector('tr.active[data-version="2"]');
    await page.click('button[data-activate="1"]');
    await page.click('#confirm-ok');
    await page.waitForSelector('#banner.error');
    expect(await page.textContent('#banner')).toContain('PLD_ERR_AUTH_MISSING_CREDENTIALS');
    expect(await page.locator('tr.active').getAttribute('data-version')).toBe('2');

    await page.click('.auth summary');
    await page.fill('#auth-value', 's3cret');
    await page.click('#auth-form button[type=submit]');
    await page.click('button[data-activate="1"]');
    await page.click('#confirm-ok');
    await page.waitForSelector('tr.active[data-version="1"]');
    const alive = (await (await fetch(`${server.url}/alive`)).json()) as { model: { metadata: { version: number } } };
    expect(alive.model.metadata.version).toBe(1);
    await page.close();
  });

  it('server.ui: false mounts no dashboard', async () => {
    const server = await startServer(configure({ server: { ui: false } }));
    servers.push(server);
    for (const route of ['/ui', '/ui/app.js', '/ui/api/services']) {
      const response = await fetch(`${server.url}${route}`);
      expect(response.status).toBe(404);
      expect(((await response.json()) as { metadata: { error_type: string } }).metadata.error_type).toBe('PLD_ERR_SERVER_ROUTE_NOT_FOUND');
    }
  });
});
