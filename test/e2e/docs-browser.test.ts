import fs from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../../src/app/start.js';
import { ApiKeyService } from '../../src/domain/auth/service.js';
import { systemClock } from '../../src/lib/clock.js';
import { createLogger } from '../../src/lib/logger.js';
import { testConfig } from '../helpers/db.js';
import { launchChromium } from '../helpers/browser.js';

const OUTPUT = path.resolve(import.meta.dirname, '../../test-output');

let app: RunningApp;
let browser: Browser;

beforeAll(async () => {
  fs.mkdirSync(OUTPUT, { recursive: true });
  app = await startApp(testConfig({ PORT: '0' }), createLogger('silent'));
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

describe('the interactive API docs at /docs', () => {
  it('lists the operations and runs one with an API key, with every request going to our own server', async () => {
    const { key } = await new ApiKeyService(app.db.repositories.apiKeys, systemClock).create({ name: 'docs reader', role: 'admin' }, 'test');
    const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
    const requests: { url: string; authorization?: string }[] = [];
    page.on('request', (request) => requests.push({ url: request.url(), authorization: request.headers().authorization }));
    // A blocked script or style would show here: the page must work under its own Content-Security-Policy.
    const problems: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(message.text());
    });
    page.on('pageerror', (error) => problems.push(error.message));

    const response = await page.goto(`${app.url}/docs`);
    expect(response?.headers()['content-type']).toMatch(/^text\/html/);
    expect(response?.headers()['content-security-policy']).toMatch(/default-src 'none'; script-src 'self'; style-src 'self'/);
    const listPatients = page.locator('.opblock-summary', { hasText: 'List patients' });
    await listPatients.waitFor({ timeout: 45_000 });
    expect(await page.locator('.opblock-summary').count()).toBeGreaterThan(20);
    await page.screenshot({ path: path.join(OUTPUT, 'docs-operations.png') });

    await page.getByRole('button', { name: 'Authorize' }).first().click();
    const dialog = page.locator('.modal-ux');
    await dialog.getByLabel('auth-bearer-value').fill(key);
    await dialog.getByRole('button', { name: 'Apply credentials' }).click();
    await dialog.getByRole('button', { name: 'Close' }).click();

    await listPatients.click();
    const operation = page.locator('.opblock', { has: listPatients });
    await operation.getByRole('button', { name: 'Try it out' }).click();
    await operation.getByRole('button', { name: 'Execute' }).click();
    const live = operation.locator('.live-responses-table');
    await live.locator('.response-col_status', { hasText: '200' }).waitFor({ timeout: 45_000 });
    expect(await live.locator('tbody .response-col_description').innerText()).toMatch(/"items": \[\]/);
    await page.screenshot({ path: path.join(OUTPUT, 'docs-try-it-out.png'), fullPage: false });

    // The console sent the key, to our API, from the page.
    const call = requests.find((request) => new URL(request.url).pathname === '/api/v1/patients');
    expect(call?.authorization).toBe(`Bearer ${key}`);
    // Nothing went anywhere but this server: no CDN, fonts, validator badge or telemetry.
    const origin = new URL(app.url).origin;
    expect(requests.length).toBeGreaterThanOrEqual(5);
    expect(requests.filter((request) => new URL(request.url).origin !== origin)).toEqual([]);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('still gives programs the OpenAPI document at /docs and /docs/openapi.json', async () => {
    for (const url of ['/docs', '/docs/openapi.json']) {
      for (const accept of [undefined, 'application/json', '*/*']) {
        const res = await fetch(`${app.url}${url}`, { headers: accept ? { accept } : {} });
        expect(res.headers.get('content-type')).toMatch(/^application\/json/);
        expect(((await res.json()) as { openapi: string }).openapi).toBe('3.1.0');
      }
    }
  });
});
