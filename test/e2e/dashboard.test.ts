import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyExample, pld, type RunningServer, startServer } from './helpers.js';

// Browser tests of the dashboard (`/ui`) against a real `pld serve` and Debian's chromium.
const CHROMIUM = '/usr/bin/chromium';
const OUTPUT = fileURLToPath(new URL('../../test-output/dashboard/', import.meta.url));
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

let dir: string;
let server: RunningServer;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  dir = copyExample();
  const config = JSON.parse(readFileSync(path.join(dir, 'config.json'), 'utf8'));
  writeFileSync(path.join(dir, 'config.json'), JSON.stringify({ ...config, server: { routes: ['activate'] } }));
  // Version 1 by fit, version 2 (active, with cv_results) by grid search.
  expect(pld(dir, ['fit', '--evaluate']).status).toBe(0);
  expect(pld(dir, ['grid-search', '--persist-best']).status).toBe(0);
  mkdirSync(OUTPUT, { recursive: true });
  [server, browser] = await Promise.all([
    startServer(dir),
    chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-quic', '--no-first-run', '--disable-component-update', '--disable-sync'],
    }),
  ]);
  // bypassCSP lets the test inject axe-core into pages whose CSP allows only the server's own scripts.
  page = await browser.newPage({ viewport: { width: 1280, height: 900 }, bypassCSP: true });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

async function open(section: string): Promise<void> {
  await page.goto(`${server.url}/ui#${section}`);
  await page.waitForFunction(`document.body.dataset.ready === ${JSON.stringify(section)}`);
}

async function seriousViolations(): Promise<string[]> {
  await page.addScriptTag({ content: AXE });
  const result = await page.evaluate(async () =>
    (globalThis as unknown as { axe: { run: () => Promise<{ violations: { id: string; impact: string; help: string }[] }> } }).axe.run(),
  );
  return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.help}`);
}

async function aliveVersion(): Promise<number> {
  const alive = (await (await fetch(`${server.url}/alive`)).json()) as { model: { metadata: { version: number } } };
  return alive.model.metadata.version;
}

describe('dashboard', () => {
  it('serves its static files with their content types', async () => {
    for (const [file, type] of [
      ['', 'text/html'],
      ['/app.js', 'text/javascript'],
      ['/prom-text.js', 'text/javascript'],
      ['/style.css', 'text/css'],
    ]) {
      const response = await fetch(`${server.url}/ui${file}`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toContain(type);
    }
  });

  it('Models: lists every version, marks the active one and activates another through a confirmation', async () => {
    await open('models');
    await page.waitForSelector('#models-table');
    expect(await page.locator('#models-table tbody tr').count()).toBe(2);
    expect(await page.locator('tr.active').getAttribute('data-version')).toBe('2');
    expect(await page.locator('#history-table tbody tr').count()).toBe(2);
    expect(await seriousViolations()).toEqual([]);
    await page.screenshot({ path: path.join(OUTPUT, 'models.png'), fullPage: true });

    expect(await aliveVersion()).toBe(2);
    await page.click('button[data-activate="1"]');
    await page.waitForSelector('dialog#confirm[open]');
    await page.click('#confirm-ok');
    await page.waitForSelector('tr.active[data-version="1"]');
    expect(await page.textContent('#banner')).toContain('Version 1 is active');
    // The server answers with the version the UI activated.
    expect(await aliveVersion()).toBe(1);
    const predict = await fetch(`${server.url}/predict?sepal%20length=5.1&sepal%20width=3.5&petal%20length=1.4&petal%20width=0.2`);
    expect(predict.status).toBe(200);
    expect(((await predict.json()) as { result: unknown }).result).toBe('Iris-setosa');
    expect(await page.locator('#history-table tbody tr').count()).toBe(3);
    await page.screenshot({ path: path.join(OUTPUT, 'models-activated.png'), fullPage: true });
  });

  it('Compare: shows two versions side by side with a plot per grid-search parameter', async () => {
    await open('compare');
    await page.waitForSelector('#compare-table');
    expect(await page.locator('#compare-table thead th').allTextContents()).toEqual(['Field', 'Version 1', 'Version 2']);
    expect(await page.locator('.plot svg circle').count()).toBe(3);
    expect(await page.locator('figcaption').allTextContents()).toEqual(['min_samples_leaf']);
    expect(await seriousViolations()).toEqual([]);
    await page.screenshot({ path: path.join(OUTPUT, 'compare.png'), fullPage: true });
  });

  it('Models: rolls back, cancels on request, deletes an inactive version and refuses the active one', async () => {
    await open('models');
    await page.click('#rollback');
    await page.click('#confirm-ok');
    await page.waitForSelector('tr.active[data-version="2"]');
    expect(await page.textContent('#banner')).toContain('Rolled back from version 1 to version 2');
    expect(await aliveVersion()).toBe(2);

    // Cancelling the confirmation changes nothing.
    await page.click('button[data-delete="1"]');
    await page.click('dialog#confirm button[value="cancel"]');
    expect(await page.locator('#models-table tbody tr').count()).toBe(2);
    await page.click('button[data-delete="1"]');
    await page.click('#confirm-ok');
    await page.waitForFunction("document.querySelectorAll('#models-table tbody tr').length === 1");
    const list = (await (await fetch(`${server.url}/list`)).json()) as { models: { version: number }[] };
    expect(list.models.map((m) => m.version)).toEqual([2]);
    // The active version has no delete button, and the API refuses it.
    expect(await page.locator('button[data-delete="2"]').count()).toBe(0);
    const refused = await fetch(`${server.url}/ui/api/models/2`, { method: 'DELETE' });
    expect(refused.status).toBe(409);
    expect(((await refused.json()) as { metadata: { error_type: string } }).metadata.error_type).toBe('PLD_ERR_PERSIST_ACTIVE_DELETE');
  });

  it('Try it: a form from the mapping answers with the prediction', async () => {
    await open('try');
    const form = page.locator('form[data-entry-point="/predict"]');
    expect(await form.locator('input').count()).toBe(4);
    for (const [label, value] of [
      ['sepal length', '6.3'],
      ['sepal width', '3.3'],
      ['petal length', '6.0'],
      ['petal width', '2.5'],
    ])
      await form.getByLabel(label).fill(value);
    await form.locator('button[type=submit]').click();
    await page.waitForFunction(`document.querySelector('pre[data-output="/predict"]')?.textContent?.includes('"result"')`);
    const answer = JSON.parse((await page.textContent('pre[data-output="/predict"]')) ?? '');
    expect(answer.metadata.status).toBe('OK');
    const direct = await fetch(`${server.url}/predict?sepal%20length=6.3&sepal%20width=3.3&petal%20length=6.0&petal%20width=2.5`);
    expect(answer.result).toBe(((await direct.json()) as { result: unknown }).result);
    expect(await seriousViolations()).toEqual([]);
    await page.screenshot({ path: path.join(OUTPUT, 'try.png'), fullPage: true });
  });

  it('Live: request counts per route from /metrics and the served version', async () => {
    await open('live');
    await page.waitForSelector('#live-table tr[data-route="/predict"]');
    expect(await page.textContent('#live-version')).toBe('2');
    // The next scrape (every 3 s) turns totals into rates.
    await page.waitForFunction("!document.getElementById('live-updated')?.textContent?.includes('first scrape')", undefined, { timeout: 10_000 });
    expect(await seriousViolations()).toEqual([]);
    await page.setViewportSize({ width: 390, height: 844 });
    await page.screenshot({ path: path.join(OUTPUT, 'live-phone.png'), fullPage: true });
    await page.setViewportSize({ width: 1280, height: 900 });
  });
});
